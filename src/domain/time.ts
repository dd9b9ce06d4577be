/**
 * Time-zone-aware helpers. Instants are stored as UTC; local dates and wall-clock times
 * are always computed in the event's zone (Europe/Helsinki), never the server's.
 */
import { Temporal } from "temporal-polyfill";

export { Temporal };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  try {
    Temporal.PlainDate.from(s, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}

export function toZoned(instant: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
}

export function fromZoned(zdt: Temporal.ZonedDateTime): Date {
  return new Date(zdt.epochMilliseconds);
}

/** The instant of local midnight starting `date` (YYYY-MM-DD) in `timeZone`. */
export function startOfLocalDay(date: string | Temporal.PlainDate, timeZone: string): Date {
  const pd = typeof date === "string" ? Temporal.PlainDate.from(date) : date;
  return fromZoned(pd.toZonedDateTime({ timeZone }));
}

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return toZoned(instant, timeZone).toPlainDate().toString();
}

/** ISO 8601 with the zone's offset and no fractional seconds, e.g. 2026-06-14T12:00:00+03:00. */
export function toOffsetIso(instant: Date, timeZone: string): string {
  const zdt = toZoned(instant, timeZone);
  return `${zdt.toPlainDateTime().toString({ smallestUnit: "second" })}${zdt.offset}`;
}

/** Parses a local wall-clock time on a date in a zone (e.g. "2026-06-14", "18:00"). */
export function localDateTime(date: string, time: string, timeZone: string): Date {
  const pdt = Temporal.PlainDateTime.from(`${date}T${time}`);
  return fromZoned(pdt.toZonedDateTime(timeZone, { disambiguation: "compatible" }));
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}
