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
 * ValidationError (400 naming `municipality`) for an unknown slug. `scopeIds`
 * (src/domain/tenants.ts) is the same decision without a Hono context (for the response cache's
 * version scope and the Node fast path).
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { MUNICIPALITY_PARAM, scopeIds, type VisibleScope, visibleTo } from "../domain/tenants.ts";

export { chosenMunicipalities, MUNICIPALITY_PARAM, scopeIds } from "../domain/tenants.ts";

import { multi } from "./query-params.ts";
import type { AppEnv } from "./types.ts";

/** Its schema: syntax only; `publicScope` checks the slugs against the region. */
export const municipalityParam = multi(
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, "must be municipality slugs separated by commas, or all"),
).openapi({
  description:
    "Show these municipalities' events instead of the site's own selection (itself and its neighbours): comma-separated slugs of the region's municipalities (GET /api/v1/municipalities), e.g. `nurmijarvi,hyvinkaa`, or `all` for the whole region. An unknown slug is a 400.",
  example: "all",
});

/** The municipalities a public read of this request shows (see the module comment). */
export function publicScope(c: Context<AppEnv>): VisibleScope {
  return visibleTo({
    visible: scopeIds(c.get("tenants"), c.get("tenant"), c.req.queries(MUNICIPALITY_PARAM)),
  });
}
