/** The demo data set: size, variety, determinism, and what it writes to the database. */
import { eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORGANISATION_KINDS } from "../src/contract/codes.ts";
import { queryRows } from "../src/db/client.ts";
import {
  categories,
  DEFAULT_MUNICIPALITY_ID,
  events,
  memberships,
  municipalities,
  municipalityNeighbours,
  occurrences,
  organisations,
  places,
  users,
} from "../src/db/schema.ts";
import { verifyPassword } from "../src/domain/accounts/passwords.ts";
import { loadTenantDirectory } from "../src/domain/tenants.ts";
import { defaultTenant } from "../src/http/tenant.ts";
import { generateDemoData } from "../src/seed/generate.ts";
import { isDatabaseEmpty } from "../src/seed/load.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_TODAY } from "./helpers/seeded.ts";

describe("generateDemoData", () => {
  it("is deterministic for a given date and differs for another", () => {
    const a = generateDemoData("2026-10-01");
    const b = generateDemoData("2026-10-01");
    const c = generateDemoData("2026-10-02");
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
    expect([...a.ids.places.values()]).toEqual([...b.ids.places.values()]);
    expect(JSON.stringify(a.events)).not.toBe(JSON.stringify(c.events));
  });

  it("covers every kind of event over the next six months", () => {
    const { events: evs } = generateDemoData("2026-10-01");
    expect(evs.length).toBeGreaterThanOrEqual(200);
    const first = new Date("2026-09-30T21:00:00Z").getTime();
    const last = new Date("2027-04-02T00:00:00Z").getTime();
    for (const e of evs) {
      expect(e.startsAt.getTime()).toBeGreaterThanOrEqual(first);
      expect(e.startsAt.getTime()).toBeLessThan(last);
    }
    const published = evs.filter((e) => e.state === "published");
    expect(published.length).toBeGreaterThanOrEqual(200);
    expect(evs.some((e) => e.allDay && e.endsAt.getTime() - e.startsAt.getTime() <= 25 * 3_600_000)).toBe(
      true,
    );
    expect(evs.some((e) => e.allDay && e.endsAt.getTime() - e.startsAt.getTime() > 47 * 3_600_000)).toBe(
      true,
    );
    expect(evs.some((e) => e.rrule?.startsWith("FREQ=WEEKLY") && e.exdates.length > 0)).toBe(true);
    expect(evs.some((e) => e.rrule?.startsWith("FREQ=MONTHLY"))).toBe(true);
    expect(evs.some((e) => e.isFree)).toBe(true);
    expect(evs.some((e) => !e.isFree && e.price.fi)).toBe(true);
    expect(published.some((e) => e.eventStatus === "cancelled")).toBe(true);
    expect(evs.every((e) => e.title.fi)).toBe(true);
    expect(evs.some((e) => e.title.sv)).toBe(true);
    expect(evs.some((e) => e.title.en)).toBe(true);
    expect(evs.some((e) => e.state === "pending")).toBe(true);
  });

  it("scales to a benchmark size", () => {
    const { events: evs } = generateDemoData("2026-10-01", 5000);
    expect(evs).toHaveLength(5000);
    expect(new Set(evs.map((e) => e.id)).size).toBe(5000);
  });
});

