/**
 * Builds or fetches from the cache one feed: resolves the filter, reads the data
 * version, and only on a cache miss loads the events and renders them. A feed holds at
 * most MAX_FEED_EVENTS events (the soonest ones) and stays under MAX_FEED_BYTES, since
 * Google Calendar drops larger feeds; a cut feed says so in X-WR-CALDESC and links to
 * narrower (per-category) feeds.
 */

import type { Locale } from "../contract/codes.ts";
import type { Ctx } from "../domain/context.ts";
import { NotFound } from "../domain/errors.ts";
import { type EventFilterInput, type ResolvedFilter, resolveFilter } from "../domain/events/filter.ts";
import { pickText } from "../domain/i18n-text.ts";
import { siteName, siteUrl } from "../domain/site.ts";
import { type VisibleScope, visibleTo } from "../domain/tenants.ts";
import { localDate, startOfLocalDay, Temporal } from "../domain/time.ts";
import { type BuiltFeed, type FeedCache, strongEtag } from "./feed-cache.ts";
import {
  eventDataVersion,
  type FeedWindow,
  feedDataVersion,
  feedEventIds,
  feedEventStubs,
  filterLabels,
  loadFeedEvents,
  newlyPublishedIds,
} from "./feed-events.ts";
import { buildIcal, type FeedItem, type RenderedVevent, type VeventCache, veventKey } from "./ical.ts";
import { buildRss } from "./rss.ts";
import type { FeedMeta } from "./types.ts";

export const MAX_FEED_EVENTS = 700;
export const MAX_FEED_BYTES = 900_000;
export const RSS_ITEMS = 50;
export const ICAL_TYPE = "text/calendar; charset=utf-8";
export const RSS_TYPE = "application/rss+xml; charset=utf-8";

export interface FeedRequest {
  format: "ics" | "rss";
  /** The municipalities the feed shows (src/http/scope.ts `publicScope`). */
  scope: VisibleScope;
  /** The filter without the time range. */
  filter: Omit<EventFilterInput, "from" | "to">;
  /** Explicit window; the default is 30 days back to 12 months ahead (local days). */
  from?: Date | undefined;
  to?: Date | undefined;
  lang: Locale;
  /** Canonical absolute URL of the feed. */
  selfUrl: string;
}

export interface FeedResult extends BuiltFeed {
  cacheHit: boolean;
}

const siteOf = (ctx: Ctx) => ({ id: ctx.tenant.id, installUrl: ctx.config.publicUrl, baseUrl: siteUrl(ctx) });

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** 30 days back to 12 months ahead, in whole local days of `timeZone`. */
export function defaultWindow(now: Date, timeZone: string): FeedWindow {
  const today = Temporal.PlainDate.from(localDate(now, timeZone));
  return {
    from: startOfLocalDay(today.subtract({ days: 30 }), timeZone),
    to: startOfLocalDay(today.add({ months: 12, days: 1 }), timeZone),
  };
}

