/**
 * Public read API for events (no login): GET /api/v1/events lists occurrences of
 * published events with filters; GET /api/v1/events/{id} gives all public details,
 * or schema.org JSON-LD with `Accept: application/ld+json`.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { publicCache } from "../../cache/http-cache.ts";
import { CACHE } from "../../cache/policy.ts";
import {
  ACCESSIBILITY_FEATURES,
  EVENT_LANGUAGES,
  EVENT_STATUSES,
  LOCALES,
  type Locale,
} from "../../contract/codes.ts";
import { ValidationError } from "../../domain/errors.ts";
import { getPublicEvent } from "../../domain/events/detail.ts";
import { type EventFilterInput, resolveFilter } from "../../domain/events/filter.ts";
import { eventJsonLd } from "../../domain/events/jsonld.ts";
import { countOccurrences, type ListedOccurrence, listOccurrences } from "../../domain/events/list.ts";
import { pickText } from "../../domain/i18n-text.ts";
import { visibleTo } from "../../domain/tenants.ts";
import { allDayRange, lastDayInclusive, localDate, toOffsetIso } from "../../domain/time.ts";
import {
  bboxParam,
  booleanParam,
  dateParam,
  dateTimeParam,
  multi,
  nearParam,
  referenceParam,
} from "../query-params.ts";
import { EventStatus, LocalizedText, notModified, problemResponse, Text } from "../schemas.ts";
import type { AppEnv } from "../types.ts";
import { validationHook } from "../validation.ts";

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
    total: booleanParam.optional().openapi({ description: "Include the total count (one extra query)." }),
  })
  .strict();
export type EventListQuery = z.infer<typeof EventListQuery>;

const PlaceRef = z.object({
  id: z.string().uuid(),
  name: Text,
  village: z.object({ slug: z.string(), name: z.string() }).nullable(),
});

export const EventListItem = z
  .object({
    event_id: z.string().uuid(),
    title: Text,
    short_description: Text.nullable(),
    start: z.string().openapi({
      description: "ISO 8601 with offset, or YYYY-MM-DD for all-day events.",
      example: "2026-06-14T12:00:00+03:00",
    }),
    end: z.string().openapi({
      description: "For all-day events the last day, inclusive.",
      example: "2026-06-14T16:00:00+03:00",
    }),
    all_day: z.boolean(),
    event_status: EventStatus,
    is_free: z.boolean(),
    place: PlaceRef.nullable(),
    organisation: z.object({ id: z.string().uuid(), name: z.string() }).nullable(),
    categories: z.array(z.object({ slug: z.string(), name: Text })),
    image: z.object({ url: z.string(), alt: Text.nullable() }).nullable(),
    url: z.string().url().openapi({ description: "The event's page" }),
    updated_at: z.string(),
  })
  .openapi("EventListItem");

const TombstoneItem = z
  .object({ event_id: z.string().uuid(), deleted: z.literal(true), updated_at: z.string() })
  .openapi("Tombstone", { description: "An event that is no longer public (with updated_since)." });

export const EventListResponse = z
  .object({
    data: z.array(z.union([EventListItem, TombstoneItem])),
    next: z.string().url().nullable(),
    total: z.number().int().optional(),
  })
  .openapi("EventList");

const listRoute = createRoute({
  method: "get",
  path: "/events",
  tags: ["Events"],
  summary: "List occurrences of published events",
  description:
    "One item per occurrence: a recurring event yields one item per date, each with the event's id. Ordered by start time (or by relevance with q and sort=relevance). Cursor pagination stays stable while events are added.",
  request: { query: EventListQuery },
  responses: {
    200: {
      description: "A page of occurrences",
      content: { "application/json": { schema: EventListResponse } },
    },
    304: notModified,
    400: problemResponse("Invalid query parameter"),
  },
});

const Offer = z.object({
  is_free: z.boolean(),
  price: Text.nullable(),
  price_translations: LocalizedText,
  ticket_url: z.string().nullable(),
  registration_url: z.string().nullable(),
});

export const EventDetail = z
  .object({
    id: z.string().uuid(),
    title: Text,
    titles: LocalizedText,
    short_description: Text.nullable(),
    short_descriptions: LocalizedText,
    description: Text.nullable(),
    descriptions: LocalizedText,
    start: z.string(),
    end: z.string(),
    all_day: z.boolean(),
    timezone: z.string(),
    recurrence: z
      .object({ rrule: z.string(), exdates: z.array(z.string()), rdates: z.array(z.string()) })
      .nullable(),
    event_status: EventStatus,
    place: z
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
      })
      .nullable(),
    online_url: z.string().nullable(),
    organisation: z
      .object({
        id: z.string().uuid(),
        slug: z.string(),
        name: z.string(),
        kind: z.string(),
        website: z.string().nullable(),
        email: z.string().nullable(),
      })
      .nullable(),
    categories: z.array(z.object({ slug: z.string(), name: Text })),
    offers: Offer,
    image: z
      .object({
        url: z.string(),
        alt: Text.nullable(),
        alt_translations: LocalizedText,
        licence: z.string().nullable(),
        photographer: z.string().nullable(),
      })
      .nullable(),
    accessibility: z.array(z.string()),
    audience: z.object({ min_age: z.number().int().nullable(), max_age: z.number().int().nullable() }),
    languages: z.array(z.string()),
    links: z.array(z.object({ url: z.string(), label: Text.nullable() })),
    occurrences: z.array(z.object({ start: z.string(), end: z.string() })),
    url: z.string().url(),
    ical_url: z.string().url(),
    sequence: z.number().int(),
    published_at: z.string().nullable(),
    updated_at: z.string(),
  })
  .openapi("EventDetail");

const detailRoute = createRoute({
  method: "get",
  path: "/events/{id}",
  tags: ["Events"],
  summary: "All public details of a published event",
  description: "With `Accept: application/ld+json` the response is a schema.org Event as JSON-LD.",
  request: {
    params: z.object({
      id: z
        .string()
        .uuid()
        .openapi({ param: { name: "id", in: "path" }, example: "0b5c6f0e-8f5d-4e0a-9f61-2f0a3c1d9b7e" }),
    }),
    query: z.object({ lang: z.enum(LOCALES).optional() }).strict(),
  },
  responses: {
    200: {
      description: "The event",
      content: {
        "application/json": { schema: EventDetail },
        "application/ld+json": {
          schema: z.record(z.string(), z.unknown()).openapi({ description: "schema.org Event" }),
        },
      },
    },
    304: notModified,
    400: problemResponse("Invalid id or parameter"),
    404: problemResponse("No published event with this id"),
  },
});

/** Resolves a from/to parameter to an instant; dates are local days in `tz`. */
export function resolveBound(value: string, tz: string, end: boolean): Date {
  if (value.length === 10) {
    const day = allDayRange(value, value, tz);
    return end ? day.endsAt : day.startsAt;
  }
  return new Date(value);
}

