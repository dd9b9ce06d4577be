/**
 * Feeds over HTTP: format (CRLF, 75-octet UTF-8-safe folding, no injected components),
 * filters shared with the list API, convenience paths, the single-event download,
 * conditional requests, HEAD, the feed cache and its invalidation, RSS, and the
 * subscribe-links endpoint.
 */
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { eq, sql } from "drizzle-orm";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { events } from "../src/db/schema.ts";
import { createMemoryFeedCache } from "../src/feeds/feed-cache.ts";
import { vtimezone } from "../src/feeds/vtimezones.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { type FeedFixtures, insertFeedFixtures, LONG_FI } from "./helpers/feed-fixtures.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
let fx: FeedFixtures;
/** Statements run while `recording` (the feed cache's own cost, below). */
const statements: string[] = [];
let recording = false;

beforeAll(async () => {
  database = await createSeededDatabase(undefined, {
    onQuery: (query) => {
      if (recording) statements.push(query);
    },
  });
  fx = await insertFeedFixtures(database.db);
  t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
});
afterAll(async () => {
  await database.close();
});

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

function vevents(body: string) {
  const root = new ICAL.Component(ICAL.parse(body));
  return root.getAllSubcomponents("vevent");
}

const uids = (body: string) => vevents(body).map((v) => String(v.getFirstPropertyValue("uid")).split("@")[0]);

/** All event ids the list API gives for a query, over every page. */
async function apiIds(query: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | null = `/api/v1/events?limit=100&from=2026-09-01&to=2027-10-01&${query}`;
  while (next) {
    const res = await get(next.replace("http://kalenteri.test", ""));
    expect(res.status).toBe(200);
    const page = (await res.json()) as { data: { event_id: string }[]; next: string | null };
    for (const i of page.data) ids.add(i.event_id);
    next = page.next;
  }
  return ids;
}

