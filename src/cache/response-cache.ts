/**
 * A shared cache of public GET responses, keyed by the request and the data versions of
 * the municipalities whose rows the response may include (src/domain/data-version.ts,
 * `versionScopeOf`). A write bumps its municipality's version in its own transaction, so
 * every older entry that may show it simply stops being asked for: no purge, no stale read
 * after an approval (on one Node process, many, or many Workers isolates), and the entries
 * of other municipalities' sites stay valid.
 *
 * The key is tenant + method + full URL + Accept variant + version stamp + time bucket (the
 * responses also depend on "now": one-minute buckets for the event list and detail,
 * the local day for feeds, whose window moves at local midnight). JSON responses get an
 * ETag derived from the key, so If-None-Match is answered with 304 before the handler
 * runs: revalidation costs one one-row query, or none where the version is kept in
 * memory (`versionOf`: a DataVersionTracker on Node). Feeds keep their own content ETag and
 * Last-Modified (the feed module answers conditional requests on a miss).
 *
 * Requests with a session cookie, an Authorization header or a submitter token are
 * never cached, and neither are other routes, errors or responses that set cookies.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { Context, MiddlewareHandler } from "hono";
import type { Tenant } from "../domain/context.ts";
import { type DataVersionSource, getDataVersion } from "../domain/data-version.ts";
import { MUNICIPALITY_PARAM, scopeIds, siteCacheKey, type TenantDirectory } from "../domain/tenants.ts";
import { localDate } from "../domain/time.ts";
import { type AppEnv, SESSION_COOKIE } from "../http/types.ts";
import { createByteLru, type LruStats } from "./lru.ts";
import { type CachePolicy, cacheControl, type ServerCaching, serverCachePolicy } from "./policy.ts";

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

/** Where cached responses live: an in-memory LRU on Node, the Cache API on Workers. */
export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  /** Stores an entry; `ttlSeconds` only bounds how long an unused entry is kept. */
  put(key: string, entry: CachedResponse, ttlSeconds: number): Promise<void>;
}

export interface MemoryResponseCache extends ResponseCache {
  readonly stats: LruStats;
  /** `get` without the promise, for the Node fast path (src/runtime/node/fast-path.ts). */
  peek(key: string): CachedResponse | undefined;
}

const sizeOf = (e: CachedResponse) =>
  e.body.byteLength + e.headers.reduce((n, [k, v]) => n + k.length + v.length, 0) + 64;

/**
 * The part of a key that names the response (method, URL, variant), without the data
 * version and time bucket that make up its last two fields.
 */
function slotOf(key: string): string {
  const bucketAt = key.lastIndexOf("|");
  const versionAt = bucketAt > 0 ? key.lastIndexOf("|", bucketAt - 1) : -1;
  return versionAt > 0 ? key.slice(0, versionAt) : key;
}

/** The version stamp inside a cache key ("…|v<id>:42|…"), see responseCacheKey. */
function versionOfKey(key: string): string | undefined {
  return /\|v([^|]+)\|[^|]*$/.exec(key)?.[1];
}

/**
 * The municipalities whose data versions key the public response to `url` (the request's
 * URL, or its target: only the query may matter) on `tenant`'s site: every municipality
 * whose rows the response may include. The one place the response cache and the Node fast
 * path take that list from. Today it is what the site shows, `tenant.visible` (the same
 * array every time, which the tracker's memo relies on), unless the request chooses its
 * municipalities with `?municipality=` (src/http/scope.ts): then exactly those. A superset is
 * always correct (an edit elsewhere only costs a rebuild), a subset never.
 */
export function versionScopeOf(
  tenant: Pick<Tenant, "id" | "visible">,
  url: string,
  region: TenantDirectory | undefined,
): readonly string[] {
  const query = url.indexOf("?");
  if (query < 0 || !url.includes(MUNICIPALITY_PARAM, query)) return tenant.visible;
  const values = new URLSearchParams(url.slice(query + 1)).getAll(MUNICIPALITY_PARAM);
  // Without the directory, or for a bad value (the route answers 400, never cached): the
  // whole region or the site's own set would both be safe; all of the region is the superset.
  if (!region) return tenant.visible;
  try {
    return scopeIds(region, tenant, values);
  } catch {
    return region.all.map((m) => m.id);
  }
}

/**
 * An LRU within a byte budget, for one Node process (each process keeps its own). It
 * holds one entry per response (slot): storing a newer data version or minute replaces
 * the old entry, which could never be asked for again; and the first entry of a newer
 * version of a municipality drops every entry built from an older version of it at once
 * (src/cache/lru.ts). Otherwise, under steady writes, dead versions filled the whole budget
 * and kept the garbage collector busy.
 */
