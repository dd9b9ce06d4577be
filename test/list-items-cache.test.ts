/**
 * The event list's items are joined from events' parts rendered before, found by the event's
 * fingerprint (src/http/public/list-items.ts): the JSON must be the same as rendered afresh
 * whatever mix of hits and misses, valid against the documented schema, and any change to what
 * an item shows — by whatever path — must render its event again.
 */
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFingerprintCache } from "../src/cache/fingerprint-cache.ts";
import { EventListItem } from "../src/contract/api/public.ts";
import type { Locale } from "../src/contract/codes.ts";
import type { Tenant } from "../src/domain/context.ts";
import { resolveFilter } from "../src/domain/events/filter.ts";
import { listOccurrences, type OccurrenceRef } from "../src/domain/events/list.ts";
import { visibleTo } from "../src/domain/tenants.ts";
import { listItemsJson, renderShare } from "../src/http/public/list-items.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { type FeedFixtures, insertFeedFixtures } from "./helpers/feed-fixtures.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";
import { DEFAULT_TENANT } from "./helpers/tenant.ts";

const INSTALL = "https://kalenteri.example";
const scope = visibleTo(DEFAULT_TENANT);

let database: TestDatabase;
let fx: FeedFixtures;
beforeAll(async () => {
  database = await createSeededDatabase();
  fx = await insertFeedFixtures(database.db);
});
afterAll(async () => {
  await database.close();
});

async function page(limit = 40, input: { q?: string } = {}): Promise<OccurrenceRef[]> {
  const f = await resolveFilter(database.db, scope, { from: SEED_NOW, ...input });
  return (await listOccurrences(database.db, f, { limit })).items;
}

const items = (
  refs: readonly OccurrenceRef[],
  lang: Locale,
  cache?: ReturnType<typeof createFingerprintCache>,
  site: Pick<Tenant, "id" | "baseUrl"> = DEFAULT_TENANT,
) => listItemsJson(database.db, scope, refs, lang, INSTALL, site, cache).then((r) => r.items);

