/**
 * The public read API's answers (events, reference data, feed links): what the server
 * returns and the browser and integrators read. Plain zod with OpenAPI metadata in `.meta()`.
 */
import { z } from "zod";
import { EventStatus, Instant, LocalizedText, Text } from "./common.ts";

export const PlaceRef = z.object({
  id: z.string().uuid(),
  name: Text,
  village: z.object({ slug: z.string(), name: z.string() }).nullable(),
});

/** The municipality an event belongs to (additive, #21). */
export const MunicipalityRef = z
  .object({
    slug: z.string(),
    name: Text,
    own_site: z.boolean().meta({
      description:
        "True when the event belongs to the site's own municipality; false for a neighbour's event.",
    }),
  })
  .meta({
    id: "MunicipalityRef",
    description: "The municipality the event belongs to; its site is where the event's page (url) lives.",
  });

export const EventListItem = z
  .object({
    event_id: z.string().uuid(),
    title: Text,
    short_description: Text.nullable(),
    start: z.string().meta({
      description: "ISO 8601 with offset, or YYYY-MM-DD for all-day events.",
      example: "2026-06-14T12:00:00+03:00",
    }),
    end: z.string().meta({
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
    municipality: MunicipalityRef,
    url: z.string().url().meta({ description: "The event's page (on its own municipality's site)" }),
    updated_at: Instant,
  })
  .meta({ id: "EventListItem" });

export const TombstoneItem = z
  .object({ event_id: z.string().uuid(), deleted: z.literal(true), updated_at: z.string() })
  .meta({ id: "Tombstone", description: "An event that is no longer public (with updated_since)." });

export const EventListResponse = z
  .object({
    data: z.array(z.union([EventListItem, TombstoneItem])),
    next: z.string().url().nullable(),
    total: z.number().int().optional(),
  })
  .meta({ id: "EventList" });

export const Offer = z.object({
  is_free: z.boolean(),
  price: Text.nullable(),
  price_translations: LocalizedText,
  ticket_url: z.string().nullable(),
  registration_url: z.string().nullable(),
});

/** A place's public details, as an event's place and (with its count) in GET /places. */
const PlaceDetails = z.object({
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
    place: PlaceDetails.nullable(),
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
    municipality: MunicipalityRef,
    url: z.string().url().meta({ description: "The event's page (on its own municipality's site)" }),
    ical_url: z.string().url(),
    sequence: z.number().int(),
    published_at: Instant.nullable(),
    updated_at: Instant,
  })
  .meta({ id: "EventDetail" });

export const Place = PlaceDetails.extend({ upcoming_events: z.number().int() }).meta({ id: "Place" });

export const Category = z
  .object({
    slug: z.string(),
    name: Text,
    names: LocalizedText,
    yso_id: z.string().nullable(),
    upcoming_events: z.number().int(),
  })
  .meta({ id: "Category" });

export const Organisation = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    name: z.string(),
    kind: z.enum(["association", "company", "municipality", "community", "other"]),
    description: Text.nullable(),
    website: z.string().nullable(),
    email: z.string().nullable().meta({ description: "Public contact address" }),
    upcoming_events: z.number().int(),
  })
  .meta({ id: "Organisation" });

export const Municipality = z
  .object({
    slug: z.string().meta({ description: "Its path prefix (/<slug>) and its value in `municipality=`" }),
    name: Text,
    names: LocalizedText,
    own_site: z.boolean().meta({ description: "True for the municipality whose site answered" }),
    shown: z.boolean().meta({
      description:
        "True when this site shows its events without `municipality=`: itself, its chosen neighbours and those within its radius",
    }),
  })
  .meta({ id: "Municipality" });

export const FeedLinks = z
  .object({
    https: z.string().url().meta({ description: "The iCal feed over https" }),
    webcal: z.string().meta({ description: "The same feed as webcal:// (opens the calendar app)" }),
    google: z.string().url().meta({ description: "Add to Google Calendar" }),
    outlook: z.string().url().meta({ description: "Add to Outlook.com" }),
    rss: z.string().url().meta({ description: "RSS 2.0 feed of newly published events" }),
  })
  .meta({ id: "FeedLinks" });

export type PlaceRef = z.infer<typeof PlaceRef>;
export type EventListItem = z.infer<typeof EventListItem>;
export type TombstoneItem = z.infer<typeof TombstoneItem>;
export type EventListResponse = z.infer<typeof EventListResponse>;
export type EventDetail = z.infer<typeof EventDetail>;
export type Place = z.infer<typeof Place>;
export type Category = z.infer<typeof Category>;
export type Organisation = z.infer<typeof Organisation>;
export type FeedLinks = z.infer<typeof FeedLinks>;
export type Municipality = z.infer<typeof Municipality>;
