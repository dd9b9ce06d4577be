/**
 * The home page's filters as they live in the URL (shareable, back button works), and
 * their translation to the API's query (GET /api/v1/events, /feeds/events.ics).
 *
 * URL parameters: when=today|weekend|week|month|range, from, to (YYYY-MM-DD), q, category,
 * village, place, free=1, age, a11y (repeatable), municipality (slugs separated by commas, or
 * all; empty: the site's own selection), view=list|month, month=YYYY-MM, lang.
 * Relative picks (when=weekend) stay relative, so a shared "this weekend" link means the
 * weekend of whoever opens it. Dates are Europe/Helsinki calendar days.
 */

import { addDays, daysInMonth, weekday, type Ymd, ymdKey } from "../lib/format.ts";

export const WHEN_PICKS = ["today", "weekend", "week", "month"] as const;
export type WhenPick = (typeof WHEN_PICKS)[number];
export type When = "" | WhenPick | "range";

export interface Filters {
  when: When;
  from: string;
  to: string;
  q: string;
  category: string;
  village: string;
  place: string;
  free: boolean;
  age: string;
  a11y: string[];
  /** Municipality slugs separated by commas, or "all"; empty: the site's own selection. */
  municipality: string;
  view: "list" | "month";
  /** "2026-06" for the month view; empty means the current month. */
  month: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^\d{4}-\d{2}$/;

export function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const get = (k: string) => (p.get(k) ?? "").trim();
  const whenRaw = get("when");
  const from = DATE_RE.test(get("from")) ? get("from") : "";
  const to = DATE_RE.test(get("to")) ? get("to") : "";
  let when: When = (WHEN_PICKS as readonly string[]).includes(whenRaw) ? (whenRaw as WhenPick) : "";
  if (!when && (from || to)) when = "range";
  if (whenRaw === "range") when = "range";
  const age = get("age");
  return {
    when,
    from: when === "range" ? from : "",
    to: when === "range" ? to : "",
    q: get("q").slice(0, 200),
    category: get("category"),
    village: get("village"),
    place: get("place"),
    free: p.get("free") === "1",
    age: /^\d{1,3}$/.test(age) ? age : "",
    a11y: p.getAll("a11y").filter((v) => /^[a-z_]{1,40}$/.test(v)),
    municipality: /^[a-z0-9][a-z0-9,-]{0,400}$/.test(get("municipality")) ? get("municipality") : "",
    view: get("view") === "month" ? "month" : "list",
    month: MONTH_RE.test(get("month")) ? get("month") : "",
  };
}

/** The query string for the page URL (without lang); empty values are left out. */
export function filtersToSearch(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.when) p.set("when", f.when);
  if (f.when === "range") {
    if (f.from) p.set("from", f.from);
    if (f.to) p.set("to", f.to);
  }
  if (f.q) p.set("q", f.q);
  if (f.category) p.set("category", f.category);
  if (f.village) p.set("village", f.village);
  if (f.place) p.set("place", f.place);
  if (f.free) p.set("free", "1");
  if (f.age) p.set("age", f.age);
  for (const a of f.a11y) p.append("a11y", a);
  if (f.municipality) p.set("municipality", f.municipality);
  if (f.view === "month") p.set("view", "month");
  if (f.view === "month" && f.month) p.set("month", f.month);
  return p;
}

/** The calendar days a relative pick covers, counted from today (Helsinki). */
export function pickRange(pick: WhenPick, today: Ymd): { from: Ymd; to: Ymd } {
  const wd = weekday(today); // 0 = Sunday
  switch (pick) {
    case "today":
      return { from: today, to: today };
    case "weekend": {
      // Saturday and Sunday of this week; on a Sunday only today remains.
      if (wd === 0) return { from: today, to: today };
      const saturday = addDays(today, 6 - wd);
      return { from: wd === 6 ? today : saturday, to: addDays(saturday, 1) };
    }
    case "week":
      return { from: today, to: addDays(today, wd === 0 ? 0 : 7 - wd) };
    case "month":
      return { from: today, to: { ...today, d: daysInMonth(today.y, today.m) } };
  }
}

/** The date range the filters select, as API dates; null ends mean open. */
export function dateRange(f: Filters, today: Ymd): { from: string | null; to: string | null } {
  if (f.when === "range") return { from: f.from || null, to: f.to || null };
  if (f.when) {
    const r = pickRange(f.when, today);
    return { from: ymdKey(r.from), to: ymdKey(r.to) };
  }
  return { from: null, to: null };
}

/**
 * The API / feed query for the filters (without paging), shared by the list, the month
 * view and the subscribe dialog. `dates: false` leaves the date range out (feeds follow
 * the other filters but should not stop at "this weekend").
 */
export function apiQuery(
  f: Filters,
  today: Ymd,
  opts: { dates: boolean } = { dates: true },
): URLSearchParams {
  const p = new URLSearchParams();
  if (opts.dates) {
    const r = dateRange(f, today);
    if (r.from) p.set("from", r.from);
    if (r.to) p.set("to", r.to);
  }
  if (f.q) p.set("q", f.q);
  if (f.category) p.set("category", f.category);
  if (f.village) p.set("village", f.village);
  if (f.place) p.set("place", f.place);
  if (f.free) p.set("is_free", "true");
  if (f.age) p.set("age", f.age);
  for (const a of f.a11y) p.append("accessibility", a);
  if (f.municipality) p.set("municipality", f.municipality);
  return p;
}

/** Problems with the filters that the user must fix, as message keys. */
export function filterErrors(f: Filters): { field: "to" | "age"; key: "rangeError" | "ageError" }[] {
  const out: { field: "to" | "age"; key: "rangeError" | "ageError" }[] = [];
  if (f.when === "range" && f.from && f.to && f.to < f.from) out.push({ field: "to", key: "rangeError" });
  if (f.age && Number(f.age) > 120) out.push({ field: "age", key: "ageError" });
  return out;
}
