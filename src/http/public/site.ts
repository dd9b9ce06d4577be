/**
 * GET /api/v1/site: the municipality whose site answered — name, languages, look and base
 * URL (#21). Built from the municipalities held in memory (src/http/tenant.ts), so it costs
 * no query; browsers and shared caches keep it for five minutes.
 */
import { z } from "@hono/zod-openapi";
import { publicCache } from "../../cache/http-cache.ts";
import { CACHE } from "../../cache/policy.ts";
import { SiteDescriptor } from "../../contract/api/site.ts";
import { LOCALES } from "../../contract/codes.ts";
import { siteDescriptor } from "../../domain/site.ts";
import { jsonRoutes } from "../route-kit.ts";

const SiteQuery = z.object({ lang: z.enum(LOCALES).optional() }).strict();

export function siteRoutes() {
  const { app, add } = jsonRoutes("Site");
  app.use("/site", publicCache(CACHE.site));
  add(
    "get",
    "/site",
    {
      operationId: "getSite",
      summary: "The municipality whose site this is: name, languages, look and base URL",
      description:
        "One deployment serves every municipality of a region, each on its own host or under its path prefix /<slug>. This describes the one the request came to. `name` is in `lang` when the site offers it, else in its default locale.",
      query: SiteQuery,
      response: SiteDescriptor,
      responseDescription: "The site",
    },
    async (c, _body, { query }) =>
      c.json(siteDescriptor(c.get("ctx"), c.get("basePath") ?? "", query.lang), 200),
  );
  return app;
}
