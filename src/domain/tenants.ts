/**
 * The municipalities (tenants, ADR 0006) as the domain sees them: loading the directory the
 * request middleware resolves a tenant from, and `visibleTo`, the one way a public read gets
 * its tenant predicate.
 */
import { type Column, type SQL, sql } from "drizzle-orm";
import type { LocalizedText } from "../contract/codes.ts";
import { type Queryable, queryRows } from "../db/client.ts";
import { DEFAULT_MUNICIPALITY_ID } from "../db/schema.ts";
import type { Tenant } from "./context.ts";
import { ValidationError } from "./errors.ts";

/** Every municipality of the region, by host and by slug. */
export interface TenantDirectory {
  all: Tenant[];
  bySlug: Map<string, Tenant>;
  byHost: Map<string, Tenant>;
}

/** A point on the earth, in degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** What `visible` is computed from: a municipality's centre, radius and chosen neighbours. */
export interface SharingSettings {
  id: string;
  centre: LatLon | null;
  radiusKm: number | null;
  neighbours: readonly string[];
}

/**
 * The municipalities whose public events a municipality's site shows: itself first, then
 * its chosen neighbours and every municipality whose centre is within its radius of its
 * centre (both need a centre), in the order of `region` (by slug), each once.
 */
export function visibleFrom(self: SharingSettings, region: readonly SharingSettings[]): string[] {
  const chosen = new Set(self.neighbours);
  const others = region.filter((m) => {
    if (m.id === self.id) return false;
    if (chosen.has(m.id)) return true;
    return (
      self.radiusKm !== null &&
      self.centre !== null &&
      m.centre !== null &&
      distanceKm(self.centre, m.centre) <= self.radiusKm
    );
  });
  return [self.id, ...others.map((m) => m.id)];
}

/** Reads the municipalities, their hosts and neighbours (small tables; cached by the caller). */
export async function loadTenantDirectory(db: Queryable): Promise<TenantDirectory> {
  const rows = await queryRows<{
    id: string;
    slug: string;
    name: LocalizedText;
    languages: string[] | string;
    default_locale: string;
    settings: Record<string, unknown> | null;
    hosts: string[] | string | null;
    theme: Tenant["theme"] | null;
    public_url: string | null;
    neighbours: string[] | string | null;
    lat: number | null;
    lon: number | null;
    neighbour_radius_km: number | null;
  }>(
    db,
    sql`select m.id, m.slug, m.name, m.languages, m.default_locale, m.settings, m.theme, m.public_url,
               m.lat, m.lon, m.neighbour_radius_km,
               array(select h.host from municipality_hosts h where h.municipality_id = m.id order by h.host) as hosts,
               array(select n.neighbour_id::text from municipality_neighbours n where n.municipality_id = m.id) as neighbours
        from municipalities m order by m.slug`,
  );
  const sharing: SharingSettings[] = rows.map((r) => ({
    id: r.id,
    centre: r.lat !== null && r.lon !== null ? { lat: Number(r.lat), lon: Number(r.lon) } : null,
    radiusKm: r.neighbour_radius_km === null ? null : Number(r.neighbour_radius_km),
    neighbours: textArray(r.neighbours ?? []),
  }));
  const all: Tenant[] = [];
  const bySlug = new Map<string, Tenant>();
  const byHost = new Map<string, Tenant>();
  for (const [i, r] of rows.entries()) {
    const tenant: Tenant = {
      id: r.id,
      slug: r.slug,
      name: r.name,
      languages: textArray(r.languages),
      defaultLocale: r.default_locale,
      settings: r.settings ?? {},
      visible: visibleFrom(sharing[i] as SharingSettings, sharing),
      publicUrl: r.public_url ? r.public_url.replace(/\/+$/, "") : null,
      theme: r.theme ?? {},
      unedited: r.id === DEFAULT_MUNICIPALITY_ID && isPlaceholderName(r.name),
    };
    all.push(tenant);
    bySlug.set(r.slug, tenant);
    for (const host of textArray(r.hosts ?? [])) byHost.set(host.toLowerCase(), tenant);
  }
  return { all, bySlug, byHost };
}

/** Migration 0008 named the default municipality {"fi":"Kuntakalenteri"} (SQL cannot read SITE_NAME). */
export function isPlaceholderName(name: LocalizedText): boolean {
  const keys = Object.keys(name ?? {});
  return keys.length === 1 && name.fi === "Kuntakalenteri";
}

/** text[] comes back as an array from postgres.js and PGlite, as "{a,b}" from some raw paths. */
function textArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter(Boolean);
}

declare const scopeBrand: unique symbol;

/**
 * The municipalities a public read may show, made only by `visibleTo`: the public read
 * builders (list, detail, filters, feeds, places) take one as a required parameter, so none
 * can be called without the tenant.
 */
export interface VisibleScope {
  readonly ids: readonly string[];
  readonly [scopeBrand]: true;
}

/** The public-read scope of a tenant: the municipalities whose events its site shows. */
export function visibleTo(tenant: Pick<Tenant, "visible">): VisibleScope {
  if (tenant.visible.length === 0) throw new Error("a tenant must see at least itself");
  return { ids: tenant.visible } as VisibleScope;
}

/**
 * `column` belongs to a visible municipality: `= $1` for one (so the leading index column
 * keeps its order for "order by starts_at limit n"), `= any($1)` for several. The statement
 * text depends only on which of the two it is, so prepared statements stay few.
 */
export function inScope(scope: VisibleScope, column: SQL | Column): SQL {
  if (scope.ids.length === 1) return sql`${column} = ${scope.ids[0]}::uuid`;
  return sql`${column} = any(${`{${scope.ids.join(",")}}`}::uuid[])`;
}

