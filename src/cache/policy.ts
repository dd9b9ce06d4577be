/**
 * Every caching decision in one place: for each kind of response, how browsers and shared
 * caches may keep it (Cache-Control) and how the server's response cache keys and keeps it.
 * Routes, the response cache, the Node fast path and the static assets all read these
 * objects; Cache-Control is derived from them (`cacheControl`), never written by hand.
 */

/** How a response may be kept by browsers and shared caches (RFC 9111). */
export interface HttpCaching {
  /** `public` with max-age (seconds); `no-cache` = always revalidate; `no-store` = never keep. */
  mode: "public" | "no-cache" | "no-store";
  maxAge?: number;
  staleWhileRevalidate?: number;
  mustRevalidate?: boolean;
  immutable?: boolean;
}

/** How the server's shared response cache keeps a public GET (src/cache/response-cache.ts). */
export interface ServerCaching {
  /** Which "now" the response depends on (the key's time bucket). */
  bucket: "minute" | "day" | "none";
  /** JSON and pages: an ETag derived from the key; feeds keep their content ETag. */
  etag: "key" | "body";
  /** How long an unused entry is kept. */
  ttlSeconds: number;
}

export interface CachePolicy {
  http: HttpCaching;
  /** Absent: the server does not keep the response. */
  server?: ServerCaching;
}

/** The Cache-Control header value of a policy. */
export function cacheControl(policy: CachePolicy | HttpCaching): string {
  const h = "http" in policy ? policy.http : policy;
  if (h.mode !== "public") return h.mode;
  const parts = ["public", `max-age=${h.maxAge ?? 0}`];
  if (h.staleWhileRevalidate) parts.push(`stale-while-revalidate=${h.staleWhileRevalidate}`);
  if (h.mustRevalidate) parts.push("must-revalidate");
  if (h.immutable) parts.push("immutable");
  return parts.join(", ");
}

export const CACHE = {
  /** The event list and an event's details (API): times and "upcoming" move with the minute. */
  events: {
    http: { mode: "public", maxAge: 60, staleWhileRevalidate: 300 },
    server: { bucket: "minute", etag: "key", ttlSeconds: 120 },
  },
  /** Places, categories, organisations: change rarely; counts of upcoming events may lag. */
  reference: {
    http: { mode: "public", maxAge: 300, staleWhileRevalidate: 3600 },
    server: { bucket: "none", etag: "key", ttlSeconds: 3600 },
  },
  /** iCal and RSS feeds: calendar apps poll them; the window moves at local midnight. */
  feeds: {
    http: { mode: "public", maxAge: 900 },
    server: { bucket: "day", etag: "body", ttlSeconds: 86_400 },
  },
  /** Server-rendered event pages: the time and "upcoming" texts depend on the minute. */
  eventPage: {
    http: { mode: "public", maxAge: 60, mustRevalidate: true },
    server: { bucket: "minute", etag: "key", ttlSeconds: 120 },
  },
  /** Static public pages (accessibility statement, API docs). */
  staticPage: { http: { mode: "public", maxAge: 300 } },
  /** A municipality's site descriptor and theme stylesheet: change when the municipality is edited. */
  site: { http: { mode: "public", maxAge: 300 } },
  /** Hashed build assets never change. */
  hashedAsset: { http: { mode: "public", maxAge: 31_536_000, immutable: true } },
  /** HTML shells and embed.js: short, then revalidated. */
  shell: { http: { mode: "public", maxAge: 60, mustRevalidate: true } },
  /** Account, organiser and moderation pages and 404s: always revalidated. */
  revalidate: { http: { mode: "no-cache" } },
  /** Personal or one-off answers (problems, health, /auth/me): never kept. */
  private: { http: { mode: "no-store" } },
} as const satisfies Record<string, CachePolicy>;

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** The public GETs the server's response cache may answer, by path. */
const SERVER_CACHED: [RegExp, CachePolicy][] = [
  [new RegExp(`^/api/v1/events(/${UUID})?$`), CACHE.events],
  [/^\/api\/v1\/(places|categories|organisations)$/, CACHE.reference],
  [/^\/feeds\/.+\.(ics|rss)$/, CACHE.feeds],
  [new RegExp(`^/tapahtumat/${UUID}$`), CACHE.eventPage],
];

/** The policy of a public path whose responses the server caches, or null. */
export function serverCachePolicy(pathname: string): (CachePolicy & { server: ServerCaching }) | null {
  for (const [re, policy] of SERVER_CACHED)
    if (re.test(pathname) && policy.server) return policy as CachePolicy & { server: ServerCaching };
  return null;
}
