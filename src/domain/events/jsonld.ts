/**
 * schema.org Event as JSON-LD, meeting Google's event rich-result requirements: name,
 * startDate with offset, location (Place with PostalAddress, or VirtualLocation),
 * eventStatus, eventAttendanceMode, offers, organizer and image.
 */
import type { Locale } from "../../contract/codes.ts";
import type { PublicEvent } from "./detail.ts";

const STATUS: Record<string, string> = {
  scheduled: "https://schema.org/EventScheduled",
  cancelled: "https://schema.org/EventCancelled",
  postponed: "https://schema.org/EventPostponed",
  rescheduled: "https://schema.org/EventRescheduled",
};

export function eventJsonLd(e: PublicEvent, lang: Locale): Record<string, unknown> {
  const online = Boolean(e.online_url);
  const physical = Boolean(e.place);
  const mode =
    physical && online
      ? "MixedEventAttendanceMode"
      : online
        ? "OnlineEventAttendanceMode"
        : "OfflineEventAttendanceMode";
  const locations: Record<string, unknown>[] = [];
  if (e.place) {
    locations.push({
      "@type": "Place",
      name: e.place.name.text,
      address: {
        "@type": "PostalAddress",
        streetAddress: e.place.street_address ?? undefined,
        postalCode: e.place.postal_code ?? undefined,
        addressLocality: e.place.locality ?? e.place.municipality ?? undefined,
        addressRegion: e.place.municipality ?? undefined,
        addressCountry: "FI",
      },
      ...(e.place.lat !== null && e.place.lon !== null
        ? { geo: { "@type": "GeoCoordinates", latitude: e.place.lat, longitude: e.place.lon } }
        : {}),
    });
  }
  if (e.online_url) locations.push({ "@type": "VirtualLocation", url: e.online_url });
  const offerUrl = e.offers.ticket_url ?? e.offers.registration_url ?? e.url;
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    "@id": e.url,
    url: e.url,
    inLanguage: e.title.lang ?? lang,
    name: e.title.text,
    ...(e.short_description || e.description
      ? { description: (e.description ?? e.short_description)?.text }
      : {}),
    startDate: e.start,
    endDate: e.end,
    eventStatus: STATUS[e.event_status],
    eventAttendanceMode: `https://schema.org/${mode}`,
    location: locations.length === 1 ? locations[0] : locations,
    ...(e.image
      ? {
          image: [e.image.url],
        }
      : {}),
    offers: {
      "@type": "Offer",
      url: offerUrl,
      price: e.offers.is_free ? 0 : undefined,
      priceCurrency: "EUR",
      ...(e.offers.price ? { description: e.offers.price.text } : {}),
      availability:
        e.event_status === "cancelled" ? "https://schema.org/SoldOut" : "https://schema.org/InStock",
    },
    isAccessibleForFree: e.offers.is_free,
    ...(e.organisation
      ? {
          organizer: {
            "@type": "Organization",
            name: e.organisation.name,
            ...(e.organisation.website ? { url: e.organisation.website } : {}),
          },
        }
      : {}),
    ...(e.audience.min_age !== null || e.audience.max_age !== null
      ? {
          typicalAgeRange: `${e.audience.min_age ?? 0}-${e.audience.max_age ?? ""}`,
        }
      : {}),
    ...(e.languages.length ? { availableLanguage: e.languages } : {}),
  };
}
