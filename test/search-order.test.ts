/**
 * A search in start order (q without sort=relevance) picks one of three plans by how many
 * events match: when statistics say a word is very common it probes the start index's rows
 * one by one until the page is full; otherwise it reads the matches first, then walks the
 * start index keeping their occurrences when many match, or reads just their occurrences when
 * few do. Whichever runs, the pages (cursors included) must be exactly the matching
 * occurrences in start order, as a plain query over all of them gives.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { DEFAULT_MUNICIPALITY_ID } from "../src/db/schema.ts";
import { probeRows } from "../src/domain/events/list.ts";
import {
  estimateSearch,
  searchQuery,
  searchQueryOfConfigs,
  searchTerms,
} from "../src/domain/events/search.ts";
import { visibleTo } from "../src/domain/tenants.ts";
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
          and e.search_vector @@ ${searchQueryOfConfigs(searchTerms(q))}
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
        where search_vector @@ ${searchQueryOfConfigs(searchTerms(q))} and state = 'published' and deleted_at is null`,
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

const WORDS = [
  "nurmijärvi",
  "klaukkala",
  "konsertti",
  "kirjasto",
  "museo",
  "kahvakuula",
  "tanssi kuoro",
  "harvinaistasana",
];

describe(`search in start order (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("covers every plan: the probe walk, and the matches first with many and with few of them", async () => {
    const counts = await Promise.all(WORDS.map(matchingEvents));
    const scope = visibleTo({ visible: [DEFAULT_MUNICIPALITY_ID] });
    const probed = await Promise.all(
      WORDS.map(async (w) => probeRows(10, await estimateSearch(database.db, scope, searchTerms(w)))),
    );
    expect(probed.some((rows) => rows > 0)).toBe(true);
    const matchesFirst = counts.filter((_, i) => probed[i] === 0);
    // Same threshold as WALK_WHEN_EVENTS_PER_MATCH in src/domain/events/list.ts.
    expect(matchesFirst.some((n) => n * 64 >= eventsEstimate)).toBe(true);
    expect(matchesFirst.some((n) => n > 0 && n * 64 < eventsEstimate)).toBe(true);
  });

  it("probes only words the statistics call common, as far as four times the rows it expects", async () => {
    // Without statistics of the search documents: the probe as before ANALYZE ever ran.
    expect(probeRows(21, { events: 1000, share: undefined })).toBe(1050);
    // A word no listed one matches, or too rare for the probe to be cheaper than its matches.
    expect(probeRows(21, { events: 100_000, share: 0 })).toBe(0);
    expect(probeRows(21, { events: 10_000, share: 0.045 })).toBe(0);
    expect(probeRows(21, { events: Number.POSITIVE_INFINITY, share: 0.5 })).toBeGreaterThan(0);
    // 4 × 21 rows × 3 rows walked per match / 6 %.
    expect(probeRows(21, { events: 100_000, share: 0.045 })).toBe(0);
    expect(probeRows(21, { events: 100_000, share: 0.06 })).toBe(4200);
    expect(probeRows(21, { events: 100_000, share: 0.9 })).toBe(280);
    expect(probeRows(5, { events: 100_000, share: 0.99 })).toBe(200);
    // The estimate of this data: a village's name is common, a made-up word is not listed.
    const scope = visibleTo({ visible: [DEFAULT_MUNICIPALITY_ID] });
    const village = await estimateSearch(database.db, scope, ["nurmijärvi"]);
    expect(village.share).toBeGreaterThan(0.2);
    expect(village.events).toBeCloseTo(eventsEstimate, -1);
    expect((await estimateSearch(database.db, scope, ["harvinaistasana"])).share).toBe(0);
    // Two words: their shares multiply.
    const both = await estimateSearch(database.db, scope, ["nurmijärvi", "konsertti"]);
    const konsertti = await estimateSearch(database.db, scope, ["konsertti"]);
    expect(both.share).toBeCloseTo((village.share ?? 0) * (konsertti.share ?? 0), 6);
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

describe(`the search query with distinct prefixes (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  const idsMatching = async (query: ReturnType<typeof searchQuery>) =>
    (
      await queryRows<{ id: string }>(
        database.db,
        sql`select id from events where search_vector @@ ${query} order by id`,
      )
    ).map((r) => r.id);

  it("is one prefix where the configurations' stems start alike", async () => {
    const [row] = await queryRows<{ q: string; full: string }>(
      database.db,
      sql`select (${searchQuery(["konsertti"])})::text as q, (${searchQueryOfConfigs(["konsertti"])})::text as full`,
    );
    expect(row?.q).toBe("'konsert':*");
    expect(row?.full).toBe("'konsert':* | 'konsertti':* | 'konsertti':* | 'konsertti':*");
  });

  it("matches exactly the events the four configurations' query matches", async () => {
    const inputs = [
      ...WORDS,
      "konserter",
      "concerts",
      "ja",
      "och",
      "the",
      "2026",
      "5g",
      "kesäjuh",
      "jooga lapsille",
      "a",
      "kirjastonhoitaja",
      "åbo",
      "nurmijärven kirjasto",
    ];
    for (const input of inputs) {
      const terms = searchTerms(input);
      const want = await idsMatching(searchQueryOfConfigs(terms));
      expect(await idsMatching(searchQuery(terms)), input).toEqual(want);
    }
  });
});
