/**
 * The iCalendar (RFC 5545 / RFC 7986) builder: one VEVENT per event, with recurring
 * series as RRULE + EXDATE + RDATE, all-day events as VALUE=DATE with an exclusive
 * DTEND, and local times as DTSTART;TZID=Europe/Helsinki from Temporal values, so
 * nothing depends on the server's time zone. ical-generator does the escaping and the
 * UTF-8-safe folding at 75 octets; this module adds what it leaves out (escaped NAME
 * and X-WR-CALNAME, ORGANIZER without an email, EXDATE/RDATE with TZID, the final CRLF).
 * The same events always give byte-identical output.
 */
import ical, { foldLines, type ICalCalendar, type ICalEvent, ICalEventStatus } from "ical-generator";
import { createFingerprintCache, type FingerprintCache } from "../cache/fingerprint-cache.ts";
import type { Locale, LocalizedText } from "../contract/codes.ts";
import { instantToLocal, localToInstant } from "../contract/time.ts";
import { pickText } from "../domain/i18n-text.ts";
import { normaliseRrule } from "../domain/recurrence/expand.ts";
import { type Temporal, toZoned } from "../domain/time.ts";
import { cleanDeep, cleanText } from "./clean-text.ts";
import { feedText } from "./texts.ts";
import type { FeedEvent, FeedMeta } from "./types.ts";
import { hasVtimezone, vtimezone } from "./vtimezones.ts";

/** How often calendar apps should poll (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const REFRESH_SECONDS = 6 * 3600;
/** Longer descriptions are cut (with "…") so that a feed of many events stays small. */
export const MAX_DESCRIPTION_CHARS = 800;

/** TEXT value escaping (RFC 5545 3.3.11), for properties ical-generator writes verbatim. */
export function escapeText(s: string): string {
  return cleanText(s)
    .replace(/[\\;,]/g, (ch) => `\\${ch}`)
    .replace(/\n/g, "\\n");
}

/** A quoted parameter value: DQUOTE and controls cannot appear in one (RFC 5545 3.2). */
function quotedParam(s: string): string {
  return `"${cleanText(s).replace(/["\n\t]/g, " ")}"`;
}

const basic = (s: string) => s.replace(/[-:]/g, "");
const utcStamp = (d: Date) => `${basic(d.toISOString().slice(0, 19))}Z`;
const localStamp = (zdt: Temporal.ZonedDateTime) =>
  basic(zdt.toPlainDateTime().toString({ smallestUnit: "second" }));

