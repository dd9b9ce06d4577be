/**
 * The RFC 5545 RECUR grammar (3.3.10) for the recurrence rules events may carry: a strict
 * parser that refuses unknown, repeated or empty parts and any character outside the
 * grammar (so no CR/LF can ever reach a feed), rules RFC 5545 forbids, and combinations
 * that can never occur; and one canonical way of writing a parsed rule back (fixed part
 * order, uppercase, lists sorted without repeats). Only date-level rules are supported:
 * an event recurs at its own start time, so BYHOUR, BYMINUTE and BYSECOND are refused.
 */
import type { FieldIssue } from "../errors.ts";

/** Hard cap on occurrences of one series: anything larger is rejected. */
export const MAX_OCCURRENCES = 1000;
/** The largest INTERVAL accepted. */
export const MAX_INTERVAL = 999;

export const FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
export type Freq = (typeof FREQS)[number];
/** Weekday codes; the index + 1 is the ISO weekday (Monday = 1). */
export const WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/** Rule parts in the order the canonical form writes them (RFC 5545's own order). */
const PART_ORDER = [
  "FREQ",
  "UNTIL",
  "COUNT",
  "INTERVAL",
  "BYSECOND",
  "BYMINUTE",
  "BYHOUR",
  "BYDAY",
  "BYMONTHDAY",
  "BYYEARDAY",
  "BYWEEKNO",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
] as const;
type PartName = (typeof PART_ORDER)[number];

/** A weekday, with an ordinal for "the 2nd Tuesday" (0: every such weekday). */
export interface WeekdayNum {
  ord: number;
  /** ISO weekday, 1 (Monday) … 7 (Sunday). */
  weekday: number;
}

/** A parsed rule. UNTIL keeps its text form: YYYYMMDD, YYYYMMDDTHHMMSSZ or (floating) YYYYMMDDTHHMMSS. */
export interface Recur {
  freq: Freq;
  until?: string;
  count?: number;
  interval?: number;
  byDay?: WeekdayNum[];
  byMonthDay?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  /** ISO weekday the week starts on. */
  wkst?: number;
}

export type RecurParse = { ok: true; rule: Recur } | { ok: false; issues: FieldIssue[] };

