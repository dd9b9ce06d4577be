/**
 * Writes the demo data set into an empty database in one transaction: places,
 * categories, organisations, demo accounts, events with their categories and
 * materialised occurrences. Used by `npm start` (when empty) and `npm run seed`.
 */
import { eq, sql } from "drizzle-orm";
import type { Db, Queryable } from "../db/client.ts";
import {
  categories,
  DEFAULT_MUNICIPALITY_ID,
  eventCategories,
  events,
  memberships,
  municipalities,
  municipalityNeighbours,
  occurrences,
  organisations,
  places,
  users,
} from "../db/schema.ts";
import { hashPassword } from "../domain/accounts/passwords.ts";
import { horizonFrom } from "../domain/events/occurrences.ts";
import { bulkLoadSearchIndexes, refreshSearchVectors } from "../domain/events/search.ts";
import { expandSeries } from "../domain/recurrence/expand.ts";
import { addDays, localDateTime } from "../domain/time.ts";
import { CATEGORIES, MUNICIPALITY, ORGANISATIONS, PLACES, VILLAGES } from "./data.ts";
import { HOME, NEIGHBOURS, REGION_VILLAGES, type SeedNeighbour } from "./data-region.ts";
import { generateDemoData } from "./generate.ts";
import { createRng, seedFromString } from "./random.ts";

export const DEMO_ACCOUNTS = [
  { email: "admin@example.fi", displayName: "Ylläpitäjä (demo)", role: "admin" as const },
  { email: "moderaattori@example.fi", displayName: "Moderaattori (demo)", role: "moderator" as const },
  { email: "jarjestaja@example.fi", displayName: "Järjestäjä (demo)", role: "organiser" as const },
];

export interface SeedOptions {
  /** Local date (YYYY-MM-DD) the six months of events start from. */
  today: string;
  /** Number of events; default 240. */
  events?: number;
  demoPassword: string;
  now: Date;
  /** The municipality the places and events belong to; default: the default municipality. */
  municipalityId?: string;
  /**
   * The demo region (#21): the municipality becomes Nurmijärvi (showing neighbours within
   * 30 km) and Hyvinkää and Tuusula are added with events of their own (data-region.ts).
   * `npm start` and `npm run seed` seed the region; tests seed Nurmijärvi alone unless asked.
   */
  region?: boolean;
  /** Progress callback, e.g. for the console. */
  onProgress?: (message: string) => void;
}

export interface SeedResult {
  /** Slugs of the region's municipalities, when `region` was seeded. */
  municipalities?: string[];
  places: number;
  categories: number;
  organisations: number;
  events: number;
  occurrences: number;
  accounts: string[];
}

