/**
 * Reference data for filters and integrators: places, categories and organisations,
 * public fields only, each with its count of upcoming published events. Only approved
 * places are public (see approvePlaceOf in ../events/store.ts).
 */
import { sql } from "drizzle-orm";
import { isHttpUrl } from "../../contract/api/http-url.ts";
import type { LocalizedText } from "../../contract/codes.ts";
import { type Queryable, queryRows } from "../../db/client.ts";
import { inScope, type VisibleScope } from "../tenants.ts";

/**
 * Published events with an occurrence that has not ended, as a derived table `up(id,
 * place_id, organisation_id)`; read through the start-time and long-running indexes.
 */
const upcoming = (scope: VisibleScope, now: Date) => {
  const at = sql`${now.toISOString()}::timestamptz`;
  const weekBefore = sql`${new Date(now.getTime() - 7 * 86_400_000).toISOString()}::timestamptz`;
  const visible = inScope(scope, sql`o.municipality_id`);
  return sql`(select e.id, e.place_id, e.organisation_id from events e
    where ${inScope(scope, sql`e.municipality_id`)} and e.state = 'published' and e.deleted_at is null and e.id in (
      select o.event_id from occurrences o where ${visible} and o.starts_at >= ${weekBefore} and o.ends_at > ${at}
      union
      select o.event_id from occurrences o where ${visible} and o.long_running and o.ends_at > ${at})) up`;
};

export interface PlaceRow {
  id: string;
  slug: string;
  name: LocalizedText;
  street_address: string | null;
  postal_code: string | null;
  locality: string | null;
  village: string | null;
  village_name: LocalizedText;
  municipality: string | null;
  lat: number | null;
  lon: number | null;
  accessibility: string[];
  upcoming_events: number;
}

/**
 * Public places: approved and not deleted. A place created with a submission that no
 * moderator has let in yet (approved_at null) is not listed.
 */
export async function listPlaces(db: Queryable, scope: VisibleScope, now: Date): Promise<PlaceRow[]> {
  return queryRows<PlaceRow>(
    db,
    sql`select p.id, p.slug, p.name, p.street_address, p.postal_code, p.locality, p.village, p.village_name,
               p.municipality, p.lat, p.lon, p.accessibility, coalesce(x.n, 0)::int as upcoming_events
        from places p
        left join (select up.place_id, count(*) as n from ${upcoming(scope, now)} group by up.place_id) x on x.place_id = p.id
        where ${inScope(scope, sql`p.municipality_id`)} and p.deleted_at is null and p.approved_at is not null order by p.name->>'fi', p.slug`,
  );
}

export interface CategoryRow {
  slug: string;
  name: LocalizedText;
  yso_id: string | null;
  upcoming_events: number;
}

/** The region's shared categories and the visible municipalities' own additions. */
export async function listCategories(db: Queryable, scope: VisibleScope, now: Date): Promise<CategoryRow[]> {
  return queryRows<CategoryRow>(
    db,
    sql`select c.slug, c.name, c.yso_id, coalesce(x.n, 0)::int as upcoming_events
        from categories c
        left join (select ec.category_id, count(*) as n from ${upcoming(scope, now)}
                   join event_categories ec on ec.event_id = up.id group by ec.category_id) x on x.category_id = c.id
        where c.municipality_id is null or ${inScope(scope, sql`c.municipality_id`)}
        order by c.sort_order, c.slug`,
  );
}

export interface OrganisationRow {
  id: string;
  slug: string;
  name: string;
  kind: string;
  description: LocalizedText;
  website: string | null;
  email: string | null;
  upcoming_events: number;
}

/** Organisations are regional; their counts are of the visible municipalities' events. */
export async function listOrganisations(
  db: Queryable,
  scope: VisibleScope,
  now: Date,
): Promise<OrganisationRow[]> {
  // Public fields only: the private contact email and phone never leave the database here.
  // The approved profile only (a pending change waits in pending_profile); a website stored
  // before every URL was checked (http-url.ts) is shown only when it is a safe http(s) URL.
  const rows = await queryRows<OrganisationRow>(
    db,
    sql`select o.id, o.slug, o.name, o.kind, o.description, o.website, o.public_email as email,
               coalesce(x.n, 0)::int as upcoming_events
        from organisations o
        left join (select up.organisation_id, count(*) as n from ${upcoming(scope, now)} group by up.organisation_id) x
          on x.organisation_id = o.id
        where o.deleted_at is null order by o.name, o.slug`,
  );
  return rows.map((r) => (r.website && !isHttpUrl(r.website) ? { ...r, website: null } : r));
}