export function createMemoryResponseCache(maxBytes = 32 * 1024 * 1024): MemoryResponseCache {
  const lru = createByteLru<{ key: string; entry: CachedResponse; expires: number; version?: string }>({
    maxBytes,
    maxEntryShare: 1 / 4,
    sizeOf: (v) => sizeOf(v.entry),
    versionOf: (v) => v.version,
  });
  const peek = (key: string) => {
    const now = Date.now();
    return lru.get(slotOf(key), (v) => v.key === key && v.expires >= now)?.entry;
  };
  return {
    stats: lru.stats,
    peek,
    async get(key) {
      return peek(key);
    },
    async put(key, entry, ttlSeconds) {
      const version = versionOfKey(key);
      lru.set(slotOf(key), {
        key,
        entry,
        expires: Date.now() + ttlSeconds * 1000,
        ...(version === undefined ? {} : { version }),
      });
    },
  };
}

/** A path's server-side caching: see src/cache/policy.ts (CACHE, serverCachePolicy). */
export type Policy = CachePolicy & { server: ServerCaching };

/**
 * True when the request carries credentials (then the response may be personal);
 * `header` reads a request header by its lower-case name.
 */
export function isPersonalRequest(header: (name: string) => string | undefined): boolean {
  if (header("authorization") || header("x-submitter-token")) return true;
  const cookie = header("cookie") ?? "";
  return cookie.split(";").some((p) => p.trim().startsWith(`${SESSION_COOKIE}=`));
}

/** Hex SHA-256 through Web Crypto (Node and Workers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The ETag of a cache key. Revalidations and hits repeat the same few keys, and Web
 * Crypto's digest was the largest single cost of a 304, so recent ones are remembered.
 */
const textEncoder = new TextEncoder();
const keyEtags = new Map<string, string>();
async function etagOfKey(key: string): Promise<string> {
  const known = keyEtags.get(key);
  if (known) return known;
  // Synchronous: Web Crypto's digest is a thread-pool job and a promise on Node, which cost
  // more than hashing a short key in JavaScript (every uncached answer makes a new key).
  const tag = `"${bytesToHex(sha256(textEncoder.encode(key))).slice(0, 32)}"`;
  if (keyEtags.size >= 4096) keyEtags.clear();
  keyEtags.set(key, tag);
  return tag;
}

/** Whether If-None-Match names the ETag (weak comparison: W/ is ignored; `*` matches). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  if (ifNoneMatch === etag) return true;
  const tags = ifNoneMatch.split(",").map((t) => t.trim().replace(/^W\//, ""));
  return tags.includes("*") || tags.includes(etag);
}

/** If-Modified-Since against a cached Last-Modified (whole seconds). */
function notModifiedSince(c: Context, headers: Headers): boolean {
  const ims = c.req.header("if-modified-since");
  const lm = headers.get("last-modified");
  if (!ims || !lm) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Date.parse(lm) <= since;
}

/**
 * JSON answers by their response, with the bytes they were made of. Reading a Response's body
 * back (`arrayBuffer()`) made Node build a Web stream and copy the text twice on every miss,
 * and a text body is encoded again when written (#15: about a tenth of an uncached list's
 * CPU). So a cached route's JSON is encoded once, sent as bytes and stored as the same bytes.
 */
const jsonBodies = new WeakMap<Response, Uint8Array<ArrayBuffer>>();

/** What `c.json` does (Hono's default content type included), with the body as bytes it remembers. */
function keepJsonBody(
  c: Context<AppEnv>,
  value: unknown,
  arg?: number | ResponseInit,
  headers?: Record<string, string>,
): Response {
  return jsonText(c, JSON.stringify(value), arg, headers);
}

/**
 * Answers JSON that is already text (e.g. joined from pieces rendered before) as `c.json`
 * answers a value: Hono's default content type, the caller's headers over it. Behind the
 * response cache, the cache keeps the same bytes (see `keepJsonBody`).
 */
export function jsonText(
  c: Context<AppEnv>,
  text: string,
  arg?: number | ResponseInit,
  headers?: Record<string, string>,
): Response {
  const bytes = textEncoder.encode(text) as Uint8Array<ArrayBuffer>;
  const body = c.body as (
    data: Uint8Array,
    arg?: number | ResponseInit,
    headers?: Record<string, string>,
  ) => Response;
  const res = body(bytes, arg, { "Content-Type": "application/json", ...headers });
  jsonBodies.set(res, bytes);
  return res;
}

/** Headers that belong to one exchange and must not be replayed from the cache. */
const PER_REQUEST = new Set([
  "x-request-id",
  "set-cookie",
  "date",
  "x-cache",
  "content-length",
  // Says whether the feed layer rebuilt the feed: true of the first exchange only.
  "x-feed-cache",
]);
/** Headers a 304 keeps (RFC 9110 §15.4.5). */
const FOR_304 = new Set(["etag", "cache-control", "vary", "last-modified", "access-control-allow-origin"]);

