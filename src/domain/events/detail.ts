/**
 * The public representation of one published event: every translation, the place
 * with address and coordinates, the organiser's public fields only, offers, image,
 * accessibility, audience, languages, links and upcoming occurrences. Used by the
 * JSON API, JSON-LD, feeds and the event page.
 */

import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { isHttpUrl } from "../../contract/api/http-url.ts";
import type { EventStatus, Locale, LocalizedText } from "../../contract/codes.ts";
import {
  categories,
  eventCategories,
  events,
  municipalities,
  occurrences,
  organisations,
  places,
} from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { NotFound } from "../errors.ts";
import { type PickedText, pickText } from "../i18n-text.ts";
import { siteUrl } from "../site.ts";
import { eventUrl, inScope, visibleTo } from "../tenants.ts";
import { formatSpan } from "../time.ts";

export interface PublicEvent {
  id: string;
  title: PickedText;
  titles: LocalizedText;
  short_description: PickedText | null;
  short_descriptions: LocalizedText;
  description: PickedText | null;
  descriptions: LocalizedText;
  start: string;
  end: string;
  all_day: boolean;
  timezone: string;
  recurrence: { rrule: string; exdates: string[]; rdates: string[] } | null;
  event_status: EventStatus;
  place: {
    id: string;
    slug: string;
    name: PickedText;
    names: LocalizedText;
    street_address: string | null;
    postal_code: string | null;
    locality: string | null;
    village: { slug: string; name: string } | null;
    municipality: string | null;
    lat: number | null;
    lon: number | null;
    accessibility: string[];
  } | null;
  online_url: string | null;
  organisation: {
    id: string;
    slug: string;
    name: string;
    kind: string;
    website: string | null;
    email: string | null;
  } | null;
  categories: { slug: string; name: PickedText }[];
  offers: {
    is_free: boolean;
    price: PickedText | null;
    price_translations: LocalizedText;
    ticket_url: string | null;
    registration_url: string | null;
  };
  image: {
    url: string;
    alt: PickedText | null;
    alt_translations: LocalizedText;
    licence: string | null;
    photographer: string | null;
  } | null;
  accessibility: string[];
  audience: { min_age: number | null; max_age: number | null };
  languages: string[];
  links: { url: string; label: PickedText | null }[];
  occurrences: { start: string; end: string }[];
  /** The municipality the event belongs to; `own_site` false when it is a neighbour's. */
  municipality: { slug: string; name: PickedText; own_site: boolean };
  /** The event's page on its own municipality's site (canonical). */
  url: string;
  ical_url: string;
  sequence: number;
  published_at: string | null;
  updated_at: string;
}

const MAX_OCCURRENCES_SHOWN = 100;

/** Loads a published, not deleted event of a visible municipality; NotFound otherwise. */
export async function getPublicEvent(ctx: Ctx, id: string, lang: Locale): Promise<PublicEvent> {
  const [row] = await ctx.db
    .select({
      e: events,
      p: places,
      o: organisations,
      m: {
        id: municipalities.id,
        slug: municipalities.slug,
        name: municipalities.name,
        publicUrl: municipalities.publicUrl,
      },
    })
    .from(events)
    .innerJoin(municipalities, eq(municipalities.id, events.municipalityId))
    .leftJoin(places, eq(places.id, events.placeId))
    .leftJoin(organisations, eq(organisations.id, events.organisationId))
    .where(
      and(
        eq(events.id, id),
        inScope(visibleTo(ctx.tenant), events.municipalityId),
        eq(events.state, "published"),
        isNull(events.deletedAt),
      ),
    )
    .limit(1);
  if (!row) throw new NotFound("event", id);
  const { e, p, o, m } = row;
  const now = ctx.clock.now();
  const [cats, occ] = await Promise.all([
    ctx.db
      .select({ slug: categories.slug, name: categories.name })
      .from(eventCategories)
      .innerJoin(categories, eq(categories.id, eventCategories.categoryId))
      .where(eq(eventCategories.eventId, id))
      .orderBy(asc(categories.sortOrder), asc(categories.slug)),
    ctx.db
      .select({ startsAt: occurrences.startsAt, endsAt: occurrences.endsAt })
      .from(occurrences)
      .where(and(eq(occurrences.eventId, id), gt(occurrences.endsAt, now)))
      .orderBy(asc(occurrences.startsAt))
      .limit(MAX_OCCURRENCES_SHOWN),
  ]);
  const tz = e.timezone;
  const base = siteUrl(ctx);
  const ownSite = m.id === ctx.tenant.id;
  const fallbackTitle = { lang: "fi" as const, text: "" };
  return {
    id: e.id,
    title: pickText(e.title, lang) ?? fallbackTitle,
    titles: e.title,
    short_description: pickText(e.shortDescription, lang),
    short_descriptions: e.shortDescription,
    description: pickText(e.description, lang),
    descriptions: e.description,
    ...formatSpan(e.startsAt, e.endsAt, e.allDay, tz),
    all_day: e.allDay,
    timezone: tz,
    recurrence: e.rrule ? { rrule: e.rrule, exdates: e.exdates, rdates: e.rdates } : null,
    event_status: e.eventStatus,
    place: p
      ? {
          id: p.id,
          slug: p.slug,
          name: pickText(p.name, lang) ?? { lang: "fi", text: p.slug },
          names: p.name,
          street_address: p.streetAddress,
          postal_code: p.postalCode,
          locality: p.locality,
          village: p.village
            ? { slug: p.village, name: pickText(p.villageName, lang)?.text ?? p.village }
            : null,
          municipality: p.municipality,
          lat: p.lat,
          lon: p.lon,
          accessibility: p.accessibility,
        }
      : null,
    online_url: e.onlineUrl,
    // Public fields only: never the private contact email or phone. A website stored before
    // http-url.ts checked every URL is shown only when it is a safe http(s) URL.
    organisation: o
      ? {
          id: o.id,
          slug: o.slug,
          name: o.name,
          kind: o.kind,
          website: o.website && isHttpUrl(o.website) ? o.website : null,
          email: o.publicEmail,
        }
      : null,
    categories: cats.map((c) => ({
      slug: c.slug,
      name: pickText(c.name, lang) ?? { lang: "fi", text: c.slug },
    })),
    offers: {
      is_free: e.isFree,
      price: pickText(e.price, lang),
      price_translations: e.price,
      ticket_url: e.ticketUrl,
      registration_url: e.registrationUrl,
    },
    image: e.image
      ? {
          url: e.image.url,
          alt: pickText(e.image.alt, lang),
          alt_translations: e.image.alt ?? {},
          licence: e.image.licence ?? null,
          photographer: e.image.photographer ?? null,
        }
      : null,
    accessibility: e.accessibility,
    audience: { min_age: e.ageMin, max_age: e.ageMax },
    languages: e.languages,
    links: e.links.map((l) => ({ url: l.url, label: pickText(l.label, lang) })),
    occurrences: occ.map((x) => formatSpan(x.startsAt, x.endsAt, e.allDay, tz)),
    municipality: {
      slug: m.slug,
      name: pickText(m.name, lang) ?? { lang: "fi", text: m.slug },
      own_site: ownSite,
    },
    url: eventUrl(ctx.config.publicUrl, ctx.tenant, m, e.id),
    ical_url: `${base}/feeds/events/${e.id}.ics`,
    sequence: e.sequence,
    published_at: e.publishedAt?.toISOString() ?? null,
    updated_at: e.updatedAt.toISOString(),
  };
}
