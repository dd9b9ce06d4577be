/**
 * The event input organisers send (create, edit, anonymous submission) and its conversion to
 * table values. The zod schema itself is the API contract (src/contract/api/event-input.ts),
 * re-exported here for the domain. Dates follow the public API: ISO 8601 with offset, or
 * YYYY-MM-DD for all-day events (end inclusive).
 */
import type { EventInput } from "../../contract/api/event-input.ts";
import type { LocalizedText } from "../../contract/codes.ts";
import type { events } from "../../db/schema.ts";
import { type FieldIssue, ValidationError } from "../errors.ts";
import { checkSeries, normaliseRrule } from "../recurrence/expand.ts";
import { allDayRange, formatSpan } from "../time.ts";

export { EventInput, EventPatch, NewPlace, texts } from "../../contract/api/event-input.ts";

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
  const span = formatSpan(e.startsAt, e.endsAt, e.allDay, e.timezone);
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
