/**
 * GET /api/v1/events filters: each filter is checked against the database's own view
 * of the seeded data, plus purpose-made events for search, DST and multi-day cases.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, organisations } from "../src/db/schema.ts";
import { localDateTime, startOfLocalDay } from "../src/domain/time.ts";
import type { ListItem, ListPage } from "./helpers/api-types.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { insertEvent } from "./helpers/events.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

const TZ = "Europe/Helsinki";
let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
const ids = {} as { festival: string; series: string; cancelled: string };

beforeAll(async () => {
  database = await createSeededDatabase();
  t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
  const db = database.db;
  ids.festival = await insertEvent(
    db,
    {
      title: { fi: "Kesäjuhlat Kiljavalla", sv: "Sommarfest i Kiljava", en: "Summer party at Kiljava" },
      description: { fi: "Koko perheen juhla rannalla.", sv: "Fest för hela familjen på stranden." },
      allDay: true,
      startsAt: startOfLocalDay("2026-10-09", TZ),
      endsAt: startOfLocalDay("2026-10-12", TZ),
      placeSlug: "kiljavan-uimaranta",
      organisationSlug: "kiljavan-latu",
      categorySlugs: ["juhlat", "luonto"],
      ageMin: 0,
      languages: ["fi", "sv"],
      accessibility: ["wheelchair_accessible"],
      isFree: true,
    },
    SEED_NOW,
  );
  const tuesday = localDateTime("2026-10-06", "18:00", TZ);
  ids.series = await insertEvent(
    db,
    {
      title: { fi: "Tiistain höntsäsähly", en: "Tuesday floorball" },
      startsAt: tuesday,
      endsAt: new Date(tuesday.getTime() + 90 * 60_000),
      rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
      exdates: ["2026-10-20"],
      placeSlug: "rajamaen-urheilutalo",
      organisationSlug: "rajamaen-palloilijat",
      categorySlugs: ["liikunta"],
      ageMin: 13,
      ageMax: 17,
      isFree: false,
      price: { fi: "3 €" },
    },
    SEED_NOW,
  );
  ids.cancelled = await insertEvent(
    db,
    {
      title: { sv: "Körkonsert i kyrkan", fi: "Kuorokonsertti kirkossa" },
      startsAt: localDateTime("2026-10-15", "19:00", TZ),
      endsAt: localDateTime("2026-10-15", "21:00", TZ),
      placeSlug: "klaukkalan-kirkko",
      organisationSlug: "svenska-foreningen",
      categorySlugs: ["musiikki"],
      eventStatus: "cancelled",
      languages: ["sv"],
    },
    SEED_NOW,
  );
});
afterAll(async () => {
  await database.close();
});

async function get(path: string): Promise<ListPage> {
  const res = await t.app.request(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ListPage;
}

/** Every item of a filtered listing, following the cursor. */
async function all(query: string): Promise<ListItem[]> {
  const out: ListItem[] = [];
  let next: string | null = `/api/v1/events?limit=100&to=2027-04-01&${query}`;
  while (next) {
    const page = await get(next.replace("http://kalenteri.test", ""));
    out.push(...page.data);
    next = page.next;
  }
  return out;
}

