/**
 * Date formatting for the event list in the browser: day headings, when an event happens
 * under its heading, and calendar arithmetic for the month view. The shared part (Helsinki
 * wall time, an event's days, its full time) is src/contract/format.ts, re-exported here.
 *
 * All calendar arithmetic happens in Europe/Helsinki, never in the browser's zone.
 * Output is assembled from numeric parts so it does not depend on the browser's ICU data.
 */

import {
  type EventTiming,
  eventDays,
  formatClock,
  helsinkiTime,
  sameDay,
  type WallTime,
  weekday,
  type Ymd,
} from "../../../src/contract/format.ts";
import type { Lang, Messages } from "../../../src/contract/i18n/resident.ts";

export * from "../../../src/contract/format.ts";

/** Day heading: "sunnuntai 14.6.2026", "söndag 14.6.2026", "Sunday 14 June 2026". */
export function formatDay(date: Ymd, lang: Lang, t: Messages): string {
  const name = t.weekdays[weekday(date)] ?? "";
  if (lang === "en") return `${name} ${date.d} ${t.months[date.m - 1] ?? date.m} ${date.y}`;
  return `${name} ${date.d}.${date.m}.${date.y}`;
}

/** A date without weekday, for ranges: "14.6.", "14 June". */
function formatShortDate(date: Ymd, lang: Lang, t: Messages, withYear: boolean): string {
  if (lang === "en") return `${date.d} ${t.months[date.m - 1] ?? date.m}${withYear ? ` ${date.y}` : ""}`;
  return `${date.d}.${date.m}.${withYear ? date.y : ""}`;
}

/**
 * When an event happens, as shown under its day heading:
 * "klo 12.00–16.00", "kl. 12.00–16.00", "12:00–16:00", "koko päivän",
 * or with dates when it spans days: "5.12. klo 18.00 – 6.12. klo 2.00", "5.–7.12.2026".
 */
export function formatWhen(ev: EventTiming, lang: Lang, t: Messages): string {
  if (ev.all_day) {
    const days = eventDays(ev);
    if (!days) return t.allDay;
    if (sameDay(days.first, days.last)) return t.allDay;
    const { first, last } = days;
    if (first.y === last.y && first.m === last.m) {
      // "5.–7.12.2026", "5–7 December 2026"
      return lang === "en"
        ? `${first.d}–${formatShortDate(last, lang, t, true)}`
        : `${first.d}.–${formatShortDate(last, lang, t, true)}`;
    }
    // "28.11.–3.12.2026", "28 November – 3 December 2026", "30.12.2026–2.1.2027"
    const from = formatShortDate(first, lang, t, first.y !== last.y);
    return `${from}${lang === "en" ? " – " : "–"}${formatShortDate(last, lang, t, true)}`;
  }
  const startInstant = new Date(ev.start);
  if (Number.isNaN(startInstant.getTime())) return "";
  const start = helsinkiTime(startInstant);
  const endInstant = ev.end ? new Date(ev.end) : null;
  const clock = (time: WallTime) => `${t.clockPrefix}${formatClock(time, lang, t)}`;
  if (!endInstant || Number.isNaN(endInstant.getTime()) || endInstant.getTime() === startInstant.getTime()) {
    return clock(start);
  }
  const end = helsinkiTime(endInstant);
  if (sameDay(start, end)) return `${clock(start)}–${formatClock(end, lang, t)}`;
  const withYear = start.y !== end.y;
  return `${formatShortDate(start, lang, t, withYear)} ${clock(start)} – ${formatShortDate(end, lang, t, withYear)} ${clock(end)}`;
}

/** Adds days to a calendar date. */
export function addDays(date: Ymd, n: number): Ymd {
  const d = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

/** Number of days in a month (m 1–12). */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
