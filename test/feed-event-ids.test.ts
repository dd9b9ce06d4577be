/**
 * A feed's events are found by walking occurrences in start order and stopping once the
 * prefix holds enough events (src/feeds/feed-events.ts); this compares it with grouping
 * the whole window, for many limits, windows and filters, in a region of municipalities.
 */
import { sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { resolveFilter } from "../src/domain/events/filter.ts";
import { scopeEventsEstimate } from "../src/domain/events/search.ts";
import { visibleTo } from "../src/domain/tenants.ts";
import { feedEventIds } from "../src/feeds/feed-events.ts";
import { defaultWindow, MAX_FEED_EVENTS } from "../src/feeds/feed-service.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

let database: TestDatabase;
let all: string[];
const statements: string[] = [];

beforeAll(async () => {
  database = await createSeededDatabase(1500, { region: true, onQuery: (q) => statements.push(q) });
  all = (await queryRows<{ id: string }>(database.db, sql`select id from municipalities order by slug`)).map(
    (r) => r.id,
  );
}, 240_000);
afterAll(() => database?.close());

/** Every public event with an occurrence in the window, by its first one there: the plain way. */
async function reference(ids: string[], from: Date, to: Date, category?: string) {
  const rows = await queryRows<{ id: string }>(
    database.db,
    sql`select o.event_id as id from occurrences o join events e on e.id = o.event_id
        where o.municipality_id = any(${`{${ids.join(",")}}`}::uuid[]) and e.state = 'published' and e.deleted_at is null
          and o.ends_at > ${from.toISOString()}::timestamptz and o.starts_at < ${to.toISOString()}::timestamptz
          ${category ? sql`and exists (select 1 from event_categories ec join categories c on c.id = ec.category_id where ec.event_id = e.id and c.slug = ${category})` : sql``}
        group by o.event_id order by min(o.starts_at), o.event_id`,
  );
  return rows.map((r) => r.id);
}

describe("feed event ids: the start-order walk equals grouping the whole window", () => {
  const day = 86_400_000;
  const cases: [string, number, number, string | undefined][] = [
    // [scope, window days, limit, category]
    ["one", 365, 700, undefined],
    ["one", 365, 1, undefined],
    ["one", 365, 3, undefined],
    ["one", 30, 40, undefined],
    ["one", 365, 5000, undefined],
    ["all", 365, 700, undefined],
    ["all", 120, 25, undefined],
    ["all", 365, 10, "liikunta"],
    ["one", 7, 2, undefined],
  ];
  for (const [scopeKind, days, limit, category] of cases) {
    it(`${scopeKind} municipality, ${days} days, limit ${limit}${category ? `, category ${category}` : ""}`, async () => {
      const ids = scopeKind === "one" ? [all.find((id) => id.startsWith("00000000")) as string] : all;
      const from = new Date(SEED_NOW.getTime() + 3 * day);
      const to = new Date(from.getTime() + days * day);
      const f = await resolveFilter(database.db, visibleTo({ visible: ids }), {
        from,
        ...(category ? { categories: [category] } : {}),
      });
      const expected = await reference(ids, from, to, category);
      expect(expected.length, "the case has events").toBeGreaterThan(0);
      // 2 rows per event (the default); 1, too few, so the walk walks again; and 1 with no
      // second walk allowed, so it falls back to grouping the window.
      for (const [rowsPerEvent, maxWalk] of [
        [2, undefined],
        [1, undefined],
        [1, 0],
      ] as const) {
        const got = await feedEventIds(database.db, f, { from, to }, limit, rowsPerEvent, maxWalk);
        const how = `${rowsPerEvent} rows per event, ${maxWalk ?? "default"} at most`;
        expect(got.ids, how).toEqual(expected.slice(0, limit));
        expect(got.more, how).toBe(expected.length > limit);
      }
    });
  }
});

describe("a category of weekly series", () => {
  it("walks again, further, instead of grouping the whole window", async () => {
    const from = new Date(SEED_NOW.getTime() + 3 * 86_400_000);
    const to = new Date(from.getTime() + 365 * 86_400_000);
    const f = await resolveFilter(database.db, visibleTo({ visible: all }), {
      from,
      categories: ["liikunta"],
    });
    const expected = await reference(all, from, to, "liikunta");
    const walks = (q: string) => q.includes("with w as");
    const grouped = (q: string) => q.startsWith("select m.event_id from");
    let walkedAgain = 0;
    for (const limit of [5, 20, 60, 150]) {
      statements.length = 0;
      const got = await feedEventIds(database.db, f, { from, to }, limit);
      expect(got.ids, `limit ${limit}`).toEqual(expected.slice(0, limit));
      expect(statements.filter(grouped), `limit ${limit}`).toHaveLength(0);
      if (statements.filter(walks).length > 1) walkedAgain++;
    }
    // Weekly series: two rows per event held too few events at least once.
    expect(walkedAgain).toBeGreaterThan(0);
  });
});

describe("a cut feed over HTTP", () => {
  it("holds the soonest 700 events, says more match, and links to narrower feeds", async () => {
    const t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
    const res = await t.app.request("/feeds/events.ics?municipality=all&lang=en");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-feed-truncated")).toBe("true");
    expect(res.headers.get("link")).toMatch(/\/feeds\/categories\/[\w-]+\.ics>; rel="alternate"/);
    const root = new ICAL.Component(ICAL.parse(await res.text()));
    const uids = root
      .getAllSubcomponents("vevent")
      .map((v) => String(v.getFirstPropertyValue("uid")).split("@")[0]);
    const window = defaultWindow(SEED_NOW, "Europe/Helsinki");
    const matched = await reference(all, window.from, window.to);
    expect(matched.length).toBeGreaterThan(MAX_FEED_EVENTS);
    expect(new Set(uids)).toEqual(new Set(matched.slice(0, MAX_FEED_EVENTS)));
    // X-WR-CALDESC is not a property ical.js knows: its TEXT escapes stay.
    const caldesc = String(root.getFirstPropertyValue("x-wr-caldesc")).replace(/\\([,;\\])/g, "$1");
    expect(caldesc).toContain(`This feed shows the ${MAX_FEED_EVENTS} soonest events, and more match.`);
    // A feed that holds every match says nothing of the kind.
    const whole = await t.app.request("/feeds/events.ics?lang=en&to=2026-10-10");
    expect(whole.headers.get("x-feed-truncated")).toBeNull();
    expect(await whole.text()).not.toContain("more match");
  });
});

describe("a search decides to walk by its scope's events, not the region's", () => {
  it("estimates each municipality's events from the statistics, within a third of the count", async () => {
    const counts = await queryRows<{ id: string; n: number }>(
      database.db,
      sql`select municipality_id as id, count(*)::int as n from events group by 1 order by 2`,
    );
    const total = counts.reduce((n, c) => n + Number(c.n), 0);
    const small = counts[0]!;
    expect(Number(small.n) * 3, "the region has a small municipality").toBeLessThan(total);
    for (const c of counts) {
      const [row] = await queryRows<{ e: number }>(
        database.db,
        sql`select ${scopeEventsEstimate(visibleTo({ visible: [c.id] }))} as e`,
      );
      const estimate = Number(row?.e);
      expect(estimate, c.id).toBeGreaterThan(Number(c.n) * 0.67);
      expect(estimate, c.id).toBeLessThan(Number(c.n) * 1.33);
    }
  });
});
