/**
 * Recurrence: normalises an event's RRULE (parsed by ./rrule.ts) for its kind of start, and
 * expands its series into concrete occurrences, in the event's own zone so that a weekly
 * Tuesday 18:00 series stays at 18:00 local time across DST changes.
 *
 * Expansion works on calendar days as integers (RFC 5545's BYxxx parts act on dates; the
 * time of day is always the start's) and is bounded by the work done, not only by the
 * occurrences found: every candidate day examined counts, and a series that needs more than
 * MAX_CANDIDATE_DAYS is refused. The worst accepted rule costs a few milliseconds.
 */
import { localToInstant } from "../../contract/time.ts";
import type { FieldIssue } from "../errors.ts";
import { addDays, allDayRange, instantOfWallClock, lastDayInclusive, localDate, toZoned } from "../time.ts";
import { daysInMonth, formatRecur, MAX_OCCURRENCES, parseRecur, type Recur } from "./rrule.ts";

export { MAX_OCCURRENCES } from "./rrule.ts";

/** Candidate days one expansion may examine (about 4 ms of CPU); beyond it the series is refused. */
export const MAX_CANDIDATE_DAYS = 40_000;

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

/** The series has more than MAX_OCCURRENCES occurrences before the horizon. */
export class TooManyOccurrences extends RangeError {
  constructor() {
    super(`the series has more than ${MAX_OCCURRENCES} occurrences`);
  }
}

/** Expanding the series would examine more than MAX_CANDIDATE_DAYS days. */
export class RecurrenceTooComplex extends RangeError {
  constructor() {
    super(`expanding the series would examine more than ${MAX_CANDIDATE_DAYS} days`);
  }
}

/** The stored rule cannot be parsed (a row written before rules were checked strictly). */
export class InvalidStoredRule extends RangeError {}

/** Returns the problems with an RRULE (empty when it is acceptable). */
export function validateRrule(rrule: string, path = "rrule"): FieldIssue[] {
  const parsed = parseRecur(rrule, path);
  return parsed.ok ? [] : parsed.issues;
}

export type NormalisedRrule = { ok: true; rrule: string } | { ok: false; issues: FieldIssue[] };

/**
 * Parses a rule and writes it in canonical form, with UNTIL of the kind RFC 5545 demands for
 * the start: a DATE for all-day series, a UTC date-time otherwise (a date then means "through
 * that local day", and a floating time is read in the event's zone).
 */
export function normaliseRrule(
  rrule: string,
  start: { allDay: boolean; timezone: string },
  path = "rrule",
): NormalisedRrule {
  const parsed = parseRecur(rrule, path);
  if (!parsed.ok) return parsed;
  const rule = parsed.rule;
  if (rule.until) rule.until = untilFor(rule.until, start.allDay, start.timezone);
  return { ok: true, rrule: formatRecur(rule) };
}

const DAY_MS = 86_400_000;

function untilFor(until: string, allDay: boolean, timeZone: string): string {
  const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
  const compact = (s: string) => s.replace(/[-:]/g, "");
  if (until.length === 8) {
    if (allDay) return until;
    const endOfDay = new Date(allDayRange(date, date, timeZone).endsAt.getTime() - 1000);
    return `${compact(endOfDay.toISOString().slice(0, 19))}Z`;
  }
  const time = `${until.slice(9, 11)}:${until.slice(11, 13)}:${until.slice(13, 15)}`;
  const wall = Date.parse(`${date}T${time}Z`);
  const instant = until.endsWith("Z") ? wall : instantOfWallClock(wall, timeZone);
  if (allDay) return compact(localDate(new Date(instant), timeZone));
  return `${compact(new Date(instant).toISOString().slice(0, 19))}Z`;
}

