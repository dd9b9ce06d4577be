/**
 * Time-zone-aware helpers for the server. Instants are stored as UTC; local dates and
 * wall-clock times are always computed in the event's zone (Europe/Helsinki), never the
 * server's.
 *
 * What a local wall time or an all-day date means is src/contract/time.ts, shared with the
 * browser (#14): localDateTime, startOfLocalDay, addDays and allDayRange delegate to it. What
 * stays here is speed: formatting many instants (localDate, toOffsetIso, lastDayInclusive) and
 * expanding long series (instantOfWallClock) over cached offset spans, held equal to the
 * contract by test/contract-time.test.ts and test/time-format.test.ts.
 */
import { Temporal } from "temporal-polyfill";
import { addDays, allDayRange, isLocalDate, localToInstant, startOfDay } from "../contract/time.ts";

export { addDays, allDayRange, Temporal };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): boolean {
  return DATE_RE.test(s) && isLocalDate(s);
}

export function toZoned(instant: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
}

export function fromZoned(zdt: Temporal.ZonedDateTime): Date {
  return new Date(zdt.epochMilliseconds);
}

/** The instant of local midnight starting `date` (YYYY-MM-DD) in `timeZone` (contract/time's startOfDay). */
export function startOfLocalDay(date: string | Temporal.PlainDate, timeZone: string): Date {
  return startOfDay(date.toString(), timeZone);
}

/**
 * A stretch of time over which a zone keeps one UTC offset: from an instant known to
 * have it (a transition, or the first instant asked for) up to the zone's next
 * transition. Formatting a list of 50 occurrences then costs arithmetic, not 100
 * Temporal objects (which dominated the list API's CPU profile).
 */
interface OffsetSpan {
  from: number;
  to: number;
  offsetMs: number;
  /** As Temporal writes it: "+03:00", or "+01:39:49" for a historical offset. */
  offset: string;
}

const MAX_SPANS_PER_ZONE = 256;
const spansByZone = new Map<string, OffsetSpan[]>();

function offsetSpan(ms: number, timeZone: string): OffsetSpan {
  let spans = spansByZone.get(timeZone);
  if (spans) {
    for (const s of spans) if (ms >= s.from && ms < s.to) return s;
  } else {
    spans = [];
    spansByZone.set(timeZone, spans);
  }
  const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  const next = zdt.getTimeZoneTransition("next");
  const prev = zdt.getTimeZoneTransition("previous");
  // The previous transition starts this span only if the offset right after it is ours
  // (`ms` may itself be a transition, whose "previous" one is older).
  const from =
    prev && prev.withTimeZone(timeZone).offsetNanoseconds === zdt.offsetNanoseconds
      ? prev.epochMilliseconds
      : ms;
  const span: OffsetSpan = {
    from,
    to: next ? next.epochMilliseconds : Number.POSITIVE_INFINITY,
    offsetMs: zdt.offsetNanoseconds / 1e6,
    offset: zdt.offset,
  };
  if (spans.length >= MAX_SPANS_PER_ZONE) spans.length = 0;
  spans.push(span);
  return span;
}

/**
 * The instant (epoch ms) of a local wall-clock time in a zone; `wallMs` is that wall time read
 * as if it were UTC. Disambiguates like Temporal's "compatible": the earlier instant of a
 * repeated hour, and a time in a skipped hour shifted forward by the gap (the offset before it).
 * Arithmetic over cached offset spans, so expanding a long series costs no Temporal objects.
 */
export function instantOfWallClock(wallMs: number, timeZone: string): number {
  const before = offsetSpan(wallMs - 86_400_000, timeZone).offsetMs;
  const after = offsetSpan(wallMs + 86_400_000, timeZone).offsetMs;
  let best: number | undefined;
  for (const off of before === after ? [before] : [before, after]) {
    const t = wallMs - off;
    if (offsetSpan(t, timeZone).offsetMs === off && (best === undefined || t < best)) best = t;
  }
  return best ?? wallMs - before;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The wall-clock fields of an instant in a zone, as a UTC-based Date (for its getUTC* fields). */
function wallClock(instant: Date, timeZone: string): { wall: Date; span: OffsetSpan } | null {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return null;
  const span = offsetSpan(ms, timeZone);
  const wall = new Date(ms + span.offsetMs);
  const y = wall.getUTCFullYear();
  // Temporal writes other years with a sign and six digits: leave those to it.
  return y >= 1000 && y <= 9999 ? { wall, span } : null;
}

const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  if (!w) return toZoned(instant, timeZone).toPlainDate().toString();
  return ymd(w.wall);
}

/** ISO 8601 with the zone's offset and no fractional seconds, e.g. 2026-06-14T12:00:00+03:00. */
export function toOffsetIso(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  if (!w) {
    const zdt = toZoned(instant, timeZone);
    return `${zdt.toPlainDateTime().toString({ smallestUnit: "second" })}${zdt.offset}`;
  }
  const d = w.wall;
  return `${ymd(d)}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${w.span.offset}`;
}

/**
 * Parses a local wall-clock time on a date in a zone (e.g. "2026-06-14", "18:00"): contract/time's
 * localToInstant ("compatible": a time in a gap moves forward, an overlap takes the earlier).
 */
export function localDateTime(date: string, time: string, timeZone: string): Date {
  return localToInstant(date, time, timeZone);
}

/**
 * The last local date (inclusive) of an all-day range ending (exclusive) at `endsAt`: contract/time's
 * lastDayInclusive over the cached offset spans, since lists format one per occurrence.
 */
export function lastDayInclusive(endsAt: Date, timeZone: string): string {
  return localDate(new Date(endsAt.getTime() - 1), timeZone);
}

/**
 * An occurrence's start and end as the API gives them: offset date-times, or local dates (the
 * end inclusive) for an all-day one.
 */
export function formatSpan(startsAt: Date, endsAt: Date, allDay: boolean, timeZone: string) {
  return allDay
    ? { start: localDate(startsAt, timeZone), end: lastDayInclusive(endsAt, timeZone) }
    : { start: toOffsetIso(startsAt, timeZone), end: toOffsetIso(endsAt, timeZone) };
}
