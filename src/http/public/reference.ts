/** Public reference data: GET /api/v1/places, /categories and /organisations. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { publicCache } from "../../cache/http-cache.ts";
import { CACHE } from "../../cache/policy.ts";
import { LOCALES } from "../../contract/codes.ts";
import { pickText } from "../../domain/i18n-text.ts";
import { listCategories, listOrganisations, listPlaces } from "../../domain/places/reference.ts";
import { visibleTo } from "../../domain/tenants.ts";
import { LocalizedText, notModified, problemResponse, Text } from "../schemas.ts";
import type { AppEnv } from "../types.ts";
import { validationHook } from "../validation.ts";

const LangQuery = z.object({ lang: z.enum(LOCALES).optional() }).strict();

const Place = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    name: Text,
    names: LocalizedText,
    street_address: z.string().nullable(),
    postal_code: z.string().nullable(),
    locality: z.string().nullable(),
    village: z.object({ slug: z.string(), name: z.string() }).nullable(),
    municipality: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    accessibility: z.array(z.string()),
    upcoming_events: z.number().int(),
  })
  .openapi("Place");

const Category = z
  .object({
    slug: z.string(),
    name: Text,
    names: LocalizedText,
    yso_id: z.string().nullable(),
    upcoming_events: z.number().int(),
  })
  .openapi("Category");

const Organisation = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    name: z.string(),
    kind: z.enum(["association", "company", "municipality", "community", "other"]),
    description: Text.nullable(),
    website: z.string().nullable(),
    email: z.string().nullable().openapi({ description: "Public contact address" }),
    upcoming_events: z.number().int(),
  })
  .openapi("Organisation");

const listOf = <T extends z.ZodTypeAny>(path: string, summary: string, item: T, description?: string) =>
  createRoute({
    method: "get",
    path,
    tags: ["Reference data"],
    summary,
    ...(description ? { description } : {}),
    request: { query: LangQuery },
    responses: {
      200: {
        description: summary,
        content: { "application/json": { schema: z.object({ data: z.array(item) }) } },
      },
      304: notModified,
      400: problemResponse("Invalid parameter"),
    },
  });

export function publicReferenceRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const p of ["/places", "/categories", "/organisations"]) app.use(p, publicCache(CACHE.reference));

  app.openapi(
    listOf(
      "/places",
      "Places, each with its count of upcoming events",
      Place,
      "Public places only. A new place that an organiser gives with an event is listed (and usable in the place filter and feeds) once a moderator has approved the event, or at once when a trusted organisation publishes it; until then, and for ever if the event is rejected, it is not public.",
    ),
    async (c) => {
      const ctx = c.get("ctx");
      const lang = c.req.valid("query").lang ?? ctx.config.defaultLocale;
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

  app.openapi(
    listOf("/categories", "Categories, each with its count of upcoming events", Category),
    async (c) => {
      const ctx = c.get("ctx");
      const lang = c.req.valid("query").lang ?? ctx.config.defaultLocale;
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

  app.openapi(
    listOf(
      "/organisations",
      "Organisations (public fields), each with its count of upcoming events",
      Organisation,
    ),
    async (c) => {
      const ctx = c.get("ctx");
      const lang = c.req.valid("query").lang ?? ctx.config.defaultLocale;
      const rows = await listOrganisations(ctx.db, visibleTo(ctx.tenant), ctx.clock.now());
      return c.json(
        {
          data: rows.map((o) => ({
            id: o.id,
            slug: o.slug,
            name: o.name,
            kind: o.kind as z.infer<typeof Organisation>["kind"],
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
  return app;
}
