/**
 * The public listing of occurrences of published events. The same query serves the
 * JSON API, the feeds and the web front-end, so a filter means the same thing
 * everywhere. Whatever the page size it runs two SQL statements: the page of
 * occurrences joined with event, place and organisation, and their categories.
 *
 * "Upcoming" is an overlap query (ends after `from`). To use the start-time index
 * instead of scanning the past, it reads occurrences that started at most a week
 * before `from` by start time, and the few longer ones through their own partial index.
 */
import { type SQL, sql } from "drizzle-orm";
import { type EventStatus, type LocalizedText, UUID_RE } from "../../contract/codes.ts";
import { intLiteral, type Queryable, queryRows } from "../../db/client.ts";
import { ValidationError } from "../errors.ts";
import {
  inScope,
  MUNICIPALITY_COLUMNS,
  type MunicipalityColumns,
  type MunicipalityRef,
  municipalityFromRow,
  scopeRows,
  type VisibleScope,
} from "../tenants.ts";
import { filterSql, filterUsesEvent, filterUsesPlace, type ResolvedFilter } from "./filter.ts";
import { categoriesPrintOf, fingerprintSql } from "./fingerprint.ts";
import {
  estimateSearch,
  matchingEventIds,
  type SearchEstimate,
  scopeEventsEstimate,
  searchQuery,
} from "./search.ts";

export type ListSort = "start" | "relevance";

export interface ListPageQuery {
  limit: number;
  cursor?: string | undefined;
  sort?: ListSort;
  /**
   * Read the events' data with the page, in the same statement (`ListPage.events`): for a
   * caller that expects to render most of them anew (nothing kept yet, or pages of events it
   * has not seen), one statement instead of the page's and then the events'.
   */
  withEvents?: boolean;
}

/**
 * An occurrence on a page: when it is, and which event, with the event's fingerprint
 * (src/domain/events/fingerprint.ts) to find its rendering made before; the event's own data
 * is loaded by `loadListedEvents` for the events whose rendering is not at hand.
 */
export interface OccurrenceRef {
  eventId: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  timezone: string;
  fingerprint: string;
}

/** What a list item shows of its event (all languages; the API picks one). */
export interface ListedEvent {
  eventId: string;
  allDay: boolean;
  timezone: string;
  eventStatus: EventStatus;
  title: LocalizedText;
  shortDescription: LocalizedText;
  isFree: boolean;
  updatedAt: Date;
  image: { url: string; alt: LocalizedText } | null;
  place: {
    id: string;
    slug: string;
    name: LocalizedText;
    village: string | null;
    villageName: LocalizedText;
  } | null;
  organisation: { id: string; slug: string; name: string } | null;
  categories: { slug: string; name: LocalizedText }[];
  /** The municipality the event belongs to (a neighbour's, when the site shows neighbours). */
  municipality: MunicipalityRef;
  /** The fingerprint of the rows this was loaded from (in the same statement). */
  fingerprint: string;
}

/** An event that changed since `updated_since` and is no longer public. */
export interface Tombstone {
  eventId: string;
  updatedAt: Date;
}

export interface ListPage {
  items: OccurrenceRef[];
  /** The page's events with their data, when asked for (`withEvents`). */
  events?: Map<string, ListedEvent>;
  tombstones: Tombstone[];
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
}

const WEEK_MS = 7 * 86_400_000;

type Cursor = { kind: "start"; startsAt: Date; eventId: string } | { kind: "offset"; offset: number };

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function encodeCursor(c: Cursor): string {
  return b64url(c.kind === "start" ? `s.${c.startsAt.getTime()}.${c.eventId}` : `o.${c.offset}`);
}

export function decodeCursor(cursor: string, sort: ListSort): Cursor {
  try {
    const raw = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const [kind, a, b] = raw.split(".");
    if (kind === "s" && sort === "start") {
      const startsAt = new Date(Number(a));
      if (b && UUID_RE.test(b) && !Number.isNaN(startsAt.getTime()))
        return { kind: "start", startsAt, eventId: b };
    }
    if (kind === "o" && sort === "relevance") {
      const offset = Number(a);
      if (Number.isInteger(offset) && offset >= 0 && offset <= 100_000) return { kind: "offset", offset };
    }
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: "cursor", message: "is not a valid cursor for this query" }]);
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/**
 * A walk's time bound as an InitPlan, `(select $n)`: the planner does not look at its value,
 * in a custom plan as little as in the generic one, so both cost the same and PostgreSQL keeps
 * a prepared statement's one generic plan instead of planning every execution anew (planning
 * was half of a list's page statement and more of a search's, #15; query-plans test). Index
 * conditions still take it, as a run-time key. Only for the walks, whose shape the query fixes
 * (a tenant-leading index in start order, with a limit) whatever the bound's value: over a
 * whole window the planner needs the values (a one-category feed's year went 20 → 30 ms).
 */