describe("filters", () => {
  it("category: repeated means any of them", async () => {
    const one = await all("category=liikunta");
    const two = await all("category=liikunta&category=musiikki");
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((i) => i.categories.some((c) => c.slug === "liikunta"))).toBe(true);
    expect(two.every((i) => i.categories.some((c) => c.slug === "liikunta" || c.slug === "musiikki"))).toBe(
      true,
    );
    expect(two.length).toBeGreaterThan(one.length);
    expect(await all("category=liikunta,musiikki")).toHaveLength(two.length);
  });

  it("village, place (slug or id) and organisation (slug or id)", async () => {
    const klaukkala = await all("village=klaukkala");
    expect(klaukkala.length).toBeGreaterThan(0);
    expect(klaukkala.every((i) => i.place?.village?.slug === "klaukkala")).toBe(true);

    const bySlug = await all("place=kiljavan-uimaranta");
    expect(bySlug.map((i) => i.event_id)).toContain(ids.festival);
    const placeId = bySlug[0]?.place?.id as string;
    expect(await all(`place=${placeId}`)).toHaveLength(bySlug.length);

    const [org] = await database.db
      .select()
      .from(organisations)
      .where(eq(organisations.slug, "rajamaen-palloilijat"));
    const byOrg = await all("organisation=rajamaen-palloilijat");
    expect(byOrg.every((i) => i.organisation?.id === org?.id)).toBe(true);
    expect(await all(`organisation=${org?.id}`)).toHaveLength(byOrg.length);
  });

  it("age, is_free, language, accessibility and event_status", async () => {
    const teen = await all("age=15");
    expect(teen.map((i) => i.event_id)).toContain(ids.series);
    expect((await all("age=30")).map((i) => i.event_id)).not.toContain(ids.series);
    const free = await all("is_free=true");
    expect(free.every((i) => i.is_free)).toBe(true);
    expect((await all("is_free=false")).every((i) => !i.is_free)).toBe(true);
    const swedish = await all("language=sv");
    expect(swedish.map((i) => i.event_id)).toEqual(expect.arrayContaining([ids.festival, ids.cancelled]));
    const accessible = await all("accessibility=wheelchair_accessible");
    expect(accessible.map((i) => i.event_id)).toContain(ids.festival);
    const cancelled = await all("event_status=cancelled");
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((i) => i.event_status === "cancelled")).toBe(true);
    expect(cancelled.map((i) => i.event_id)).toContain(ids.cancelled);
  });

  it("bbox and near with radius", async () => {
    // Kiljava beach is at about 60.54 N, 24.86 E; Klaukkala 15 km south.
    const box = await all("bbox=24.80,60.52,24.92,60.56");
    expect(box.map((i) => i.event_id)).toContain(ids.festival);
    expect(box.every((i) => i.place?.village?.slug === "kiljava")).toBe(true);
    const near = await all("near=60.54,24.86&radius=3000");
    expect(near.map((i) => i.event_id)).toContain(ids.festival);
    expect(near.map((i) => i.event_id)).not.toContain(ids.cancelled);
    const wide = await all("near=60.54,24.86&radius=50000");
    expect(wide.length).toBeGreaterThan(near.length);
  });

  it("a multi-day festival shows on each of its days when a day is filtered", async () => {
    for (const day of ["2026-10-09", "2026-10-10", "2026-10-11"]) {
      const items = (await get(`/api/v1/events?from=${day}&to=${day}&limit=100`)).data;
      const f = items.find((i) => i.event_id === ids.festival);
      expect(f, day).toMatchObject({ all_day: true, start: "2026-10-09", end: "2026-10-11" });
    }
    const after = (await get("/api/v1/events?from=2026-10-12&to=2026-10-12&limit=100")).data;
    expect(after.map((i) => i.event_id)).not.toContain(ids.festival);
  });

  it("a weekly Tuesday 18:00 series stays at 18:00 local time across the October DST change, without the excluded date", async () => {
    const items = (await all("organisation=rajamaen-palloilijat")).filter((i) => i.event_id === ids.series);
    expect(items.map((i) => i.start)).toEqual([
      "2026-10-06T18:00:00+03:00",
      "2026-10-13T18:00:00+03:00",
      "2026-10-27T18:00:00+02:00",
      "2026-11-03T18:00:00+02:00",
      "2026-11-10T18:00:00+02:00",
    ]);
  });
});