const ALLOWED = /^[A-Z0-9=;,+-]*$/;
const UNTIL_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;
const WEEKDAY_RE = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
const INT_RE = /^[+-]?\d{1,3}$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses a rule (an "RRULE:" prefix is allowed, letters in any case). */
export function parseRecur(text: string, path = "rrule"): RecurParse {
  const issues: FieldIssue[] = [];
  const fail = (message: string): RecurParse => ({ ok: false, issues: [{ path, message }] });
  const body = text.replace(/^RRULE:/i, "").toUpperCase();
  if (!ALLOWED.test(body)) {
    return fail(
      "RRULE may contain only letters, digits and the characters = ; , + - (no spaces, line breaks or other control characters)",
    );
  }
  if (body === "") return fail("RRULE is empty");
  const raw = new Map<PartName, string>();
  for (const piece of body.split(";")) {
    const eq = piece.indexOf("=");
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? "" : piece.slice(eq + 1);
    if (piece === "") {
      issues.push({ path, message: "RRULE has an empty part (two semicolons in a row, or one at an end)" });
    } else if (eq < 0) {
      issues.push({ path, message: `${name} must be written as ${name}=value` });
    } else if (!(PART_ORDER as readonly string[]).includes(name)) {
      issues.push({
        path,
        message: `${name} is not an RRULE part; RFC 5545 defines ${PART_ORDER.join(", ")}`,
      });
    } else if (raw.has(name as PartName)) {
      issues.push({ path, message: `${name} is given more than once` });
    } else if (value === "") {
      issues.push({ path, message: `${name} has no value` });
    } else {
      raw.set(name as PartName, value);
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const add = (message: string) => issues.push({ path, message });
  for (const name of ["BYHOUR", "BYMINUTE", "BYSECOND"] as const) {
    if (raw.has(name)) {
      add(
        `${name} is not supported: an event recurs at its own start time (make another event for another time)`,
      );
    }
  }

  const freqText = raw.get("FREQ");
  let freq: Freq | undefined;
  if (freqText === undefined) add("RRULE must include FREQ");
  else if ((FREQS as readonly string[]).includes(freqText)) freq = freqText as Freq;
  else if (["SECONDLY", "MINUTELY", "HOURLY"].includes(freqText)) {
    add(`FREQ=${freqText} is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY`);
  } else add(`FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not ${freqText}`);

  const rule: Partial<Recur> = {};
  const until = raw.get("UNTIL");
  if (until !== undefined) {
    if (validUntil(until)) rule.until = until;
    else add("UNTIL must be a date (YYYYMMDD) or a UTC date-time (YYYYMMDDTHHMMSSZ)");
  }
  const count = raw.get("COUNT");
  if (count !== undefined) {
    if (!/^\d{1,20}$/.test(count) || Number(count) < 1) add("COUNT must be a positive integer");
    else if (Number(count) > MAX_OCCURRENCES) add(`COUNT may be at most ${MAX_OCCURRENCES}`);
    else rule.count = Number(count);
  }
  if (count !== undefined && until !== undefined) add("COUNT and UNTIL cannot both be given");
  const interval = raw.get("INTERVAL");
  if (interval !== undefined) {
    if (!/^\d{1,20}$/.test(interval) || Number(interval) < 1 || Number(interval) > MAX_INTERVAL) {
      add(`INTERVAL must be an integer from 1 to ${MAX_INTERVAL}`);
    } else rule.interval = Number(interval);
  }

  const list = (name: PartName, min: number, max: number, signed: boolean): number[] | undefined => {
    const value = raw.get(name);
    if (value === undefined) return undefined;
    const out = new Set<number>();
    for (const item of value.split(",")) {
      const n = INT_RE.test(item) ? Number(item) : Number.NaN;
      const ok = Number.isInteger(n) && Math.abs(n) >= min && Math.abs(n) <= max && (signed || n > 0);
      if (!ok) {
        add(
          `${name} must list ${signed ? `integers from ${min} to ${max} or -${max} to -${min}` : `integers from ${min} to ${max}`}, separated by commas`,
        );
        return undefined;
      }
      out.add(n);
    }
    return [...out].sort((a, b) => a - b);
  };
  const byMonthDay = list("BYMONTHDAY", 1, 31, true);
  const byYearDay = list("BYYEARDAY", 1, 366, true);
  const byWeekNo = list("BYWEEKNO", 1, 53, true);
  const byMonth = list("BYMONTH", 1, 12, false);
  const bySetPos = list("BYSETPOS", 1, 366, true);
  if (byMonthDay) rule.byMonthDay = byMonthDay;
  if (byYearDay) rule.byYearDay = byYearDay;
  if (byWeekNo) rule.byWeekNo = byWeekNo;
  if (byMonth) rule.byMonth = byMonth;
  if (bySetPos) rule.bySetPos = bySetPos;

  const byDayText = raw.get("BYDAY");
  if (byDayText !== undefined) {
    const days = new Map<string, WeekdayNum>();
    for (const item of byDayText.split(",")) {
      const m = WEEKDAY_RE.exec(item);
      const ord = m?.[1] ? Number(m[1]) : 0;
      if (!m || (m[1] !== undefined && (ord === 0 || Math.abs(ord) > 53))) {
        add(
          "BYDAY must list weekdays (MO, TU, WE, TH, FR, SA, SU), each optionally with an ordinal from 1 to 53 or -53 to -1 (e.g. 2TU, -1FR)",
        );
        break;
      }
      const weekday = WEEKDAY_CODES.indexOf(m[2] as (typeof WEEKDAY_CODES)[number]) + 1;
      days.set(`${ord}${weekday}`, { ord, weekday });
    }
    if (days.size > 0 && issues.every((i) => !i.message.startsWith("BYDAY"))) {
      rule.byDay = [...days.values()].sort((a, b) => a.weekday - b.weekday || a.ord - b.ord);
    }
  }
  const wkst = raw.get("WKST");
  if (wkst !== undefined) {
    const i = WEEKDAY_CODES.indexOf(wkst as (typeof WEEKDAY_CODES)[number]);
    if (i < 0) add("WKST must be a weekday: MO, TU, WE, TH, FR, SA or SU");
    else rule.wkst = i + 1;
  }
  if (issues.length > 0 || !freq) return { ok: false, issues };
  const full: Recur = { ...rule, freq };

  // Where RFC 5545 (3.3.10) allows each part.
  if (full.byWeekNo && freq !== "YEARLY") add("BYWEEKNO is only allowed with FREQ=YEARLY");
  if (full.byYearDay && freq !== "YEARLY") add("BYYEARDAY is only allowed with FREQ=YEARLY");
  if (full.byMonthDay && freq === "WEEKLY") add("BYMONTHDAY is not allowed with FREQ=WEEKLY");
  const ordinals = full.byDay?.some((d) => d.ord !== 0) ?? false;
  if (ordinals && freq !== "MONTHLY" && freq !== "YEARLY") {
    add("BYDAY may have ordinals (e.g. 2TU) only with FREQ=MONTHLY or FREQ=YEARLY");
  } else if (ordinals && full.byWeekNo) {
    add("BYDAY may not have ordinals together with BYWEEKNO");
  } else if (
    ordinals &&
    (freq === "MONTHLY" || full.byMonth) &&
    full.byDay?.some((d) => Math.abs(d.ord) > 5)
  ) {
    add("BYDAY ordinals within a month must be from 1 to 5 or -5 to -1");
  }
  if (full.bySetPos && !(full.byDay || full.byMonthDay || full.byYearDay || full.byWeekNo || full.byMonth)) {
    add("BYSETPOS needs another BYxxx part (e.g. BYDAY) to choose from");
  }
  if (issues.length > 0) return { ok: false, issues };
  const never = neverMatches(full);
  if (never) return fail(`the rule never matches: ${never}`);
  return { ok: true, rule: full };
}

function validUntil(s: string): boolean {
  const m = UNTIL_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return false;
  if (m[4] === undefined) return true;
  return Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 60;
}

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (leap(y) ? 29 : 28) : (DAYS_IN_MONTH[m - 1] as number);
}

/**
 * A reason when the rule's BYxxx parts rule each other out in every year (e.g. the 30th of
 * February, or the 31st of a 30-day month), so that it can be refused without expanding it.
 */
function neverMatches(r: Recur): string | null {
  const months = r.byMonth ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (r.byMonthDay) {
    const fits = months.some((m) =>
      r.byMonthDay?.some((d) => Math.abs(d) <= (DAYS_IN_MONTH[m - 1] as number)),
    );
    if (!fits) return "no month in BYMONTH has any of the days in BYMONTHDAY";
  }
  if (r.byYearDay && r.byMonth) {
    // The month of each year day, in a common and in a leap year.
    const monthOf = (yd: number, y: number) => {
      const len = leap(y) ? 366 : 365;
      let day = yd > 0 ? yd : len + yd + 1;
      if (day < 1 || day > len) return 0;
      for (let m = 1; m <= 12; m++) {
        const n = daysInMonth(y, m);
        if (day <= n) return m;
        day -= n;
      }
      return 0;
    };
    const fits = r.byYearDay.some((yd) => [2001, 2004].some((y) => months.includes(monthOf(yd, y))));
    if (!fits) return "no day in BYYEARDAY falls in a month in BYMONTH";
  }
  return null;
}

/** The canonical text of a rule: RFC 5545's part order, uppercase, sorted lists without repeats. */
export function formatRecur(r: Recur): string {
  const parts: [PartName, string | undefined][] = [
    ["FREQ", r.freq],
    ["UNTIL", r.until],
    ["COUNT", r.count?.toString()],
    ["INTERVAL", r.interval?.toString()],
    ["BYDAY", r.byDay?.map((d) => `${d.ord === 0 ? "" : d.ord}${WEEKDAY_CODES[d.weekday - 1]}`).join(",")],
    ["BYMONTHDAY", r.byMonthDay?.join(",")],
    ["BYYEARDAY", r.byYearDay?.join(",")],
    ["BYWEEKNO", r.byWeekNo?.join(",")],
    ["BYMONTH", r.byMonth?.join(",")],
    ["BYSETPOS", r.bySetPos?.join(",")],
    ["WKST", r.wkst ? WEEKDAY_CODES[r.wkst - 1] : undefined],
  ];
  return parts
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(";");
}
