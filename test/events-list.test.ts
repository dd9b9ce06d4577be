/** GET /api/v1/events (first version): published occurrences, ordering, cursor pagination, validation. */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, occurrences } from "../src/db/schema.ts";
import type { ListItem, ListPage } from "./helpers/api-types.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createSeededDatabase();
  t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
});
afterAll(async () => {
  await database.close();
});

async function get(path: string): Promise<ListPage> {
  const res = await t.app.request(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ListPage;
}

const startInstant = (i: ListItem) => new Date(i.all_day ? `${i.start}T00:00:00+03:00` : i.start).getTime();

describe("GET /api/v1/events", () => {
  it("lists upcoming published occurrences with the documented fields, ordered by start", async () => {
    const page = await get("/api/v1/events?limit=100");
    expect(page.data).toHaveLength(100);
    expect(page.next).toMatch(/^http:\/\/kalenteri\.test\/api\/v1\/events\?.*cursor=/);
    for (const item of page.data) {
      expect(item.event_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(item.title.text.length).toBeGreaterThan(0);
      expect(["fi", "sv", "en"]).toContain(item.title.lang);
      expect(typeof item.is_free).toBe("boolean");
      expect(Array.isArray(item.categories)).toBe(true);
      expect(item.url).toBe(`http://kalenteri.test/tapahtumat/${item.event_id}`);
      if (item.all_day) {
        expect(item.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(item.end >= item.start).toBe(true);
      } else {
        expect(item.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00$/);
      }
    }
    const starts = page.data.filter((i) => !i.all_day).map((i) => new Date(i.start).getTime());
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(page.data.some((i) => i.all_day)).toBe(true);
    expect(page.data.some((i) => i.place?.village?.slug)).toBe(true);
  });

  it("lists only published events", async () => {
    const all: ListItem[] = [];
    let next: string | null = "/api/v1/events?limit=100&to=2027-06-01";
    while (next) {
      const page = await get(next.replace("http://kalenteri.test", ""));
      all.push(...page.data);
      next = page.next;
    }
    const unpublished = await database.db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.state, "pending")));
    expect(unpublished.length).toBeGreaterThan(0);
    const listed = new Set(all.map((i) => i.event_id));
    for (const { id } of unpublished) expect(listed.has(id)).toBe(false);
    // Weekly series yield several items carrying the same event id.
    const counts = new Map<string, number>();
    for (const i of all) counts.set(i.event_id, (counts.get(i.event_id) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThan(4);
    // Pages neither overlap nor skip: every (event, start) pair appears once.
    const keys = all.map((i) => `${i.event_id}@${i.start}`);
    expect(new Set(keys).size).toBe(keys.length);
    const total = (await get("/api/v1/events?limit=1&to=2027-06-01&total=true")).total;
    expect(total).toBe(all.length);
  });

  it("keeps the cursor stable while events are added before it", async () => {
    const first = await get("/api/v1/events?limit=10");
    const second = await get((first.next as string).replace("http://kalenteri.test", ""));
    const [sample] = await database.db.select().from(events).where(eq(events.state, "published")).limit(1);
    const firstItem = first.data[0] as ListItem;
    // A new published event starting before everything already listed.
    const [added] = await database.db
      .insert(events)
      .values({
        ...sample,
        id: undefined,
        title: { fi: "Uusi tapahtuma" },
        startsAt: new Date(startInstant(firstItem) - 60_000),
        endsAt: new Date(SEED_NOW.getTime() + 3_600_000),
      } as typeof events.$inferInsert)
      .returning({ id: events.id });
    await database.db.insert(occurrences).values({
      municipalityId: DEFAULT_MUNICIPALITY_ID,
      eventId: added!.id,
      startsAt: new Date(startInstant(firstItem) - 60_000),
      endsAt: new Date(SEED_NOW.getTime() + 3_600_000),
    });
    const again = await get((first.next as string).replace("http://kalenteri.test", ""));
    expect(again.data.map((i) => `${i.event_id}@${i.start}`)).toEqual(
      second.data.map((i) => `${i.event_id}@${i.start}`),
    );
    const fresh = await get("/api/v1/events?limit=10");
    expect(fresh.data.map((i) => i.event_id)).toContain(added!.id);
  });

  it("lists an occurrence that overlaps a local day, and a date range is in Europe/Helsinki", async () => {
    const page = await get("/api/v1/events?from=2026-10-20&to=2026-10-20&limit=100");
    expect(page.data.length).toBeGreaterThan(0);
    const dayStart = new Date("2026-10-20T00:00:00+03:00").getTime();
    const dayEnd = new Date("2026-10-21T00:00:00+03:00").getTime();
    for (const i of page.data) {
      const s = i.all_day ? new Date(`${i.start}T00:00:00+03:00`).getTime() : new Date(i.start).getTime();
      const e = i.all_day
        ? new Date(`${i.end}T00:00:00+03:00`).getTime() + 86_400_000
        : new Date(i.end).getTime();
      expect(s).toBeLessThan(dayEnd);
      expect(e).toBeGreaterThan(dayStart);
    }
  });

  it("chooses the text language with lang and falls back to Finnish, saying which language each text is in", async () => {
    const sv = await get("/api/v1/events?limit=100&lang=sv");
    expect(sv.data.some((i) => i.title.lang === "sv")).toBe(true);
    expect(sv.data.some((i) => i.title.lang === "fi")).toBe(true);
    expect(sv.data.every((i) => i.title.lang === "sv" || i.title.lang === "fi")).toBe(true);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["from=2026-13-01", "from"],
    ["from=2026-02-30", "from"],
    ["from=tomorrow", "from"],
    ["to=2026-10-01T25:00:00Z", "to"],
    ["from=2026-11-01&to=2026-10-01", "to"],
    ["lang=de", "lang"],
    ["colour=blue", "colour"],
    ["cursor=not-a-cursor", "cursor"],
  ])("rejects %s with a 400 problem naming %s", async (query, param) => {
    const res = await t.app.request(`/api/v1/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toContain(param);
  });
});
