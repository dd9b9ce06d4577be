/**
 * The queries behind the feeds: which public events a feed holds (one row per event,
 * chosen by its occurrences in the window with the list API's filters), the events'
 * feed fields, and the feed's data version — the latest change that affects it.
 *
 * Like the list query, the window is an overlap query read through the start-time
 * index (occurrences that started at most a week before the window) plus the few
 * long-running occurrences through their own partial index.
 */
import { and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { LocalizedText } from "../contract/codes.ts";
import { intLiteral, type Queryable, queryRows } from "../db/client.ts";
import { categories, eventCategories, events, municipalities, organisations, places } from "../db/schema.ts";
import { formatStamp } from "../domain/data-version.ts";
import { filterSql, type ResolvedFilter } from "../domain/events/filter.ts";
import { categoriesPrintAgg, categoriesPrintOf, fingerprintSql } from "../domain/events/fingerprint.ts";
import { occurrenceBranches } from "../domain/events/list.ts";
import { eventUrl, inScope, scopeRows, type VisibleScope } from "../domain/tenants.ts";
import type { FeedEvent } from "./types.ts";

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const and_ = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);
const publicEvent = sql`e.state = 'published' and e.deleted_at is null`;
const toDate = (v: Date | string | null | undefined) => (v == null ? null : new Date(v));

export interface FeedWindow {
  from: Date;
  to: Date;
}

/** The latest change affecting a feed (null when nothing matches) and a version that also moves on deletions. */
export interface DataVersion {
  lastChanged: Date | null;
  version: string;
}

/**
 * A feed's data version: the stamp of the data versions of the municipalities it may show
 * (migration 0010: bumped in the same transaction as every change to what a feed holds —
 * events, occurrences, their categories, places, organisations, categories), and as
 * Last-Modified the latest of their changes. One row per municipality, whatever the size of
 * the data: the aggregate over every matching event that it replaces took 215 ms at 100,000
 * events on PGlite, on every feed request the response cache did not answer (#15). It is
 * coarser than the feed — an edit of another event of the municipality moves it too — which
 * costs a rebuild, never a stale feed; the strong ETag over the bytes still answers
 * If-None-Match with 304 when the rebuilt bytes are the same.
 */
export async function feedDataVersion(db: Queryable, scope: VisibleScope): Promise<DataVersion> {
  const rows = await queryRows<{ id: string; version: string; changed: Date | string }>(
    db,
    sql`select municipality_id::text as id, version::text as version, changed_at as changed
        from municipality_data_versions where municipality_id = any(${`{${scope.ids.join(",")}}`}::uuid[])`,
  );
  const found = new Map(rows.map((r) => [r.id, String(r.version)]));
  let lastChanged: Date | null = null;
  for (const r of rows) {
    const changed = toDate(r.changed);
    if (changed && (!lastChanged || changed > lastChanged)) lastChanged = changed;
  }
  return { lastChanged, version: formatStamp(scope.ids, (id) => found.get(id)) };
}

/** The same for one event. */
export async function eventDataVersion(db: Queryable, scope: VisibleScope, id: string): Promise<DataVersion> {
  const [row] = await queryRows<{ changed: Date | string | null; v: number | string | null }>(
    db,
    sql`select greatest(e.updated_at, p.updated_at, org.updated_at) as changed, e.version as v
        from events e
        left join places p on p.id = e.place_id
        left join organisations org on org.id = e.organisation_id
        where e.id = ${id}::uuid and ${inScope(scope, sql`e.municipality_id`)}`,
  );
  const lastChanged = toDate(row?.changed);
  return { lastChanged, version: `${lastChanged?.getTime() ?? 0}.${row?.v ?? 0}` };
}

/**
 * Occurrence rows read in start order to find a feed's first `limit` events: every event's
 * first occurrence in the window is among the rows before it, so a prefix of the start
 * order with `limit` distinct events in it gives the answer, without reading (and grouping)
 * the whole window: a year of a large municipality is tens of thousands of rows (#15).
 */
