/**
 * The event input organisers send (create, edit, anonymous submission): zod schema with
 * a length limit on every field, and its conversion to table values. Dates follow the
 * public API: ISO 8601 with offset, or YYYY-MM-DD for all-day events (end inclusive).
 */
import { z } from "zod";
import { ACCESSIBILITY_FEATURES, EVENT_LANGUAGES, type LocalizedText } from "../../contract/codes.ts";
import type { events } from "../../db/schema.ts";
import { type FieldIssue, ValidationError } from "../errors.ts";
import { HttpUrl } from "../http-url.ts";
import { checkSeries, normaliseRrule } from "../recurrence/expand.ts";
import { allDayRange, isIsoDate, lastDayInclusive, localDate, toOffsetIso } from "../time.ts";

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `{fi, sv, en}` with each text at most `max` characters. */
export const texts = (max: number) =>
  z
    .object({
      fi: z.string().trim().max(max).optional(),
      sv: z.string().trim().max(max).optional(),
      en: z.string().trim().max(max).optional(),
    })
    .strict();

const requiredTexts = (max: number) =>
  texts(max).refine((t) => Object.values(t).some((v) => v && v.length > 0), {
    message: "give the text in at least one language (fi, sv or en)",
  });

const dateOrDateTime = z
  .string()
  .trim()
  .max(40)
  .refine(
    (s) => (s.length === 10 ? isIsoDate(s) : OFFSET_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s))),
    {
      message: "must be YYYY-MM-DD (all-day) or an ISO 8601 date-time with offset",
    },
  );

const localDateString = z.string().max(10).refine(isIsoDate, { message: "must be a date YYYY-MM-DD" });

