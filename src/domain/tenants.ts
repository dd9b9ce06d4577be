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

/** Every municipality of the region, by host and by slug. */
export interface TenantDirectory {
  all: Tenant[];
  bySlug: Map<string, Tenant>;
  byHost: Map<string, Tenant>;
}

/** Reads the municipalities and their hosts (two small tables; cached by the caller). */
export async function loadTenantDirectory(db: Queryable): Promise<TenantDirectory> {
  const rows = await queryRows<{
    id: string;
    slug: string;
    name: LocalizedText;
    languages: string[] | string;
    default_locale: string;
    settings: Record<string, unknown> | null;
    theme: Tenant["theme"] | null;
    public_url: string | null;
    hosts: string[] | string | null;
  }>(
    db,
    sql`select m.id, m.slug, m.name, m.languages, m.default_locale, m.settings, m.theme, m.public_url,
               array(select h.host from municipality_hosts h where h.municipality_id = m.id order by h.host) as hosts
        from municipalities m order by m.slug`,
  );
  const all: Tenant[] = [];
  const bySlug = new Map<string, Tenant>();
  const byHost = new Map<string, Tenant>();
  for (const r of rows) {
    const tenant: Tenant = {
      id: r.id,
      slug: r.slug,
      name: r.name,
      languages: textArray(r.languages),
      defaultLocale: r.default_locale,
      settings: r.settings ?? {},
      visible: [r.id],
      publicUrl: r.public_url ? r.public_url.replace(/\/+$/, "") : null,
      theme: r.theme ?? {},
      unedited: rows.length === 1 && r.id === DEFAULT_MUNICIPALITY_ID && isPlaceholderName(r.name),
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