/**
 * What a site's cached public answers are keyed by: the tenant and the municipalities it
 * shows, so a change of neighbours or radius (which bumps no data version) gets fresh answers
 * as soon as the municipalities are re-read. `municipality=` is in the URL, which is keyed too.
 */
export function siteCacheKey(tenant: Pick<Tenant, "id" | "visible">): string {
  return tenant.visible.length > 1 ? `${tenant.id}+${tenant.visible.slice(1).join("+")}` : tenant.id;
}

/** The scope's ids as one uuid[] parameter (`= any(…)`). */
export function scopeArray(scope: VisibleScope): SQL {
  return sql`${`{${scope.ids.join(",")}}`}::uuid[]`;
}

/**
 * The scope's ids as a VALUES list, one parameter each, for `… as sc(id) cross join lateral
 * (…)`: a query that must read a tenant-leading index in order ("order by starts_at limit n")
 * runs once per municipality with `= sc.id`, since `= any(…)` over several would lose that
 * order. Not `unnest(<one array parameter>)`: the planner guesses 10 rows for that, so a
 * prepared statement's generic plan looked dearer than its custom plans and PostgreSQL planned
 * every execution anew, half of the list's page statement (#15). A VALUES list has as many rows
 * as it says; the statement's text differs only by the scope's size.
 */
export function scopeRows(scope: VisibleScope): SQL {
  return sql`(values ${sql.join(
    scope.ids.map((id) => sql`(${id}::uuid)`),
    sql`, `,
  )})`;
}

/** The municipality an event belongs to, as public outputs name and link it. */
export interface MunicipalityRef {
  id: string;
  slug: string;
  name: LocalizedText;
  /** municipalities.public_url: the site's canonical origin (and path), or null. */
  publicUrl: string | null;
}

/**
 * The base URL of municipality `m`'s site, as linked from `site`'s pages, feeds and API:
 * its own public URL when it has one; the installation's for the site itself (today's URLs);
 * else the installation's with the path prefix `/<slug>`, which the tenant middleware serves.
 */
export function siteUrlOf(
  installUrl: string,
  site: Pick<Tenant, "id" | "baseUrl">,
  m: Omit<MunicipalityRef, "name">,
): string {
  // The site itself: the base URL its request was resolved with (host, prefix or public URL).
  if (m.id === site.id && site.baseUrl) return site.baseUrl;
  if (m.publicUrl) return m.publicUrl.replace(/\/+$/, "");
  if (m.id === site.id) return installUrl;
  return `${installUrl}/${m.slug}`;
}

/**
 * The URL of an event's page: the canonical one, on its own municipality's site, also when a
 * neighbour's site lists it. The one place that says where an event lives.
 */
export function eventUrl(
  installUrl: string,
  site: Pick<Tenant, "id" | "baseUrl">,
  m: Omit<MunicipalityRef, "name">,
  eventId: string,
): string {
  return `${siteUrlOf(installUrl, site, m)}/tapahtumat/${eventId}`;
}

/** The municipality columns a public read selects, from the alias `mu` of municipalities. */
export const MUNICIPALITY_COLUMNS = sql`mu.id as mu_id, mu.slug as mu_slug, mu.name as mu_name, mu.public_url as mu_public_url`;

export interface MunicipalityColumns {
  mu_id: string;
  mu_slug: string;
  mu_name: LocalizedText;
  mu_public_url: string | null;
}

export function municipalityFromRow(r: MunicipalityColumns): MunicipalityRef {
  return { id: r.mu_id, slug: r.mu_slug, name: r.mu_name, publicUrl: r.mu_public_url };
}

/** The query parameter of public reads that names the municipalities to show (#21). */
export const MUNICIPALITY_PARAM = "municipality";

function splitSlugs(values: readonly string[]): string[] {
  return [
    ...new Set(
      values
        .flatMap((v) => v.split(","))
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/**
 * The municipality ids that `municipality=` values name (the raw query values; none: null),
 * in the region's canonical order (the site's own first, then by slug, so equal sets give
 * equal scopes). Pure, so the Node fast path and the response cache can key a request
 * without a Hono context. An unknown slug is a ValidationError naming the parameter.
 */
export function chosenMunicipalities(
  region: TenantDirectory,
  site: Pick<Tenant, "id">,
  values: readonly string[] | undefined,
): string[] | null {
  if (!values?.length) return null;
  const slugs = splitSlugs(values);
  if (slugs.length === 0)
    throw new ValidationError([{ path: MUNICIPALITY_PARAM, message: "must not be empty" }]);
  let chosen: Set<string>;
  if (slugs.includes("all")) {
    if (slugs.length > 1)
      throw new ValidationError([{ path: MUNICIPALITY_PARAM, message: "all cannot be combined with slugs" }]);
    chosen = new Set(region.all.map((m) => m.id));
  } else {
    const unknown = slugs.filter((s) => !region.bySlug.has(s));
    if (unknown.length > 0) {
      throw new ValidationError(
        unknown.map((s) => ({ path: MUNICIPALITY_PARAM, message: `unknown municipality "${s}"` })),
      );
    }
    chosen = new Set(slugs.map((s) => region.bySlug.get(s)?.id as string));
  }
  const ordered = region.all.map((m) => m.id).filter((id) => chosen.has(id) && id !== site.id);
  return chosen.has(site.id) ? [site.id, ...ordered] : ordered;
}

/** The municipality ids a public read covers: `municipality=`, else the site's `visible`. */
export function scopeIds(
  region: TenantDirectory,
  site: Pick<Tenant, "id" | "visible">,
  values: readonly string[] | undefined,
): readonly string[] {
  return chosenMunicipalities(region, site, values) ?? site.visible;
}