/** The cache key of a request, and the time bucket it falls into. */
export async function responseCacheKey(
  c: Context<AppEnv>,
  policy: Policy,
  versionOf: DataVersionSource = getDataVersion,
): Promise<string> {
  const ctx = c.get("ctx");
  // The versions first, then the data (in the handler): the entry can only be newer than its key.
  const version = await versionOf(ctx.db, versionScopeOf(ctx.tenant, c.req.url, c.get("tenants")));
  return cacheKeyOf(
    policy,
    siteCacheKey(ctx.tenant),
    c.req.url,
    c.req.header("accept"),
    version,
    ctx.clock.now(),
    ctx.config.timezone,
  );
}

/**
 * The cache key of a GET of `url` (as Hono sees it, i.e. without a municipality's path
 * prefix) for a municipality's site (`siteCacheKey`: the tenant and what it shows) at version
 * stamp `version` (of the municipalities it may include) and time `now`.
 */
export function cacheKeyOf(
  policy: Policy,
  siteKey: string,
  url: string,
  accept: string | undefined,
  version: string,
  now: Date,
  timezone: string,
): string {
  const { bucket: kind } = policy.server;
  const bucket =
    kind === "minute"
      ? String(Math.floor(now.getTime() / 60_000))
      : kind === "day"
        ? localDate(now, timezone)
        : "-";
  const variant = /application\/ld\+json/.test(accept ?? "") ? "ld" : "json";
  return [siteKey, "GET", url, variant, `v${version}`, bucket].join("|");
}

/** The middleware: 304 without the handler, a cached body on a hit, stores 200s on a miss. */
export function publicResponseCache(
  cache: ResponseCache,
  versionOf: DataVersionSource = getDataVersion,
): MiddlewareHandler<AppEnv> {
  // Misses being computed, by key: a request for the same key waits for that one instead of
  // running the same queries again. After an edit bumps a data version every popular URL
  // misses at once; without this each connection asking for it recomputes it (#15's mixed
  // load: the resident's p99). Per process (per isolate on Workers).
  const inflight = new Map<string, Promise<CachedResponse | undefined>>();
  return async (c, next) => {
    if (c.req.method !== "GET") return next();
    const policy = serverCachePolicy(c.req.path);
    if (!policy || isPersonalRequest((name) => c.req.header(name))) return next();

    const key = await responseCacheKey(c, policy, versionOf);
    const keyEtag = policy.server.etag === "key" ? await etagOfKey(key) : null;
    if (keyEtag) c.set("keyEtag", keyEtag);
    const inm = c.req.header("if-none-match");
    if (keyEtag && matchesEtag(inm, keyEtag)) {
      c.header("X-Cache", "hit");
      return c.body(null, 304, {
        ETag: keyEtag,
        "Cache-Control": cacheControl(policy),
      });
    }

    const hit = (await cache.get(key)) ?? (await inflight.get(key));
    if (hit) {
      const headers = new Headers(hit.headers);
      headers.set("X-Cache", "hit");
      if (matchesEtag(inm, headers.get("etag")) || (!inm && notModifiedSince(c, headers))) {
        const kept: Record<string, string> = { "X-Cache": "hit" };
        for (const [k, v] of headers) if (FOR_304.has(k)) kept[k] = v;
        return c.body(null, 304, kept);
      }
      return c.body(hit.body, hit.status as 200, Object.fromEntries(headers));
    }

    let settle: (entry: CachedResponse | undefined) => void = () => {};
    inflight.set(key, new Promise((resolve) => (settle = resolve)));
    // The handler's JSON bytes, kept beside its response (see `keepJsonBody`).
    const json = c.json;
    c.json = ((value: unknown, arg?: number | ResponseInit, headers?: Record<string, string>) =>
      keepJsonBody(c, value, arg, headers)) as typeof c.json;
    try {
      await next();
      const res = c.res;
      if (res.status !== 200 || res.headers.has("set-cookie")) return;
      if (keyEtag) res.headers.set("ETag", keyEtag);
      res.headers.set("X-Cache", "miss");
      // The response goes out as it is; the cache keeps the same bytes.
      let body = jsonBodies.get(res);
      if (body === undefined) {
        // Read the body once and answer with the same bytes (cheaper than clone(), which tees the stream).
        body = new Uint8Array(await res.arrayBuffer());
        c.res = undefined;
        c.res = new Response(body, { status: res.status, headers: res.headers });
      }
      const headers: [string, string][] = [];
      for (const [k, v] of res.headers) if (!PER_REQUEST.has(k)) headers.push([k, v]);
      const entry: CachedResponse = { status: 200, headers, body };
      settle(entry);
      try {
        await cache.put(key, entry, policy.server.ttlSeconds);
      } catch (err) {
        c.get("logger").warn("response cache put failed", { err });
      }
    } finally {
      c.json = json;
      // Not stored (an error, a problem, a cookie): the waiters compute their own.
      settle(undefined);
      inflight.delete(key);
    }
  };
}
