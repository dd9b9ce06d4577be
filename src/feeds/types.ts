/** The data a feed is built from: one public event with everything a VEVENT or an RSS item shows. */
import type { EventStatus, Locale, LocalizedText } from "../contract/codes.ts";
import type { Series } from "../domain/recurrence/expand.ts";

/** The series (first start and end, zone, RRULE, excluded and extra local dates) plus what feeds show. */
export interface FeedEvent extends Series {
  id: string;
  title: LocalizedText;
  shortDescription: LocalizedText;
  description: LocalizedText;
  eventStatus: EventStatus;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  onlineUrl: string | null;
  place: {
    name: LocalizedText;
    streetAddress: string | null;
    postalCode: string | null;
    locality: string | null;
    lat: number | null;
    lon: number | null;
  } | null;
  /** Public fields only. */
  organisation: { slug: string; name: string; website: string | null } | null;
  categories: { slug: string; name: LocalizedText }[];
  /** The event's page, on its own municipality's site (`eventUrl`). */
  url: string;
  /**
   * Changes whenever any data above may have (src/feeds/feed-events.ts): a rendered VEVENT
   * is reused while it stays the same. Absent: the VEVENT is rendered and not kept.
   */
  fingerprint?: string;
}

/** What a feed is about, for its name, description and self links. */
export interface FeedMeta {
  lang: Locale;
  /** Absolute site URL without a trailing slash. */
  publicUrl: string;
  siteName: string;
  /** Calendar name, e.g. "Nurmijärven tapahtumakalenteri – Liikunta". */
  name: string;
  /** The feed's own absolute URL. */
  selfUrl: string;
  /** The feed was cut at its size cap: more events match than it holds. */
  truncated?: boolean | undefined;
}