export const NewPlace = z
  .object({
    name: requiredTexts(200),
    street_address: z.string().trim().max(200).optional(),
    postal_code: z
      .string()
      .trim()
      .regex(/^\d{5}$/, "must be five digits")
      .optional(),
    locality: z.string().trim().max(100).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .strict();
export type NewPlace = z.infer<typeof NewPlace>;

export const EventInput = z
  .object({
    title: requiredTexts(200),
    short_description: texts(160).optional(),
    description: texts(10_000).optional(),
    start: dateOrDateTime,
    end: dateOrDateTime,
    rrule: z.string().trim().max(500).nullable().optional(),
    exdates: z.array(localDateString).max(366).optional(),
    rdates: z.array(localDateString).max(366).optional(),
    place_id: z.string().uuid().nullable().optional(),
    place: NewPlace.nullable()
      .optional()
      .describe(
        "A new place, created with the event. It stays out of GET /api/v1/places, the place filter and the feeds until the event is published (approved by a moderator, or published by a trusted organisation); a rejected submission never makes it public.",
      ),
    online_url: HttpUrl.nullable().optional(),
    categories: z.array(z.string().trim().min(1).max(100)).max(10).optional(),
    audience: z
      .object({
        min_age: z.number().int().min(0).max(120).nullable().optional(),
        max_age: z.number().int().min(0).max(120).nullable().optional(),
      })
      .strict()
      .optional(),
    languages: z.array(z.enum(EVENT_LANGUAGES)).max(EVENT_LANGUAGES.length).optional(),
    is_free: z.boolean().optional(),
    price: texts(200).optional(),
    ticket_url: HttpUrl.nullable().optional(),
    registration_url: HttpUrl.nullable().optional(),
    image: z
      .object({
        url: HttpUrl,
        alt: texts(300).optional(),
        licence: z.string().trim().max(100).nullable().optional(),
        photographer: z.string().trim().max(200).nullable().optional(),
      })
      .strict()
      .nullable()
      .optional(),
    accessibility: z.array(z.enum(ACCESSIBILITY_FEATURES)).max(ACCESSIBILITY_FEATURES.length).optional(),
    links: z
      .array(z.object({ url: HttpUrl, label: texts(100).optional() }).strict())
      .max(10)
      .optional(),
  })
  .strict();
export type EventInput = z.infer<typeof EventInput>;

/** Event columns computed from an input (everything except place and categories). */
export type EventValues = Pick<
  typeof events.$inferSelect,
  | "title"
  | "shortDescription"
  | "description"
  | "allDay"
  | "startsAt"
  | "endsAt"
  | "timezone"
  | "rrule"
  | "exdates"
  | "rdates"
  | "onlineUrl"
  | "ageMin"
  | "ageMax"
  | "languages"
  | "isFree"
  | "price"
  | "ticketUrl"
  | "registrationUrl"
  | "image"
  | "accessibility"
  | "links"
>;

/** Drops empty translations so that `{fi: "", sv: "x"}` is stored as `{sv: "x"}`. */
function clean(t: LocalizedText | undefined): LocalizedText {
  const out: LocalizedText = {};
  for (const [k, v] of Object.entries(t ?? {})) if (v) out[k as keyof LocalizedText] = v;
  return out;
}

/**
 * Checks the rules zod cannot express alone (date order, recurrence, location) and
 * converts an input to event columns. Throws ValidationError naming the field. The RRULE is
 * stored in canonical form; `materialiseUntil` (the occurrences' horizon) widens its checks.
 */
export function toEventValues(input: EventInput, timezone: string, materialiseUntil?: Date): EventValues {
  const issues: FieldIssue[] = [];
  const allDay = input.start.length === 10;
  if (allDay !== (input.end.length === 10)) {
    issues.push({ path: "end", message: "must be a date when start is a date, and a date-time otherwise" });
  }
  if (!input.place_id && !input.place && !input.online_url) {
    issues.push({ path: "place_id", message: "give a place_id, a new place or an online_url" });
  }
  if (input.place_id && input.place) {
    issues.push({ path: "place", message: "give either place_id or place, not both" });
  }
  const minAge = input.audience?.min_age ?? null;
  const maxAge = input.audience?.max_age ?? null;
  if (minAge !== null && maxAge !== null && minAge > maxAge) {
    issues.push({ path: "audience.max_age", message: "must not be below min_age" });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  const { startsAt, endsAt } = allDay
    ? allDayRange(input.start, input.end, timezone)
    : { startsAt: new Date(input.start), endsAt: new Date(input.end) };
  if (endsAt < startsAt) {
    throw new ValidationError([{ path: "end", message: "must not be before start" }]);
  }
  let rrule: string | null = null;
  if (input.rrule) {
    const normal = normaliseRrule(input.rrule, { allDay, timezone });
    if (!normal.ok) throw new ValidationError(normal.issues);
    rrule = normal.rrule;
  }
  const values: EventValues = {
    title: clean(input.title),
    shortDescription: clean(input.short_description),
    description: clean(input.description),
    allDay,
    startsAt,
    endsAt,
    timezone,
    rrule,
    exdates: [...new Set(input.exdates ?? [])].sort(),
    rdates: [...new Set(input.rdates ?? [])].sort(),
    onlineUrl: input.online_url ?? null,
    ageMin: minAge,
    ageMax: maxAge,
    languages: input.languages ?? [],
    isFree: input.is_free ?? true,
    price: clean(input.price),
    ticketUrl: input.ticket_url ?? null,
    registrationUrl: input.registration_url ?? null,
    image: input.image
      ? {
          url: input.image.url,
          alt: clean(input.image.alt),
          licence: input.image.licence ?? null,
          photographer: input.image.photographer ?? null,
        }
      : null,
    accessibility: input.accessibility ?? [],
    links: (input.links ?? []).map((l) => ({ url: l.url, label: clean(l.label) })),
  };
  // The rule must give an occurrence, and stay within the limits, over five years from the
  // start and up to the materialisation horizon (a series may start in the past).
  const fiveYears = startsAt.getTime() + 5 * 366 * 86_400_000;
  const horizon = new Date(Math.max(fiveYears, materialiseUntil?.getTime() ?? 0));
  const seriesIssues = checkSeries(values, horizon);
  if (seriesIssues.length > 0) throw new ValidationError(seriesIssues);
  return values;
}

/** A stored event as the input that would recreate it (for editing, diffs and revisions). */
export function toEventInput(
  e: EventValues & { placeId: string | null },
  categorySlugs: string[],
): EventInput {
  const span = e.allDay
    ? {
        start: localDate(e.startsAt, e.timezone),
        end: lastDayInclusive(e.endsAt, e.timezone),
      }
    : { start: toOffsetIso(e.startsAt, e.timezone), end: toOffsetIso(e.endsAt, e.timezone) };
  return {
    title: e.title,
    short_description: e.shortDescription,
    description: e.description,
    ...span,
    rrule: e.rrule,
    exdates: e.exdates,
    rdates: e.rdates,
    place_id: e.placeId,
    online_url: e.onlineUrl,
    categories: [...categorySlugs].sort(),
    audience: { min_age: e.ageMin, max_age: e.ageMax },
    languages: e.languages as EventInput["languages"],
    is_free: e.isFree,
    price: e.price,
    ticket_url: e.ticketUrl,
    registration_url: e.registrationUrl,
    image: e.image,
    accessibility: e.accessibility as EventInput["accessibility"],
    links: e.links,
  };
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
}

/** Field-by-field differences between two inputs, by dotted path (e.g. "title.fi"). */
export function diffInputs(before: EventInput, after: EventInput): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, "", a);
  flatten(after, "", b);
  const changes: FieldChange[] = [];
  for (const field of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ field, before: x, after: y });
  }
  return changes;
}
