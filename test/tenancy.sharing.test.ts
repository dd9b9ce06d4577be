/**
 * Neighbours (#21): a municipality's site shows, read-only, the published events of its
 * chosen neighbours and of every municipality whose centre is within its radius; lists,
 * search, counts, details, feeds and event pages show them with their municipality and a
 * canonical URL on the owner's site; the moderation queue and organiser views never do;
 * drafts and pending events never leak. `municipality=` picks any subset of the region (or
 * `all`) on the list, count, search, feeds and feed links; an unknown slug is a 400.
 *
 * A is the default municipality (Nurmijärvi's centre), B ("b-kunta", Hyvinkää's centre,
 * about 19 km away) and C ("c-kunta", Oulu's centre, 500 km away). The response cache is on,
 * so answers for different sets must be keyed apart.
 */
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { DEFAULT_MUNICIPALITY_ID, municipalities, municipalityNeighbours } from "../src/db/schema.ts";
import { distanceKm, loadTenantDirectory, visibleFrom } from "../src/domain/tenants.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { launchBrowser, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { onPostgres } from "./helpers/db.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const A = DEFAULT_MUNICIPALITY_ID;
const CENTRE = {
  a: { lat: 60.4641, lon: 24.8073 },
  b: { lat: 60.6306, lon: 24.8614 },
  c: { lat: 65.0121, lon: 25.4651 },
};
const PUBLIC_URL = "http://kalenteri.test";
let B: string;
let C: string;
let w: World;
const tenants = tenantCache();
const ev = {} as Record<"a" | "b" | "bDraft" | "bPending" | "c" | "cPending", string>;