const bound = (d: Date) => sql`(select ${d.toISOString()}::timestamptz)`;
const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

/** A row of a page: the occurrence, and what finds (and formats) its event's rendering. */
interface PageRow {
  event_id: string;
  starts_at: Date | string;
  ends_at: Date | string;
  all_day: boolean;
  timezone: string;
  fp: string;
}

/**
 * A search in start order with enough matches (at least 1/64 of the scope's events) walks
 * the start index and keeps the occurrences of matching events, probing a hash of their ids,
 * so it stops after `limit` rows; with few matches it reads just their occurrences and
 * sorts them. The matches are counted in the same statement: the unused branch is skipped.
 * The scope's events are estimated from ANALYZE's statistics (`estimateSearch`); without
 * statistics the search reads the matches' occurrences.
 */
const WALK_WHEN_EVENTS_PER_MATCH = 64;

/**
 * The occurrences matching a filter, as a union of branches for `from (…) u`. With
 * `orderLimit` ("order by … limit n") every branch returns its first n rows in start order.
 */
export function occurrenceBranches(
  f: ResolvedFilter,
  extra: SQL[],
  orderLimit?: SQL,
  /** The scope's events, when the caller has them (`estimateSearch`); else read in the statement. */
  eventsEstimate?: number,
): SQL {
  const { terms, ...rest } = f;
  const searchInOrder = Boolean(terms?.length && orderLimit);
  // Several municipalities and a start order: a walk runs once per municipality (a lateral
  // query with `= sc.id`), so it walks the tenant-leading index in start order and stops
  // after n rows; `= any(…)` would make PostgreSQL read and sort every match.
  const perMunicipality = Boolean(orderLimit) && f.scope.ids.length > 1;
  // Events are joined only when a condition reads their columns: otherwise the walk reads
  // the public occurrences' own index and nothing else (migration 0013).
  const joinEvents = filterUsesEvent(f);
  // A walk (in start order, with a limit) takes its time bounds as InitPlans, so that its one
  // plan serves every date (`bound`); a statement over the whole window keeps the values, which
  // the planner needs to size it (a one-category feed's year: hash aggregate, not sort + group).
  const at = orderLimit ? bound : ts;
  const common = (per: boolean) => {
    const c = [
      // On the occurrence, whose indexes it leads (ADR 0006); filterSql puts it on the event too.
      per ? sql`o.municipality_id = sc.id` : inScope(f.scope, sql`o.municipality_id`),
      sql`o.public`,
      sql`o.ends_at > ${at(f.from)}`,
      ...filterSql(searchInOrder ? rest : f, sql`o.event_id`, joinEvents),
      ...extra,
    ];
    if (f.to) c.push(sql`o.starts_at < ${at(f.to)}`);
    return and(c);
  };
  const weekBefore = new Date(f.from.getTime() - WEEK_MS);
  // Joining places only when a condition needs them saves PostgreSQL planning time.
  const from = !joinEvents
    ? sql`from occurrences o`
    : filterUsesPlace(f)
      ? sql`from occurrences o join events e on e.id = o.event_id left join places p on p.id = e.place_id`
      : sql`from occurrences o join events e on e.id = o.event_id`;
  const recent = (per: boolean) => sql`select o.event_id, o.starts_at, o.ends_at ${from}
      where o.starts_at >= ${at(weekBefore)} and ${common(per)}`;
  const long = (per: boolean) => sql`select o.event_id, o.starts_at, o.ends_at ${from}
      where o.long_running and o.starts_at < ${at(weekBefore)} and ${common(per)}`;
  const part = (body: (per: boolean) => SQL, per = perMunicipality) =>
    per
      ? sql`(select b.event_id, b.starts_at, b.ends_at from ${scopeRows(f.scope)} as sc(id)
          cross join lateral (${body(true)} ${orderLimit}) b)`
      : sql`(${body(false)} ${orderLimit ?? sql``})`;
  if (!searchInOrder || !terms) {
    return sql`${part(recent)} union all ${part(long)}`;
  }
  // "(… in (select id from m)) is true" is kept a hashed subplan filter: a bare IN would
  // become a semi-join, which the planner runs as a nested loop re-testing the tsquery.
  const events =
    eventsEstimate === undefined ? scopeEventsEstimate(f.scope) : sql`${String(eventsEstimate)}::float8`;
  const walk = sql`(select count(*) * ${sql.raw(String(WALK_WHEN_EVENTS_PER_MATCH))} >= ${events} from m)`;
  // Reading the matches' occurrences (by event id) needs no per-municipality split: one pass.
  return sql`with m as materialized (${matchingEventIds(f.scope, terms)})
    ${part((per) => sql`${recent(per)} and ${walk} and (o.event_id in (select m.id from m)) is true`)}
    union all
    ${part((per) => sql`${recent(per)} and not ${walk} and o.event_id = any(array(select m.id from m))`, false)}
    union all
    ${part((per) => sql`${long(per)} and o.event_id = any(array(select m.id from m))`, false)}`;
}