describe("full-text search", () => {
  it("finds by prefix, in Finnish, Swedish and English, and by place and organiser name", async () => {
    expect((await all("q=kesäjuh")).map((i) => i.event_id)).toContain(ids.festival);
    expect((await all("q=sommarfest")).map((i) => i.event_id)).toContain(ids.festival);
    expect((await all("q=summer party")).map((i) => i.event_id)).toContain(ids.festival);
    expect((await all("q=juhla")).map((i) => i.event_id)).toContain(ids.festival);
    expect((await all("q=uimaranta")).map((i) => i.event_id)).toContain(ids.festival);
    expect((await all("q=Palloilijat")).map((i) => i.event_id)).toContain(ids.series);
    expect((await all("q=körkonsert")).map((i) => i.event_id)).toContain(ids.cancelled);
    const none = await all("q=xyzzyplugh");
    expect(none).toEqual([]);
  });

  it("ranks by relevance on request, with a working cursor", async () => {
    const page = await get("/api/v1/events?q=kesäjuhlat&sort=relevance&limit=1");
    expect(page.data[0]?.event_id).toBe(ids.festival);
    const search = await all("q=konsertti&sort=relevance");
    expect(new Set(search.map((i) => `${i.event_id}@${i.start}`)).size).toBe(search.length);
  });

  it("treats tsquery syntax in q as plain words", async () => {
    for (const q of ["'):*|!&", "a & b | !c", "kesä:* <-> juhla", "\\'; drop table events; --"]) {
      const res = await t.app.request(`/api/v1/events?q=${encodeURIComponent(q)}`);
      expect([200, 400], q).toContain(res.status);
    }
    expect((await database.db.select().from(events).limit(1)).length).toBe(1);
  });
});

describe("updated_since", () => {
  it("lists events changed since, and unpublished or deleted ones as tombstones", async () => {
    const since = new Date(SEED_NOW.getTime() + 60_000);
    const later = new Date(SEED_NOW.getTime() + 120_000);
    await database.db
      .update(events)
      .set({ updatedAt: later, title: { fi: "Muutettu" } })
      .where(eq(events.id, ids.series));
    await database.db
      .update(events)
      .set({ updatedAt: later, state: "draft" })
      .where(eq(events.id, ids.cancelled));
    await database.db
      .update(events)
      .set({ updatedAt: later, deletedAt: later })
      .where(eq(events.id, ids.festival));
    const page = await get(`/api/v1/events?limit=100&updated_since=${since.toISOString()}`);
    const live = page.data.filter((i) => !i.deleted);
    const dead = page.data.filter((i) => i.deleted);
    expect(new Set(live.map((i) => i.event_id))).toEqual(new Set([ids.series]));
    expect(dead.map((i) => i.event_id).sort()).toEqual([ids.cancelled, ids.festival].sort());
    expect(dead.every((i) => Object.keys(i).sort().join() === "deleted,event_id,updated_at")).toBe(true);
  });
});

describe("bad filters get a 400 problem naming the parameter", () => {
  it.each([
    ["category=no-such-category", "category"],
    ["place=no-such-place", "place"],
    ["organisation=00000000-0000-4000-8000-000000000000", "organisation"],
    ["age=-1", "age"],
    ["age=200", "age"],
    ["is_free=yes", "is_free"],
    ["language=xx", "language"],
    ["accessibility=teleport", "accessibility"],
    ["event_status=maybe", "event_status"],
    ["bbox=1,2,3", "bbox"],
    ["bbox=24,95,25,96", "bbox"],
    ["bbox=25,60,24,61", "bbox"],
    ["near=60.5", "near"],
    ["near=100,24", "near"],
    ["radius=100", "radius"],
    ["near=60,24&bbox=24,60,25,61", "near"],
    ["updated_since=2026-10-01", "updated_since"],
    ["sort=popularity", "sort"],
    ["sort=relevance", "sort"],
    ["q=", "q"],
    ["q=%20%21%21", "q"],
    ["limit=1000", "limit"],
  ])("%s → %s", async (query, param) => {
    const res = await t.app.request(`/api/v1/events?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toContain(param);
  });
});