/** Creates an event through a municipality's site (its path prefix) and takes it to `state`. */
async function eventThrough(prefix: string, title: string, state: "draft" | "pending" | "published") {
  const member = w.as("member");
  const created = await member(
    "POST",
    `${prefix}/api/v1/events`,
    w.event({
      organisation_id: w.orgA.id,
      title: { fi: title },
      place_id: undefined,
      place: { name: { fi: `${title} talo` }, street_address: "Katu 1", locality: prefix.slice(1) },
    }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  if (state === "draft") return id;
  const submitted = await member("POST", `${prefix}/api/v1/events/${id}/submit`, {
    version: created.body.version,
  });
  expect(submitted.status).toBe(200);
  if (state === "pending") return id;
  const approved = await w.as("moderator")("POST", `${prefix}/api/v1/moderation/events/${id}/approve`, {
    version: submitted.body.version,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return id;
}

beforeAll(async () => {
  w = await createWorkflowWorld({ responseCache: createMemoryResponseCache(), tenants });
  const db = w.database.db;
  await db
    .update(municipalities)
    .set({ name: { fi: "A-kunta" }, ...CENTRE.a })
    .where(eq(municipalities.id, A));
  const [b, c] = await db
    .insert(municipalities)
    .values([
      { slug: "b-kunta", name: { fi: "B-kunta", sv: "B-kommun" }, languages: ["fi", "sv"], ...CENTRE.b },
      { slug: "c-kunta", name: { fi: "C-kunta" }, ...CENTRE.c },
    ])
    .returning();
  B = b!.id;
  C = c!.id;
  tenants.invalidate();
  ev.a = await eventThrough("", "Aapelinkonsertti", "published");
  ev.b = await eventThrough("/b-kunta", "Beetanäyttely", "published");
  ev.bDraft = await eventThrough("/b-kunta", "Beetaluonnos", "draft");
  ev.bPending = await eventThrough("/b-kunta", "Beetaodotus", "pending");
  ev.c = await eventThrough("/c-kunta", "Ceemarkkinat", "published");
  ev.cPending = await eventThrough("/c-kunta", "Ceeodotus", "pending");
}, 180_000);

afterAll(async () => {
  await w?.close();
});

/** Sets A's radius and chosen neighbours (as the staff API will), and re-reads the municipalities. */
async function configure(
  who: string,
  settings: { radius: number | null; neighbours: string[] },
): Promise<void> {
  const db = w.database.db;
  await db
    .update(municipalities)
    .set({ neighbourRadiusKm: settings.radius })
    .where(eq(municipalities.id, who));
  await db.delete(municipalityNeighbours).where(eq(municipalityNeighbours.municipalityId, who));
  if (settings.neighbours.length)
    await db
      .insert(municipalityNeighbours)
      .values(settings.neighbours.map((neighbourId) => ({ municipalityId: who, neighbourId })));
  tenants.invalidate();
}

const anon = () => w.as("anonymous");
type Item = {
  event_id: string;
  municipality: { slug: string; name: { text: string }; own_site: boolean };
  url: string;
};
const items = async (path: string) => {
  const res = await anon()("GET", path);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.data as Item[];
};
const ids = async (path: string) => (await items(path)).map((i) => i.event_id).sort();
const sorted = (...xs: string[]) => [...xs].sort();
const text = async (path: string) => {
  const res = await w.t.app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
};

describe("visible: itself, chosen neighbours, those within the radius", () => {
  it("measures great-circle distances", () => {
    expect(distanceKm(CENTRE.a, CENTRE.b)).toBeGreaterThan(18);
    expect(distanceKm(CENTRE.a, CENTRE.b)).toBeLessThan(20);
    expect(distanceKm(CENTRE.a, CENTRE.c)).toBeGreaterThan(450);
    expect(distanceKm(CENTRE.a, CENTRE.a)).toBe(0);
  });

  it("is ordered (itself first, then by the region's order), deduplicated, and needs both centres", () => {
    const m = (
      id: string,
      centre: { lat: number; lon: number } | null,
      radiusKm: number | null,
      neighbours: string[] = [],
    ) => ({
      id,
      centre,
      radiusKm,
      neighbours,
    });
    const region = [
      m("b", CENTRE.b, null),
      m("c", CENTRE.c, null),
      m("a", CENTRE.a, 30, ["c", "b"]),
      m("d", null, null),
    ];
    expect(visibleFrom(region[2]!, region)).toEqual(["a", "b", "c"]);
    expect(visibleFrom(m("a", CENTRE.a, 30), region)).toEqual(["a", "b"]);
    expect(visibleFrom(m("a", null, 500), region)).toEqual(["a"]);
    expect(visibleFrom(m("a", CENTRE.a, 1), region)).toEqual(["a"]);
    expect(visibleFrom(m("b", CENTRE.b, null), region)).toEqual(["b"]);
  });

  it("comes from the database: radius and chosen neighbours", async () => {
    await configure(A, { radius: 30, neighbours: [C] });
    const directory = await loadTenantDirectory(w.database.db);
    expect(directory.bySlug.get("default")?.visible).toEqual([A, B, C]);
    expect(directory.bySlug.get("b-kunta")?.visible).toEqual([B]);
    await configure(A, { radius: null, neighbours: [] });
  });
});

describe(`neighbours' events on a site (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("shows none of another municipality's events unless configured", async () => {
    await configure(A, { radius: null, neighbours: [] });
    expect(await ids("/api/v1/events")).toEqual([ev.a]);
    expect(await ids("/b-kunta/api/v1/events")).toEqual([ev.b]);
    expect((await anon()("GET", `/api/v1/events/${ev.b}`)).status).toBe(404);
  });

  for (const how of ["a chosen neighbour", "the radius"] as const) {
    it(`shows B's published events on A's site through ${how}: list, search, count, detail, feeds, page`, async () => {
      await configure(
        A,
        how === "the radius" ? { radius: 30, neighbours: [] } : { radius: null, neighbours: [B] },
      );
      const list = await items("/api/v1/events");
      expect(list.map((i) => i.event_id).sort()).toEqual(sorted(ev.a, ev.b));
      const bItem = list.find((i) => i.event_id === ev.b)!;
      expect(bItem.municipality).toEqual({
        slug: "b-kunta",
        name: { lang: "fi", text: "B-kunta" },
        own_site: false,
      });
      expect(bItem.url).toBe(`${PUBLIC_URL}/b-kunta/tapahtumat/${ev.b}`);
      const aItem = list.find((i) => i.event_id === ev.a)!;
      expect(aItem.municipality.own_site).toBe(true);
      expect(aItem.url).toBe(`${PUBLIC_URL}/tapahtumat/${ev.a}`);
      expect(await ids("/api/v1/events?q=beetanäyttely")).toEqual([ev.b]);
      expect((await anon()("GET", "/api/v1/events?total=true")).body.total).toBe(2);
      // In Swedish the neighbour's name is its Swedish one.
      const sv = await items("/api/v1/events?lang=sv");
      expect(sv.find((i) => i.event_id === ev.b)?.municipality.name).toEqual({
        lang: "sv",
        text: "B-kommun",
      });

      const detail = await anon()("GET", `/api/v1/events/${ev.b}`);
      expect(detail.status).toBe(200);
      expect(detail.body.municipality).toEqual({
        slug: "b-kunta",
        name: { lang: "fi", text: "B-kunta" },
        own_site: false,
      });
      expect(detail.body.url).toBe(`${PUBLIC_URL}/b-kunta/tapahtumat/${ev.b}`);

      const ics = await text("/feeds/events.ics");
      expect(ics).toContain("Beetanäyttely");
      expect(ics).toContain("Aapelinkonsertti");
      expect(ics.replace(/\r\n /g, "")).toContain(`${PUBLIC_URL}/b-kunta/tapahtumat/${ev.b}`);
      expect(await text("/feeds/events.rss")).toContain("Beetanäyttely");
      expect(await text(`/feeds/events/${ev.b}.ics`)).toContain("Beetanäyttely");
      // The per-place feed: B's place is public on A's site now.
      const places = (await anon()("GET", "/api/v1/places")).body.data as { id: string; slug: string }[];
      const bPlace = places.find((p) => p.slug.startsWith("beetanayttely"));
      expect(bPlace, JSON.stringify(places)).toBeTruthy();
      expect(await text(`/feeds/places/${bPlace!.id}.ics`)).toContain("Beetanäyttely");

      const page = await w.t.app.request(`/tapahtumat/${ev.b}`);
      if (page.status === 200) {
        const html = await page.text();
        expect(html).toContain(`<link rel="canonical" href="${PUBLIC_URL}/b-kunta/tapahtumat/${ev.b}" />`);
      } else {
        // Without a built front-end (web/dist) there is no page shell: the page is 404 for every event.
        expect(page.status).toBe(404);
      }
    });
  }

  it("never shows B's drafts or pending events on A's site", async () => {
    await configure(A, { radius: 30, neighbours: [B, C] });
    const list = await ids("/api/v1/events");
    expect(list).toEqual(sorted(ev.a, ev.b, ev.c));
    for (const id of [ev.bDraft, ev.bPending, ev.cPending]) {
      expect((await anon()("GET", `/api/v1/events/${id}`)).status).toBe(404);
      expect((await anon()("GET", `/feeds/events/${id}.ics`)).status).toBe(404);
    }
    expect(await ids("/api/v1/events?q=beetaodotus")).toEqual([]);
    expect(await ids("/api/v1/events?q=beetaluonnos")).toEqual([]);
  });

  it("keeps the moderation queue and organiser views to A's own events", async () => {
    await configure(A, { radius: 30, neighbours: [B, C] });
    const moderator = w.as("moderator");
    const queue = await moderator("GET", "/api/v1/moderation/queue");
    expect(queue.status).toBe(200);
    const queued = (queue.body.data as { id: string }[]).map((e) => e.id);
    expect(queued).not.toContain(ev.bPending);
    expect(queued).not.toContain(ev.cPending);
    expect((await moderator("GET", `/api/v1/moderation/events/${ev.bPending}`)).status).toBe(404);
    expect((await moderator("GET", `/api/v1/moderation/events/${ev.b}`)).status).toBe(404);
    const log = await moderator("GET", "/api/v1/moderation/log?limit=100");
    expect((log.body.data as { event_id: string | null }[]).map((e) => e.event_id)).not.toContain(ev.b);
    // Read-only on A's site: the organiser of B's event cannot see or change it there.
    const member = w.as("member");
    const mine = (await member("GET", "/api/v1/me/events")).body.data as { id: string }[];
    expect(mine.map((e) => e.id)).toContain(ev.a);
    expect(mine.map((e) => e.id)).not.toContain(ev.b);
    expect((await member("GET", `/api/v1/me/events/${ev.b}`)).status).toBe(404);
    expect((await member("POST", `/api/v1/events/${ev.b}/cancel`, { version: 3 })).status).toBe(404);
    expect((await member("GET", `/b-kunta/api/v1/me/events/${ev.b}`)).status).toBe(200);
  });

  it("does not show A's events on B's site unless B is configured too", async () => {
    await configure(A, { radius: 30, neighbours: [B, C] });
    await configure(B, { radius: null, neighbours: [] });
    expect(await ids("/b-kunta/api/v1/events")).toEqual([ev.b]);
    expect((await anon()("GET", `/b-kunta/api/v1/events/${ev.a}`)).status).toBe(404);
    expect(await text("/b-kunta/feeds/events.ics")).not.toContain("Aapelinkonsertti");
    await configure(B, { radius: 30, neighbours: [] });
    expect(await ids("/b-kunta/api/v1/events")).toEqual(sorted(ev.a, ev.b));
    // C is 500 km away and not chosen.
    expect(await ids("/b-kunta/api/v1/events")).not.toContain(ev.c);
    await configure(B, { radius: null, neighbours: [] });
  });

  it("lists the region's municipalities with what the site shows", async () => {
    await configure(A, { radius: 30, neighbours: [] });
    const res = await anon()("GET", "/api/v1/municipalities?lang=sv");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        slug: "b-kunta",
        name: { lang: "sv", text: "B-kommun" },
        own_site: false,
        shown: true,
      }),
      expect.objectContaining({ slug: "c-kunta", own_site: false, shown: false }),
      expect.objectContaining({ slug: "default", own_site: true, shown: true }),
    ]);
    const onB = await anon()("GET", "/b-kunta/api/v1/municipalities");
    expect(
      (onB.body.data as { slug: string; shown: boolean }[]).filter((m) => m.shown).map((m) => m.slug),
    ).toEqual(["b-kunta"]);
  });
});

describe(`municipality=: any subset of the region, or all (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("replaces the site's selection on the list, search and count", async () => {
    await configure(A, { radius: 30, neighbours: [] });
    expect(await ids("/api/v1/events?municipality=c-kunta")).toEqual([ev.c]);
    expect(await ids("/api/v1/events?municipality=b-kunta,c-kunta")).toEqual(sorted(ev.b, ev.c));
    expect(await ids("/api/v1/events?municipality=c-kunta&municipality=default")).toEqual(sorted(ev.a, ev.c));
    expect(await ids("/api/v1/events?municipality=all")).toEqual(sorted(ev.a, ev.b, ev.c));
    expect(await ids("/b-kunta/api/v1/events?municipality=all")).toEqual(sorted(ev.a, ev.b, ev.c));
    expect(await ids("/b-kunta/api/v1/events?municipality=default")).toEqual([ev.a]);
    // Answers for different sets are cached apart; the site's own selection is unchanged.
    expect(await ids("/api/v1/events")).toEqual(sorted(ev.a, ev.b));
    expect(await ids("/api/v1/events?municipality=c-kunta&q=ceemarkkinat")).toEqual([ev.c]);
    expect(await ids("/api/v1/events?municipality=b-kunta&q=ceemarkkinat")).toEqual([]);
    expect((await anon()("GET", "/api/v1/events?municipality=all&total=true")).body.total).toBe(3);
    // Owned by C, listed on A's site: C's canonical URL, not A's.
    const [cItem] = await items("/api/v1/events?municipality=c-kunta");
    expect(cItem?.municipality.own_site).toBe(false);
    expect(cItem?.url).toBe(`${PUBLIC_URL}/c-kunta/tapahtumat/${ev.c}`);
  });

  it("works on the iCal and RSS feeds and the feed links", async () => {
    const ics = await text("/feeds/events.ics?municipality=c-kunta");
    expect(ics).toContain("Ceemarkkinat");
    expect(ics).not.toContain("Aapelinkonsertti");
    const all = await text("/feeds/events.ics?municipality=all");
    for (const t of ["Aapelinkonsertti", "Beetanäyttely", "Ceemarkkinat"]) expect(all).toContain(t);
    expect(await text("/feeds/events.rss?municipality=b-kunta")).toContain("Beetanäyttely");
    expect(await text("/feeds/events.rss?municipality=b-kunta")).not.toContain("Aapelinkonsertti");
    const links = await anon()("GET", "/api/v1/feeds/links?municipality=b-kunta,c-kunta");
    expect(links.status).toBe(200);
    expect(links.body.https).toContain("municipality=b-kunta%2Cc-kunta");
  });

  it("rejects an unknown slug with a 400 naming the parameter", async () => {
    for (const path of [
      "/api/v1/events?municipality=ei-ole",
      "/api/v1/events?municipality=b-kunta,ei-ole",
      "/api/v1/events?municipality=all,b-kunta",
      "/api/v1/events?municipality=",
      "/api/v1/events?municipality=%00",
      "/feeds/events.ics?municipality=ei-ole",
      "/feeds/events.rss?municipality=ei-ole",
      "/feeds/categories/musiikki.ics?municipality=ei-ole",
      "/api/v1/feeds/links?municipality=ei-ole",
    ]) {
      const res = await w.t.app.request(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      const body = (await res.json()) as { errors?: { path: string }[] };
      expect(
        body.errors?.map((e) => e.path),
        path,
      ).toContain("municipality");
    }
    // The detail answers one event: it takes no municipality.
    expect((await anon()("GET", `/api/v1/events/${ev.a}?municipality=all`)).status).toBe(400);
  });
});

describe("a neighbour's card in the browser", () => {
  const skip = skipBrowserTests("test/tenancy.sharing.test.ts");
  let site: TestSite;
  let browser: Browser;

  beforeAll(async () => {
    if (skip) return;
    site = await startSite(async () => {}, {}, { region: true });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it.skipIf(skip)("names the neighbour's municipality (fi, sv) and not the site's own", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/?q=satutunti`);
    await page.waitForSelector("#event-list .event");
    const card = page
      .locator("#event-list .event", { hasText: "Satutunti Hyvinkään pääkirjastossa" })
      .first();
    await expect(card.locator(".event__municipality").textContent()).resolves.toBe("Kunta: Hyvinkää");
    // Nurmijärvi's own events carry no municipality line.
    await page.goto(`${site.url}/?q=kirjasto&municipality=nurmijarvi`);
    await page.waitForSelector("#event-list .event");
    expect(await page.locator("#event-list .event__municipality").count()).toBe(0);
    // In Swedish, with the municipalities to choose from.
    await page.goto(`${site.url}/?q=satutunti&lang=sv`);
    await page.waitForSelector("#event-list .event__municipality");
    await expect(page.locator("#event-list .event__municipality").first().textContent()).resolves.toBe(
      "Kommun: Hyvinge",
    );
    await expect(page.locator("#f-municipalities legend").innerText()).resolves.toBe("Kommuner");
    await page.close();
  });
});
