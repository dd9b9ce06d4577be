/**
 * Shapes of the demo data set. `data.ts` holds the hand-written material (places,
 * organisations, event templates); `generate.ts` turns it into concrete, dated events
 * with a seeded random generator.
 */
import type {
  AccessibilityFeature,
  EventLanguage,
  LocalizedText,
  OrganisationKind,
} from "../contract/codes.ts";

export interface SeedVillage {
  /** URL-safe, lower-case ASCII, e.g. "klaukkala". */
  slug: string;
  name: { fi: string; sv?: string };
}

export interface SeedPlace {
  slug: string;
  name: LocalizedText & { fi: string };
  streetAddress: string;
  postalCode: string;
  /** Post office name, e.g. "Nurmijärvi" or "Klaukkala". */
  locality: string;
  /** Slug of a SeedVillage. */
  village: string;
  lat: number;
  lon: number;
  accessibility: AccessibilityFeature[];
}

export interface SeedCategory {
  slug: string;
  name: { fi: string; sv: string; en: string };
  /** YSO ontology concept id, e.g. "p916" (optional). */
  ysoId?: string;
}

export interface SeedOrganisation {
  slug: string;
  name: string;
  kind: OrganisationKind;
  description: LocalizedText & { fi: string };
  website?: string;
  /** Public contact address shown to residents (never a person's private address). */
  publicEmail?: string;
  /** Municipal departments are trusted in the demo data. */
  trusted: boolean;
}

export type SeedEventKind = "single" | "all-day" | "multi-day" | "weekly" | "monthly";

export interface SeedEventTemplate {
  /** Slug of a SeedOrganisation. */
  organisation: string;
  /** Slugs of SeedCategory, 1–3. */
  categories: string[];
  /** Slugs of SeedPlace the event may be held at (the generator picks one). */
  places: string[];
  kind: SeedEventKind;
  title: LocalizedText & { fi: string };
  /** ≤ 160 characters per language. */
  shortDescription: LocalizedText & { fi: string };
  description: LocalizedText & { fi: string };
  /** Local start times "HH:MM" the generator may pick from (ignored for all-day kinds). */
  startTimes: string[];
  /** Duration in minutes for timed kinds; number of days for multi-day (2–10); 1 for all-day. */
  duration: number;
  /** For weekly: RRULE BYDAY codes, e.g. ["TU", "TH"]. For monthly: e.g. ["2TU"] or ["-1FR"]. */
  byDay?: string[];
  /** Months (1–12) in which the event makes sense; empty or absent = any month. */
  months?: number[];
  isFree: boolean;
  price?: LocalizedText & { fi: string };
  ticketUrl?: string;
  registrationUrl?: string;
  ageMin?: number;
  ageMax?: number;
  languages: EventLanguage[];
  accessibility?: AccessibilityFeature[];
  image?: {
    url: string;
    alt: LocalizedText & { fi: string };
    licence: string;
    photographer?: string;
  };
}
