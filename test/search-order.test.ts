/**
 * A search in start order (q without sort=relevance) picks one of two plans by how many
 * events match: it walks the start index when many do, and reads the matches'
 * occurrences when few do. Whichever runs, the pages (cursors included) must be exactly
 * the matching occurrences in start order, as a plain query over all of them gives.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { searchQuery, searchTerms } from "../src/domain/events/search.ts";
import type { ListPage } from "./helpers/api-types.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import { onPostgres, type TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
let eventsEstimate = 0;

beforeAll(async () => {
  database = await createSeededDatabase(1000);
  // The plan choice compares the matches with the table's row estimate, which ANALYZE sets.
  await database.db.execute(sql`analyze`);
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select reltuples::float8 as n from pg_class where oid = 'events'::regclass`,
  );
  eventsEstimate = Number(row?.n);
  t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
}, 120_000);
afterAll(async () => {
  await database.close();
});

/** Every matching occurrence's event id in start order: the semantics, without any plan. */
async function expected(q: string, from: Date, to?: Date): Promise<string[]> {
  const rows = await queryRows<{ event_id: string }>(
    database.db,
    sql`select o.event_id from occurrences o join events e on e.id = o.event_id
        where e.state = 'published' and e.deleted_at is null
          and e.search_vector @@ ${searchQuery(searchTerms(q))}
          and o.ends_at > ${from.toISOString()}::timestamptz
          ${to ? sql`and o.starts_at < ${to.toISOString()}::timestamptz` : sql``}
        order by o.starts_at, o.event_id`,
  );
  return rows.map((r) => r.event_id);
}

async function matchingEvents(q: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from events
        where search_vector @@ ${searchQuery(searchTerms(q))} and state = 'published' and deleted_at is null`,
  );
  return Number(row?.n);
}

/** Follows `next` from the first page, collecting the event ids of at most `maxPages` pages. */
async function pages(path: string, maxPages: number): Promise<string[]> {
  const ids: string[] = [];
  let url: string | null = path;
  for (let i = 0; url && i < maxPages; i++) {
    const res: Response = await t.app.request(url);
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await res.json()) as ListPage;
    ids.push(...page.data.map((d) => d.event_id));
    url = page.next ? page.next.replace(/^https?:\/\/[^/]+/, "") : null;
  }
  return ids;
}

const WORDS = ["konsertti", "kirjasto", "museo", "kahvakuula", "tanssi kuoro", "harvinaistasana"];

describe(`search in start order (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("covers both plans: words matching many events and words matching few", async () => {
    const counts = await Promise.all(WORDS.map(matchingEvents));
    // Same threshold as WALK_WHEN_EVENTS_PER_MATCH in src/domain/events/list.ts.
    expect(counts.some((n) => n * 64 >= eventsEstimate)).toBe(true);
    expect(counts.some((n) => n > 0 && n * 64 < eventsEstimate)).toBe(true);
  });

  for (const word of WORDS) {
    it(`"${word}": the pages are the matching occurrences in start order`, async () => {
      const q = encodeURIComponent(word);
      const from = new Date(SEED_NOW.getTime() - 40 * 86_400_000);
      const to = new Date(SEED_NOW.getTime() + 60 * 86_400_000);
      const limit = 9;
      const cases: [string, Date, Date | undefined][] = [
        [`/api/v1/events?limit=${limit}&q=${q}`, SEED_NOW, undefined],
        [`/api/v1/events?limit=${limit}&q=${q}&from=${from.toISOString()}`, from, undefined],
        [
          `/api/v1/events?limit=${limit}&q=${q}&from=${SEED_NOW.toISOString()}&to=${to.toISOString()}`,
          SEED_NOW,
          to,
        ],
      ];
      for (const [path, f, tEnd] of cases) {
        const want = (await expected(word, f, tEnd)).slice(0, limit * 6);
        const got = await pages(path, 6);
        expect(got).toEqual(want);
      }
    });
  }
});
