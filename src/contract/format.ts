/**
 * Date and time formatting shared by the server's pages and the browser: Helsinki wall time,
 * calendar days, and an event's full time (formatEventTime, the event page). The browser's
 * list formatting builds on it in web/src/lib/format.ts.
 *
 * All calendar arithmetic happens in Europe/Helsinki, never in the browser's zone.
 * Output is assembled from numeric parts so it does not depend on the browser's ICU data.
 */

import type { Lang, Messages } from "./i18n/resident.ts";
import { instantToLocal } from "./time.ts";

export const TIME_ZONE = "Europe/Helsinki";

/** A calendar date. */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** A wall-clock moment in Helsinki. */
export interface WallTime extends Ymd {
  hh: number;
  mm: number;
}

/** The Helsinki wall-clock date and time of an instant (src/contract/time.ts's instantToLocal). */
export function helsinkiTime(instant: Date): WallTime {
  const { date, time } = instantToLocal(instant, TIME_ZONE);
  return {
    y: Number(date.slice(0, -6)),
    m: Number(date.slice(-5, -3)),
    d: Number(date.slice(-2)),
    hh: Number(time.slice(0, 2)),
    mm: Number(time.slice(3, 5)),
  };
}

/** "2026-12-05" (or the date part of a longer ISO string) as a calendar date; null when malformed. */
export function parseYmd(value: string): Ymd | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return null;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** "2026-06-14": sortable key, also valid for `<time datetime>`. */
export function ymdKey(date: Ymd): string {
  return `${date.y}-${pad2(date.m)}-${pad2(date.d)}`;
}

/** Day of week, 0 = Sunday. */
export function weekday(date: Ymd): number {
  return new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
}

/** "12.00" (fi, sv) or "12:00" (en). */
export function formatClock(time: WallTime, lang: Lang, t: Messages): string {
  const hours = lang === "en" ? pad2(time.hh) : String(time.hh);
  return `${hours}${t.clockSep}${pad2(time.mm)}`;
}

export const sameDay = (a: Ymd, b: Ymd): boolean => a.y === b.y && a.m === b.m && a.d === b.d;

/** The part of an event that decides when it happens. */
export interface EventTiming {
  start: string;
  end: string | null;
  all_day: boolean;
}

/** First and last Helsinki calendar day of an event (all-day `end` is the inclusive last day). */
export function eventDays(ev: EventTiming): { first: Ymd; last: Ymd } | null {
  if (ev.all_day) {
    const first = parseYmd(ev.start);
    if (!first) return null;
    return { first, last: (ev.end ? parseYmd(ev.end) : null) ?? first };
  }
  const start = new Date(ev.start);
  if (Number.isNaN(start.getTime())) return null;
  const first = helsinkiTime(start);
  const end = ev.end ? new Date(ev.end) : null;
  const last = end && !Number.isNaN(end.getTime()) ? helsinkiTime(end) : first;
  return { first, last };
}

/** "12", "12.30" (fi, sv: minutes only when not on the hour) or "12:00" (en). */
function formatClockShort(time: WallTime, lang: Lang, t: Messages): string {
  if (lang === "en") return formatClock(time, lang, t);
  return time.mm === 0 ? String(time.hh) : `${time.hh}${t.clockSep}${pad2(time.mm)}`;
}

/** "la 14.6.2026", "lö 14.6.2026", "Sat 14 June 2026". */
export function formatShortDay(date: Ymd, lang: Lang, t: Messages): string {
  const name = t.weekdaysShort[weekday(date)] ?? "";
  if (lang === "en") return `${name} ${date.d} ${t.months[date.m - 1] ?? date.m} ${date.y}`;
  return `${name} ${date.d}.${date.m}.${date.y}`;
}

/**
 * The full time of an event for its own page, with the date:
 * "la 14.6.2026 klo 12–16", "lö 14.6.2026 kl. 12–16", "Sat 14 June 2026, 12:00–16:00";
 * across days "pe 5.12.2026 klo 21 – la 6.12.2026 klo 1.30"; all-day "la 14.6.2026" or
 * "pe 5.12.2026 – su 7.12.2026".
 */
export function formatEventTime(ev: EventTiming, lang: Lang, t: Messages): string {
  const days = eventDays(ev);
  if (!days) return "";
  if (ev.all_day) {
    const first = formatShortDay(days.first, lang, t);
    return sameDay(days.first, days.last) ? first : `${first} – ${formatShortDay(days.last, lang, t)}`;
  }
  const start = helsinkiTime(new Date(ev.start));
  const endInstant = ev.end ? new Date(ev.end) : null;
  const sep = lang === "en" ? ", " : ` ${t.clockPrefix}`;
  const startText = `${formatShortDay(start, lang, t)}${sep}${formatClockShort(start, lang, t)}`;
  if (!endInstant || Number.isNaN(endInstant.getTime()) || endInstant.getTime() === Date.parse(ev.start)) {
    return startText;
  }
  const end = helsinkiTime(endInstant);
  if (sameDay(start, end)) return `${startText}–${formatClockShort(end, lang, t)}`;
  return `${startText} – ${formatShortDay(end, lang, t)}${sep}${formatClockShort(end, lang, t)}`;
}