/** Lists one page of occurrences of published events matching a resolved filter. */
export async function listOccurrences(
  db: Queryable,
  f: ResolvedFilter,
  page: ListPageQuery,
): Promise<ListPage> {
  const sort = page.sort ?? "start";
  const cursor = page.cursor ? decodeCursor(page.cursor, sort) : undefined;
  const n = page.limit + 1;
  // In the statement's text, so a prepared statement's one generic plan knows it (intLiteral).
  const lim = intLiteral(n);
  let pageSql: SQL;
  let outerOrder: SQL;
  if (sort === "relevance" && f.terms?.length) {
    const offset = cursor?.kind === "offset" ? cursor.offset : 0;
    const query = searchQuery(f.terms);
    pageSql = sql`select b.*, ts_rank_cd(e.search_vector, ${query}) as rank
      from (${occurrenceBranches(f, [])}) b join events e on e.id = b.event_id
      order by rank desc, b.starts_at, b.event_id offset ${offset} limit ${lim}`;
    outerOrder = sql`order by pg.rank desc, pg.starts_at, pg.event_id`;
  } else {
    const after =
      cursor?.kind === "start"
        ? [sql`(o.starts_at, o.event_id) > (${bound(cursor.startsAt)}, ${cursor.eventId}::uuid)`]
        : [];
    const estimate = f.terms?.length ? await estimateSearch(db, f.scope, f.terms) : undefined;
    pageSql = sql`select * from (${occurrenceBranches(f, after, sql`order by o.starts_at, o.event_id limit ${lim}`, estimate?.events)}) u
      order by u.starts_at, u.event_id limit ${lim}`;
    outerOrder = sql`order by pg.starts_at, pg.event_id`;
    const { terms, ...plain } = f;
    const probe = terms && estimate ? probeRows(n, estimate) : 0;
    if (terms && probe > 0) {
      // First the probe walk: cheaper when the words are common.
      const kLim = intLiteral(probe);
      // The walk is a subquery ordered as the page is, so PostgreSQL probes rows only until the
      // page is full (a CTE would hide its order: every row was probed, then sorted again). The
      // tsquery is computed once (written in the probe, it was parsed and stemmed per row).
      const probed = await pageQuery(
        db,
        page.withEvents === true,
        sql`with q as materialized (select ${searchQuery(terms)} as tsq)
            select w.* from (select u.* from (${occurrenceBranches(plain, after, sql`order by o.starts_at, o.event_id limit ${kLim}`)}) u
              order by u.starts_at, u.event_id limit ${kLim}) w
            where (select s.search_vector @@ (select q.tsq from q) from events s where s.id = w.event_id)
            order by w.starts_at, w.event_id limit ${lim}`,
        outerOrder,
      );
      // A full page is the answer. Otherwise the walk ran out (rarer words than estimated, a
      // short window): the statement over the matches decides.
      if (probed.length === n) return finishPage(db, f, page, sort, cursor, probed);
    }
  }
  return finishPage(
    db,
    f,
    page,
    sort,
    cursor,
    await pageQuery(db, page.withEvents === true, pageSql, outerOrder),
  );
}

