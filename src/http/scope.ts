/**
 * Which municipalities a public read shows (#21): the site's own `visible` set (itself,
 * chosen neighbours, those within its radius), unless the request names its own with
 * `municipality=` — comma-separated slugs of the region's municipalities, or `all` for the
 * whole region — for region-wide and subset lists, feeds and embeds.
 *
 * `publicScope(c)` is the one place that decides it: the list, count, search, feeds and
 * feed links take their scope from it, and anything keyed on what a response may include
 * (the response cache's data versions) must call it too, so the key covers the chosen set.
 * It reads the raw query, so it can be called before the route has parsed it; it throws a
 * ValidationError (400 naming `municipality`) for an unknown slug. `scopeIds` is the same
 * decision without a Hono context (for the Node fast path, which has the directory, the
 * tenant and the URL's query).
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Tenant } from "../domain/context.ts";
import { ValidationError } from "../domain/errors.ts";
import { type TenantDirectory, type VisibleScope, visibleTo } from "../domain/tenants.ts";
import { multi } from "./query-params.ts";
import type { AppEnv } from "./types.ts";

/** The query parameter, for the route kit's schemas (the OpenAPI document). */
export const MUNICIPALITY_PARAM = "municipality";

/** Its schema: syntax only; `publicScope` checks the slugs against the region. */
export const municipalityParam = multi(
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, "must be municipality slugs separated by commas, or all"),
).openapi({
  description:
    "Show these municipalities' events instead of the site's own selection (itself and its neighbours): comma-separated slugs of the region's municipalities (GET /api/v1/municipalities), e.g. `nurmijarvi,hyvinkaa`, or `all` for the whole region. An unknown slug is a 400.",
  example: "all",
});

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
 * equal scopes). Pure, so the Node fast path can key a request without a Hono context.
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

/** The municipalities a public read of this request shows (see the module comment). */
export function publicScope(c: Context<AppEnv>): VisibleScope {
  return visibleTo({
    visible: scopeIds(c.get("region"), c.get("tenant"), c.req.queries(MUNICIPALITY_PARAM)),
  });
}