describe("seedDatabase", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createSeededDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  const count = async (table: PgTable) =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;

  it("writes places, categories, organisations of every kind and events with occurrences", async () => {
    expect(await count(places)).toBeGreaterThanOrEqual(25);
    expect(await count(categories)).toBeGreaterThanOrEqual(15);
    expect(await count(organisations)).toBeGreaterThanOrEqual(20);
    expect(await count(events)).toBeGreaterThanOrEqual(200);
    expect(await count(occurrences)).toBeGreaterThan(await count(events));
    const kinds = await database.db.selectDistinct({ kind: organisations.kind }).from(organisations);
    expect(kinds.map((k) => k.kind).sort()).toEqual([...ORGANISATION_KINDS].sort());
    const placesWithCoords = await database.db.select().from(places);
    for (const p of placesWithCoords) {
      expect(p.lat).toBeGreaterThan(59);
      expect(p.lon).toBeGreaterThan(19);
      expect(p.streetAddress).toBeTruthy();
      expect(p.postalCode).toMatch(/^\d{5}$/);
    }
    const cats = await database.db.select().from(categories);
    for (const c of cats) expect(Object.keys(c.name).sort()).toEqual(["en", "fi", "sv"]);
    const trusted = await database.db
      .select()
      .from(organisations)
      .where(eq(organisations.kind, "municipality"));
    expect(trusted.length).toBeGreaterThan(0);
    expect(trusted.every((o) => o.trusted)).toBe(true);
  });

  it("creates the three demo accounts with hashed passwords, the organiser in an association", async () => {
    const accounts = await database.db.select().from(users);
    expect(accounts.map((u) => [u.email, u.role]).sort()).toEqual([
      ["admin@example.fi", "admin"],
      ["jarjestaja@example.fi", "organiser"],
      ["moderaattori@example.fi", "moderator"],
    ]);
    const organiser = accounts.find((u) => u.email === "jarjestaja@example.fi")!;
    expect(organiser.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
    expect(await verifyPassword("test-password", organiser.passwordHash!)).toBe(true);
    expect(await verifyPassword("wrong", organiser.passwordHash!)).toBe(false);
    const [m] = await database.db
      .select({ kind: organisations.kind })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(eq(memberships.userId, organiser.id));
    expect(m?.kind).toBe("association");
  });

  it("is not empty afterwards, so a restart does not seed twice", async () => {
    expect(await isDatabaseEmpty(database.db)).toBe(false);
    expect(SEED_TODAY).toBe("2026-10-01");
  });
});

describe("seedDatabase with the demo region (npm start)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createSeededDatabase(60, { region: true });
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  it("writes three municipalities with centres, each with published events and occurrences", async () => {
    const rows = await queryRows<{ slug: string; lat: number | null; events: number; occurrences: number }>(
      database.db,
      sql`select m.slug, m.lat,
                 (select count(*)::int from events e where e.municipality_id = m.id and e.state = 'published') as events,
                 (select count(*)::int from occurrences o where o.municipality_id = m.id) as occurrences
          from municipalities m order by m.slug`,
    );
    expect(rows.map((r) => r.slug)).toEqual(["hyvinkaa", "nurmijarvi", "tuusula"]);
    for (const r of rows) {
      expect(r.lat, r.slug).not.toBeNull();
      expect(Number(r.events), r.slug).toBeGreaterThanOrEqual(10);
      expect(Number(r.occurrences), r.slug).toBeGreaterThanOrEqual(Number(r.events));
    }
    // Nurmijärvi keeps the default municipality's id (a migrated installation's rows stay its).
    const [home] = await database.db
      .select()
      .from(municipalities)
      .where(eq(municipalities.id, DEFAULT_MUNICIPALITY_ID));
    expect(home?.slug).toBe("nurmijarvi");
    expect(home?.neighbourRadiusKm).toBe(30);
    expect(await database.db.select().from(municipalityNeighbours)).toHaveLength(1);
  });

  it("makes the neighbours visible: Nurmijärvi by radius, Hyvinkää by choice, Tuusula alone; Nurmijärvi is the default address", async () => {
    const directory = await loadTenantDirectory(database.db);
    const id = (slug: string) => directory.bySlug.get(slug)?.id as string;
    expect(directory.bySlug.get("nurmijarvi")?.visible).toEqual([
      id("nurmijarvi"),
      id("hyvinkaa"),
      id("tuusula"),
    ]);
    expect(directory.bySlug.get("hyvinkaa")?.visible).toEqual([id("hyvinkaa"), id("nurmijarvi")]);
    expect(directory.bySlug.get("tuusula")?.visible).toEqual([id("tuusula")]);
    expect(defaultTenant(directory)?.slug).toBe("nurmijarvi");
    expect(defaultTenant(directory, "tuusula")?.slug).toBe("tuusula");
  });

  it("searches every municipality's events in the same search index", async () => {
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from events e join municipalities m on m.id = e.municipality_id
          where m.slug = 'tuusula' and e.search_vector is not null`,
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  });
});
