/**
 * The one implementation of local wall time ↔ instant, shared by the server and the browser
 * (#14): an event's times are entered and shown in its zone (Europe/Helsinki), never in the
 * server's or the browser's zone.
 *
 * - `localToInstant` reads a wall time in a zone with Temporal's "compatible" disambiguation:
 *   a time in a spring-forward gap moves forward by the gap's length (03:30 on the day Helsinki
 *   skips 03:00–04:00 is 04:30+03:00), a time in an autumn overlap takes the earlier instant.
 * - All-day events are stored as [start of the first day, start of the day after the last):
 *   `allDayRange` builds that pair from the inclusive dates the API speaks, `lastDayInclusive`
 *   reads the last day back.
 *
 * No dependency (the browser bundles it): Intl.DateTimeFormat, one cached formatter per zone.
 * Dates are "YYYY-MM-DD" (years outside 0000–9999 as Temporal writes them, "+010000-01-01"),
 * times "HH:MM", "HH:MM:SS" or "HH:MM:SS.sss" (digits past milliseconds dropped); malformed or impossible values (2027-02-30, 24:00) throw a
 * RangeError.
 */

/** A local calendar date and wall time, e.g. { date: "2027-03-28", time: "04:30" }. */
export interface LocalDateTime {
  date: string;
  time: string;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Epoch ms of a wall time read as if it were UTC (any year, unlike Date.UTC's 0–99 → 19xx). */
function utcMs(y: number, mo: number, d: number, hh = 0, mm = 0, ss = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(hh, mm, ss, 0);
  return date.getTime();
}

/** The zone's wall time at epoch ms `ms` (whole seconds), read as if it were UTC. */
function wallMsAt(ms: number, zone: string): number {
  const p: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) p[part.type] = part.value;
  const year = Number(p.year);
  const y = p.era === "BC" || p.era === "B" ? 1 - year : year;
  // Some engines print midnight as "24" even with h23.
  return utcMs(y, Number(p.month), Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
}

/** The zone's UTC offset in ms at epoch ms `ms`. */
function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallMsAt(whole, zone) - whole;
}

const DATE_RE = /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,9}))?)?$/;

/** "YYYY-MM-DD" as [y, m, d]; a RangeError unless it is a real (proleptic Gregorian) date. */
function parseDate(date: string): [number, number, number] {
  const m = DATE_RE.exec(date);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  if (!m || m[1] === "-000000" || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  }
  return [y, mo, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** True for a real calendar date written YYYY-MM-DD (2028-02-29 yes, 2027-02-29 no). */
export function isLocalDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A UTC-based epoch ms as "YYYY-MM-DD" (other years as Temporal writes them: "+010000", "-000001"). */
function ymd(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new RangeError("date outside the representable range");
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? "-" : "+"}${pad(Math.abs(y), 6)}`;
  return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A calendar date `n` days after `date` (before, for negative `n`): addDays("2028-02-28", 1) = "2028-02-29". */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parseDate(date);
  return ymd(utcMs(y, m, d) + n * DAY_MS);
}

/**
 * The instant (epoch ms) of the wall time `wall` (read as UTC) in `zone`, disambiguated like
 * Temporal's "compatible": of two instants (an overlap) the earlier; in a gap, the wall time
 * shifted forward by the gap (read with the offset before it).
 */
function instantOfWall(wall: number, zone: string): number {
  // Zones change offset at most once around a given wall time within a day either side.
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  let best: number | undefined;
  for (const off of before === after ? [before] : [before, after]) {
    const t = wall - off;
    if (offsetAt(t, zone) === off && (best === undefined || t < best)) best = t;
  }
  return best ?? wall - before;
}

/**
 * The instant of a local date and wall time in `zone`.
 * `localToInstant("2027-03-28", "03:30", "Europe/Helsinki")` is 01:30Z (04:30+03:00, the gap
 * 03:00–04:00 skipped); in the autumn overlap the earlier of the two instants.
 */
export function localToInstant(date: string, time: string, zone: string): Date {
  const [y, m, d] = parseDate(date);
  const t = TIME_RE.exec(time);
  if (!t) throw new RangeError(`not a time (HH:MM): ${time}`);
  const ms = Number((t[4] ?? "").slice(0, 3).padEnd(3, "0"));
  return new Date(instantOfWall(utcMs(y, m, d, Number(t[1]), Number(t[2]), Number(t[3] ?? 0)), zone) + ms);
}

/**
 * The local date and wall time of an instant in `zone`; `time` is "HH:MM" (seconds dropped),
 * or "HH:MM:SS" when `seconds` is set.
 */
export function instantToLocal(instant: Date, zone: string, seconds = false): LocalDateTime {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid instant");
  const wall = new Date(wallMsAt(Math.floor(ms / 1000) * 1000, zone));
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  return {
    date: ymd(wall.getTime()),
    time: seconds ? `${time}:${pad(wall.getUTCSeconds())}` : time,
  };
}

/**
 * The first instant of a local date in `zone`: its midnight, or where midnight falls in a gap
 * (São Paulo's old DST began at 00:00), the moment the day begins (Temporal's startOfDay).
 */
export function startOfDay(date: string, zone: string): Date {
  const [y, m, d] = parseDate(date);
  const wall = utcMs(y, m, d);
  const t = instantOfWall(wall, zone);
  if (offsetAt(t, zone) + t === wall) return new Date(t);
  // Midnight is skipped: the day begins at the transition, the first instant whose wall time
  // is on or after `wall`. Between the instants read with the offset after and before it.
  let lo = wall - offsetAt(wall + DAY_MS, zone);
  let hi = t;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid + offsetAt(mid, zone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * An all-day event's stored range from the inclusive dates the API and the form use:
 * `startsAt` is the start of `firstDate`, `endsAt` (exclusive) the start of the day after
 * `lastDateInclusive`, both in `zone`.
 */
export function allDayRange(
  firstDate: string,
  lastDateInclusive: string,
  zone: string,
): { startsAt: Date; endsAt: Date } {
  return { startsAt: startOfDay(firstDate, zone), endsAt: startOfDay(addDays(lastDateInclusive, 1), zone) };
}

/** The inverse of `allDayRange`'s end: the last local date (inclusive) of a range ending at `endsAt`. */
export function lastDayInclusive(endsAt: Date, zone: string): string {
  return instantToLocal(new Date(endsAt.getTime() - 1), zone).date;
}