describe("list items from rendered parts", () => {
  it("are the same JSON as rendered afresh, for any mix of hits and misses, language and site", async () => {
    const refs = await page(40);
    expect(refs.length).toBe(40);
    const cache = createFingerprintCache(1_000_000);
    for (const lang of ["fi", "sv", "en"] as const) {
      const fresh = await items(refs, lang);
      expect(fresh.length).toBe(40);
      for (const item of fresh) {
        const parsed = EventListItem.safeParse(JSON.parse(item));
        expect(parsed.success, item).toBe(true);
      }
      // The documented order of fields, start and end after the texts.
      expect(Object.keys(JSON.parse(fresh[0] as string)).slice(0, 6)).toEqual(
        expect.arrayContaining(["event_id", "title", "start", "end", "all_day"]),
      );
      expect(await items(refs.slice(10, 20), lang, cache)).toEqual(fresh.slice(10, 20));
      const { hits } = cache.stats;
      expect(await items(refs, lang, cache)).toEqual(fresh);
      const repeats = new Set(refs.slice(10, 20).map((r) => r.eventId)).size;
      expect(cache.stats.hits - hits).toBeGreaterThanOrEqual(repeats);
      const all = cache.stats.hits;
      expect(await items(refs, lang, cache)).toEqual(fresh);
      expect(cache.stats.hits - all).toBe(new Set(refs.map((r) => r.eventId)).size);
    }
    // Another site (its own base URL) gets its own parts: the URLs and own_site differ.
    const other = { id: "00000000-0000-4000-8000-00000000abcd", baseUrl: "https://naapuri.example" };
    const forOther = await items(refs, "fi", cache, other);
    expect(forOther).toEqual(await items(refs, "fi", undefined, other));
    expect(JSON.parse(forOther[0] as string).municipality.own_site).toBe(false);
  });

  it("each occurrence of a series has its own start and end around the event's one part", async () => {
    const f = await resolveFilter(database.db, scope, {
      from: new Date("2026-10-13T00:00:00Z"),
      to: new Date("2026-11-25T00:00:00Z"),
    });
    const refs: OccurrenceRef[] = [];
    let cursor: string | undefined;
    do {
      const p = await listOccurrences(database.db, f, { limit: 100, cursor });
      refs.push(...p.items.filter((r) => r.eventId === fx.weekly));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(refs.length).toBeGreaterThan(2);
    const cache = createFingerprintCache(1_000_000);
    const out = (await items(refs, "fi", cache)).map((s) => JSON.parse(s) as { start: string; end: string });
    expect(cache.stats.entries).toBe(1);
    expect(new Set(out.map((o) => o.start)).size).toBe(refs.length);
    expect(out.map((o) => o.start)).toEqual(
      refs.map((r) => r.startsAt.toISOString()).map((iso) => expect.stringContaining(iso.slice(0, 10))),
    );
  });

  it("renders an event again after any change to what its item shows, by whatever path", async () => {
    const refsOf = async () => (await page(200)).filter((r) => r.eventId === fx.weekly).slice(0, 1);
    const cache = createFingerprintCache(1_000_000);
    let [before] = await refsOf();
    if (!before) throw new Error("fixture missing from the page");
    await items([before], "fi", cache);
    const of = (column: string) => sql.raw(`(select ${column} from events where id = '${fx.weekly}')`);
    // Operators' SQL, not the API: nothing but the rows themselves tells that they changed.
    const edits: [string, SQL, RegExp][] = [
      [
        "the event's title",
        sql`update events set title = '{"fi":"Uusi nimi"}' where id = ${fx.weekly}`,
        /Uusi nimi/,
      ],
      [
        "its place's name",
        sql`update places set name = '{"fi":"Uusi paikka"}' where id = ${of("place_id")}`,
        /Uusi paikka/,
      ],
      [
        "its organisation's name",
        sql`update organisations set name = 'Uusi seura' where id = ${of("organisation_id")}`,
        /Uusi seura/,
      ],
      [
        "its category's name",
        sql`update categories set name = '{"fi":"Uusi luokka"}'
            where id in (select category_id from event_categories where event_id = ${fx.weekly})`,
        /Uusi luokka/,
      ],
      [
        "its categories",
        sql`insert into event_categories (event_id, category_id)
            select ${fx.weekly}, id from categories where slug = 'liikunta'`,
        /"slug":"liikunta"/,
      ],
      [
        "its municipality",
        sql`update municipalities set public_url = 'https://uusi.example' where id = ${of("municipality_id")}`,
        /https:\/\/uusi\.example\/tapahtumat\//,
      ],
    ];
    for (const [what, edit, shows] of edits) {
      await database.db.execute(edit);
      const [after] = await refsOf();
      if (!after) throw new Error(`${what}: the event left the page`);
      expect(after.fingerprint, what).not.toBe(before.fingerprint);
      const { misses } = cache.stats;
      const [item] = await items([after], "fi", cache);
      expect(cache.stats.misses, what).toBe(misses + 1);
      expect(item, what).toMatch(shows);
      expect(item, what).toBe((await items([after], "fi"))[0]);
      // Unchanged since: the part rendered once is reused.
      const { hits } = cache.stats;
      expect((await items([after], "fi", cache))[0], what).toBe(item);
      expect(cache.stats.hits, what).toBe(hits + 1);
      before = after;
    }
    // A write to another event leaves this one's fingerprint alone.
    await database.db.execute(sql`update events set title = '{"fi":"Toinen"}' where id = ${fx.allDay}`);
    expect((await refsOf())[0]?.fingerprint).toBe(before.fingerprint);
  });

  it("leaves out an event that stopped being public after its page was read", async () => {
    const refs = await page(10);
    const gone = refs[0] as OccurrenceRef;
    await database.db.execute(sql`update events set state = 'draft' where id = ${gone.eventId}`);
    const out = (await items(refs, "fi")).map((s) => JSON.parse(s).event_id as string);
    expect(out).not.toContain(gone.eventId);
    expect(out.length).toBe(refs.filter((r) => r.eventId !== gone.eventId).length);
  });

  it("stays within its budget", async () => {
    const cache = createFingerprintCache(8_000);
    for (const lang of ["fi", "sv", "en"] as const) await items(await page(30), lang, cache);
    expect(cache.stats.chars).toBeLessThanOrEqual(8_000);
    expect(cache.stats.entries).toBeGreaterThan(0);
  });

  it("a page read with its events (one statement) gives the same items and page", async () => {
    const f = await resolveFilter(database.db, scope, { from: SEED_NOW });
    const short = await listOccurrences(database.db, f, { limit: 30 });
    const wide = await listOccurrences(database.db, f, { limit: 30, withEvents: true });
    expect(short.events).toBeUndefined();
    expect(wide.items).toEqual(short.items);
    expect(wide.nextCursor).toBe(short.nextCursor);
    expect(wide.events?.size).toBe(new Set(short.items.map((r) => r.eventId)).size);
    for (const [id, ev] of wide.events ?? []) {
      expect(ev.fingerprint).toBe(short.items.find((r) => r.eventId === id)?.fingerprint);
    }
    const cache = createFingerprintCache(1_000_000);
    const fromWide = await listItemsJson(
      database.db,
      scope,
      wide.items,
      "sv",
      INSTALL,
      DEFAULT_TENANT,
      cache,
      wide.events,
    );
    expect(fromWide.items).toEqual(await items(short.items, "sv"));
    expect(fromWide.rendered).toBe(wide.events?.size);
    const again = await listItemsJson(database.db, scope, short.items, "sv", INSTALL, DEFAULT_TENANT, cache);
    expect(again.rendered).toBe(0);
    expect(again.items).toEqual(fromWide.items);
    // A search in start order (the probe walk) reads its events too.
    const s = await resolveFilter(database.db, scope, { from: SEED_NOW, q: "konsertti" });
    const probed = await listOccurrences(database.db, s, { limit: 5, withEvents: true });
    expect(probed.items.length).toBeGreaterThan(0);
    expect([...(probed.events?.keys() ?? [])].sort()).toEqual(
      [...new Set(probed.items.map((r) => r.eventId))].sort(),
    );
  });
});

describe("the choice of one statement or two", () => {
  it("reads the events with the page while most had to be rendered anew, and not once most are kept", () => {
    const share = renderShare();
    expect(share.wantEvents()).toBe(true);
    for (let i = 0; i < 30; i++) share.note(1, 50);
    expect(share.wantEvents()).toBe(false);
    for (let i = 0; i < 30; i++) share.note(45, 50);
    expect(share.wantEvents()).toBe(true);
    share.note(0, 0);
    expect(share.wantEvents()).toBe(true);
  });
});
