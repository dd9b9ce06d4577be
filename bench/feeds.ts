/**
 * Measures iCal feed generation: 1,000 events (a fifth recurring, a tenth all-day)
 * built cold with ical-generator, and served again from the feed cache.
 * Run with `npx tsx bench/feeds.ts`.
 */
import { createMemoryFeedCache, strongEtag } from "../src/feeds/feed-cache.ts";
import { buildIcal } from "../src/feeds/ical.ts";
import type { FeedEvent } from "../src/feeds/types.ts";

const events: FeedEvent[] = Array.from({ length: 1000 }, (_, i) => {
  const start = new Date(Date.UTC(2026, 9, 1 + (i % 300), 15, 0));
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    title: { fi: `Tapahtuma ${i}: kesäjuhlat ja ääniä Nurmijärvellä`, sv: `Evenemang ${i}` },
    shortDescription: { fi: "Lyhyt kuvaus, jossa on ä, ö ja å." },
    description: { fi: "Pitkä kuvaus tapahtumasta. ".repeat(12) },
    startsAt: start,
    endsAt: new Date(start.getTime() + 2 * 3600_000),
    allDay: i % 10 === 0,
    timezone: "Europe/Helsinki",
    rrule: i % 5 === 0 ? "FREQ=WEEKLY;UNTIL=20270301" : null,
    exdates: i % 5 === 0 ? ["2026-12-24"] : [],
    rdates: [],
    eventStatus: i % 50 === 0 ? "cancelled" : "scheduled",
    sequence: i % 3,
    createdAt: new Date("2026-09-01T08:00:00Z"),
    updatedAt: new Date("2026-09-02T08:00:00Z"),
    publishedAt: new Date("2026-09-02T08:00:00Z"),
    onlineUrl: null,
    url: `https://kalenteri.example/tapahtumat/00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    place: {
      name: { fi: "Nurmijärven pääkirjasto" },
      streetAddress: "Keskustie 2",
      postalCode: "01900",
      locality: "Nurmijärvi",
      lat: 60.46,
      lon: 24.8,
    },
    organisation: { slug: "kirjasto", name: "Nurmijärven kirjasto", website: null },
    categories: [{ slug: "kulttuuri", name: { fi: "Kulttuuri" } }],
  };
});
const meta = {
  lang: "fi" as const,
  publicUrl: "https://tapahtumat.example.fi",
  siteName: "Nurmijärvi",
  name: "Nurmijärvi, tapahtumat",
  selfUrl: "https://tapahtumat.example.fi/feeds/events.ics",
};

buildIcal(events.slice(0, 10), meta); // warm up the modules
const runs = 5;
let body = "";
const t0 = performance.now();
for (let i = 0; i < runs; i++) body = buildIcal(events, meta);
const cold = (performance.now() - t0) / runs;
const cache = createMemoryFeedCache();
await cache.set("k", {
  body,
  etag: await strongEtag(body),
  lastModified: null,
  contentType: "text/calendar",
});
const t1 = performance.now();
for (let i = 0; i < 1000; i++) await cache.get("k");
const cached = (performance.now() - t1) / 1000;
console.log(
  `1,000 events: ${(new TextEncoder().encode(body).length / 1024).toFixed(0)} KiB; build ${cold.toFixed(0)} ms; cache hit ${(cached * 1000).toFixed(1)} µs`,
);