/**
 * A search in start order can first walk the start index as a list without the words would,
 * and keep the occurrences whose event matches them (a primary-key probe and a test of its
 * search document per row: ~8 µs on PostgreSQL at 100,000 events), or first read every
 * matching event from the search index (~1.8 µs each, with the rest of that statement) and
 * then walk or sort their occurrences (`occurrenceBranches`). The probe's cost grows with the
 * rows it reads before the page is full, about `n × WALK_ROWS_PER_MATCH / share`; reading the
 * matches' with their number, `share × events`. So the probe runs only when statistics say the
 * words are common enough for it to be the cheaper (`share² × events ≥ PROBE_WHEN × n`,
 * 3 rows × 8 µs / 1.8 µs ≈ 14, rounded up: the matches' cost is the better known), and reads
 * at most four times the rows it expects: a page it does not fill goes to the matches.
 *
 * Measured on the seeded data (PostgreSQL, "konsertti", 4.2 % of events, a page of 20, the
 * probe needing ~1,460 rows at 100,000 events): the probe 12 ms of PostgreSQL's time per
 * request, the matches 8 ms; when the probe ran first for every search (and at 100,000 events
 * ran out after 1,050 rows and 16 matches) PostgreSQL spent 30, 7 and 3.4 ms per request at
 * 100,000, 10,000 and 1,000 events, now 16, 2.6 and 1.4 ms (#15). WALK_ROWS_PER_MATCH is the
 * seed's: an event has several occurrences in the days a walk reads.
 */
const WALK_ROWS_PER_MATCH = 3;
const PROBE_WHEN = 16;
const MIN_PROBE_ROWS = 200;

/** The rows the probe walk may read for a page of `n` (0: read the matches first). */
export function probeRows(n: number, estimate: SearchEstimate): number {
  const { share, events } = estimate;
  // Before ANALYZE has seen the search documents: the probe as far as 50 rows per row of the page.
  if (share === undefined) return Math.max(1000, n * 50);
  if (!(share > 0) || share * share * events < PROBE_WHEN * n) return 0;
  return Math.max(MIN_PROBE_ROWS, Math.ceil((4 * n * WALK_ROWS_PER_MATCH) / share));
}

/**
 * The page's rows with what their events' renderings are found by: each event's fingerprint
 * (the row versions of the event, its place, organisation, municipality and categories), its
 * time zone and all-day flag. The event's texts, place, organiser and categories are loaded
 * (`loadListedEvents`) only for the events the caller has no rendering of: an uncached list
 * of 50 read, parsed and rendered about 50 kB of texts in three languages on every request,
 * most of it the same events as the request before (#15). Prepared on PostgreSQL: the text
 * depends only on which filters are set.
 */
function pageQuery(
  db: Queryable,
  withEvents: boolean,
  pageSql: SQL,
  outerOrder: SQL,
): Promise<(PageRow & Partial<EventRow>)[]> {
  return queryRows<PageRow & Partial<EventRow>>(
    db,
    sql`with pg as (${pageSql})
      select pg.event_id, pg.starts_at, pg.ends_at, e.all_day, e.timezone,
             ${fingerprintSql(sql`e`, sql`p`, sql`org`, sql`mu`, categoriesPrintOf(sql`pg.event_id`))} as fp
             ${withEvents ? sql`, ${EVENT_COLUMNS}` : sql``}
      from pg join events e on e.id = pg.event_id
      join municipalities mu on mu.id = e.municipality_id
      left join places p on p.id = e.place_id
      left join organisations org on org.id = e.organisation_id
      ${outerOrder}`,
    { prepare: true },
  );
}

/** The page from its rows (one more than the limit when there is a next page): tombstones, cursor. */
async function finishPage(
  db: Queryable,
  f: ResolvedFilter,
  page: ListPageQuery,
  sort: ListSort,
  cursor: Cursor | undefined,
  rows: (PageRow & Partial<EventRow>)[],
): Promise<ListPage> {
  const pageRows = rows.slice(0, page.limit);
  const tombstones = f.updatedSince && !cursor ? await listTombstones(db, f.scope, f.updatedSince) : [];
  const items = pageRows.map(
    (r): OccurrenceRef => ({
      eventId: r.event_id,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      allDay: r.all_day,
      timezone: r.timezone,
      fingerprint: r.fp,
    }),
  );
  let nextCursor: string | null = null;
  if (rows.length > page.limit) {
    const last = items[items.length - 1] as OccurrenceRef;
    nextCursor =
      sort === "relevance" && f.terms?.length
        ? encodeCursor({
            kind: "offset",
            offset: (cursor?.kind === "offset" ? cursor.offset : 0) + page.limit,
          })
        : encodeCursor({ kind: "start", startsAt: last.startsAt, eventId: last.eventId });
  }
  const events = page.withEvents
    ? new Map(pageRows.map((r) => [r.event_id, toListed({ ...(r as EventRow), fp: r.fp })]))
    : undefined;
  return { items, tombstones, nextCursor, ...(events ? { events } : {}) };
}