/** True when the database holds no events, places, organisations or users. */
export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  const [row] = await db
    .select({
      n: sql<number>`(select count(*) from ${events}) + (select count(*) from ${users}) + (select count(*) from ${places}) + (select count(*) from ${organisations})`.mapWith(
        Number,
      ),
    })
    .from(sql`(select 1) as one`);
  return (row?.n ?? 0) === 0;
}

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedDatabase(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const progress = opts.onProgress ?? (() => {});
  const data = generateDemoData(opts.today, opts.events);
  const villageNames = new Map(VILLAGES.map((v) => [v.slug, v.name]));
  const passwordHash = await hashPassword(opts.demoPassword);
  const municipalityId = opts.municipalityId ?? DEFAULT_MUNICIPALITY_ID;

  const result = await db.transaction(async (tx) => {
    progress(
      `places (${PLACES.length}), categories (${CATEGORIES.length}), organisations (${ORGANISATIONS.length})`,
    );
    await tx.insert(places).values(
      PLACES.map((p) => ({
        id: data.ids.places.get(p.slug) as string,
        municipalityId,
        slug: p.slug,
        name: p.name,
        streetAddress: p.streetAddress,
        postalCode: p.postalCode,
        locality: p.locality,
        village: p.village,
        villageName: villageNames.get(p.village) ?? {},
        municipality: MUNICIPALITY.name.fi,
        lat: p.lat,
        lon: p.lon,
        accessibility: p.accessibility,
        // The municipality's own places: public from the start.
        approvedAt: opts.now,
      })),
    );
    await tx.insert(categories).values(
      CATEGORIES.map((c, i) => ({
        id: data.ids.categories.get(c.slug) as string,
        slug: c.slug,
        name: c.name,
        ysoId: c.ysoId ?? null,
        sortOrder: i,
      })),
    );
    await tx.insert(organisations).values(
      ORGANISATIONS.map((o) => ({
        id: data.ids.organisations.get(o.slug) as string,
        slug: o.slug,
        name: o.name,
        kind: o.kind,
        description: o.description,
        website: o.website ?? null,
        publicEmail: o.publicEmail ?? null,
        trusted: o.trusted,
      })),
    );

    const accounts = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.map((a) => ({
          email: a.email,
          displayName: a.displayName,
          role: a.role,
          passwordHash,
          emailVerifiedAt: opts.now,
        })),
      )
      .returning({ id: users.id, email: users.email });
    const organiser = accounts.find((a) => a.email === "jarjestaja@example.fi");
    const association = ORGANISATIONS.find((o) => o.kind === "association");
    if (organiser && association) {
      await tx.insert(memberships).values({
        userId: organiser.id,
        organisationId: data.ids.organisations.get(association.slug) as string,
        role: "admin",
      });
    }

    progress(`events (${data.events.length})`);
    await insertChunked(data.events, 500, (chunk) =>
      tx.insert(events).values(
        chunk.map((e) => ({
          id: e.id,
          municipalityId,
          organisationId: data.ids.organisations.get(e.organisationSlug) ?? null,
          state: e.state,
          eventStatus: e.eventStatus,
          title: e.title,
          shortDescription: e.shortDescription,
          description: e.description,
          allDay: e.allDay,
          startsAt: e.startsAt,
          endsAt: e.endsAt,
          timezone: "Europe/Helsinki",
          rrule: e.rrule,
          exdates: e.exdates,
          rdates: e.rdates,
          placeId: e.placeSlug ? (data.ids.places.get(e.placeSlug) ?? null) : null,
          ageMin: e.ageMin,
          ageMax: e.ageMax,
          languages: e.languages,
          isFree: e.isFree,
          price: e.price,
          ticketUrl: e.ticketUrl,
          registrationUrl: e.registrationUrl,
          image: e.image ? { ...e.image, photographer: e.image.photographer ?? null } : null,
          accessibility: e.accessibility,
          sequence: e.eventStatus === "scheduled" ? 0 : 1,
          createdAt: e.createdAt,
          updatedAt: e.updatedAt,
          publishedAt: e.publishedAt,
        })),
      ),
    );
    const links = data.events.flatMap((e) =>
      e.categorySlugs.map((slug) => ({ eventId: e.id, categoryId: data.ids.categories.get(slug) as string })),
    );
    await insertChunked(links, 1000, (chunk) => tx.insert(eventCategories).values(chunk));

    const region = opts.region ? await seedRegion(tx, municipalityId, opts) : null;

    progress("search index");
    await bulkLoadSearchIndexes(tx, () => refreshSearchVectors(tx));

    progress("occurrences");
    const horizon = horizonFrom(opts.now);
    const occurrenceRows = data.events.flatMap((e) =>
      expandSeries({ ...e, timezone: "Europe/Helsinki" }, horizon).map((o) => ({
        municipalityId,
        eventId: e.id,
        ...o,
      })),
    );
    await insertChunked(occurrenceRows, 2000, (chunk) => tx.insert(occurrences).values(chunk));
    if (region)
      await insertChunked(region.occurrences, 2000, (chunk) => tx.insert(occurrences).values(chunk));
    const occurrenceCount = occurrenceRows.length + (region?.occurrences.length ?? 0);
    return {
      ...(region ? { municipalities: region.slugs } : {}),
      places: PLACES.length + (region?.places ?? 0),
      categories: CATEGORIES.length,
      organisations: ORGANISATIONS.length + (region?.organisations ?? 0),
      events: data.events.length + (region?.events ?? 0),
      occurrences: occurrenceCount,
      accounts: DEMO_ACCOUNTS.map((a) => a.email),
    };
  });
  // Fresh statistics, so the planner sees the bulk-loaded tables as they are, and the
  // visibility map set, so that the start-order walk is index-only from the first request
  // (migration 0016; PGlite has no autovacuum to do it later).
  await db.execute(sql`vacuum (analyze)`);
  return result;
}

type SeedTx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * The demo region: Nurmijärvi (the municipality `homeId`, renamed) shows its neighbours
 * within 30 km; Hyvinkää (chosen neighbour: Nurmijärvi) and Tuusula (itself only) get their
 * own places, organisations and published events. Ids derive from the seed date.
 */
