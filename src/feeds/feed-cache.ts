/**
 * A cache of built feeds, keyed by (feed kind, normalised filter, window, language),
 * each entry tagged with the data version it was built from. The data version is read
 * from the database on every request and must match, so a stale entry can never be
 * served, and several processes each with their own cache stay correct; a rebuild
 * replaces the stale entry instead of adding one. The in-memory LRU
 * suits Node; on Workers a Cache API implementation can take its place.
 */
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
  readonly stats: { hits: number; misses: number; entries: number; bytes: number };
}

const sizeOf = (f: BuiltFeed) => f.body.length * 2 + 256;

/** An LRU of built feeds limited by an approximate byte budget (UTF-16 string sizes). */
export function createMemoryFeedCache(maxBytes = 64 * 1024 * 1024): MemoryFeedCache {
  const entries = new Map<string, BuiltFeed>();
  const stats = { hits: 0, misses: 0, entries: 0, bytes: 0 };
  const vevents = createVeventCache();
  const remove = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    stats.bytes -= sizeOf(old);
    stats.entries = entries.size;
  };
  return {
    stats,
    vevents,
    async get(key) {
      const hit = entries.get(key);
      if (!hit) {
        stats.misses++;
        return undefined;
      }
      // Re-insert to mark it as most recently used.
      entries.delete(key);
      entries.set(key, hit);
      stats.hits++;
      return hit;
    },
    async set(key, feed) {
      remove(key);
      const size = sizeOf(feed);
      if (size > maxBytes) return;
      while (stats.bytes + size > maxBytes) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, feed);
      stats.bytes += size;
      stats.entries = entries.size;
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
