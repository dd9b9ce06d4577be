/**
 * Event filters shared by the JSON list, the feeds and the web front-end, so that a
 * filter means the same thing everywhere. `resolveFilter` checks references (unknown
 * category, place or organisation → 400 naming the parameter) in one query;
 * `filterSql` turns a resolved filter into SQL conditions over the aliases
 * e (events), o (occurrences) and p (places). A resolved filter carries the tenant's
 * visible scope (ADR 0006): every query built from one shows only the visible municipalities.
 */
import { type SQL, sql } from "drizzle-orm";
import { type EventStatus, UUID_RE } from "../../contract/codes.ts";
import { type Queryable, queryRows } from "../../db/client.ts";
import { type FieldIssue, ValidationError } from "../errors.ts";
import { inScope, type VisibleScope } from "../tenants.ts";
import { matchingEventIds, searchTerms } from "./search.ts";

export interface EventFilterInput {
  from: Date;
  to?: Date | undefined;
  q?: string | undefined;
  /** Category slugs (any of). */
  categories?: string[];
  /** Place ids or slugs (any of). */
  places?: string[];
  /** Village slugs (any of). */
  villages?: string[];
  /** Organisation ids or slugs (any of). */
  organisations?: string[];
  /** Suitable for this age. */
  age?: number | undefined;
  isFree?: boolean | undefined;
  /** Languages the event is held in (any of). */
  languages?: string[];
  /** Accessibility feature codes (all of). */
  accessibility?: string[];
  eventStatus?: EventStatus[];
  /** minLon, minLat, maxLon, maxLat */
  bbox?: [number, number, number, number] | undefined;
  near?: { lat: number; lon: number; radius: number } | undefined;
  /** Only events changed after this instant; unpublished and deleted ones come as tombstones. */
  updatedSince?: Date | undefined;
}

export interface ResolvedFilter extends Omit<EventFilterInput, "categories" | "places" | "organisations"> {
  /** The municipalities whose events the filter may match (`visibleTo(ctx.tenant)`). */
  scope: VisibleScope;
  categoryIds?: string[];
  placeIds?: string[];
  organisationIds?: string[];
  terms?: string[];
}

/** Resolves slugs to ids, rejecting unknown references with a 400 that names the parameter. */
export async function resolveFilter(
  db: Queryable,
  scope: VisibleScope,
  input: EventFilterInput,
): Promise<ResolvedFilter> {
  const { categories, places, organisations, q, ...rest } = input;
  const resolved: ResolvedFilter = { ...rest, scope };
  if (q !== undefined) {
    const terms = searchTerms(q);
    if (terms.length === 0)
      throw new ValidationError([{ path: "q", message: "must contain a word to search for" }]);
    resolved.terms = terms;
  }
  const wanted: SQL[] = [];
  const ref = (values: string[]) => {
    const ids = values.filter((v) => UUID_RE.test(v));
    return {
      ids: sql`array[${sql.join([...ids.map((v) => sql`${v}`), sql`null`], sql`, `)}]::uuid[]`,
      slugs: sql`array[${sql.join([...values.map((v) => sql`${v}`), sql`null`], sql`, `)}]::text[]`,
    };
  };
  if (categories?.length) {
    const r = ref(categories);
    wanted.push(
      // The region's shared list and the visible municipalities' own additions.
      sql`select 'category' as kind, id::text as id, slug from categories where slug = any(${r.slugs}) and (municipality_id is null or ${inScope(scope, sql`municipality_id`)})`,
    );
  }
  if (places?.length) {
    const r = ref(places);
    wanted.push(
      // Only public places: one awaiting moderation is as unknown as a misspelt slug.
      sql`select 'place' as kind, id::text as id, slug from places where (slug = any(${r.slugs}) or id = any(${r.ids})) and ${inScope(scope, sql`municipality_id`)} and deleted_at is null and approved_at is not null`,
    );
  }
  if (organisations?.length) {
    const r = ref(organisations);
    wanted.push(
      sql`select 'organisation' as kind, id::text as id, slug from organisations where (slug = any(${r.slugs}) or id = any(${r.ids})) and deleted_at is null`,
    );
  }
  if (wanted.length === 0) return resolved;

  const rows = await queryRows<{ kind: string; id: string; slug: string }>(
    db,
    sql.join(wanted, sql` union all `),
  );
  const issues: FieldIssue[] = [];
  const check = (kind: string, param: string, values: string[] | undefined) => {
    if (!values?.length) return undefined;
    const found = rows.filter((r) => r.kind === kind);
    for (const v of values) {
      if (!found.some((r) => r.slug === v || r.id === v.toLowerCase())) {
        issues.push({ path: param, message: `unknown ${kind} "${v}"` });
      }
    }
    return [...new Set(found.map((r) => r.id))];
  };
  const categoryIds = check("category", "category", categories);
  const placeIds = check("place", "place", places);
  const organisationIds = check("organisation", "organisation", organisations);
  if (issues.length > 0) throw new ValidationError(issues);
  if (categoryIds) resolved.categoryIds = categoryIds;
  if (placeIds) resolved.placeIds = placeIds;
  if (organisationIds) resolved.organisationIds = organisationIds;
  return resolved;
}