function text(t: LocalizedText, lang: Locale): string {
  return pickText(t, lang)?.text ?? "";
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The RRULE re-parsed and written in canonical form, with UNTIL in the form RFC 5545 demands
 * (UTC for timed series, a DATE for all-day ones); null for a stored rule that does not parse
 * (written before rules were checked strictly), which is then left out rather than copied.
 */
export function normalizeRrule(e: FeedEvent): string | null {
  if (!e.rrule) return null;
  const normal = normaliseRrule(e.rrule, e);
  return normal.ok ? normal.rrule : null;
}

/** EXDATE and RDATE lines: local dates at the series' local start time, with TZID. */
function dateListLines(e: FeedEvent, zoned: boolean, repeating: boolean): string[] {
  const lines: string[] = [];
  const startTime = instantToLocal(e.startsAt, e.timezone, true).time;
  const value = (d: string) => {
    if (e.allDay) return basic(d);
    const instant = localToInstant(d, startTime, e.timezone);
    return zoned ? localStamp(toZoned(instant, e.timezone)) : utcStamp(instant);
  };
  const params = e.allDay ? ";VALUE=DATE" : zoned ? `;TZID=${e.timezone}` : "";
  if (repeating && e.exdates.length)
    lines.push(`EXDATE${params}:${[...e.exdates].sort().map(value).join(",")}`);
  if (e.rdates.length) lines.push(`RDATE${params}:${[...e.rdates].sort().map(value).join(",")}`);
  return lines;
}

/** Adds raw (already escaped) property lines before END:VEVENT; the calendar folds them. */
function appendLines(event: ICalEvent, lines: string[]): void {
  if (lines.length === 0) return;
  const render = event.toString.bind(event);
  event.toString = () => render().replace(/END:VEVENT\r\n$/, `${lines.join("\r\n")}\r\nEND:VEVENT\r\n`);
}

function descriptionOf(e: FeedEvent, lang: Locale, url: string): string {
  const short = text(e.shortDescription, lang).trim();
  const long = text(e.description, lang).trim();
  const parts: string[] = [];
  if (short && !long.startsWith(short)) parts.push(short);
  if (long) parts.push(truncate(long, MAX_DESCRIPTION_CHARS));
  parts.push(`${feedText("moreInfo", lang)}: ${url}`);
  return cleanText(parts.join("\n\n"));
}

function titleOf(e: FeedEvent, lang: Locale): string {
  const title = cleanText(text(e.title, lang));
  if (e.eventStatus === "cancelled") return feedText("cancelledPrefix", lang) + title;
  if (e.eventStatus === "postponed") return feedText("postponedPrefix", lang) + title;
  return title;
}

/**
 * Rendered VEVENTs (ical-generator's output, lines already folded) of recently built events,
 * so that a feed with a new filter mostly concatenates components it already has. An entry is
 * keyed by event, language and site, and only used while the event's fingerprint (the row
 * versions of everything it is made of, src/domain/events/fingerprint.ts) is the same. The
 * fingerprint is a few dozen characters where the event's whole data (its JSON) was several
 * thousand: the budget holds about four times the components, and a cold feed neither loads
 * nor compares the data of the events it has (#15).
 */
export type VeventCache = FingerprintCache;

/** The cache key of an event's VEVENT in a feed of this language and site. */
export const veventKey = (id: string, meta: Pick<FeedMeta, "lang" | "publicUrl">) =>
  `${id}|${meta.lang}|${meta.publicUrl}`;

export const createVeventCache = (maxChars = 4_000_000): VeventCache => createFingerprintCache(maxChars);

/**
 * An event whose VEVENT was rendered before (found by its fingerprint): only what the
 * calendar needs around the component — its order and its time zone.
 */
export interface RenderedVevent {
  id: string;
  startsAt: Date;
  timezone: string;
  allDay: boolean;
  vevent: string;
}

/** What a feed lists: events to render, or components rendered before. */
export type FeedItem = FeedEvent | RenderedVevent;

const isRendered = (item: FeedItem): item is RenderedVevent => "vevent" in item;

/** Orders events by first start, then by id, so that output is deterministic. */
export function sortFeedEvents<T extends Pick<FeedEvent, "id" | "startsAt">>(events: T[]): T[] {
  return [...events].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** One event's VEVENT (not yet folded), added to the calendar for its time zone. */
function renderEvent(
  calendar: ICalCalendar,
  e: FeedEvent,
  meta: FeedMeta,
  host: string,
  zoned: boolean,
  timezone: string | null,
): ICalEvent {
  const url = e.url;
  const start = toZoned(e.startsAt, e.timezone);
  const end = toZoned(e.endsAt, e.timezone);
  const place = e.place;
  const placeName = place ? cleanText(text(place.name, meta.lang)) : "";
  const address = place
    ? cleanText(
        [place.streetAddress, [place.postalCode, place.locality].filter(Boolean).join(" ")]
          .filter(Boolean)
          .join(", "),
      )
    : "";
  // Everything that can fail on odd stored data happens before the event joins the calendar.
  const repeating = normalizeRrule(e);
  const lines = dateListLines(e, zoned, repeating !== null);
  const event = calendar.createEvent({
    id: `${e.id}@${host}`,
    sequence: e.sequence,
    stamp: e.updatedAt,
    lastModified: e.updatedAt,
    created: e.createdAt,
    allDay: e.allDay,
    // All-day: plain dates (the end is exclusive). Timed: zone-aware values with TZID,
    // or UTC instants when no VTIMEZONE is bundled for the event's zone.
    start: e.allDay ? start.toPlainDate() : zoned ? start : e.startsAt,
    end: e.allDay ? end.toPlainDate() : zoned ? end : e.endsAt,
    timezone,
    summary: titleOf(e, meta.lang),
    description: descriptionOf(e, meta.lang, url),
    url,
    status: e.eventStatus === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    categories: e.categories.map((c) => ({ name: cleanText(text(c.name, meta.lang) || c.slug) })),
    repeating,
  });
  if (place) {
    event.location({
      title: placeName,
      address,
      ...(place.lat !== null && place.lon !== null ? { geo: { lat: place.lat, lon: place.lon } } : {}),
    });
  } else if (e.onlineUrl) {
    event.location(cleanText(e.onlineUrl));
  }
  if (e.organisation) {
    // Public name only. ical-generator insists on an email; the address here is the
    // organiser's public website, or their feed on this site.
    const uri =
      e.organisation.website && /^https?:\/\/[^\s"]+$/.test(e.organisation.website)
        ? e.organisation.website
        : `${meta.publicUrl}/feeds/organisations/${encodeURIComponent(e.organisation.slug)}.ics`;
    lines.push(`ORGANIZER;CN=${quotedParam(e.organisation.name)}:${uri}`);
  }
  appendLines(event, lines);
  return event;
}

/**
 * True when `text` is exactly one VEVENT of CRLF-terminated property lines: no bare CR or LF
 * inside a line, no nested BEGIN/END. A value that tried to start a line of its own fails.
 */
export function isOneVevent(text: string): boolean {
  if (!text.endsWith("\r\n")) return false;
  const lines = text.slice(0, -2).split("\r\n");
  const last = lines.length - 1;
  if (lines[0] !== "BEGIN:VEVENT" || lines[last] !== "END:VEVENT") return false;
  return lines.every(
    (line, i) =>
      !/[\r\n]/.test(line) &&
      /^[A-Z][A-Z0-9-]*[;:]/.test(line) &&
      (i === 0 || i === last || !/^(BEGIN|END):/.test(line)),
  );
}

/**
 * Builds a whole VCALENDAR. `items` may come in any order. With `vevents`, components
 * rendered before for the same event fingerprint are reused and new ones kept (the output
 * is byte-identical either way); an item that is a rendered component is used as it is.
 */
export function buildIcal(items: FeedItem[], meta: FeedMeta, vevents?: VeventCache): string {
  const host = new URL(meta.publicUrl).host;
  let description = feedText("description", meta.lang, { site: meta.siteName });
  if (meta.truncated) {
    description += ` ${feedText("truncated", meta.lang, { shown: items.length })}`;
  }
  const calendar = ical({
    prodId: { company: "Kuntakalenteri", product: "Feeds", language: meta.lang.toUpperCase() },
    // ical-generator writes NAME, X-WR-CALNAME and X-WR-CALDESC verbatim: escape them here.
    name: escapeText(meta.name),
    description: escapeText(description),
    url: meta.publicUrl,
    source: meta.selfUrl,
    ttl: REFRESH_SECONDS,
    // No calendar-level zone name: that would make DTSTAMP and UNTIL local and add TIMEZONE-ID.
    timezone: { name: null, generator: vtimezone },
  });

  // Each VEVENT is folded on its own and kept folded (folding is per line, so the result
  // is the same as folding the whole calendar); the calendar object only lists the events,
  // for their time zones, and renders the header and VTIMEZONEs.
  const folded: string[] = [];
  for (const item of sortFeedEvents(items)) {
    const zoned = hasVtimezone(item.timezone);
    const timezone = !item.allDay && zoned ? item.timezone : null;
    const key = veventKey(item.id, meta);
    const cached = isRendered(item)
      ? item.vevent
      : item.fingerprint === undefined
        ? undefined
        : vevents?.get(key, item.fingerprint);
    if (cached !== undefined) {
      // The calendar still lists the event (its zone decides the VTIMEZONEs), rendered as before.
      const known = calendar.createEvent({ id: `${item.id}@${host}`, start: item.startsAt, timezone });
      known.toString = () => "";
      folded.push(cached);
      continue;
    }
    if (isRendered(item)) continue; // (never: a rendered item has its component)
    // Every stored string loses CR and other controls before it is rendered, so no value can
    // end a line; a component that still is not one VEVENT of property lines is left out
    // (as is one whose stored data cannot be rendered at all), never the whole feed.
    const e = cleanDeep(item);
    let event: ICalEvent | undefined;
    let vevent: string | undefined;
    try {
      event = renderEvent(calendar, e, meta, host, zoned, timezone);
      const text = event.toString();
      if (isOneVevent(text)) vevent = foldLines(text);
    } catch {
      vevent = undefined;
    }
    if (event) event.toString = () => "";
    if (vevent === undefined) continue;
    folded.push(vevent);
    if (item.fingerprint !== undefined) vevents?.set(key, item.fingerprint, vevent);
  }
  const shell = calendar.toString();
  const end = "END:VCALENDAR";
  if (!shell.endsWith(end)) throw new Error("ical-generator: unexpected calendar layout");
  // ical-generator ends without a line break; RFC 5545 ends every line with CRLF.
  return `${shell.slice(0, -end.length)}${folded.join("")}${end}\r\n`;
}
