/**
 * Public read API for events (no login): GET /api/v1/events lists occurrences of
 * published events with filters; GET /api/v1/events/{id} gives all public details,
 * or schema.org JSON-LD with `Accept: application/ld+json`.
 */
import { z } from "@hono/zod-openapi";
import { createFingerprintCache, type FingerprintCache } from "../../cache/fingerprint-cache.ts";
import { publicCache } from "../../cache/http-cache.ts";
import { CACHE } from "../../cache/policy.ts";
import { jsonText } from "../../cache/response-cache.ts";
import { EventDetail, EventListResponse, type TombstoneItem } from "../../contract/api/public.ts";
import { ACCESSIBILITY_FEATURES, EVENT_LANGUAGES, EVENT_STATUSES, LOCALES } from "../../contract/codes.ts";
import { ValidationError } from "../../domain/errors.ts";
import { getPublicEvent } from "../../domain/events/detail.ts";
import { type EventFilterInput, resolveFilter } from "../../domain/events/filter.ts";
import { eventJsonLd } from "../../domain/events/jsonld.ts";
import { countOccurrences, listOccurrences } from "../../domain/events/list.ts";
import { siteUrl } from "../../domain/site.ts";
import { allDayRange } from "../../domain/time.ts";
import {
  bboxParam,
  booleanParam,
  dateParam,
  dateTimeParam,
  multi,
  nearParam,
  referenceParam,
} from "../query-params.ts";
import { jsonRoutes } from "../route-kit.ts";
import { municipalityParam, publicScope } from "../scope.ts";
import { listItemsJson, listResponseJson, renderShare } from "./list-items.ts";

export const EventListQuery = z
  .object({
    from: dateParam.optional().openapi({
      description:
        "Start of the range. A date means the start of that local day (Europe/Helsinki). Default: now. Occurrences that overlap the range are listed, so a festival running through today is included.",
      example: "2026-06-14",
    }),
    to: dateParam.optional().openapi({
      description: "End of the range. A date includes that whole local day.",
      example: "2026-06-21",
    }),
    q: z.string().trim().min(1).max(200).optional().openapi({
      description:
        "Full-text search in titles, descriptions, place and organiser names (fi/sv/en), with prefix matching.",
      example: "kesäjuh",
    }),
    category: multi(referenceParam)
      .optional()
      .openapi({ description: "Category slug; repeat for any of several.", example: "liikunta" }),
    place: multi(referenceParam).optional().openapi({
      description:
        "Place id or slug, of a public place (GET /api/v1/places); repeat for any of several. A place awaiting moderation is unknown here.",
    }),
    village: multi(referenceParam)
      .optional()
      .openapi({ description: "Village or district slug; repeat for any of several.", example: "klaukkala" }),
    organisation: multi(referenceParam)
      .optional()
      .openapi({ description: "Organisation id or slug; repeat for any of several." }),
    age: z.coerce
      .number()
      .int()
      .min(0)
      .max(120)
      .optional()
      .openapi({ description: "Suitable for this age (years).", example: 7 }),
    is_free: booleanParam
      .optional()
      .openapi({ description: "Only free (true) or only paid (false) events." }),
    language: multi(z.enum(EVENT_LANGUAGES))
      .optional()
      .openapi({ description: "Language the event is held in; any of." }),
    accessibility: multi(z.enum(ACCESSIBILITY_FEATURES)).optional().openapi({
      description: "Accessibility feature codes of the event or its place; all of them.",
    }),
    event_status: multi(z.enum(EVENT_STATUSES))
      .optional()
      .openapi({ description: "scheduled, cancelled, postponed, rescheduled; any of." }),
    bbox: bboxParam
      .optional()
      .openapi({ description: "minLon,minLat,maxLon,maxLat", example: "24.6,60.35,24.9,60.55" }),
    near: nearParam.optional().openapi({ description: "lat,lon; with radius", example: "60.464,24.807" }),
    radius: z.coerce
      .number()
      .int()
      .min(1)
      .max(500_000)
      .optional()
      .openapi({ description: "Metres around near (default 5000)." }),
    updated_since: dateTimeParam.optional().openapi({
      description:
        "Only events changed after this instant; unpublished and deleted events appear as tombstones.",
      example: "2026-06-01T00:00:00Z",
    }),
    sort: z
      .enum(["start", "relevance"])
      .optional()
      .openapi({ description: "start (default) or relevance (with q)." }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .openapi({ description: "Page size, 1–100.", example: 20 }),
    cursor: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "Opaque cursor from a previous page's `next`." }),
    lang: z.enum(LOCALES).optional().openapi({
      description: "Language of the texts; falls back requested → fi → sv → en. Each text says its language.",
    }),
    municipality: municipalityParam.optional(),
    total: booleanParam.optional().openapi({ description: "Include the total count (one extra query)." }),
  })
  .strict();
export type EventListQuery = z.infer<typeof EventListQuery>;