async function seedRegion(tx: SeedTx, homeId: string, opts: SeedOptions) {
  await tx
    .update(municipalities)
    .set({
      slug: HOME.slug,
      name: HOME.name,
      languages: HOME.languages,
      lat: HOME.lat,
      lon: HOME.lon,
      neighbourRadiusKm: HOME.neighbourRadiusKm,
    })
    .where(eq(municipalities.id, homeId));
  const ids = new Map<string, string>([[HOME.slug, homeId]]);
  for (const m of NEIGHBOURS) {
    const [row] = await tx
      .insert(municipalities)
      .values({
        slug: m.slug,
        name: m.name,
        languages: m.languages,
        lat: m.lat,
        lon: m.lon,
        neighbourRadiusKm: m.neighbourRadiusKm,
      })
      .returning({ id: municipalities.id });
    ids.set(m.slug, row?.id as string);
  }
  const chosen = [HOME, ...NEIGHBOURS].flatMap((m) =>
    m.neighbours.map((n) => ({
      municipalityId: ids.get(m.slug) as string,
      neighbourId: ids.get(n) as string,
    })),
  );
  if (chosen.length) await tx.insert(municipalityNeighbours).values(chosen);

  const cats = await tx.select({ id: categories.id, slug: categories.slug }).from(categories);
  const categoryIds = new Map(cats.map((c) => [c.slug, c.id]));
  const villageNames = new Map(REGION_VILLAGES.map((v) => [v.slug, v.name]));
  const horizon = horizonFrom(opts.now);
  const occurrenceRows: (typeof occurrences.$inferInsert)[] = [];
  let placeCount = 0;
  let orgCount = 0;
  let eventCount = 0;
  for (const m of NEIGHBOURS) {
    const municipalityId = ids.get(m.slug) as string;
    const rng = createRng(seedFromString(`${m.slug}|${opts.today}`));
    const placeIds = new Map(m.places.map((p) => [p.slug, rng.uuid()]));
    const orgIds = new Map(m.organisations.map((o) => [o.slug, rng.uuid()]));
    await tx.insert(places).values(
      m.places.map((p) => ({
        id: placeIds.get(p.slug) as string,
        municipalityId,
        slug: p.slug,
        name: p.name,
        streetAddress: p.streetAddress,
        postalCode: p.postalCode,
        locality: p.locality,
        village: p.village,
        villageName: villageNames.get(p.village) ?? {},
        municipality: m.name.fi,
        lat: p.lat,
        lon: p.lon,
        accessibility: p.accessibility,
        approvedAt: opts.now,
      })),
    );
    await tx.insert(organisations).values(
      m.organisations.map((o) => ({
        id: orgIds.get(o.slug) as string,
        slug: o.slug,
        name: o.name,
        kind: o.kind,
        description: o.description,
        website: o.website ?? null,
        publicEmail: o.publicEmail ?? null,
        trusted: o.trusted,
      })),
    );
    placeCount += m.places.length;
    orgCount += m.organisations.length;
    const rows = regionEvents(m, opts.today, rng.uuid);
    await tx.insert(events).values(
      rows.map((e) => ({
        id: e.id,
        municipalityId,
        organisationId: orgIds.get(e.t.organisation) ?? null,
        state: "published" as const,
        eventStatus: "scheduled" as const,
        title: e.t.title,
        shortDescription: e.t.shortDescription,
        description: e.t.shortDescription,
        allDay: false,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        timezone: "Europe/Helsinki",
        placeId: placeIds.get(e.t.place) ?? null,
        languages: ["fi"],
        isFree: e.t.isFree,
        createdAt: opts.now,
        updatedAt: opts.now,
        publishedAt: opts.now,
      })),
    );
    const links = rows.flatMap((e) =>
      e.t.categories.flatMap((slug) => {
        const categoryId = categoryIds.get(slug);
        return categoryId ? [{ eventId: e.id, categoryId }] : [];
      }),
    );
    if (links.length) await tx.insert(eventCategories).values(links);
    for (const e of rows) {
      for (const o of expandSeries(
        {
          startsAt: e.startsAt,
          endsAt: e.endsAt,
          allDay: false,
          timezone: "Europe/Helsinki",
          rrule: null,
          exdates: [],
          rdates: [],
        },
        horizon,
      )) {
        occurrenceRows.push({ municipalityId, eventId: e.id, ...o });
      }
    }
    eventCount += rows.length;
  }
  return {
    slugs: [HOME.slug, ...NEIGHBOURS.map((m) => m.slug)],
    places: placeCount,
    organisations: orgCount,
    events: eventCount,
    occurrences: occurrenceRows,
  };
}

/** The dated events of a neighbour's templates, from the seed date on. */
function regionEvents(m: SeedNeighbour, today: string, uuid: () => string) {
  return m.events.flatMap((t) =>
    Array.from({ length: t.times }, (_, i) => {
      const date = addDays(today, t.firstDay + i * t.everyDays);
      const startsAt = localDateTime(date, t.start, "Europe/Helsinki");
      return { id: uuid(), t, startsAt, endsAt: new Date(startsAt.getTime() + t.minutes * 60_000) };
    }),
  );
}