interface EventRow extends MunicipalityColumns {
  event_id: string;
  all_day: boolean;
  timezone: string;
  event_status: EventStatus;
  title: LocalizedText;
  short_description: LocalizedText;
  is_free: boolean;
  updated_at: Date | string;
  image: { url: string; alt: LocalizedText } | null;
  place_id: string | null;
  place_slug: string | null;
  place_name: LocalizedText | null;
  village: string | null;
  village_name: LocalizedText | null;
  org_id: string | null;
  org_slug: string | null;
  org_name: string | null;
  /** The event's categories in their order, null for none. */
  categories: { slug: string; name: LocalizedText }[] | null;
  fp: string;
}

/** What the list shows of an event (aliases e, p, org, mu), beside its id, time zone and all-day flag. */
const EVENT_COLUMNS = sql`e.event_status, e.title, e.short_description, e.is_free, e.updated_at, e.image,
             p.id as place_id, p.slug as place_slug, p.name as place_name, p.village, p.village_name,
             org.id as org_id, org.slug as org_slug, org.name as org_name, ${MUNICIPALITY_COLUMNS},
             (select json_agg(json_build_object('slug', c.slug, 'name', c.name) order by c.sort_order, c.slug)
              from event_categories ec join categories c on c.id = ec.category_id
              where ec.event_id = e.id) as categories`;

/**
 * What the list shows of the public events `ids` in `scope`, by id, each with the fingerprint
 * of the rows it was read from (in the same statement, so a piece rendered from it is never
 * filed under a newer fingerprint than its data). An event that stopped being public since its
 * page was read is left out. One statement, whatever the number of ids.
 */
export async function loadListedEvents(
  db: Queryable,
  scope: VisibleScope,
  ids: readonly string[],
): Promise<Map<string, ListedEvent>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<EventRow>(
    db,
    sql`select e.id as event_id, e.all_day, e.timezone, ${EVENT_COLUMNS},
             ${fingerprintSql(sql`e`, sql`p`, sql`org`, sql`mu`, categoriesPrintOf(sql`e.id`))} as fp
      from events e
      join municipalities mu on mu.id = e.municipality_id
      left join places p on p.id = e.place_id
      left join organisations org on org.id = e.organisation_id
      where e.id = any(${`{${ids.join(",")}}`}::uuid[]) and ${inScope(scope, sql`e.municipality_id`)}
        and e.state = 'published' and e.deleted_at is null`,
    { prepare: true },
  );
  return new Map(rows.map((r) => [r.event_id, toListed(r)]));
}

function toListed(r: EventRow): ListedEvent {
  return {
    eventId: r.event_id,
    allDay: r.all_day,
    timezone: r.timezone,
    eventStatus: r.event_status,
    title: r.title,
    shortDescription: r.short_description,
    isFree: r.is_free,
    updatedAt: new Date(r.updated_at),
    image: r.image ? { url: r.image.url, alt: r.image.alt ?? {} } : null,
    place:
      r.place_id && r.place_slug
        ? {
            id: r.place_id,
            slug: r.place_slug,
            name: r.place_name ?? {},
            village: r.village,
            villageName: r.village_name ?? {},
          }
        : null,
    organisation:
      r.org_id && r.org_slug && r.org_name ? { id: r.org_id, slug: r.org_slug, name: r.org_name } : null,
    categories: r.categories ?? [],
    municipality: municipalityFromRow(r),
    fingerprint: r.fp,
  };
}

/** Events that were public once, changed after `since`, and are no longer public. */
async function listTombstones(db: Queryable, scope: VisibleScope, since: Date): Promise<Tombstone[]> {
  const rows = await queryRows<{ id: string; updated_at: Date | string }>(
    db,
    sql`select id, updated_at from events
        where ${inScope(scope, sql`municipality_id`)} and published_at is not null and updated_at > ${ts(since)}
          and (state <> 'published' or deleted_at is not null)
        order by updated_at, id limit 1000`,
  );
  return rows.map((r) => ({ eventId: r.id, updatedAt: new Date(r.updated_at) }));
}

/** Counts all occurrences matching the filter (ignoring the cursor), for `total=true`. */
export async function countOccurrences(db: Queryable, f: ResolvedFilter): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*)::int as n from (${occurrenceBranches(f, [])}) b`,
  );
  return Number(row?.n ?? 0);
}
