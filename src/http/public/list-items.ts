/**
 * The JSON of a page of the public event list, one item per occurrence. An event's part of an
 * item (everything but the occurrence's start and end) is rendered once per language and site
 * and kept by the fingerprint of the rows it came from (src/cache/fingerprint-cache.ts); a page
 * loads and renders only the events it has no rendering of. The pages of a list mostly repeat
 * the same events (the next hour, another filter, the next page after an edit), and loading,
 * parsing and serialising every event's texts in three languages was most of an uncached
 * list's time (#15).
 */
import type { FingerprintCache } from "../../cache/fingerprint-cache.ts";
import type { EventListItem, TombstoneItem } from "../../contract/api/public.ts";
import type { Locale } from "../../contract/codes.ts";
import type { Queryable } from "../../db/client.ts";
import type { Tenant } from "../../domain/context.ts";
import { type ListedEvent, loadListedEvents, type OccurrenceRef } from "../../domain/events/list.ts";
import { pickText } from "../../domain/i18n-text.ts";
import { eventUrl, type VisibleScope } from "../../domain/tenants.ts";
import { formatSpan } from "../../domain/time.ts";

/** Where an occurrence's start and end go in an event's rendered part (a character JSON never has raw). */
const SPAN = "\u0001";

type Site = Pick<Tenant, "id" | "baseUrl">;

/**
 * An event's part of its list items, as JSON with SPAN where each occurrence's start and end
 * go: the item's fields in the documented order (event_id, title, short_description, start,
 * end, all_day, …).
 */
export function renderEventPart(ev: ListedEvent, lang: Locale, installUrl: string, site: Site): string {
  const head: Pick<EventListItem, "event_id" | "title" | "short_description"> = {
    event_id: ev.eventId,
    title: pickText(ev.title, lang) ?? { lang: "fi", text: "" },
    short_description: pickText(ev.shortDescription, lang),
  };
  const tail: Omit<EventListItem, "event_id" | "title" | "short_description" | "start" | "end"> = {
    all_day: ev.allDay,
    event_status: ev.eventStatus,
    is_free: ev.isFree,
    place: ev.place
      ? {
          id: ev.place.id,
          name: pickText(ev.place.name, lang) ?? { lang: "fi", text: ev.place.slug },
          village: ev.place.village
            ? { slug: ev.place.village, name: pickText(ev.place.villageName, lang)?.text ?? ev.place.village }
            : null,
        }
      : null,
    organisation: ev.organisation ? { id: ev.organisation.id, name: ev.organisation.name } : null,
    categories: ev.categories.map((c) => ({
      slug: c.slug,
      name: pickText(c.name, lang) ?? { lang: "fi", text: c.slug },
    })),
    image: ev.image ? { url: ev.image.url, alt: pickText(ev.image.alt, lang) } : null,
    municipality: {
      slug: ev.municipality.slug,
      name: pickText(ev.municipality.name, lang) ?? { lang: "fi", text: ev.municipality.slug },
      own_site: ev.municipality.id === site.id,
    },
    url: eventUrl(installUrl, site, ev.municipality, ev.eventId),
    updated_at: ev.updatedAt.toISOString(),
  };
  return `${JSON.stringify(head).slice(0, -1)}${SPAN}${JSON.stringify(tail).slice(1)}`;
}

/** One item: the event's part with the occurrence's start and end in their place. */
function itemJson(part: string, o: OccurrenceRef): string {
  const at = part.indexOf(SPAN);
  const { start, end } = formatSpan(o.startsAt, o.endsAt, o.allDay, o.timezone);
  return `${part.slice(0, at)},"start":${JSON.stringify(start)},"end":${JSON.stringify(end)},${part.slice(at + 1)}`;
}

/**
 * The items of a page as JSON texts, in its order. `cache` (one per process or isolate) keeps
 * the events' parts; without it every event is loaded and rendered. `loaded`: the events read
 * with the page (`withEvents`), used for those not kept, instead of loading them. An event
 * that stopped being public between the page's statement and its loading is left out.
 */
export async function listItemsJson(
  db: Queryable,
  scope: VisibleScope,
  refs: readonly OccurrenceRef[],
  lang: Locale,
  installUrl: string,
  site: Site,
  cache: FingerprintCache | undefined,
  loaded?: ReadonlyMap<string, ListedEvent>,
): Promise<{ items: string[]; rendered: number; events: number }> {
  const keyOf = (id: string) => `${id}|${lang}|${site.id}|${site.baseUrl ?? ""}|${installUrl}`;
  const parts = new Map<string, string>();
  const missing = new Set<string>();
  for (const o of refs) {
    if (parts.has(o.eventId) || missing.has(o.eventId)) continue;
    const part = cache?.get(keyOf(o.eventId), o.fingerprint);
    if (part === undefined) missing.add(o.eventId);
    else parts.set(o.eventId, part);
  }
  const events = parts.size + missing.size;
  const fresh = loaded
    ? [...missing].flatMap((id) => {
        const ev = loaded.get(id);
        return ev ? [ev] : [];
      })
    : (await loadListedEvents(db, scope, [...missing])).values();
  for (const ev of fresh) {
    const part = renderEventPart(ev, lang, installUrl, site);
    parts.set(ev.eventId, part);
    cache?.set(keyOf(ev.eventId), ev.fingerprint, part);
  }
  const out: string[] = [];
  for (const o of refs) {
    const part = parts.get(o.eventId);
    if (part !== undefined) out.push(itemJson(part, o));
  }
  return { items: out, rendered: missing.size, events };
}

/**
 * Whether the next page should read its events' data with it (`withEvents`): while most of the
 * recent pages' events had to be rendered anew — after a start, or when pages keep showing
 * events not seen lately — one statement that reads them all costs less than the page's short
 * statement and then a second for most of its events (#15: pages of new events at 10,000
 * events, PostgreSQL, 144 req/s with two statements). Otherwise the short statement, and the
 * few missing events after it. Per process (per isolate on Workers).
 */
export function renderShare(): { wantEvents(): boolean; note(rendered: number, events: number): void } {
  // A moving share of events rendered anew, over roughly the last ten pages.
  let share = 1;
  return {
    wantEvents: () => share > 0.5,
    note(rendered, events) {
      if (events > 0) share = 0.9 * share + 0.1 * (rendered / events);
    },
  };
}

/** The list's response text: `{ data, next, total? }` from items already serialised. */
export function listResponseJson(
  items: readonly string[],
  tombstones: readonly TombstoneItem[],
  next: string | null,
  total: number | undefined,
): string {
  const data = [...items, ...tombstones.map((t) => JSON.stringify(t))].join(",");
  return `{"data":[${data}],"next":${JSON.stringify(next)}${total === undefined ? "" : `,"total":${total}`}}`;
}