/**
 * One array parameter, whatever the number of values, so the statement text (and the
 * statement PostgreSQL keeps prepared for it) does not change with the values.
 */
const arrayLiteral = (vals: string[]) => `{${vals.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
const uuidArray = (ids: string[]) => sql`${arrayLiteral(ids)}::uuid[]`;
const textArray = (vals: string[]) => sql`${arrayLiteral(vals)}::text[]`;

/** Whether `filterSql` refers to the place (p): otherwise the caller need not join it. */
export function filterUsesPlace(f: ResolvedFilter): boolean {
  return Boolean(f.villages?.length || f.accessibility?.length || f.bbox || f.near);
}

/**
 * Whether `filterSql` refers to the event's own columns (e), or the place (p) through it:
 * otherwise a query driven by occurrences need not join events at all (their `public`
 * flag and municipality say the rest, migration 0013).
 */
export function filterUsesEvent(f: ResolvedFilter): boolean {
  return Boolean(
    filterUsesPlace(f) ||
      f.placeIds?.length ||
      f.organisationIds?.length ||
      f.age !== undefined ||
      f.isFree !== undefined ||
      f.languages?.length ||
      f.eventStatus?.length ||
      f.updatedSince,
  );
}

/**
 * SQL conditions over events (e) and places (p) for everything but the time range.
 * `eventId` is the column the category and search conditions are put on: pass
 * `o.event_id` when occurrences drive the query, so the planner can probe them by event.
 * `onEvent: false` leaves out the tenant condition on e, for a caller that scopes the
 * occurrences and does not join events (see `filterUsesEvent`).
 */
export function filterSql(f: ResolvedFilter, eventId: SQL = sql`e.id`, onEvent = true): SQL[] {
  const c: SQL[] = onEvent ? [inScope(f.scope, sql`e.municipality_id`)] : [];
  if (f.categoryIds?.length) {
    c.push(
      sql`exists (select 1 from event_categories ec where ec.event_id = ${eventId} and ec.category_id = any(${uuidArray(f.categoryIds)}))`,
    );
  }
  if (f.placeIds?.length) c.push(sql`e.place_id = any(${uuidArray(f.placeIds)})`);
  if (f.villages?.length) c.push(sql`p.village = any(${textArray(f.villages)})`);
  if (f.organisationIds?.length) c.push(sql`e.organisation_id = any(${uuidArray(f.organisationIds)})`);
  if (f.age !== undefined) {
    c.push(
      sql`(e.age_min is null or e.age_min <= ${f.age}) and (e.age_max is null or e.age_max >= ${f.age})`,
    );
  }
  if (f.isFree !== undefined) c.push(sql`e.is_free = ${f.isFree}`);
  if (f.languages?.length) c.push(sql`e.languages && ${textArray(f.languages)}`);
  if (f.accessibility?.length) {
    // An event is accessible in a way when it or its place declares the feature.
    c.push(
      sql`(e.accessibility || coalesce(p.accessibility, '{}'::text[])) @> ${textArray(f.accessibility)}`,
    );
  }
  if (f.eventStatus?.length) c.push(sql`e.event_status::text = any(${textArray(f.eventStatus)})`);
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    c.push(sql`p.lat between ${minLat} and ${maxLat} and p.lon between ${minLon} and ${maxLon}`);
  }
  if (f.near) {
    const { lat, lon, radius } = f.near;
    // Equirectangular distance: exact enough within a municipality or a region.
    const dLat = sql`radians(p.lat - ${lat}::float8)`;
    const dLon = sql`radians(p.lon - ${lon}::float8) * cos(radians(${lat}::float8))`;
    c.push(
      sql`p.lat is not null and 6371000 * sqrt(power(${dLat}, 2) + power(${dLon}, 2)) <= ${radius}::float8`,
    );
  }
  if (f.terms?.length) {
    // The matching ids are computed once from the search index (an InitPlan); the outer
    // query then probes occurrences by event id instead of walking every upcoming one.
    c.push(sql`${eventId} = any(array(${matchingEventIds(f.scope, f.terms)}))`);
  }
  if (f.updatedSince) c.push(sql`e.updated_at > ${f.updatedSince.toISOString()}::timestamptz`);
  return c;
}
