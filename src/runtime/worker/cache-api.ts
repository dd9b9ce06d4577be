/**
 * The response and feed caches on the Workers Cache API (`caches.default`): entries live
 * in the Cloudflare data centre that served the request and are shared by every isolate
 * there. Keys are SHA-256 hashes of the cache key under a synthetic https URL of the
 * site's own origin, so they never collide with real pages. The Cache API ignores
 * `Vary` and honours Cache-Control, so the entry's lifetime goes into Cache-Control and
 * the response's own Cache-Control is kept aside in a header.
 *
 * Note: on *.workers.dev hostnames Cloudflare makes the Cache API a no-op; use a custom
 * domain in production (responses stay correct either way, they are just not cached).
 */

import { type ResponseCache, sha256Hex } from "../../cache/response-cache.ts";
import type { BuiltFeed, FeedCache } from "../../feeds/feed-cache.ts";

const ORIGINAL_CC = "x-kk-cache-control";
const FEED_META = "x-kk-feed";

async function keyUrl(origin: string, ns: string, key: string): Promise<string> {
  return `${origin}/__cache/${ns}/${await sha256Hex(key)}`;
}

/** Public GET responses on the Cache API. `origin` is the site's (https) origin. */
export function cacheApiResponseCache(cache: Cache, origin: string): ResponseCache {
  return {
    async get(key) {
      const res = await cache.match(await keyUrl(origin, "r", key));
      if (!res) return undefined;
      const headers: [string, string][] = [];
      for (const [k, v] of res.headers) {
        if (k === "cache-control" || k === "cf-cache-status" || k === "age") continue;
        headers.push([k === ORIGINAL_CC ? "cache-control" : k, v]);
      }
      return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
    },
    async put(key, entry, ttlSeconds) {
      const headers = new Headers();
      for (const [k, v] of entry.headers) headers.set(k === "cache-control" ? ORIGINAL_CC : k, v);
      headers.set("cache-control", `public, max-age=${ttlSeconds}`);
      await cache.put(
        await keyUrl(origin, "r", key),
        new Response(entry.body, { status: entry.status, headers }),
      );
    },
  };
}

/** Built feeds on the Cache API (the feed module keys them by its per-feed data version). */
export function cacheApiFeedCache(cache: Cache, origin: string, ttlSeconds = 86_400): FeedCache {
  return {
    async get(key) {
      const res = await cache.match(await keyUrl(origin, "f", key));
      if (!res) return undefined;
      const meta = JSON.parse(decodeURIComponent(res.headers.get(FEED_META) ?? "{}")) as Omit<
        BuiltFeed,
        "body" | "lastModified"
      > & {
        lastModified: string | null;
      };
      return {
        ...meta,
        lastModified: meta.lastModified ? new Date(meta.lastModified) : null,
        body: await res.text(),
      };
    },
    async set(key, feed) {
      const { body, ...meta } = feed;
      const headers = new Headers({
        "content-type": feed.contentType,
        "cache-control": `public, max-age=${ttlSeconds}`,
        // Header values are bytes: percent-encode the JSON.
        [FEED_META]: encodeURIComponent(
          JSON.stringify({ ...meta, lastModified: feed.lastModified?.toISOString() ?? null }),
        ),
      });
      await cache.put(await keyUrl(origin, "f", key), new Response(body, { headers }));
    },
  };
}
