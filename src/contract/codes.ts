/**
 * Controlled vocabularies shared by the API, the seed and the front-end.
 * Codes are stable identifiers; labels live in the UI translations.
 */

export const LOCALES = ["fi", "sv", "en"] as const;

/** A uuid as text (any case): ids in paths, cursors and SQL literals are checked with it. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export type Locale = (typeof LOCALES)[number];

export const ORGANISATION_KINDS = ["association", "company", "municipality", "community", "other"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const WORKFLOW_STATES = ["draft", "pending", "published", "rejected"] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

/** schema.org EventStatusType, lower-cased. */
export const EVENT_STATUSES = ["scheduled", "cancelled", "postponed", "rescheduled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const USER_ROLES = ["organiser", "moderator", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const MEMBERSHIP_ROLES = ["member", "admin"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** A municipality's own staff (users with the region-wide moderator/admin role act everywhere). */
export const MUNICIPALITY_ROLES = ["moderator", "admin"] as const;
export type MunicipalityRole = (typeof MUNICIPALITY_ROLES)[number];

/** Accessibility features of a place or an event. */
export const ACCESSIBILITY_FEATURES = [
  "wheelchair_accessible",
  "step_free_entrance",
  "accessible_toilet",
  "accessible_parking",
  "induction_loop",
  "sign_language",
  "easy_language",
  "assistance_dogs_welcome",
  "quiet_space",
  "seating_available",
] as const;
export type AccessibilityFeature = (typeof ACCESSIBILITY_FEATURES)[number];

/** Languages an event can be held in (ISO 639-1, plus 'se' for Northern Sami and 'fse' for Finnish sign language). */
export const EVENT_LANGUAGES = ["fi", "sv", "en", "se", "ru", "et", "ar", "so", "uk", "fse"] as const;
export type EventLanguage = (typeof EVENT_LANGUAGES)[number];

/** Text in up to three languages; at least one is present where the text is required. */
export type LocalizedText = Partial<Record<Locale, string>>;
