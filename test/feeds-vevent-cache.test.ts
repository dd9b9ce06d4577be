/**
 * Rendered VEVENTs are reused across feed builds (src/feeds/ical.ts VeventCache): the
 * output must stay byte-identical to a build without the cache, whatever mix of hits
 * and misses, and any change to an event's data must render it again.
 */
import { type SQL, sql } from "drizzle-orm";
import { foldLines } from "ical-generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleTo } from "../src/domain/tenants.ts";
import { feedEventStubs, loadFeedEvents } from "../src/feeds/feed-events.ts";
import { buildIcal, createVeventCache } from "../src/feeds/ical.ts";
import type { FeedMeta } from "../src/feeds/types.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { type FeedFixtures, insertFeedFixtures } from "./helpers/feed-fixtures.ts";
import { createSeededDatabase } from "./helpers/seeded.ts";
import { DEFAULT_TENANT } from "./helpers/tenant.ts";

const SITE = { id: DEFAULT_TENANT.id, installUrl: "https://kalenteri.example" };

let database: TestDatabase;
let fx: FeedFixtures;
beforeAll(async () => {
  database = await createSeededDatabase();
  fx = await insertFeedFixtures(database.db);
});
afterAll(async () => {
  await database.close();
});

const meta = (lang: FeedMeta["lang"]): FeedMeta => ({
  lang,
  publicUrl: "https://kalenteri.example",
  siteName: "Nurmijärvi",
  name: "Nurmijärvi – testi",
  selfUrl: `https://kalenteri.example/feeds/events.ics?lang=${lang}`,
});

describe("VEVENT cache", () => {
  it("builds byte-identical feeds from cached components, for any subset and language", async () => {
    const ids = [fx.allDay, fx.multiDay, fx.multiDayTimed, fx.weekly, fx.cancelled, fx.injection];
    const events = await loadFeedEvents(database.db, visibleTo(DEFAULT_TENANT), ids, SITE);
    expect(events.length).toBeGreaterThan(3);
    const cache = createVeventCache();
    for (const lang of ["fi", "sv", "en"] as const) {
      const whole = buildIcal(events, meta(lang));
      // Long lines are folded (the cache keeps components folded: the result must not change).
      expect(whole).toMatch(/\r\n [^\r]/);
      expect(whole.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      // Exactly as ical-generator folds a whole calendar.
      expect(`${foldLines(whole.replace(/\r\n /g, "").replace(/\r\n$/, ""))}\r\n`).toBe(whole);
      expect(buildIcal(events.slice(0, 2), meta(lang), cache)).toBe(
        buildIcal(events.slice(0, 2), meta(lang)),
      );
      const hits = cache.stats.hits;
      // Two cached, the rest new; then all cached.
      expect(buildIcal(events, meta(lang), cache)).toBe(whole);
      expect(cache.stats.hits).toBe(hits + 2);
      expect(buildIcal([...events].reverse(), meta(lang), cache)).toBe(whole);
      expect(cache.stats.hits).toBe(hits + 2 + events.length);
    }
  });

  it("renders an event again after any change to its data, by whatever path, and reuses it until then", async () => {
    const scope = visibleTo(DEFAULT_TENANT);
    const load = async () => {
      const [event] = await loadFeedEvents(database.db, scope, [fx.weekly], SITE);
      if (!event?.fingerprint) throw new Error("fixture missing");
      return event;
    };
    const stubPrint = async () => (await feedEventStubs(database.db, scope, [fx.weekly]))[0]?.fingerprint;
    const cache = createVeventCache();
    let before = await load();
    expect(await stubPrint()).toBe(before.fingerprint);
    buildIcal([before], meta("fi"), cache);
    const of = (column: string) => sql.raw(`(select ${column} from events where id = '${fx.weekly}')`);
    // Operators' SQL, not the API: nothing but the rows themselves tells that they changed.
    const edits: [string, SQL][] = [
      [
        "the event's dates",
        sql`update events set exdates = exdates || '2030-01-01'::date where id = ${fx.weekly}`,
      ],
      ["its place's name", sql`update places set name = '{"fi":"Uusi paikka"}' where id = ${of("place_id")}`],
      [
        "its organisation's name",
        sql`update organisations set name = 'Uusi seura' where id = ${of("organisation_id")}`,
      ],
      [
        "its category's name",
        sql`update categories set name = '{"fi":"Uusi luokka"}'
            where id in (select category_id from event_categories where event_id = ${fx.weekly})`,
      ],
      [
        "its categories",
        sql`insert into event_categories (event_id, category_id)
            select ${fx.weekly}, id from categories where slug = 'liikunta'`,
      ],
      [
        "its municipality",
        sql`update municipalities set public_url = 'https://uusi.example' where id = ${of("municipality_id")}`,
      ],
    ];
    for (const [what, edit] of edits) {
      await database.db.execute(edit);
      const after = await load();
      expect(after.fingerprint, what).not.toBe(before.fingerprint);
      expect(await stubPrint(), what).toBe(after.fingerprint);
      const fresh = buildIcal([after], meta("fi"));
      const { hits, misses } = cache.stats;
      expect(buildIcal([after], meta("fi"), cache), what).toBe(fresh);
      expect(cache.stats.misses, what).toBe(misses + 1);
      // Unchanged since: the component rendered once is reused.
      expect(buildIcal([await load()], meta("fi"), cache), what).toBe(fresh);
      expect(cache.stats.hits, what).toBe(hits + 1);
      before = after;
    }
    // The last build shows the edits.
    expect(buildIcal([before], meta("fi"), cache)).toMatch(
      /Uusi paikka[\s\S]*Uusi seura|Uusi seura[\s\S]*Uusi paikka/,
    );
    // A write to another event leaves this one's fingerprint alone.
    await database.db.execute(sql`update events set title = '{"fi":"Toinen"}' where id = ${fx.allDay}`);
    expect(await stubPrint()).toBe(before.fingerprint);
  });

  it("stays within its budget", async () => {
    const events = await loadFeedEvents(
      database.db,
      visibleTo(DEFAULT_TENANT),
      [fx.allDay, fx.weekly, fx.multiDay],
      SITE,
    );
    const cache = createVeventCache(8_000);
    for (const lang of ["fi", "sv", "en"] as const) buildIcal(events, meta(lang), cache);
    expect(cache.stats.chars).toBeLessThanOrEqual(8_000);
  });
});
