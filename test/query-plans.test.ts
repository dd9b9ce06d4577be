/**
 * With 10,000 events (hundreds of thousands of occurrences would come from the
 * benchmark sizes), the default list query and the full-text query use indexes:
 * the exact SQL the API runs is captured and EXPLAINed. With several municipalities in the
 * scope (`municipality=` or neighbours, `= any($1)`) the tenant-leading indexes are still used.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { DEFAULT_MUNICIPALITY_ID, municipalities } from "../src/db/schema.ts";
import { findDuplicatesMany } from "../src/domain/events/duplicates.ts";
import { resolveFilter } from "../src/domain/events/filter.ts";
import { visibleTo } from "../src/domain/tenants.ts";
import { feedEventIds } from "../src/feeds/feed-events.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import { onPostgres, type TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
const captured: { query: string; params: unknown[] }[] = [];

beforeAll(async () => {
  database = await createSeededDatabase(10_000, {
    onQuery: (query, params) => captured.push({ query, params }),
  });
  // Two more municipalities, so that a scope of several is possible (their events would be few).
  await database.db.insert(municipalities).values([
    { slug: "naapuri-1", name: { fi: "Naapuri 1" } },
    { slug: "naapuri-2", name: { fi: "Naapuri 2" } },
  ]);
  await database.db.execute(sql`analyze`);
  // Let the clock run a month into the data, so that the past holds occurrences to skip.
  t = buildTestApp(database, {
    clock: fixedClock(new Date(SEED_NOW.getTime() + 30 * 86_400_000).toISOString()),
  });
}, 300_000);
afterAll(async () => {
  await database.close();
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** EXPLAINs the page query (the one with `with pg as`) that a request ran. */
async function planOf(path: string): Promise<PlanNode[]> {
  captured.length = 0;
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  // The last one: a search in start order may first try the probe walk (src/domain/events/list.ts).
  const page = captured.findLast((c) => c.query.includes("with pg as"));
  expect(page, "the page query was captured").toBeDefined();
  return explainNodes(page!.query, page!.params);
}

/** The statements a request (answered 200, body read) ran. */
async function statementsOf(path: string): Promise<{ query: string; params: unknown[] }[]> {
  captured.length = 0;
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return [...captured];
}