// Calendar days as integers (days since 1970-01-01), after Howard Hinnant's algorithms.
function dayOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civil(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** ISO weekday, Monday = 1 (1970-01-01 was a Thursday). */
const weekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;

/** Does `value` (1-based) equal some n of `list` (a negative n counts from the end of `len`)? */
function anyAt(list: number[], value: number, len: number): boolean {
  for (const n of list) if (n > 0 ? value === n : value === len + n + 1) return true;
  return false;
}

/**
 * The starts (epoch ms) the rule gives before `horizonMs`, in order. DTSTART counts only when
 * the rule matches it. Throws RecurrenceTooComplex or TooManyOccurrences.
 */
function ruleStarts(rule: Recur, series: Series, horizonMs: number): number[] {
  const tz = series.timezone;
  const start = toZoned(series.startsAt, tz);
  const d0 = dayOf(start.year, start.month, start.day);
  const timeOfDay = series.allDay
    ? 0
    : ((start.hour * 60 + start.minute) * 60 + start.second) * 1000 + start.millisecond;
  const instantOf = (day: number) => instantOfWallClock(day * DAY_MS + timeOfDay, tz);

  let untilMs = Number.POSITIVE_INFINITY;
  let untilDay = Number.POSITIVE_INFINITY;
  if (rule.until) {
    const u = untilFor(rule.until, series.allDay, tz);
    const [y, m, d] = [Number(u.slice(0, 4)), Number(u.slice(4, 6)), Number(u.slice(6, 8))];
    if (u.length === 8) untilDay = dayOf(y, m, d);
    else {
      untilMs = Date.parse(
        `${u.slice(0, 4)}-${u.slice(4, 6)}-${u.slice(6, 8)}T${u.slice(9, 11)}:${u.slice(11, 13)}:${u.slice(13, 15)}Z`,
      );
      untilDay = Math.floor(untilMs / DAY_MS) + 1;
    }
  }
  // No candidate day after this one can be an occurrence (offsets are under a day).
  const lastDay = Math.min(untilDay, Math.floor(horizonMs / DAY_MS) + 1);
  const count = rule.count ?? Number.POSITIVE_INFINITY;
  const interval = rule.interval ?? 1;
  const wkst = rule.wkst ?? 1;
  const [y0, m0, dd0] = civil(d0);

  // Without any BYxxx day part, the series repeats on DTSTART's day (RFC 5545 3.3.10).
  let byMonth = rule.byMonth;
  let byMonthDay = rule.byMonthDay;
  let byDay = rule.byDay;
  if (!rule.byWeekNo && !rule.byYearDay && !byMonthDay && !byDay) {
    if (rule.freq === "YEARLY") {
      byMonth ??= [m0];
      byMonthDay = [dd0];
    } else if (rule.freq === "MONTHLY") byMonthDay = [dd0];
    else if (rule.freq === "WEEKLY") byDay = [{ ord: 0, weekday: weekdayOf(d0) }];
  }
  // Ordinals count within the month (MONTHLY, or YEARLY with BYMONTH), otherwise within the year.
  const ordinalInMonth = rule.freq === "MONTHLY" || rule.byMonth !== undefined;
  const byYearDay = rule.byYearDay;
  const byWeekNo = rule.byWeekNo;
  const byDayPlain = byDay?.every((b) => b.ord === 0) ? new Set(byDay.map((b) => b.weekday)) : undefined;
  const week1Start = (y: number) => {
    const jan4 = dayOf(y, 1, 4);
    return jan4 - ((weekdayOf(jan4) - wkst + 7) % 7);
  };

  const matches = (day: number, y: number, m: number, d: number, monthLen: number): boolean => {
    if (byMonth && !byMonth.includes(m)) return false;
    if (byWeekNo) {
      let weekYear = y;
      let first = week1Start(y);
      if (day < first) first = week1Start(--weekYear);
      else if (day >= week1Start(y + 1)) first = week1Start(++weekYear);
      const weeks = (week1Start(weekYear + 1) - first) / 7;
      const week = Math.floor((day - first) / 7) + 1;
      if (!anyAt(byWeekNo, week, weeks)) return false;
    }
    if (byMonthDay && !anyAt(byMonthDay, d, monthLen)) return false;
    if (byDayPlain) return byDayPlain.has(weekdayOf(day));
    if (byYearDay || byDay) {
      const yearDay = day - dayOf(y, 1, 1) + 1;
      const yearLen = daysInMonth(y, 2) === 29 ? 366 : 365;
      if (byYearDay && !anyAt(byYearDay, yearDay, yearLen)) return false;
      if (byDay) {
        const wd = weekdayOf(day);
        const pos = ordinalInMonth ? d : yearDay;
        const len = ordinalInMonth ? monthLen : yearLen;
        const nth = Math.floor((pos - 1) / 7) + 1;
        const nthFromEnd = -(Math.floor((len - pos) / 7) + 1);
        for (const b of byDay) {
          if (b.weekday === wd && (b.ord === 0 || b.ord === nth || b.ord === nthFromEnd)) return true;
        }
        return false;
      }
    }
    return true;
  };

  // Examines the days first…last (counting each against the budget), keeping those that match.
  let work = 0;
  let found: number[] = [];
  const scan = (first: number, last: number) => {
    const fields = civil(first);
    let y = fields[0];
    let m = fields[1];
    let d = fields[2];
    let monthLen = daysInMonth(y, m);
    for (let day = first; day <= last; day++) {
      if (++work > MAX_CANDIDATE_DAYS) throw new RecurrenceTooComplex();
      if (matches(day, y, m, d, monthLen)) found.push(day);
      if (++d > monthLen) {
        d = 1;
        if (++m > 12) {
          m = 1;
          y++;
        }
        monthLen = daysInMonth(y, m);
      }
    }
  };
  // Scans period k (its candidate days go to `found`) and returns its first day.
  const weekStart0 = d0 - ((weekdayOf(d0) - wkst + 7) % 7);
  const monthIndex0 = y0 * 12 + (m0 - 1);
  const scanPeriod = (k: number): number => {
    switch (rule.freq) {
      case "DAILY": {
        const day = d0 + k * interval;
        if (day <= lastDay) scan(day, day);
        return day;
      }
      case "WEEKLY": {
        const first = weekStart0 + k * 7 * interval;
        if (first <= lastDay) scan(first, first + 6);
        return first;
      }
      case "MONTHLY": {
        const mi = monthIndex0 + k * interval;
        const y = Math.floor(mi / 12);
        const m = mi - y * 12 + 1;
        const first = dayOf(y, m, 1);
        if (first <= lastDay) scan(first, first + daysInMonth(y, m) - 1);
        return first;
      }
      default: {
        const y = y0 + k * interval;
        const first = dayOf(y, 1, 1);
        if (first > lastDay) return first;
        // Only the months that can match (week numbers straddle years, so not with BYWEEKNO).
        if (byMonth && !byWeekNo) {
          for (const m of byMonth) scan(dayOf(y, m, 1), dayOf(y, m, daysInMonth(y, m)));
        } else scan(first, dayOf(y, 12, 31));
        return first;
      }
    }
  };

  const out: number[] = [];
  for (let k = 0; ; k++) {
    if (found.length > 0) found = [];
    if (scanPeriod(k) > lastDay) return out;
    let days = found;
    if (rule.bySetPos && found.length > 0) {
      const picked = new Set<number>();
      for (const p of rule.bySetPos) {
        const day = found[p > 0 ? p - 1 : found.length + p];
        if (day !== undefined) picked.add(day);
      }
      days = [...picked].sort((a, b) => a - b);
    }
    for (const day of days) {
      if (day < d0) continue;
      const t = instantOf(day);
      if (series.allDay ? day > untilDay : t > untilMs) return out;
      if (t >= horizonMs) return out;
      out.push(t);
      if (out.length >= count) return out;
      if (out.length > MAX_OCCURRENCES) throw new TooManyOccurrences();
    }
  }
}

/**
 * Expands a series into occurrences that start before `horizon`. Excluded dates are
 * dropped, extra dates added, and the result is sorted and de-duplicated. Throws
 * TooManyOccurrences (more than MAX_OCCURRENCES before the horizon), RecurrenceTooComplex
 * (too much work) or InvalidStoredRule (a rule that does not parse); all are RangeErrors.
 * `stats.ruleOccurrences` receives how many starts the rule itself gave.
 */
export function expandSeries(
  series: Series,
  horizon: Date,
  stats?: { ruleOccurrences: number },
): Occurrence[] {
  const tz = series.timezone;
  const start = toZoned(series.startsAt, tz);
  const end = toZoned(series.endsAt, tz);
  // All-day events span whole calendar days; timed events keep their exact length.
  const days = series.allDay ? start.toPlainDate().until(end.toPlainDate(), { largestUnit: "days" }).days : 0;
  const durationMs = series.endsAt.getTime() - series.startsAt.getTime();
  const occurrenceAt = (ms: number): Occurrence => {
    if (!series.allDay) return { startsAt: new Date(ms), endsAt: new Date(ms + durationMs) };
    const [y, m, d] = localDate(new Date(ms), tz).split("-").map(Number) as [number, number, number];
    const endWall = (dayOf(y, m, d) + days) * DAY_MS;
    return { startsAt: new Date(ms), endsAt: new Date(instantOfWallClock(endWall, tz)) };
  };

  let starts: number[];
  if (series.rrule) {
    const parsed = parseRecur(series.rrule);
    if (!parsed.ok) throw new InvalidStoredRule(`invalid RRULE: ${parsed.issues[0]?.message}`);
    starts = ruleStarts(parsed.rule, series, horizon.getTime());
    if (stats) stats.ruleOccurrences = starts.length;
  } else {
    starts = [series.startsAt.getTime()];
  }
  const wallTime = start.toPlainTime().toString();
  for (const d of series.rdates) starts.push(localToInstant(d, wallTime, tz).getTime());
  const excluded = new Set(series.exdates);
  const seen = new Set<number>();
  const result: Occurrence[] = [];
  for (const ms of starts) {
    if (seen.has(ms)) continue;
    seen.add(ms);
    if (excluded.size > 0 && excluded.has(localDate(new Date(ms), tz))) continue;
    result.push(occurrenceAt(ms));
  }
  if (result.length > MAX_OCCURRENCES) throw new TooManyOccurrences();
  result.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return result;
}

/**
 * Checks that a series can be expanded to `horizon` within the limits and that its rule gives
 * at least one occurrence there. Returns the problems, naming `rrule`.
 */
export function checkSeries(series: Series, horizon: Date, path = "rrule"): FieldIssue[] {
  if (!series.rrule) return [];
  try {
    const stats = { ruleOccurrences: 0 };
    expandSeries(series, horizon, stats);
    if (stats.ruleOccurrences === 0) {
      return [
        {
          path,
          message:
            "the rule gives no occurrence in the five years from the start (check BYxxx, INTERVAL and UNTIL)",
          code: "no_occurrences",
        },
      ];
    }
    return [];
  } catch (err) {
    if (err instanceof TooManyOccurrences) {
      return [
        {
          path,
          message: `the series may have at most ${MAX_OCCURRENCES} occurrences`,
          code: "too_many_occurrences",
          maximum: MAX_OCCURRENCES,
        },
      ];
    }
    if (err instanceof RecurrenceTooComplex) {
      return [
        {
          path,
          message: "the rule matches too rarely to be expanded; use a simpler rule or a later start",
          code: "too_complex",
        },
      ];
    }
    throw err;
  }
}

/** The local dates (inclusive) an occurrence covers, e.g. for a multi-day festival. */
export function coveredDates(o: Occurrence, timeZone: string, allDay: boolean): string[] {
  const first = localDate(o.startsAt, timeZone);
  // The end is exclusive: an all-day event ending at midnight does not cover that day.
  const last = allDay ? lastDayInclusive(o.endsAt, timeZone) : localDate(o.endsAt, timeZone);
  const out = [first];
  while ((out[out.length - 1] as string) < last) out.push(addDays(out[out.length - 1] as string, 1));
  return out;
}
