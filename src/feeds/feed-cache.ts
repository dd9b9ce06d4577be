/**
 * A cache of built feeds, keyed by (feed kind, normalised filter, window, language),
 * each entry tagged with the data version it was built from. The data version is read
 * from the database on every request and must match, so a stale entry can never be
 * served, and several processes each with their own cache stay correct; a rebuild
 * replaces the stale entry instead of adding one. The in-memory LRU
 * suits Node; on Workers a Cache API implementation can take its place.
 */

import { createByteLru, type LruStats } from "../cache/lru.ts";
import { createVeventCache, type VeventCache } from "./ical.ts";

export interface BuiltFeed {
  body: string;
  /** Strong validator over the exact bytes, quoted: "sha256-…". */
  etag: string;
  lastModified: Date | null;
  contentType: string;
  /** Extra response headers, e.g. Link to narrower feeds of a truncated feed. */
  headers?: Record<string, string>;
  /** The data version the feed was built from; an entry of another version is a miss. */
  version?: string;
}

export interface FeedCache {
  get(key: string): Promise<BuiltFeed | undefined>;
  set(key: string, feed: BuiltFeed): Promise<void>;
  /** Rendered VEVENTs to reuse when a feed is built (src/feeds/ical.ts). */
  vevents?: VeventCache;
}

export interface MemoryFeedCache extends FeedCache {
  readonly stats: LruStats;
}

const sizeOf = (f: BuiltFeed) => f.body.length * 2 + 256;

/**
 * An LRU of built feeds limited by an approximate byte budget (UTF-16 string sizes).
 * Feeds of an older data version are dropped as soon as one of a newer version is stored.
 */
export function createMemoryFeedCache(maxBytes = 64 * 1024 * 1024): MemoryFeedCache {
  const lru = createByteLru<BuiltFeed>({ maxBytes, sizeOf, versionOf: (f) => f.version });
  // Rendered VEVENTs (4 million characters, about a few full feeds' worth) whatever the feeds'
  // budget: rendering is most of a build, and a smaller cache thrashed (a 700-event feed's
  // components did not fit in 12 MB / 16, and PGlite's cold builds took 275 ms instead of ~100).
  const vevents = createVeventCache();
  return {
    stats: lru.stats,
    vevents,
    async get(key) {
      return lru.get(key);
    },
    async set(key, feed) {
      lru.set(key, feed);
    },
  };
}

/** A strong ETag over the body: SHA-256 through Web Crypto, available on Node and Workers. */
export async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const b64 = btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `"${b64}"`;
}