describe("GET /feeds/events.ics format", () => {
  it("is RFC 5545 text: CRLF everywhere, lines of at most 75 octets, UTF-8 intact after unfolding", async () => {
    const res = await get("/feeds/events.ics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=900");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    // Every physical line: ≤ 75 octets and valid UTF-8 on its own (no character split).
    let start = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10) {
        const line = bytes.subarray(start, i);
        expect(line.length).toBeLessThanOrEqual(75);
        new TextDecoder("utf-8", { fatal: true }).decode(line);
        start = i + 2;
      }
    }
    const unfolded = text.replace(/\r\n[ \t]/g, "");
    expect(unfolded).not.toContain("\ufffd");
    expect(unfolded).toContain("Äänekäs ööpöytäkeskustelu");
    const allDay = vevents(text).find((v) => String(v.getFirstPropertyValue("uid")).startsWith(fx.allDay));
    expect(allDay?.getFirstPropertyValue("summary")).toBe(`Kyläpäivä ${LONG_FI}`);
    // Calendar properties.
    expect(unfolded).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n");
    expect(unfolded).toContain("X-PUBLISHED-TTL:PT6H\r\n");
    expect(unfolded).toMatch(/X-WR-CALDESC:.+\r\n/);
    expect(unfolded).not.toContain("TIMEZONE-ID");
    expect(unfolded).not.toContain("X-WR-TIMEZONE");
    expect(unfolded.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
  });

  it("writes every event property from public data only", async () => {
    const body = await (await get("/feeds/events.ics")).text();
    const v = vevents(body).find(
      (x) => String(x.getFirstPropertyValue("uid")) === `${fx.weekly}@kalenteri.test`,
    );
    expect(v).toBeDefined();
    const ev = v as ICAL.Component;
    expect(ev.getFirstPropertyValue("sequence")).toBe(3);
    expect(String(ev.getFirstPropertyValue("dtstamp"))).toBe("2026-09-20T08:00:00Z");
    expect(String(ev.getFirstPropertyValue("last-modified"))).toBe("2026-09-20T08:00:00Z");
    expect(ev.getFirstPropertyValue("url")).toBe(`http://kalenteri.test/tapahtumat/${fx.weekly}`);
    expect(ev.getFirstProperty("dtstart")?.getParameter("tzid")).toBe("Europe/Helsinki");
    expect(ev.getFirstPropertyValue("geo")).toHaveLength(2);
    expect(String(ev.getFirstPropertyValue("location")).length).toBeGreaterThan(3);
    expect(ev.getFirstProperty("organizer")?.getParameter("cn")).toBeTruthy();
    expect(ev.getFirstPropertyValue("categories")).toBe("Kulttuuri");
    expect(String(ev.getFirstPropertyValue("description"))).toContain(
      `http://kalenteri.test/tapahtumat/${fx.weekly}`,
    );
    expect(body).not.toContain("private-contact@example.invalid");
    expect(body).not.toContain("+358 40 000 0000");
    expect(body).not.toMatch(/ORGANIZER[^\r\n]*mailto:/);
  });

  it("cannot be injected into: titles with line breaks and properties stay text", async () => {
    const body = await (await get("/feeds/events.ics")).text();
    const all = vevents(body);
    expect(new Set(all.map((v) => v.getFirstPropertyValue("uid"))).size).toBe(all.length);
    expect(all.some((v) => v.getFirstPropertyValue("uid") === "evil")).toBe(false);
    expect(all.every((v) => v.getAllProperties("attendee").length === 0)).toBe(true);
    const ev = all.find((v) => String(v.getFirstPropertyValue("uid")).startsWith(fx.injection));
    expect(ev?.getFirstPropertyValue("summary")).toBe(
      "Ilta\nBEGIN:VEVENT\nUID:evil\nATTENDEE:mailto:evil@example.invalid\nEND:VEVENT",
    );
    expect(String(ev?.getFirstPropertyValue("description"))).toContain(
      "Rivi 1\nRivi 2; puolipiste, pilkku \\ kenoviiva\nATTENDEE:mailto:x@example.invalid",
    );
    const parsed = nodeIcal.sync.parseICS(body);
    const count = Object.values(parsed).filter((c) => c?.type === "VEVENT").length;
    expect(count).toBe(all.length);
  });

  it("orders events by start then uid, and is byte-identical on rebuild", async () => {
    const a = await (await get("/feeds/events.ics")).text();
    const fresh = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
    const res = await fresh.app.request("/feeds/events.ics");
    expect(res.headers.get("x-feed-cache")).toBe("miss");
    expect(await res.text()).toBe(a);
    const starts = vevents(a).map((v) => {
      const p = v.getFirstProperty("dtstart");
      const time = p?.getFirstValue() as ICAL.Time;
      if (p?.getParameter("tzid")) {
        const vtz = new ICAL.Component(ICAL.parse(a)).getFirstSubcomponent("vtimezone") as ICAL.Component;
        time.zone = new ICAL.Timezone(vtz);
      }
      return time.isDate ? new Date(`${time.toString()}T00:00:00+03:00`).getTime() : time.toUnixTime() * 1000;
    });
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1] as number);
  });

  it("bundles the Europe/Helsinki VTIMEZONE exactly as @touch4it/ical-timezones has it", () => {
    const fromPackage = (getVtimezoneComponent("Europe/Helsinki") ?? "").replace(/\r?\n/g, "\r\n").trim();
    expect(vtimezone("Europe/Helsinki")).toBe(fromPackage);
  });
});

describe("feed filters", () => {
  it("holds the same events as the list API for the same filter, in the requested language", async () => {
    const res = await get("/feeds/events.ics?category=kulttuuri&lang=sv&from=2026-09-01&to=2027-10-01");
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(new Set(uids(body))).toEqual(await apiIds("category=kulttuuri"));
    expect(body).toContain("SUMMARY:INSTÄLLT: Inställd konsert");
    expect(body.replace(/\r\n[ \t]/g, "")).toMatch(/X-WR-CALNAME:[^\r]*Kultur/);
  });

  it("serves readable paths per category, organisation and place", async () => {
    for (const [path, query] of [
      ["/feeds/categories/kulttuuri.ics", "category=kulttuuri"],
      [`/feeds/organisations/${fx.orgSlug}.ics`, `organisation=${fx.orgSlug}`],
      [`/feeds/places/${fx.placeSlug}.ics`, `place=${fx.placeSlug}`],
    ] as const) {
      const a = await get(`${path}?from=2026-09-01&to=2027-10-01`);
      expect(a.status, path).toBe(200);
      expect(new Set(uids(await a.text()))).toEqual(await apiIds(query));
    }
    const rss = await get("/feeds/categories/kulttuuri.rss");
    expect(rss.status).toBe(200);
    expect(rss.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
  });

  it("rejects unknown references and parameters with a problem naming the field", async () => {
    const res = await get("/feeds/events.ics?category=ei-ole");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors[0]?.path).toBe("category");
    expect((await get("/feeds/categories/ei-ole.ics")).status).toBe(404);
    const unknown = (await (await get("/feeds/events.ics?limit=5")).json()) as { errors: { path: string }[] };
    expect(unknown.errors[0]?.path).toBe("limit");
    expect((await get("/feeds/events.ics?to=2026-01-01&from=2026-02-01")).status).toBe(400);
  });
});