/** Formats an occurrence's start and end: offset date-times, or dates (end inclusive) for all-day. */
export function formatSpan(startsAt: Date, endsAt: Date, allDay: boolean, tz: string) {
  return allDay
    ? { start: localDate(startsAt, tz), end: lastDayInclusive(endsAt, tz) }
    : { start: toOffsetIso(startsAt, tz), end: toOffsetIso(endsAt, tz) };
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

export function toListItem(
  o: ListedOccurrence,
  lang: Locale,
  publicUrl: string,
): z.infer<typeof EventListItem> {
  const title = pickText(o.title, lang) ?? { lang: "fi" as const, text: "" };
  return {
    event_id: o.eventId,
    title,
    short_description: pickText(o.shortDescription, lang),
    ...formatSpan(o.startsAt, o.endsAt, o.allDay, o.timezone),
    all_day: o.allDay,
    event_status: o.eventStatus,
    is_free: o.isFree,
    place: o.place
      ? {
          id: o.place.id,
          name: pickText(o.place.name, lang) ?? { lang: "fi", text: o.place.slug },
          village: o.place.village
            ? { slug: o.place.village, name: pickText(o.place.villageName, lang)?.text ?? o.place.village }
            : null,
        }
      : null,
    organisation: o.organisation ? { id: o.organisation.id, name: o.organisation.name } : null,
    categories: o.categories.map((c) => ({
      slug: c.slug,
      name: pickText(c.name, lang) ?? { lang: "fi", text: c.slug },
    })),
    image: o.image ? { url: o.image.url, alt: pickText(o.image.alt, lang) } : null,
    url: `${publicUrl}/tapahtumat/${o.eventId}`,
    updated_at: o.updatedAt.toISOString(),
  };
}

export function publicEventRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/events", publicCache(CACHE.events));
  app.use("/events/*", publicCache(CACHE.events));

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const ctx = c.get("ctx");
    const tz = ctx.config.timezone;
    const lang = q.lang ?? ctx.config.defaultLocale;
    const from = q.from ? resolveBound(q.from, tz, false) : ctx.clock.now();
    const to = q.to ? resolveBound(q.to, tz, true) : undefined;
    if (to && to <= from) throw new ValidationError([{ path: "to", message: "must be after from" }]);
    if (q.sort === "relevance" && !q.q)
      throw new ValidationError([{ path: "sort", message: "relevance needs q" }]);

    const filter = await resolveFilter(ctx.db, visibleTo(ctx.tenant), {
      ...filterInputFromQuery(q),
      from,
      to,
    });
    const page = await listOccurrences(ctx.db, filter, { limit: q.limit, cursor: q.cursor, sort: q.sort });
    const total = q.total ? await countOccurrences(ctx.db, filter) : undefined;
    let next: string | null = null;
    if (page.nextCursor) {
      const url = new URL(c.req.url);
      const nextUrl = new URL(`${ctx.config.publicUrl}${url.pathname}${url.search}`);
      nextUrl.searchParams.set("cursor", page.nextCursor);
      next = nextUrl.toString();
    }
    const data: z.infer<typeof EventListResponse>["data"] = page.items.map((o) =>
      toListItem(o, lang, ctx.config.publicUrl),
    );
    for (const t of page.tombstones) {
      data.push({ event_id: t.eventId, deleted: true, updated_at: t.updatedAt.toISOString() });
    }
    return c.json({ data, next, ...(total !== undefined ? { total } : {}) }, 200);
  });

  app.openapi(detailRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { lang: langParam } = c.req.valid("query");
    const ctx = c.get("ctx");
    const lang = langParam ?? ctx.config.defaultLocale;
    const event = await getPublicEvent(ctx, id, lang);
    c.header("Vary", "Accept");
    if (/application\/ld\+json/.test(c.req.header("accept") ?? "")) {
      return c.body(JSON.stringify(eventJsonLd(event, lang)), 200, {
        "Content-Type": "application/ld+json; charset=utf-8",
      });
    }
    return c.json(event, 200);
  });

  return app;
}
