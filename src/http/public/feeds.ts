/**
 * Subscription feeds (no login): GET /feeds/events.ics and .rss with the list API's
 * filters, readable per-organisation, per-category and per-place paths, and the single
 * event download /feeds/events/{id}.ics; plus GET /api/v1/feeds/links, which turns a
 * filter into subscribe links for calendar apps.
 *
 * Feeds are conditional (strong ETag, Last-Modified → 304), cacheable for 15 minutes,
 * and built at most once per (filter, data version) thanks to the feed cache.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import { FeedLinks } from "../../contract/api/public.ts";
import { LOCALES, type Locale, UUID_RE } from "../../contract/codes.ts";
import { NotFound, ValidationError } from "../../domain/errors.ts";
import { resolveFilter } from "../../domain/events/filter.ts";
import { siteDefaultLocale, siteName, siteUrl } from "../../domain/site.ts";
import { createMemoryFeedCache, type FeedCache } from "../../feeds/feed-cache.ts";
import { type FeedRequest, type FeedResult, getEventFeed, getFeed } from "../../feeds/feed-service.ts";
import { documentRoute, jsonRoutes } from "../route-kit.ts";
import { publicScope } from "../scope.ts";
import type { AppEnv } from "../types.ts";
import { issuesFromZod } from "../validation.ts";
import { EventListQuery, filterInputFromQuery, resolveBound } from "./events.ts";

/** The list API's filters, minus paging and incremental sync; from/to override the default window. */
export const FeedQuery = EventListQuery.omit({
  limit: true,
  cursor: true,
  sort: true,
  total: true,
  updated_since: true,
});
export type FeedQuery = z.infer<typeof FeedQuery>;

function parseQuery(c: Context<AppEnv>, extra: Record<string, string> = {}): FeedQuery {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) raw[k] = v.length === 1 ? (v[0] as string) : v;
  for (const [k, v] of Object.entries(extra)) {
    if (k in raw) throw new ValidationError([{ path: k, message: "is already given by the path" }]);
    raw[k] = v;
  }
  const parsed = FeedQuery.safeParse(raw);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  return parsed.data;
}

/** The canonical query string of a feed: known parameters only, sorted, so equal filters share a URL. */
export function canonicalSearch(params: URLSearchParams | Record<string, string | string[]>): string {
  const pairs: [string, string][] = [];
  const entries =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
  for (const [k, v] of entries) pairs.push([k as string, v as string]);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const out = new URLSearchParams(pairs).toString();
  return out ? `?${out}` : "";
}

function feedRequest(c: Context<AppEnv>, format: "ics" | "rss", q: FeedQuery, selfPath: string): FeedRequest {
  const ctx = c.get("ctx");
  const tz = ctx.config.timezone;
  const from = q.from ? resolveBound(q.from, tz, false) : undefined;
  const to = q.to ? resolveBound(q.to, tz, true) : undefined;
  if (from && to && to <= from) throw new ValidationError([{ path: "to", message: "must be after from" }]);
  const search = canonicalSearch(new URL(c.req.url).searchParams);
  return {
    format,
    scope: publicScope(c),
    filter: filterInputFromQuery(q),
    from,
    to,
    lang: q.lang ?? ctx.config.defaultLocale,
    selfUrl: `${siteUrl(ctx)}${selfPath}${search}`,
  };
}

function httpDate(d: Date): string {
  return d.toUTCString();
}