/** EXPLAINs a captured statement with its parameters. */
async function explainNodes(query: string, params: unknown[]): Promise<PlanNode[]> {
  const client = (database.db as unknown as { $client: unknown }).$client as {
    unsafe?: (q: string, p: unknown[]) => Promise<Record<string, unknown>[]>;
    query?: (q: string, p: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  };
  const explain = `explain (format json) ${query}`;
  const rows = client.unsafe
    ? await client.unsafe(explain, params)
    : (await client.query!(explain, params)).rows;
  const raw = rows[0]?.["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodes(parsed[0]!.Plan);
}

const searchIndexOf = (municipalityId: string) => `events_search_${municipalityId.replace(/-/g, "")}`;

describe(`query plans with 10,000 events (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("has the data set", async () => {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from occurrences`,
    );
    expect(Number(row?.n)).toBeGreaterThan(50_000);
  });

  it("the default list query reads occurrences through their indexes, never a sequential scan", async () => {
    const plan = await planOf("/api/v1/events?limit=20");
    const onOccurrences = plan.filter((n) => n["Relation Name"] === "occurrences");
    expect(onOccurrences.length).toBeGreaterThan(0);
    expect(onOccurrences.every((n) => n["Node Type"] !== "Seq Scan")).toBe(true);
    const indexes = new Set(plan.map((n) => n["Index Name"]).filter(Boolean));
    expect(indexes).toContain("occurrences_public_start_idx");
    expect(indexes).toContain("occurrences_public_long_idx");
  });

  it("the full-text query uses indexes: the search index for a rare word, the start index for a common one", async () => {
    const probes = (statements: { query: string }[]) =>
      statements.filter((s) => s.query.includes("with q as materialized")).length;
    const rare = await planOf("/api/v1/events?limit=20&q=harvinaistasana");
    // The municipality's own partial search index (migration 0012), not a region-wide one.
    expect(rare.map((n) => n["Index Name"])).toContain(searchIndexOf(DEFAULT_MUNICIPALITY_ID));
    // A word in a few percent of the events: its matches are read first from the search index
    // (cheaper than probing events one by one until the page is full), then their occurrences.
    expect(probes(await statementsOf("/api/v1/events?limit=20&q=konsertti"))).toBe(0);
    const some = await planOf("/api/v1/events?limit=20&q=konsertti");
    expect(some.map((n) => n["Index Name"])).toContain(searchIndexOf(DEFAULT_MUNICIPALITY_ID));
    // A word in a quarter of them (a village's name): the probe walk reads the start index and
    // checks each event by its key, and the page is full long before the matches would be read.
    const commonPath = "/api/v1/events?limit=20&q=klaukkala";
    const statements = await statementsOf(commonPath);
    expect(probes(statements)).toBe(1);
    expect(statements.filter((s) => s.query.includes("with pg as"))).toHaveLength(1);
    const common = await planOf(commonPath);
    expect(common.map((n) => n["Index Name"])).toContain("occurrences_public_start_idx");
    expect(common.map((n) => n["Index Name"])).toContain("events_pkey");
    expect(common.map((n) => n["Index Name"])).not.toContain(searchIndexOf(DEFAULT_MUNICIPALITY_ID));
    for (const plan of [rare, some, common]) {
      const scanned = plan.filter(
        (n) => n["Relation Name"] === "occurrences" || n["Relation Name"] === "events",
      );
      expect(scanned.length).toBeGreaterThan(0);
      expect(scanned.every((n) => n["Node Type"] !== "Seq Scan")).toBe(true);
    }
  });

  it("a scope of several municipalities (= any) still reads occurrences and events through the tenant-leading indexes", async () => {
    for (const path of [
      "/api/v1/events?limit=20&municipality=default,naapuri-1,naapuri-2",
      "/api/v1/events?limit=20&municipality=all&category=liikunta",
      // A rare word: the statement over the matches (a common one walks, as in the test above).
      "/api/v1/events?limit=20&municipality=all&q=harvinaistasana",
    ]) {
      const plan = await planOf(path);
      const captured = plan.filter(
        (n) => n["Relation Name"] === "occurrences" || n["Relation Name"] === "events",
      );
      expect(captured.length, path).toBeGreaterThan(0);
      expect(
        captured.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"]),
        path,
      ).toEqual([]);
      const indexes = new Set(plan.map((n) => n["Index Name"]).filter(Boolean));
      if (!path.includes("q=")) {
        // The long-running branch: by the public long-running index (0018), or by the tenant's
        // one when a filter joins the events anyway (the statistics decide).
        expect(
          ["occurrences_public_long_idx", "occurrences_tenant_long_idx"].filter((i) => indexes.has(i)),
          path,
        ).not.toEqual([]);
        expect(indexes, path).toContain("occurrences_public_start_idx");
      } else {
        // A rare word has a few matching events: their long-running occurrences may be read by
        // the tenant's long index or by the events' own key (occurrences_event_id_starts_at_pk), as the
        // statistics decide; both are index reads (a CI run saw each). Never a scan (above).
        expect(
          [
            "occurrences_public_long_idx",
            "occurrences_tenant_long_idx",
            "occurrences_event_id_starts_at_pk",
          ].filter((i) => indexes.has(i)),
          path,
        ).not.toEqual([]);
      }
      // A search reads each municipality's own search index, one by one (the two small
      // neighbours here have no events: the planner may read them by their tenant index).
      if (path.includes("q=")) expect(indexes, path).toContain(searchIndexOf(DEFAULT_MUNICIPALITY_ID));
    }
    // The statement really took the several-municipality form.
    const page = captured.findLast((c) => c.query.includes("with pg as"));
    expect(page?.query).toMatch(/\(values \(/);
    expect(page?.query).toMatch(/o\.municipality_id = sc\.id/);
  });

  it("a list's and a search's page statements are planned once: the generic plan is kept whatever the dates", async () => {
    // PostgreSQL: one connection, so that its prepared statements (postgres.js names every
    // statement) are the ones pg_prepared_statements shows. PGlite has one session anyway, and
    // prepares the statements queryRows marks (src/runtime/node/pglite-statements.ts).
    const one = onPostgres ? openPostgres(database.url!, { max: 1 }) : database;
    try {
      const app = buildTestApp(one, { clock: fixedClock(SEED_NOW.toISOString()) }).app;
      // Page sizes of their own: statements no other test here has run.
      const paths = [
        "/api/v1/events?limit=47",
        "/api/v1/events?limit=23&municipality=default,naapuri-1,naapuri-2",
        // A word in a few percent of the events: the statement over its matches.
        "/api/v1/events?limit=19&q=konsertti",
        // A common one: the probe walk (src/domain/events/list.ts) fills the page.
        "/api/v1/events?limit=18&q=klaukkala",
      ];
      const runs = 12;
      for (let i = 0; i < runs; i++) {
        // Other dates every time: the statement's text stays, its parameters change.
        const from = new Date(SEED_NOW.getTime() + i * 86_400_000 + i * 1000).toISOString();
        for (const path of paths) expect((await app.request(`${path}&from=${from}`)).status).toBe(200);
      }
      const plans = (
        await queryRows<{ statement: string; generic: number; custom: number }>(
          one.db,
          sql`select statement, generic_plans::int as generic, custom_plans::int as custom
              from pg_prepared_statements where statement like '%with pg as%'`,
        )
      ).filter((p) => /limit (48|24|20|19)\b/.test(p.statement));
      // Each path's statement in two forms: with its events' data, while most of them are new
      // to the list's rendered items, then without (src/http/public/list-items.ts).
      expect(plans.length).toBeGreaterThanOrEqual(paths.length);
      for (const p of plans) {
        // PostgreSQL plans the first five executions for their values, then compares: with
        // `limit $n`, unnest($1) and plain date parameters the generic plan looked dearer and
        // every execution was planned anew, half of the statement's time.
        expect(p.custom, p.statement.slice(0, 300)).toBeLessThanOrEqual(5);
      }
      const executions = plans.reduce((n, p) => n + p.generic + p.custom, 0);
      expect(executions).toBe(runs * paths.length);
      const generic = plans.reduce((n, p) => n + p.generic, 0);
      expect(generic).toBeGreaterThanOrEqual(executions - 5 * plans.length);
    } finally {
      if (one !== database) await one.close();
    }
  });

  it("a walk's time bounds are InitPlans (one plan for every date); a statement over a whole window keeps its dates for the planner", async () => {
    // A one-category feed over a year: the walk (first rows in start order), then the window.
    const statements = await statementsOf("/feeds/events.ics?category=liikunta&to=2027-09-30");
    const walk = statements.find((c) => c.query.includes("with w as"));
    expect(walk?.query).toMatch(/o\.starts_at >= \(select \$\d+::timestamptz\)/);
    // The window grouped: when even a second walk finds too few events (forced here, maxWalk 0).
    const f = await resolveFilter(database.db, visibleTo({ visible: [DEFAULT_MUNICIPALITY_ID] }), {
      from: SEED_NOW,
      categories: ["liikunta"],
    });
    captured.length = 0;
    await feedEventIds(database.db, f, { from: SEED_NOW, to: new Date("2027-09-30T00:00:00Z") }, 700, 2, 0);
    const window = captured.find((c) => c.query.startsWith("select m.event_id from"));
    // Sized by its dates: with InitPlans the planner took a year of a category for 26 rows
    // and sorted and grouped them (20 -> 30 ms at 10,000 events).
    expect(window?.query).toMatch(/o\.starts_at >= \$\d+::timestamptz/);
    expect(window?.query).not.toMatch(/\(select \$\d+::timestamptz\)/);
  });

  it("the duplicate check finds overlapping occurrences by the place's indexes, then reads events by key", async () => {
    // An index-only scan needs the visibility map (autovacuum keeps it; set it here).
    await database.db.execute(sql`vacuum occurrences`);
    const [src] = await queryRows<{ id: string; place_id: string }>(
      database.db,
      sql`select e.id, e.place_id from events e where e.place_id is not null and e.rrule is not null
          and e.state = 'published' order by e.id limit 1`,
    );
    captured.length = 0;
    await findDuplicatesMany(
      database.db,
      [{ id: src!.id, placeId: src!.place_id, title: { fi: "x" } }],
      "staff",
    );
    const check = captured.find((c) => c.query.includes("source_id"));
    expect(check, "the duplicate check was captured").toBeDefined();
    const plan = await explainNodes(check!.query, check!.params);
    const indexes = plan.map((n) => n["Index Name"]);
    // The place's short occurrences by their start, index-only (migration 0019), then the few
    // overlapping events by key.
    const atPlace = plan.filter((n) => n["Index Name"] === "occurrences_place_start_idx");
    expect(atPlace.map((n) => n["Node Type"])).toContain("Index Only Scan");
    expect(indexes).toContain("occurrences_place_long_idx");
    expect(indexes).toContain("events_pkey");
    // Not every event at the place (the plan before migration 0014 read them all).
    expect(indexes).not.toContain("events_place_idx");
    expect(plan.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"])).toEqual([]);
  });

  it("a new municipality gets its own search index, in the same transaction that creates it", async () => {
    const slug = `uusi-${Date.now().toString(36)}`;
    const [m] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into municipalities (slug, name) values (${slug}, '{"fi":"Uusi"}'::jsonb) returning id`,
    );
    const [idx] = await queryRows<{ def: string }>(
      database.db,
      sql`select indexdef as def from pg_indexes where tablename = 'events' and indexname = ${searchIndexOf(m!.id)}`,
    );
    expect(idx?.def).toMatch(/USING gin \(search_vector\)/);
    expect(idx?.def).toContain(m!.id);
    const region = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pg_indexes where tablename = 'events' and indexdef ilike '%using gin%' and indexdef not ilike '%where%'`,
    );
    expect(Number(region[0]?.n), "no region-wide search index is left").toBe(0);
  });

  it("an occurrence is public exactly when its event is published and not deleted, through every change", async () => {
    const mismatches = () =>
      queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from occurrences o join events e on e.id = o.event_id
            where o.public is distinct from (e.state = 'published' and e.deleted_at is null)`,
      ).then(([r]) => Number(r?.n));
    expect(await mismatches()).toBe(0);
    const [ev] = await queryRows<{ id: string }>(
      database.db,
      sql`select e.id from events e where e.state = 'published' and e.deleted_at is null
            and (select count(*) from occurrences o where o.event_id = e.id) > 1 limit 1`,
    );
    const publicCount = () =>
      queryRows<{ n: number }>(
        database.db,
        sql`select count(*) filter (where public)::int as n from occurrences where event_id = ${ev!.id}::uuid`,
      ).then(([r]) => Number(r?.n));
    const all = Number(
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from occurrences where event_id = ${ev!.id}::uuid`,
        )
      )[0]?.n,
    );
    expect(await publicCount()).toBe(all);
    await database.db.execute(sql`update events set deleted_at = now() where id = ${ev!.id}::uuid`);
    expect(await publicCount()).toBe(0);
    await database.db.execute(sql`update events set deleted_at = null where id = ${ev!.id}::uuid`);
    expect(await publicCount()).toBe(all);
    await database.db.execute(sql`update events set state = 'draft' where id = ${ev!.id}::uuid`);
    expect(await publicCount()).toBe(0);
    // A new occurrence of a non-public event is not public; once published, all of them are.
    await database.db.execute(
      sql`insert into occurrences (municipality_id, event_id, starts_at, ends_at)
          select municipality_id, id, '2031-01-01T10:00:00Z', '2031-01-01T12:00:00Z' from events where id = ${ev!.id}::uuid`,
    );
    expect(await publicCount()).toBe(0);
    await database.db.execute(sql`update events set state = 'published' where id = ${ev!.id}::uuid`);
    expect(await publicCount()).toBe(all + 1);
    await database.db.execute(
      sql`insert into occurrences (municipality_id, event_id, starts_at, ends_at)
          select municipality_id, id, '2031-01-08T10:00:00Z', '2031-01-08T12:00:00Z' from events where id = ${ev!.id}::uuid`,
    );
    expect(await publicCount()).toBe(all + 2);
    await database.db.execute(
      sql`delete from occurrences where event_id = ${ev!.id}::uuid and starts_at >= '2031-01-01'`,
    );
    expect(await mismatches()).toBe(0);
  });

  it("the start-order walk of lists and feeds reads each occurrence's end from the index, and the long-running branch its start (index-only, migrations 0016, 0018)", async () => {
    // An index-only scan needs the visibility map, which autovacuum keeps; set it here.
    await database.db.execute(sql`vacuum occurrences`);
    for (const [path, marker] of [
      ["/api/v1/events?limit=20", "with pg as"],
      ["/feeds/events.ics?category=liikunta", "with w as"],
    ] as const) {
      captured.length = 0;
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
      const walk = captured.findLast((c) => c.query.includes(marker));
      expect(walk, path).toBeDefined();
      const plan = await explainNodes(walk!.query, walk!.params);
      const reads = plan.filter((n) => n["Index Name"] === "occurrences_public_start_idx");
      expect(reads.length, path).toBeGreaterThan(0);
      expect(
        reads.map((n) => n["Node Type"]),
        path,
      ).toContain("Index Only Scan");
      // The list's long-running branch: public ones by their end, with the start and the event
      // in the index (0018). (A category feed joins the events for its filter.)
      if (marker === "with pg as") {
        const long = plan.filter((n) => n["Index Name"] === "occurrences_public_long_idx");
        expect(long.map((n) => n["Node Type"])).toContain("Index Only Scan");
      }
    }
  });

  it("the RSS feed walks each municipality's newest published events by their index, not a sort of all (migration 0017)", async () => {
    const newest = (await statementsOf("/feeds/events.rss")).findLast((c) =>
      c.query.includes("published_at desc nulls last"),
    );
    expect(newest).toBeDefined();
    const plan = await explainNodes(newest!.query, newest!.params);
    expect(plan.map((n) => n["Index Name"])).toContain("events_tenant_published_idx");
    expect(plan.filter((n) => n["Relation Name"] === "events").map((n) => n["Node Type"])).not.toContain(
      "Seq Scan",
    );
  });
});
