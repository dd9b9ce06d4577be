/**
 * Rendered VEVENTs are reused across feed builds (src/feeds/ical.ts VeventCache): the
 * output must stay byte-identical to a build without the cache, whatever mix of hits
 * and misses, and any change to an event's data must render it again.
 */
import { foldLines } from "ical-generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleTo } from "../src/domain/tenants.ts";
import { loadFeedEvents } from "../src/feeds/feed-events.ts";
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

  it("renders an event again when any of its data changed", async () => {
    const [event] = await loadFeedEvents(database.db, visibleTo(DEFAULT_TENANT), [fx.weekly], SITE);
    if (!event) throw new Error("fixture missing");
    const cache = createVeventCache();
    buildIcal([event], meta("fi"), cache);
    const renamed = {
      ...event,
      place: event.place ? { ...event.place, name: { fi: "Uusi paikka" } } : null,
      exdates: [...event.exdates, "2030-01-01"],
    };
    const fresh = buildIcal([renamed], meta("fi"));
    const misses = cache.stats.misses;
    expect(buildIcal([renamed], meta("fi"), cache)).toBe(fresh);
    expect(cache.stats.misses).toBe(misses + 1);
    expect(fresh).not.toBe(buildIcal([event], meta("fi")));
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
