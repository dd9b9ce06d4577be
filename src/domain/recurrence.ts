/**
 * Recurrence: validates RFC 5545 RRULEs and expands an event's series into concrete
 * occurrences, in the event's own zone so that a weekly Tuesday 18:00 series stays at
 * 18:00 local time across DST changes. Expansion uses rrule-temporal (Temporal-based).
 */
import { RRuleTemporal } from "rrule-temporal";
import type { FieldIssue } from "./errors.ts";
import { addDays, fromZoned, localDate, Temporal, toZoned } from "./time.ts";

/** Hard cap on occurrences of one series: anything larger is rejected. */
export const MAX_OCCURRENCES = 1000;
const ALLOWED_FREQ = new Set(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);
const KNOWN_PARTS = new Set([
  "FREQ",
  "INTERVAL",
  "COUNT",
  "UNTIL",
  "BYDAY",
  "BYMONTHDAY",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
]);

export interface Series {
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  timezone: string;
  rrule: string | null;
  /** Local dates without an occurrence. */
  exdates: string[];
  /** Extra local dates, at the series' local start time. */
  rdates: string[];
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

/** Splits "FREQ=WEEKLY;BYDAY=TU" into parts; tolerates an "RRULE:" prefix. */
export function parseRrule(rrule: string): Map<string, string> {
  const body = rrule.trim().replace(/^RRULE:/i, "");
  const parts = new Map<string, string>();
  for (const piece of body.split(";")) {
    if (!piece) continue;
    const [k, v] = piece.split("=", 2);
    parts.set((k ?? "").trim().toUpperCase(), (v ?? "").trim().toUpperCase());
  }
  return parts;
}

/** Returns the problems with an RRULE (empty when it is acceptable). */
export function validateRrule(rrule: string, path = "rrule"): FieldIssue[] {
  const parts = parseRrule(rrule);
  const issues: FieldIssue[] = [];
  const freq = parts.get("FREQ");
  if (!freq) return [{ path, message: "RRULE must include FREQ" }];
  if (!ALLOWED_FREQ.has(freq)) {
    issues.push({
      path,
      message: `FREQ=${freq} is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY`,
    });
  }
  for (const key of parts.keys()) {
    if (!KNOWN_PARTS.has(key)) issues.push({ path, message: `${key} is not supported in RRULE` });
  }
  const count = parts.get("COUNT");
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1) issues.push({ path, message: "COUNT must be a positive integer" });
    else if (n > MAX_OCCURRENCES) issues.push({ path, message: `COUNT may be at most ${MAX_OCCURRENCES}` });
  }
  if (count !== undefined && parts.has("UNTIL")) {
    issues.push({ path, message: "COUNT and UNTIL cannot both be given" });
  }
  const interval = parts.get("INTERVAL");
  if (interval !== undefined && !/^[1-9]\d{0,2}$/.test(interval)) {
    issues.push({ path, message: "INTERVAL must be an integer from 1 to 999" });
  }
  const until = parts.get("UNTIL");
  if (until !== undefined && !/^\d{8}(T\d{6}Z?)?$/.test(until)) {
    issues.push({ path, message: "UNTIL must be a date (YYYYMMDD) or a UTC date-time (YYYYMMDDTHHMMSSZ)" });
  }
  return issues;
}

function ruleFor(series: Series): RRuleTemporal {
  const dtstart = toZoned(series.startsAt, series.timezone);
  return new RRuleTemporal({
    rruleString: series.rrule?.replace(/^RRULE:/i, "") ?? "",
    dtstart,
    maxIterations: 20_000,
  });
}

/**
 * Expands a series into occurrences that start before `horizon`. Excluded dates are
 * dropped, extra dates added, and the result is sorted and de-duplicated. Throws a
 * RangeError when the series has more than MAX_OCCURRENCES occurrences before the horizon.
 */
export function expandSeries(series: Series, horizon: Date): Occurrence[] {
  const tz = series.timezone;
  const start = toZoned(series.startsAt, tz);
  const end = toZoned(series.endsAt, tz);
  // All-day events span whole calendar days; timed events keep their exact length.
  const days = series.allDay ? start.toPlainDate().until(end.toPlainDate(), { largestUnit: "days" }).days : 0;
  const durationMs = series.endsAt.getTime() - series.startsAt.getTime();
  const occurrenceAt = (zdt: Temporal.ZonedDateTime): Occurrence =>
    series.allDay
      ? {
          startsAt: fromZoned(zdt.toPlainDate().toZonedDateTime({ timeZone: tz })),
          endsAt: fromZoned(zdt.toPlainDate().add({ days }).toZonedDateTime({ timeZone: tz })),
        }
      : { startsAt: fromZoned(zdt), endsAt: new Date(zdt.epochMilliseconds + durationMs) };

  const starts: Temporal.ZonedDateTime[] = [];
  if (series.rrule) {
    const rule = ruleFor(series);
    let n = 0;
    for (const zdt of rule.all((d) => d.epochMilliseconds < horizon.getTime() && n++ <= MAX_OCCURRENCES)) {
      starts.push(zdt);
    }
  } else {
    starts.push(start);
  }
  const wallTime = start.toPlainTime();
  for (const d of series.rdates) {
    starts.push(Temporal.PlainDate.from(d).toZonedDateTime({ timeZone: tz, plainTime: wallTime }));
  }
  const excluded = new Set(series.exdates);
  const seen = new Set<number>();
  const result: Occurrence[] = [];
  for (const zdt of starts) {
    if (excluded.has(zdt.toPlainDate().toString())) continue;
    if (seen.has(zdt.epochMilliseconds)) continue;
    seen.add(zdt.epochMilliseconds);
    result.push(occurrenceAt(zdt));
  }
  if (result.length > MAX_OCCURRENCES) {
    throw new RangeError(`the series has more than ${MAX_OCCURRENCES} occurrences`);
  }
  result.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return result;
}

/** The local dates (inclusive) an occurrence covers, e.g. for a multi-day festival. */
export function coveredDates(o: Occurrence, timeZone: string, allDay: boolean): string[] {
  const first = localDate(o.startsAt, timeZone);
  // The end is exclusive: an all-day event ending at midnight does not cover that day.
  const last = localDate(new Date(o.endsAt.getTime() - (allDay ? 1 : 0)), timeZone);
  const out = [first];
  while ((out[out.length - 1] as string) < last) out.push(addDays(out[out.length - 1] as string, 1));
  return out;
}