const WALK_ROWS_PER_EVENT = 2;
/**
 * A walk that finds too few events in its rows (a category of weekly series: 1,402 rows held
 * 550 of the 701 events wanted at 10,000 events) walks again, further, as long as that stays
 * within 16 rows per event; only then is the window grouped. Grouping a year of "liikunta" read
 * 57,000 occurrences at 10,000 events (12 ms on PostgreSQL) and 230,000 at 100,000 (420 ms cold
 * on PGlite); the second walk reads 2,048 (#15).
 */
const MAX_WALK_ROWS_PER_EVENT = 16;

/** The first `walk` occurrence rows of the window in (starts_at, event_id) order. */
const walkSql = (f: ResolvedFilter, walk: number) =>
  sql`with w as (select * from (${occurrenceBranches(f, [], sql`order by o.starts_at, o.event_id limit ${intLiteral(walk)}`)}) u
        order by u.starts_at, u.event_id limit ${intLiteral(walk)})`;

/** Every occurrence row of the window (event_id, starts_at). */
const matchingSql = (f: ResolvedFilter) =>
  sql`select b.event_id, b.starts_at from (${occurrenceBranches(f, [])}) b`;

/**
 * Ids of public events with an occurrence overlapping the window, soonest first
 * (by their first occurrence in the window), at most `limit`; `more` when more match. They
 * are not counted: counting read the whole window (340 ms at 100,000 events on PGlite; on
 * PostgreSQL, counting even up to 2,000 cost a one-category feed more than finding its
 * events), for a number the feed's description could do without.
 */
export async function feedEventIds(
  db: Queryable,
  f: ResolvedFilter,
  window: FeedWindow,
  limit: number,
  rowsPerEvent = WALK_ROWS_PER_EVENT,
  maxWalk = (limit + 1) * MAX_WALK_ROWS_PER_EVENT,
): Promise<{ ids: string[]; more: boolean }> {
  const inWindow: ResolvedFilter = { ...f, from: window.from, to: window.to };
  let walk = (limit + 1) * rowsPerEvent;
  let ids: string[] | undefined;
  for (;;) {
    // The first `walk` rows in (starts_at, event_id) order: each branch (per municipality)
    // stops after its first `walk`, so this reads about `walk` rows, not the window.
    const rows = await queryRows<{ event_id: string; walked: number | string }>(
      db,
      sql`${walkSql(inWindow, walk)}
          select w.event_id, (select count(*) from w) as walked from w group by w.event_id
          order by min(w.starts_at), w.event_id limit ${intLiteral(limit + 1)}`,
      { prepare: true },
    );
    if (rows.length > limit || Number(rows[0]?.walked ?? 0) < walk) {
      ids = rows.map((r) => r.event_id);
      break;
    }
    // Series denser than expected: `walk` rows held only rows.length events. Walk again as far
    // as that density says, and a quarter more, in powers of two (each size is a statement of
    // its own), while that stays well short of the window.
    const next = 2 ** Math.ceil(Math.log2(((walk * (limit + 1)) / Math.max(rows.length, 1)) * 1.25));
    if (next > maxWalk) break;
    walk = next;
  }
  // Series so dense that even that held fewer than `limit` events: group the window.
  ids ??= (
    await queryRows<{ event_id: string }>(
      db,
      sql`select m.event_id from (${matchingSql(inWindow)}) m group by m.event_id
          order by min(m.starts_at), m.event_id limit ${limit + 1}`,
    )
  ).map((r) => r.event_id);
  return { ids: ids.slice(0, limit), more: ids.length > limit };
}

/**
 * Public events newly published, that have an occurrence ending after `now`, newest
 * first: the RSS feed. Each municipality's newest are walked in its own index
 * (events_tenant_published_idx, migration 0017) and stop at `limit`; then merged.
 */
