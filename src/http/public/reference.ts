/** Public reference data: GET /api/v1/places, /categories, /organisations and /municipalities. */
import { z } from "@hono/zod-openapi";
import { publicCache } from "../../cache/http-cache.ts";
import { CACHE } from "../../cache/policy.ts";
import { Category, Municipality, Organisation, Place } from "../../contract/api/public.ts";
import { LOCALES } from "../../contract/codes.ts";
import { pickText } from "../../domain/i18n-text.ts";
import { listCategories, listOrganisations, listPlaces } from "../../domain/places/reference.ts";
import { visibleTo } from "../../domain/tenants.ts";
import { jsonRoutes, type RouteSpec } from "../route-kit.ts";

const LangQuery = z.object({ lang: z.enum(LOCALES).optional() }).strict();

/** The spec of a reference list: `{ data: [item] }`, conditional, in the asked language. */
const listOf = (
  operationId: string,
  summary: string,
  item: z.ZodType,
  description?: string,
): RouteSpec<undefined, typeof LangQuery> => ({
  operationId,
  summary,
  ...(description ? { description } : {}),
  query: LangQuery,
  response: z.object({ data: z.array(item) }),
  responseDescription: summary,
  conditional: true,
});

export function publicReferenceRoutes() {
  const { app, add } = jsonRoutes("Reference data");
  for (const p of ["/places", "/categories", "/organisations", "/municipalities"])
    app.use(p, publicCache(CACHE.reference));

  add(
    "get",
    "/places",
    listOf(
      "listPlaces",
      "Places, each with its count of upcoming events",
      Place,
      "Public places only. A new place that an organiser gives with an event is listed (and usable in the place filter and feeds) once a moderator has approved the event, or at once when a trusted organisation publishes it; until then, and for ever if the event is rejected, it is not public.",
    ),
    async (c, _body, { query }) => {
      const ctx = c.get("ctx");
      const lang = query.lang ?? ctx.config.defaultLocale;
      const rows = await listPlaces(ctx.db, visibleTo(ctx.tenant), ctx.clock.now());
      return c.json(
        {
          data: rows.map((p) => ({
            id: p.id,
            slug: p.slug,
            name: pickText(p.name, lang) ?? { lang: "fi" as const, text: p.slug },
            names: p.name,
            street_address: p.street_address,
            postal_code: p.postal_code,
            locality: p.locality,
            village: p.village
              ? { slug: p.village, name: pickText(p.village_name, lang)?.text ?? p.village }
              : null,
            municipality: p.municipality,
            lat: p.lat === null ? null : Number(p.lat),
            lon: p.lon === null ? null : Number(p.lon),
            accessibility: p.accessibility,
            upcoming_events: Number(p.upcoming_events),
          })),
        },
        200,
      );
    },
  );

  add(
    "get",
    "/categories",
    listOf("listCategories", "Categories, each with its count of upcoming events", Category),
    async (c, _body, { query }) => {
      const ctx = c.get("ctx");
      const lang = query.lang ?? ctx.config.defaultLocale;
      const rows = await listCategories(ctx.db, visibleTo(ctx.tenant), ctx.clock.now());
      return c.json(
        {
          data: rows.map((r) => ({
            slug: r.slug,
            name: pickText(r.name, lang) ?? { lang: "fi" as const, text: r.slug },
            names: r.name,
            yso_id: r.yso_id,
            upcoming_events: Number(r.upcoming_events),
          })),
        },
        200,
      );
    },
  );

  add(
    "get",
    "/organisations",
    listOf(
      "listOrganisations",
      "Organisations (public fields), each with its count of upcoming events",
      Organisation,
    ),
    async (c, _body, { query }) => {
      const ctx = c.get("ctx");
      const lang = query.lang ?? ctx.config.defaultLocale;
      const rows = await listOrganisations(ctx.db, visibleTo(ctx.tenant), ctx.clock.now());
      return c.json(
        {
          data: rows.map((o) => ({
            id: o.id,
            slug: o.slug,
            name: o.name,
            kind: o.kind as Organisation["kind"],
            description: pickText(o.description, lang),
            website: o.website,
            email: o.email,
            upcoming_events: Number(o.upcoming_events),
          })),
        },
        200,
      );
    },
  );
  add(
    "get",
    "/municipalities",
    listOf(
      "listMunicipalities",
      "The region's municipalities",
      Municipality,
      "Every municipality of the region, in slug order: their slugs are the values of `municipality=` on the event list, search and feeds (and `all` for the whole region). `shown` marks those this site shows by default.",
    ),
    async (c, _body, { query }) => {
      const ctx = c.get("ctx");
      const lang = query.lang ?? ctx.config.defaultLocale;
      const shown = new Set(ctx.tenant.visible);
      return c.json(
        {
          data: c.get("tenants").all.map((m) => ({
            slug: m.slug,
            name: pickText(m.name, lang) ?? { lang: "fi" as const, text: m.slug },
            names: m.name,
            own_site: m.id === ctx.tenant.id,
            shown: shown.has(m.id),
          })),
        },
        200,
      );
    },
  );
  return app;
}