/** Resolves a from/to parameter to an instant; dates are local days in `tz`. */
export function resolveBound(value: string, tz: string, end: boolean): Date {
  if (value.length === 10) {
    const day = allDayRange(value, value, tz);
    return end ? day.endsAt : day.startsAt;
  }
  return new Date(value);
}

/** The event filter (without the time range) that list query parameters describe; shared with the feeds. */
export function filterInputFromQuery(
  q: Omit<EventListQuery, "limit" | "from" | "to">,
): Omit<EventFilterInput, "from" | "to"> {
  if (q.radius !== undefined && !q.near)
    throw new ValidationError([{ path: "radius", message: "needs near" }]);
  if (q.near && q.bbox)
    throw new ValidationError([{ path: "near", message: "cannot be combined with bbox" }]);
  return {
    q: q.q,
    categories: q.category,
    places: q.place,
    villages: q.village,
    organisations: q.organisation,
    age: q.age,
    isFree: q.is_free,
    languages: q.language,
    accessibility: q.accessibility,
    eventStatus: q.event_status,
    bbox: q.bbox,
    near: q.near ? { ...q.near, radius: q.radius ?? 5000 } : undefined,
    updatedSince: q.updated_since,
  };
}

/** The list's default budget for events' rendered parts (characters; about 2,000 events). */
const LIST_PARTS_CHARS = 2_000_000;

export function publicEventRoutes(
  opts: {
    /** Events' rendered list items by fingerprint; default: one for this app (process or isolate). */
    listParts?: FingerprintCache;
  } = {},
) {
  const listParts = opts.listParts ?? createFingerprintCache(LIST_PARTS_CHARS);
  const renders = renderShare();
  const { app, add } = jsonRoutes("Events");
  app.use("/events", publicCache(CACHE.events));
  app.use("/events/*", publicCache(CACHE.events));

  add(
    "get",
    "/events",
    {
      operationId: "listEvents",
      summary: "List occurrences of published events",
      description:
        "One item per occurrence: a recurring event yields one item per date, each with the event's id. Ordered by start time (or by relevance with q and sort=relevance). Cursor pagination stays stable while events are added.",
      query: EventListQuery,
      response: EventListResponse,
      responseDescription: "A page of occurrences",
      conditional: true,
    },
    async (c, _body, { query: q }) => {
      const ctx = c.get("ctx");
      const tz = ctx.config.timezone;
      const lang = q.lang ?? ctx.config.defaultLocale;
      const from = q.from ? resolveBound(q.from, tz, false) : ctx.clock.now();
      const to = q.to ? resolveBound(q.to, tz, true) : undefined;
      if (to && to <= from) throw new ValidationError([{ path: "to", message: "must be after from" }]);
      if (q.sort === "relevance" && !q.q)
        throw new ValidationError([{ path: "sort", message: "relevance needs q" }]);

      const filter = await resolveFilter(ctx.db, publicScope(c), {
        ...filterInputFromQuery(q),
        from,
        to,
      });
      const page = await listOccurrences(ctx.db, filter, {
        limit: q.limit,
        cursor: q.cursor,
        sort: q.sort,
        withEvents: renders.wantEvents(),
      });
      const total = q.total ? await countOccurrences(ctx.db, filter) : undefined;
      let next: string | null = null;
      if (page.nextCursor) {
        const url = new URL(c.req.url);
        const nextUrl = new URL(`${siteUrl(ctx)}${url.pathname}${url.search}`);
        nextUrl.searchParams.set("cursor", page.nextCursor);
        next = nextUrl.toString();
      }
      const { items, rendered, events } = await listItemsJson(
        ctx.db,
        filter.scope,
        page.items,
        lang,
        ctx.config.publicUrl,
        ctx.tenant,
        listParts,
        page.events,
      );
      renders.note(rendered, events);
      const tombstones = page.tombstones.map(
        (t): TombstoneItem => ({ event_id: t.eventId, deleted: true, updated_at: t.updatedAt.toISOString() }),
      );
      return jsonText(c, listResponseJson(items, tombstones, next, total), 200);
    },
  );

  add(
    "get",
    "/events/:id",
    {
      operationId: "getEvent",
      summary: "All public details of a published event",
      description: "With `Accept: application/ld+json` the response is a schema.org Event as JSON-LD.",
      query: z.object({ lang: z.enum(LOCALES).optional() }).strict(),
      response: EventDetail,
      responseDescription: "The event",
      alternatives: {
        "application/ld+json": z.record(z.string(), z.unknown()).meta({ description: "schema.org Event" }),
      },
      conditional: true,
      problems: [404],
    },
    async (c, _body, { query, params }) => {
      const ctx = c.get("ctx");
      const lang = query.lang ?? ctx.config.defaultLocale;
      const event = await getPublicEvent(ctx, params.id as string, lang);
      c.header("Vary", "Accept");
      if (/application\/ld\+json/.test(c.req.header("accept") ?? "")) {
        return c.body(JSON.stringify(eventJsonLd(event, lang)), 200, {
          "Content-Type": "application/ld+json; charset=utf-8",
        });
      }
      return c.json(event, 200);
    },
  );

  return app;
}