export async function newlyPublishedIds(
  db: Queryable,
  f: ResolvedFilter,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select x.id from ${scopeRows(f.scope)} as sc(id)
        cross join lateral (
          select e.id, e.published_at from events e left join places p on p.id = e.place_id
          where e.municipality_id = sc.id and ${publicEvent} and e.published_at is not null
            and ${and_(filterSql(f, sql`e.id`, false))}
            and exists (select 1 from occurrences o where o.event_id = e.id and o.ends_at > ${ts(now)})
          order by e.published_at desc nulls last, e.id limit ${limit}) x
        order by x.published_at desc nulls last, x.id limit ${limit}`,
  );
  return rows.map((r) => r.id);
}

/** One uuid[] parameter (the statement text stays the same whatever the number of ids). */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

/** An event of a feed before its data is loaded: enough to place it and to find its VEVENT. */
export interface FeedEventStub {
  id: string;
  startsAt: Date;
  timezone: string;
  allDay: boolean;
  fingerprint: string;
  categorySlugs: string[];
}

/**
 * The public events of `ids`, in that order, each with its fingerprint and category slugs:
 * one small row per event, so that only the events whose VEVENT is not cached are loaded.
 */
export async function feedEventStubs(
  db: Queryable,
  scope: VisibleScope,
  ids: string[],
): Promise<FeedEventStub[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    starts_at: Date | string;
    timezone: string;
    all_day: boolean;
    fp: string;
    slugs: string | null;
  }>(
    db,
    // The categories of all the events at once (one index range, one aggregate), not a
    // subquery per event: those took 19 of the 30 ms for 700 events at 100,000 (PostgreSQL).
    sql`with cats as (select ec.event_id, ${categoriesPrintAgg} as fp,
            string_agg(c.slug, ',' order by c.slug) as slugs
          from event_categories ec join categories c on c.id = ec.category_id
          where ec.event_id = any(${uuidArray(ids)}) group by ec.event_id)
        select e.id, e.starts_at, e.timezone, e.all_day,
          ${fingerprintSql(sql`e`, sql`p`, sql`o`, sql`m`, sql`cats.fp`)} as fp, cats.slugs
        from events e
        join municipalities m on m.id = e.municipality_id
        left join places p on p.id = e.place_id
        left join organisations o on o.id = e.organisation_id
        left join cats on cats.event_id = e.id
        where e.id = any(${uuidArray(ids)}) and ${inScope(scope, sql`e.municipality_id`)} and ${publicEvent}`,
    { prepare: true },
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: FeedEventStub[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    out.push({
      id: r.id,
      startsAt: new Date(r.starts_at),
      timezone: r.timezone,
      allDay: r.all_day,
      fingerprint: r.fp,
      categorySlugs: r.slugs ? r.slugs.split(",") : [],
    });
  }
  return out;
}

/**
 * Loads the feed fields of public events, in the order of `ids`; organisers' public fields
 * only. One statement per chunk (categories as a per-row aggregate), so that an event's
 * fingerprint describes exactly the data loaded with it.
 */
export async function loadFeedEvents(
  db: Queryable,
  scope: VisibleScope,
  ids: string[],
  /** The site the feed is for: its id and the installation's URL (for the events' page URLs). */
  site: { id: string; installUrl: string; baseUrl?: string },
): Promise<FeedEvent[]> {
  if (ids.length === 0) return [];
  const out: FeedEvent[] = [];
  // Chunks keep the bind parameters far below the driver limits.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db
      // Only the columns a feed shows: `events` also holds the search document, which
      // was most of the bytes read and parsed.
      .select({
        e: {
          id: events.id,
          title: events.title,
          shortDescription: events.shortDescription,
          description: events.description,
          startsAt: events.startsAt,
          endsAt: events.endsAt,
          allDay: events.allDay,
          timezone: events.timezone,
          rrule: events.rrule,
          exdates: events.exdates,
          rdates: events.rdates,
          eventStatus: events.eventStatus,
          sequence: events.sequence,
          createdAt: events.createdAt,
          updatedAt: events.updatedAt,
          publishedAt: events.publishedAt,
          onlineUrl: events.onlineUrl,
        },
        p: {
          id: places.id,
          name: places.name,
          streetAddress: places.streetAddress,
          postalCode: places.postalCode,
          locality: places.locality,
          lat: places.lat,
          lon: places.lon,
        },
        o: { slug: organisations.slug, name: organisations.name, website: organisations.website },
        m: { id: municipalities.id, slug: municipalities.slug, publicUrl: municipalities.publicUrl },
        categories: sql<
          { slug: string; name: LocalizedText }[] | null
        >`(select json_agg(json_build_object('slug', c.slug, 'name', c.name) order by c.sort_order, c.slug)
          from ${eventCategories} ec join ${categories} c on c.id = ec.category_id where ec.event_id = ${events.id})`,
        fingerprint: fingerprintSql(
          sql`${events}`,
          sql`${places}`,
          sql`${organisations}`,
          sql`${municipalities}`,
          categoriesPrintOf(sql`${events.id}`),
        ),
      })
      .from(events)
      .innerJoin(municipalities, eq(municipalities.id, events.municipalityId))
      .leftJoin(places, eq(places.id, events.placeId))
      .leftJoin(organisations, eq(organisations.id, events.organisationId))
      .where(
        and(
          sql`${events.id} = any(${uuidArray(chunk)})`,
          inScope(scope, events.municipalityId),
          eq(events.state, "published"),
          isNull(events.deletedAt),
        ),
      );
    const byId = new Map(rows.map((r) => [r.e.id, r]));
    for (const id of chunk) {
      const r = byId.get(id);
      if (!r) continue;
      const { e, p, o, m } = r;
      out.push({
        id: e.id,
        title: e.title,
        shortDescription: e.shortDescription,
        description: e.description,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        allDay: e.allDay,
        timezone: e.timezone,
        rrule: e.rrule,
        exdates: e.exdates,
        rdates: e.rdates,
        eventStatus: e.eventStatus,
        sequence: e.sequence,
        createdAt: e.createdAt,
        updatedAt: e.updatedAt,
        publishedAt: e.publishedAt,
        onlineUrl: e.onlineUrl,
        place: p?.id
          ? {
              name: p.name,
              streetAddress: p.streetAddress,
              postalCode: p.postalCode,
              locality: p.locality,
              lat: p.lat,
              lon: p.lon,
            }
          : null,
        organisation: o?.slug && o.name ? { slug: o.slug, name: o.name, website: o.website } : null,
        categories: r.categories ?? [],
        url: eventUrl(site.installUrl, site, m, e.id),
        fingerprint: r.fingerprint,
      });
    }
  }
  return out;
}

/** Display names of the categories, places and organisations a filter names, for the feed's title. */
export async function filterLabels(
  db: Queryable,
  f: ResolvedFilter,
): Promise<{ categories: LocalizedText[]; places: LocalizedText[]; organisations: string[] }> {
  const [cats, pls, orgs] = await Promise.all([
    f.categoryIds?.length
      ? db
          .select({ name: categories.name })
          .from(categories)
          .where(inArray(categories.id, f.categoryIds))
          .orderBy(asc(categories.sortOrder), asc(categories.slug))
      : [],
    f.placeIds?.length
      ? db
          .select({ name: places.name })
          .from(places)
          .where(inArray(places.id, f.placeIds))
          .orderBy(asc(places.slug))
      : [],
    f.organisationIds?.length
      ? db
          .select({ name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.id, f.organisationIds))
          .orderBy(asc(organisations.slug))
      : [],
  ]);
  return {
    categories: cats.map((c) => c.name),
    places: pls.map((p) => p.name),
    organisations: orgs.map((o) => o.name),
  };
}