describe("GET /feeds/events/{id}.ics", () => {
  it("is one VEVENT, as a download, and 404 for unknown or unpublished events", async () => {
    const res = await get(`/feeds/events/${fx.cancelled}.ics?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${fx.cancelled}.ics"`);
    const body = await res.text();
    expect(uids(body)).toEqual([fx.cancelled]);
    expect(body).toContain("SUMMARY:CANCELLED: Cancelled concert\r\n");
    expect(body).toContain("STATUS:CANCELLED\r\n");
    expect((await get("/feeds/events/00000000-0000-4000-8000-000000000000.ics")).status).toBe(404);
    expect((await get("/feeds/events/nope.ics")).status).toBe(404);
    const [pending] = await database.db.select().from(events).where(eq(events.state, "pending")).limit(1);
    expect((await get(`/feeds/events/${pending?.id}.ics`)).status).toBe(404);
  });
});

describe("HTTP caching", () => {
  it("answers If-None-Match and If-Modified-Since with 304, and HEAD with headers only", async () => {
    const res = await get("/feeds/events.ics?village=klaukkala");
    const etag = res.headers.get("etag") as string;
    const lastModified = res.headers.get("last-modified") as string;
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    const inm = await get("/feeds/events.ics?village=klaukkala", { "If-None-Match": etag });
    expect(inm.status).toBe(304);
    expect(inm.headers.get("etag")).toBe(etag);
    expect(await inm.text()).toBe("");
    const ims = await get("/feeds/events.ics?village=klaukkala", { "If-Modified-Since": lastModified });
    expect(ims.status).toBe(304);
    const old = await get("/feeds/events.ics?village=klaukkala", {
      "If-Modified-Since": new Date(new Date(lastModified).getTime() - 1000).toUTCString(),
    });
    expect(old.status).toBe(200);
    const head = await t.app.request("/feeds/events.ics?village=klaukkala", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(head.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(await head.text()).toBe("");
  });

  it("serves repeated polls from the cache and rebuilds after a change", async () => {
    const path = `/feeds/events.ics?organisation=${fx.orgSlug}`;
    const first = await get(path);
    const etag = first.headers.get("etag");
    const second = await get(path);
    expect(second.headers.get("x-feed-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(etag);

    await database.db
      .update(events)
      .set({ title: { fi: "Uusi nimi kuorolle" }, updatedAt: new Date("2026-09-30T10:00:00Z"), sequence: 4 })
      .where(eq(events.id, fx.weekly));
    const changed = await get(path);
    expect(changed.headers.get("x-feed-cache")).toBe("miss");
    expect(changed.headers.get("etag")).not.toBe(etag);
    const body = await changed.text();
    expect(body).toContain("SUMMARY:Uusi nimi kuorolle");
    expect((await get(path, { "If-None-Match": etag as string })).status).toBe(200);

    // Unpublishing also moves the version and Last-Modified, and removes the event.
    await database.db
      .update(events)
      .set({ state: "draft", updatedAt: new Date("2026-10-01T07:00:00Z") })
      .where(eq(events.id, fx.multiDayTimed));
    const after = await get(path);
    expect(after.headers.get("x-feed-cache")).toBe("miss");
    // Places and organisations count too (the seed stamps them with the wall clock).
    expect(new Date(after.headers.get("last-modified") as string).getTime()).toBeGreaterThanOrEqual(
      new Date("2026-10-01T07:00:00Z").getTime(),
    );
    expect(after.headers.get("etag")).not.toBe(changed.headers.get("etag"));
    expect(uids(await after.text())).not.toContain(fx.multiDayTimed);
    await database.db
      .update(events)
      .set({ state: "published", updatedAt: new Date("2026-10-01T07:30:00Z") })
      .where(eq(events.id, fx.multiDayTimed));
  });

  it("knows a cached feed is current from its municipalities' data versions, without reading events (#15)", async () => {
    const path = "/feeds/events.ics?category=liikunta";
    expect((await get(path)).status).toBe(200);
    statements.length = 0;
    recording = true;
    const again = await get(path);
    recording = false;
    expect(again.headers.get("x-feed-cache")).toBe("hit");
    // Before, the version was an aggregate over every matching event (and its place and
    // organisation): 215 ms at 100,000 events on PGlite, for every feed the response cache missed.
    expect(statements.some((q) => q.includes("municipality_data_versions"))).toBe(true);
    expect(statements.filter((q) => /\b(events|occurrences)\b/.test(q))).toEqual([]);
  });

  it("rebuilds after a change elsewhere in the municipality, to the same bytes: If-None-Match still gets 304", async () => {
    const path = `/feeds/events.ics?organisation=${fx.orgSlug}`;
    const first = await get(path);
    const etag = first.headers.get("etag") as string;
    const [other] = await queryRows<{ id: string }>(
      database.db,
      sql`select e.id from events e join organisations o on o.id = e.organisation_id
          where o.slug <> ${fx.orgSlug} and e.state = 'published' limit 1`,
    );
    await database.db
      .update(events)
      .set({ title: { fi: "Toisen järjestäjän uusi nimi" } })
      .where(eq(events.id, other!.id));
    const after = await get(path);
    expect(after.headers.get("x-feed-cache")).toBe("miss");
    expect(after.headers.get("etag")).toBe(etag);
    expect((await get(path, { "If-None-Match": etag })).status).toBe(304);
  });

  it("keeps an LRU within its byte budget and counts hits", async () => {
    const cache = createMemoryFeedCache(3000);
    const feed = { body: "x".repeat(500), etag: '"a"', lastModified: null, contentType: "text/plain" };
    await cache.set("a", feed);
    await cache.set("b", feed);
    expect(await cache.get("a")).toBe(feed);
    await cache.set("c", feed);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(feed);
    expect(cache.stats).toMatchObject({ hits: 2, misses: 1, entries: 2 });
    expect(cache.stats.bytes).toBeLessThanOrEqual(3000);
  });

  it("drops feeds of an older data version once one of a newer version is stored", async () => {
    // Versions as the response cache stamps them (a municipality and its version, migration 0010).
    const M = "00000000-0000-4000-8000-00000000000a";
    const cache = createMemoryFeedCache(1 << 20);
    const feed = (version: string) => ({
      body: "x".repeat(100),
      etag: '"a"',
      lastModified: null,
      contentType: "text/calendar",
      version,
    });
    await cache.set("all", feed(`${M}:41`));
    await cache.set("kulttuuri", feed(`${M}:41`));
    await cache.set("liikunta", feed(`${M}:42`));
    expect(cache.stats.entries).toBe(1);
    expect(await cache.get("all")).toBeUndefined();
    expect((await cache.get("liikunta"))?.version).toBe(`${M}:42`);
  });
});

describe("GET /feeds/events.rss", () => {
  it("is valid, escaped RSS 2.0 of newly published upcoming events with the same filters", async () => {
    const res = await get("/feeds/events.rss?category=kulttuuri");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(res.headers.get("etag")).toBeTruthy();
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true }).parse(
      xml,
    );
    const items = doc.rss.channel.item as {
      title: string;
      link: string;
      pubDate: string;
      category: unknown;
    }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]?.title).toBe(`<script>alert("x")</script> & "lainaus" 'heittomerkki' ]]>`);
    const dates = items.map((i) => new Date(i.pubDate).getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const kulttuuri = await apiIds("category=kulttuuri");
    for (const i of items) expect(kulttuuri.has(i.link.split("/").pop() as string)).toBe(true);
    expect(xml).not.toContain("<script>");
  });
});

describe("GET /api/v1/feeds/links", () => {
  it("returns https, webcal, Google and Outlook links for a filter, and is documented", async () => {
    const res = await get("/api/v1/feeds/links?village=klaukkala&category=liikunta&lang=sv");
    expect(res.status).toBe(200);
    const links = (await res.json()) as Record<string, string>;
    expect(links.https).toBe(
      "http://kalenteri.test/feeds/events.ics?category=liikunta&lang=sv&village=klaukkala",
    );
    expect(links.webcal).toBe(
      "webcal://kalenteri.test/feeds/events.ics?category=liikunta&lang=sv&village=klaukkala",
    );
    expect(links.google).toBe(
      `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(links.webcal as string)}`,
    );
    expect(links.outlook).toMatch(
      /^https:\/\/outlook\.live\.com\/calendar\/0\/addfromweb\?url=http%3A%2F%2F/,
    );
    expect(links.rss).toBe(
      "http://kalenteri.test/feeds/events.rss?category=liikunta&lang=sv&village=klaukkala",
    );
    expect((await get((links.https as string).replace("http://kalenteri.test", ""))).status).toBe(200);
    expect((await get("/api/v1/feeds/links?category=ei-ole")).status).toBe(400);
    const doc = (await (await get("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(doc.paths["/api/v1/feeds/links"]).toBeDefined();
  });
});