function canonicalFilter(f: ResolvedFilter): string {
  const sorted = Object.entries(f)
    .filter(([k, v]) => k !== "from" && k !== "to" && v !== undefined)
    .map(([k, v]) => [k, Array.isArray(v) && k !== "bbox" ? [...v].sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(sorted);
}

async function feedName(ctx: Ctx, f: ResolvedFilter, lang: Locale): Promise<string> {
  const labels = await filterLabels(ctx.db, f);
  const parts = [
    ...labels.categories.map((n) => pickText(n, lang)?.text ?? ""),
    ...labels.places.map((n) => pickText(n, lang)?.text ?? ""),
    ...labels.organisations,
    ...(f.villages ?? []).map((v) => v.charAt(0).toUpperCase() + v.slice(1)),
    ...(f.terms?.length ? [`"${f.terms.join(" ")}"`] : []),
  ].filter(Boolean);
  const site = siteName(ctx, lang);
  return parts.length ? `${site} – ${parts.join(", ")}` : site;
}

async function finish(
  body: string,
  contentType: string,
  lastModified: Date | null,
  headers?: Record<string, string>,
): Promise<BuiltFeed> {
  return { body, etag: await strongEtag(body), lastModified, contentType, ...(headers ? { headers } : {}) };
}

function later(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** A filtered iCal or RSS feed, from the cache when its data has not changed. */
export async function getFeed(ctx: Ctx, cache: FeedCache, req: FeedRequest): Promise<FeedResult> {
  const tz = ctx.config.timezone;
  const now = ctx.clock.now();
  const window = defaultWindow(now, tz);
  if (req.from) window.from = req.from;
  if (req.to) window.to = req.to;
  const f = await resolveFilter(ctx.db, req.scope, {
    ...req.filter,
    from: window.from,
    to: window.to,
  });
  const data = await feedDataVersion(ctx.db, f.scope);
  // The window moves every local midnight, which changes the feed as much as an edit does.
  const today = startOfLocalDay(localDate(now, tz), tz);
  const lastModified = later(data.lastChanged, today);
  const key = [
    ctx.tenant.id,
    req.format,
    req.lang,
    req.selfUrl,
    canonicalFilter(f),
    window.from.toISOString(),
    window.to.toISOString(),
  ].join("|");
  // One entry per feed, replaced when the data changes: entries of older data versions
  // could never be served again, and under steady writes they filled the whole LRU.
  const cached = await cache.get(key);
  if (cached?.version === data.version) return { ...cached, cacheHit: true };

  const name = await feedName(ctx, f, req.lang);
  const meta: FeedMeta = {
    lang: req.lang,
    publicUrl: siteUrl(ctx),
    siteName: siteName(ctx, req.lang),
    name,
    selfUrl: req.selfUrl,
  };
  let built: BuiltFeed;
  if (req.format === "rss") {
    const ids = await newlyPublishedIds(ctx.db, f, today, RSS_ITEMS);
    built = await finish(
      buildRss(await loadFeedEvents(ctx.db, f.scope, ids, siteOf(ctx)), meta),
      RSS_TYPE,
      lastModified,
    );
  } else {
    const found = await feedEventIds(ctx.db, f, window, MAX_FEED_EVENTS);
    const { items: all, slugs } = await feedItems(ctx, f.scope, found.ids, meta, cache.vevents);
    let items = all;
    let truncated = found.more;
    let body = buildIcal(items, { ...meta, truncated }, cache.vevents);
    for (let size = bytes(body); size > MAX_FEED_BYTES && items.length > 1; size = bytes(body)) {
      // Keep the soonest events: the feed then covers a shorter stretch of the window.
      items = items.slice(0, Math.max(1, Math.floor((items.length * MAX_FEED_BYTES * 0.95) / size)));
      truncated = true;
      body = buildIcal(items, { ...meta, truncated }, cache.vevents);
    }
    const kept = new Set(items.map((i) => i.id));
    built = await finish(
      body,
      ICAL_TYPE,
      lastModified,
      truncated
        ? narrowerLinks(
            ctx,
            f,
            [...slugs].flatMap(([id, s]) => (kept.has(id) ? s : [])),
          )
        : undefined,
    );
  }
  await cache.set(key, { ...built, version: data.version });
  return { ...built, cacheHit: false };
}

/**
 * A feed's events in the order of `ids`, with each one's category slugs: the rendered
 * component of each whose fingerprint the VEVENT cache holds, and the loaded data of the
 * others (only theirs is read and parsed). Without a VEVENT cache, all are loaded at once.
 */
async function feedItems(
  ctx: Ctx,
  scope: VisibleScope,
  ids: string[],
  meta: FeedMeta,
  vevents: VeventCache | undefined,
): Promise<{ items: FeedItem[]; slugs: Map<string, string[]> }> {
  if (!vevents) {
    const items = await loadFeedEvents(ctx.db, scope, ids, siteOf(ctx));
    return { items, slugs: new Map(items.map((e) => [e.id, e.categories.map((c) => c.slug)])) };
  }
  const stubs = await feedEventStubs(ctx.db, scope, ids);
  const rendered = new Map<string, RenderedVevent>();
  for (const s of stubs) {
    const vevent = vevents.get(veventKey(s.id, meta), s.fingerprint);
    if (vevent !== undefined)
      rendered.set(s.id, { id: s.id, startsAt: s.startsAt, timezone: s.timezone, allDay: s.allDay, vevent });
  }
  const missing = stubs.filter((s) => !rendered.has(s.id)).map((s) => s.id);
  const loaded = new Map(
    (await loadFeedEvents(ctx.db, scope, missing, siteOf(ctx))).map((e) => [e.id, e] as const),
  );
  const items = stubs.flatMap((s) => {
    const item = rendered.get(s.id) ?? loaded.get(s.id);
    return item ? [item] : [];
  });
  return { items, slugs: new Map(stubs.map((s) => [s.id, s.categorySlugs])) };
}

/** Link header of a cut feed: the per-category feeds of its events (`slugs`, repeats allowed). */
function narrowerLinks(ctx: Ctx, f: ResolvedFilter, eventSlugs: string[]): Record<string, string> {
  const slugs = [...new Set(eventSlugs)].sort().slice(0, 20);
  const links = (f.categoryIds?.length ? [] : slugs).map(
    (s) =>
      `<${siteUrl(ctx)}/feeds/categories/${encodeURIComponent(s)}.ics>; rel="alternate"; type="text/calendar"`,
  );
  return { "X-Feed-Truncated": "true", ...(links.length ? { Link: links.join(", ") } : {}) };
}

/** The single-event calendar (the "add to calendar" download). NotFound unless the event is public. */
export async function getEventFeed(
  ctx: Ctx,
  cache: FeedCache,
  id: string,
  lang: Locale,
  selfUrl: string,
): Promise<FeedResult> {
  const scope = visibleTo(ctx.tenant);
  const data = await eventDataVersion(ctx.db, scope, id);
  const key = [ctx.tenant.id, "event", lang, selfUrl, id].join("|");
  const cached = await cache.get(key);
  if (cached?.version === data.version) return { ...cached, cacheHit: true };
  const [event] = await loadFeedEvents(ctx.db, scope, [id], siteOf(ctx));
  if (!event) throw new NotFound("event", id);
  const meta: FeedMeta = {
    lang,
    publicUrl: siteUrl(ctx),
    siteName: siteName(ctx, lang),
    name: pickText(event.title, lang)?.text ?? siteName(ctx, lang),
    selfUrl,
  };
  const built = await finish(buildIcal([event], meta), ICAL_TYPE, data.lastChanged);
  await cache.set(key, { ...built, version: data.version });
  return { ...built, cacheHit: false };
}
