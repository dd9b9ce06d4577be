/**
 * Turns the hand-written demo material (data.ts) into concrete, dated events for the
 * six months after `today`. Deterministic: the same date and size give the same data,
 * ids included. Pure (no database); `load.ts` writes the result.
 */
import type { EventStatus, LocalizedText, WorkflowState } from "../contract/codes.ts";
import { addDays, localDateTime, startOfLocalDay, Temporal } from "../domain/time.ts";
import { CATEGORIES, EVENT_TEMPLATES, MUNICIPALITY, ORGANISATIONS, PLACES, VILLAGES } from "./data.ts";
import { createRng, type Rng, seedFromString } from "./random.ts";
import type { SeedEventTemplate } from "./types.ts";

export const DEFAULT_EVENT_COUNT = 240;
const DAYS_AHEAD = 182;
const TZ = "Europe/Helsinki";

export interface GeneratedEvent {
  id: string;
  template: number;
  organisationSlug: string;
  placeSlug: string | null;
  categorySlugs: string[];
  state: WorkflowState;
  eventStatus: EventStatus;
  title: LocalizedText;
  shortDescription: LocalizedText;
  description: LocalizedText;
  allDay: boolean;
  startsAt: Date;
  endsAt: Date;
  rrule: string | null;
  exdates: string[];
  rdates: string[];
  ageMin: number | null;
  ageMax: number | null;
  languages: string[];
  isFree: boolean;
  price: LocalizedText;
  ticketUrl: string | null;
  registrationUrl: string | null;
  image: SeedEventTemplate["image"] | null;
  accessibility: string[];
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface GeneratedData {
  ids: {
    places: Map<string, string>;
    categories: Map<string, string>;
    organisations: Map<string, string>;
  };
  events: GeneratedEvent[];
}

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** First date on or after `date` whose weekday is one of `byDay` (plain codes like "TU"). */
function alignToWeekday(date: string, byDay: string[]): string {
  const wanted = new Set(byDay.map((d) => d.replace(/^[-+]?\d+/, "")));
  let d = date;
  for (let i = 0; i < 7; i++) {
    const wd = WEEKDAYS[Temporal.PlainDate.from(d).dayOfWeek - 1] as string;
    if (wanted.has(wd)) return d;
    d = addDays(d, 1);
  }
  return date;
}

function pickDate(rng: Rng, today: string, t: SeedEventTemplate, maxOffset = DAYS_AHEAD): string {
  const days = Array.from({ length: maxOffset + 1 }, (_, i) => addDays(today, i)).filter(
    (d) => !t.months || t.months.length === 0 || t.months.includes(Temporal.PlainDate.from(d).month),
  );
  return days.length > 0 ? rng.pick(days) : addDays(today, rng.int(0, maxOffset));
}

/** True when a seasonal template has a month of its season within the next `maxOffset` days. */
function inSeason(today: string, t: SeedEventTemplate, maxOffset = DAYS_AHEAD): boolean {
  if (!t.months || t.months.length === 0) return true;
  const first = Temporal.PlainDate.from(today);
  for (let i = 0; i <= maxOffset; i += 28) {
    if (t.months.includes(first.add({ days: i }).month)) return true;
  }
  return t.months.includes(first.add({ days: maxOffset }).month);
}

const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

function schedule(rng: Rng, today: string, t: SeedEventTemplate) {
  const time = t.startTimes.length > 0 ? rng.pick(t.startTimes) : "10:00";
  switch (t.kind) {
    case "all-day":
    case "multi-day": {
      const first = pickDate(rng, today, t, t.kind === "multi-day" ? DAYS_AHEAD - 10 : DAYS_AHEAD);
      const days = Math.max(1, t.kind === "multi-day" ? t.duration : 1);
      return {
        allDay: true,
        startsAt: startOfLocalDay(first, TZ),
        endsAt: startOfLocalDay(addDays(first, days), TZ),
        rrule: null,
        exdates: [] as string[],
      };
    }
    case "weekly": {
      const byDay = t.byDay && t.byDay.length > 0 ? t.byDay : ["TU"];
      const first = alignToWeekday(pickDate(rng, today, t, 60), byDay);
      const startsAt = localDateTime(first, time, TZ);
      const weeks = rng.int(8, 20);
      const untilDate = addDays(first, weeks * 7);
      const until = localDateTime(untilDate, "23:59", TZ);
      // Skip one session, as clubs do over holidays.
      const exdates = rng.chance(0.6)
        ? [alignToWeekday(addDays(first, rng.int(2, weeks - 2) * 7), byDay)]
        : [];
      return {
        allDay: false,
        startsAt,
        endsAt: new Date(startsAt.getTime() + t.duration * 60_000),
        rrule: `FREQ=WEEKLY;BYDAY=${byDay.join(",")};UNTIL=${utcStamp(until)}`,
        exdates,
      };
    }
    case "monthly": {
      const byDay = t.byDay && t.byDay.length > 0 ? t.byDay : ["1TU"];
      // Start on the first date the rule itself produces, so DTSTART is in the set.
      const anchor = pickDate(rng, today, t, 40);
      const first = firstMonthlyDate(anchor, byDay[0] as string);
      const startsAt = localDateTime(first, time, TZ);
      return {
        allDay: false,
        startsAt,
        endsAt: new Date(startsAt.getTime() + t.duration * 60_000),
        rrule: `FREQ=MONTHLY;BYDAY=${byDay.join(",")};COUNT=${rng.int(4, 8)}`,
        exdates: [] as string[],
      };
    }
    default: {
      const d = pickDate(rng, today, t);
      const startsAt = localDateTime(d, time, TZ);
      return {
        allDay: false,
        startsAt,
        endsAt: new Date(startsAt.getTime() + t.duration * 60_000),
        rrule: null,
        exdates: [] as string[],
      };
    }
  }
}

/** The first date on or after `from` matching a monthly BYDAY such as "2TU" or "-1FR". */
function firstMonthlyDate(from: string, byDay: string): string {
  const m = /^([-+]?\d)?([A-Z]{2})$/.exec(byDay);
  const nth = Number(m?.[1] ?? 1);
  const wd = WEEKDAYS.indexOf(m?.[2] ?? "TU") + 1;
  let month = Temporal.PlainDate.from(from).toPlainYearMonth();
  for (let i = 0; i < 3; i++) {
    const days: Temporal.PlainDate[] = [];
    for (let d = 1; d <= month.daysInMonth; d++) {
      const pd = month.toPlainDate({ day: d });
      if (pd.dayOfWeek === wd) days.push(pd);
    }
    const hit = nth > 0 ? days[nth - 1] : days[days.length + nth];
    if (hit && hit.toString() >= from) return hit.toString();
    month = month.add({ months: 1 });
  }
  return from;
}

/** Generates the demo data set for `today` (YYYY-MM-DD, local) with `count` events. */
export function generateDemoData(today: string, count = DEFAULT_EVENT_COUNT): GeneratedData {
  const rng = createRng(seedFromString(`kuntakalenteri:${today}:${count}`));
  const ids = {
    places: new Map(PLACES.map((p) => [p.slug, rng.uuid()])),
    categories: new Map(CATEGORIES.map((c) => [c.slug, rng.uuid()])),
    organisations: new Map(ORGANISATIONS.map((o) => [o.slug, rng.uuid()])),
  };
  const todayStart = startOfLocalDay(today, TZ);
  const events: GeneratedEvent[] = [];
  // Seasonal templates whose season does not fall in the next six months are left out.
  const usable = EVENT_TEMPLATES.map((t, i) => ({ t, i })).filter(({ t }) => inSeason(today, t));
  for (let i = 0; i < count; i++) {
    const pick = i < usable.length ? usable[i] : rng.pick(usable);
    const templateIndex = (pick as { i: number }).i;
    const t = (pick as { t: SeedEventTemplate }).t;
    const when = schedule(rng, today, t);
    // Mostly published; a few waiting in the moderation queue, drafts and rejections.
    const roll = rng.next();
    const state: WorkflowState =
      roll < 0.9 ? "published" : roll < 0.96 ? "pending" : roll < 0.98 ? "draft" : "rejected";
    const statusRoll = rng.next();
    const eventStatus: EventStatus =
      state !== "published"
        ? "scheduled"
        : statusRoll < 0.05
          ? "cancelled"
          : statusRoll < 0.07
            ? "postponed"
            : "scheduled";
    const createdAt = new Date(
      todayStart.getTime() - rng.int(1, 60) * 86_400_000 - rng.int(0, 86_399) * 1000,
    );
    const updatedAt = new Date(createdAt.getTime() + rng.int(0, 3) * 3_600_000);
    events.push({
      id: rng.uuid(),
      template: templateIndex,
      organisationSlug: t.organisation,
      placeSlug: t.places.length > 0 ? rng.pick(t.places) : null,
      categorySlugs: t.categories,
      state,
      eventStatus,
      title: t.title,
      shortDescription: t.shortDescription,
      description: t.description,
      ...when,
      rdates: [],
      ageMin: t.ageMin ?? null,
      ageMax: t.ageMax ?? null,
      languages: t.languages,
      isFree: t.isFree,
      price: t.price ?? {},
      ticketUrl: t.ticketUrl ?? null,
      registrationUrl: t.registrationUrl ?? null,
      image: t.image ?? null,
      accessibility: t.accessibility ?? [],
      createdAt,
      updatedAt,
      publishedAt: state === "published" ? updatedAt : null,
    });
  }
  return { ids, events };
}

export { CATEGORIES, MUNICIPALITY, ORGANISATIONS, PLACES, VILLAGES };