/** Sends a built feed, or 304 when the client's copy is current. HEAD gets the headers only. */
function sendFeed(c: Context<AppEnv>, feed: FeedResult, filename?: string): Response {
  const headers = new Headers({
    "Content-Type": feed.contentType,
    ETag: feed.etag,
    "Cache-Control": cacheControl(CACHE.feeds),
    "Access-Control-Allow-Origin": "*",
    "X-Feed-Cache": feed.cacheHit ? "hit" : "miss",
    ...(feed.headers ?? {}),
  });
  if (feed.lastModified) headers.set("Last-Modified", httpDate(feed.lastModified));
  if (filename) headers.set("Content-Disposition", `attachment; filename="${filename}"`);
  for (const [k, v] of c.res.headers) if (!headers.has(k)) headers.set(k, v);

  const inm = c.req.header("If-None-Match");
  const ims = c.req.header("If-Modified-Since");
  let notModified = false;
  if (inm !== undefined) {
    const tags = inm.split(",").map((t) => t.trim().replace(/^W\//, ""));
    notModified = tags.includes("*") || tags.includes(feed.etag);
  } else if (ims !== undefined && feed.lastModified) {
    const since = Date.parse(ims);
    notModified = !Number.isNaN(since) && Math.floor(feed.lastModified.getTime() / 1000) * 1000 <= since;
  }
  if (notModified) {
    headers.delete("Content-Type");
    return new Response(null, { status: 304, headers });
  }
  const body = new TextEncoder().encode(feed.body);
  headers.set("Content-Length", String(body.byteLength));
  return new Response(c.req.method === "HEAD" ? null : body, { status: 200, headers });
}

/**
 * Splits "name.ext" into its name and a known extension, or null. Hono has already
 * percent-decoded the parameter (and left a malformed escape such as %zz as it is), so
 * decoding again would throw on it and turn "%2525" into "%".
 */
function splitFile(file: string, allowed: string[]): { name: string; ext: "ics" | "rss" } | null {
  const m = /^(.+)\.(ics|rss)$/.exec(file);
  if (!m || !allowed.includes(m[2] as string)) return null;
  return { name: m[1] as string, ext: m[2] as "ics" | "rss" };
}

export interface FeedRouteOptions {
  /** Where built feeds are kept; defaults to an in-memory LRU of 64 MB for this app instance. */
  cache?: FeedCache;
}

export function feedRoutes(opts: FeedRouteOptions = {}) {
  const cache = opts.cache ?? createMemoryFeedCache();
  const app = new OpenAPIHono<AppEnv>();
  documentFeeds(app);

  for (const format of ["ics", "rss"] as const) {
    app.get(`/feeds/events.${format}`, async (c) => {
      const q = parseQuery(c);
      const feed = await getFeed(c.get("ctx"), cache, feedRequest(c, format, q, `/feeds/events.${format}`));
      return sendFeed(c, feed);
    });
  }

  app.get("/feeds/events/:file", async (c) => {
    const file = splitFile(c.req.param("file"), ["ics"]);
    if (!file || !UUID_RE.test(file.name)) return c.notFound();
    const ctx = c.get("ctx");
    const raw = c.req.query("lang");
    if (raw !== undefined && !(LOCALES as readonly string[]).includes(raw)) {
      throw new ValidationError([{ path: "lang", message: `must be one of ${LOCALES.join(", ")}` }]);
    }
    const lang = (raw as Locale | undefined) ?? ctx.config.defaultLocale;
    const id = file.name.toLowerCase();
    const self = `${siteUrl(ctx)}/feeds/events/${id}.ics${raw ? `?lang=${raw}` : ""}`;
    const feed = await getEventFeed(ctx, cache, id, lang, self);
    return sendFeed(c, feed, `${id}.ics`);
  });

  // Readable paths: /feeds/categories/liikunta.ics is /feeds/events.ics?category=liikunta.
  const convenience = [
    ["organisations", "organisation"],
    ["categories", "category"],
    ["places", "place"],
  ] as const;
  for (const [segment, param] of convenience) {
    app.get(`/feeds/${segment}/:file`, async (c) => {
      const file = splitFile(c.req.param("file"), ["ics", "rss"]);
      if (!file) return c.notFound();
      const q = parseQuery(c, { [param]: file.name });
      const path = `/feeds/${segment}/${encodeURIComponent(file.name)}.${file.ext}`;
      try {
        return sendFeed(c, await getFeed(c.get("ctx"), cache, feedRequest(c, file.ext, q, path)));
      } catch (e) {
        // The file names the organisation, category or place: an unknown one (or another
        // municipality's place) is a missing file, not a bad filter.
        if (
          e instanceof ValidationError &&
          e.issues.some((i) => i.path === param && i.message.startsWith("unknown"))
        )
          throw new NotFound(param, file.name);
        throw e;
      }
    });
  }
  return app;
}

export function feedLinkRoutes() {
  const { app, add } = jsonRoutes("Feeds");
  add(
    "get",
    "/feeds/links",
    {
      operationId: "getFeedLinks",
      summary: "Subscribe links for a filtered calendar feed",
      description:
        "Takes the same filters as GET /api/v1/events and returns the iCal feed URL (https and webcal), one-click links for Google Calendar and Outlook.com, and the RSS feed. Feeds cover 30 days back to 12 months ahead unless from/to are given, hold at most 700 events (the soonest) and stay under about 900 kB.",
      query: FeedQuery,
      response: FeedLinks,
      responseDescription: "Subscribe links",
    },
    async (c, _body, { query: q }) => {
      const ctx = c.get("ctx");
      // Checks the filter, so that a link is never handed out for a feed that would fail.
      await resolveFilter(ctx.db, publicScope(c), { ...filterInputFromQuery(q), from: new Date(0) });
      const search = canonicalSearch(new URL(c.req.url).searchParams);
      const https = `${siteUrl(ctx)}/feeds/events.ics${search}`;
      const webcal = https.replace(/^https?:/, "webcal:");
      const name = siteName(ctx, q.lang ?? siteDefaultLocale(ctx));
      return c.json(
        {
          https,
          webcal,
          google: `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}`,
          outlook: `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(https)}&name=${encodeURIComponent(name)}`,
          rss: `${siteUrl(ctx)}/feeds/events.rss${search}`,
        },
        200,
      );
    },
  );
  return app;
}

const ICAL = { "text/calendar": { schema: z.string().meta({ description: "iCalendar (RFC 5545)" }) } };
const RSS = { "application/rss+xml": { schema: z.string().meta({ description: "RSS 2.0" }) } };
const FEED_HEADERS = {
  "Last-Modified": { description: "When the newest event in the feed changed", schema: { type: "string" } },
  "Cache-Control": { description: cacheControl(CACHE.feeds), schema: { type: "string" } },
};

/** The feeds in the OpenAPI document: they answer iCal or RSS, not JSON, and parse their own query. */
function documentFeeds(app: OpenAPIHono<AppEnv>) {
  const tags = ["Feeds"];
  for (const [format, content] of [
    ["ics", ICAL],
    ["rss", RSS],
  ] as const) {
    documentRoute(app, "get", `/feeds/events.${format}`, {
      operationId: format === "ics" ? "getEventsCalendar" : "getEventsRss",
      summary: format === "ics" ? "iCal feed of published events" : "RSS feed of newly published events",
      description:
        "Takes the filters of GET /api/v1/events (not the paging ones). 30 days back to 12 months ahead unless from/to are given; at most 700 events.",
      tags,
      query: FeedQuery,
      responses: { 200: { description: "The feed", content, headers: FEED_HEADERS } },
      problems: [400],
      conditional: true,
    });
  }
  documentRoute(app, "get", "/feeds/events/:file", {
    operationId: "getEventCalendar",
    summary: "One event as an iCal file ({id}.ics)",
    tags,
    params: z.object({
      file: z
        .string()
        .regex(/^[0-9a-fA-F-]{36}\.ics$/)
        .meta({
          description: "The event's id and .ics",
          example: "0b5c6f0e-8f5d-4e0a-9f61-2f0a3c1d9b7e.ics",
        }),
    }),
    query: z.object({ lang: z.enum(LOCALES).optional() }),
    responses: {
      200: { description: "The event as iCalendar (a download)", content: ICAL, headers: FEED_HEADERS },
    },
    problems: [400, 404],
    conditional: true,
  });
  for (const [segment, param, operationId] of [
    ["organisations", "organisation", "getOrganisationFeed"],
    ["categories", "category", "getCategoryFeed"],
    ["places", "place", "getPlaceFeed"],
  ] as const) {
    documentRoute(app, "get", `/feeds/${segment}/:file`, {
      operationId,
      summary: `The feed of one ${param} ({slug or id}.ics or .rss)`,
      description: `The same as /feeds/events.ics?${param}={slug} (or .rss); takes the other filters too.`,
      tags,
      params: z.object({
        file: z
          .string()
          .regex(/^.+\.(ics|rss)$/)
          .meta({ description: `The ${param}'s slug or id, and .ics or .rss` }),
      }),
      query: FeedQuery.omit({ [param]: true } as never),
      responses: { 200: { description: "The feed", content: { ...ICAL, ...RSS }, headers: FEED_HEADERS } },
      problems: [400, 404],
      conditional: true,
    });
  }
}
