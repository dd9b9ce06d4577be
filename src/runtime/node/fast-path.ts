/**
 * The Node fast path in front of the Hono app: answers a public GET whose response is
 * already in the in-memory response cache (src/cache/response-cache.ts) straight from the
 * raw IncomingMessage, without building a Request, running the middleware or routing.
 * Revalidations and cache hits were dominated by that per-request framework work.
 *
 * It derives no header by hand, so it cannot drift from the app: each cache entry learns
 * its answers from the app itself. When Hono answers a request from the cache (X-Cache:
 * hit), the fast path remembers, with that entry, the complete response headers (security
 * headers, CORS, Vary, ETag… everything but X-Request-Id), one set for the 200 and one
 * for the 304. Later requests for the same cache key, with the same Origin, are answered
 * with those headers, the entry's bytes and a fresh request id, and logged like the app
 * logs them. An entry's answers go when the entry goes (a new data version or minute).
 *
 * Eligibility is the response cache's own: its route policies and its rule for personal
 * requests (session cookie, Authorization, submitter token), and the key it would use.
 * Anything the fast path is not sure about goes to Hono unchanged: other methods (HEAD
 * too) and routes, data versions not held in memory (src/domain/data-version.ts), an
 * entry not yet seen answered by Hono, If-Modified-Since without If-None-Match, Range,
 * a request body, an unusual Host or request target, municipalities not held in memory or a
 * municipality's path prefix (src/http/tenant.ts: the fast path resolves the tenant by the
 * Host header, as the app does, and keys by it). A proxy's X-Request-Id is kept by the
 * same rule as the app's (requestIdFor).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { TLSSocket } from "node:tls";
import { serverCachePolicy } from "../../cache/policy.ts";
import {
  type CachedResponse,
  cacheKeyOf,
  isPersonalRequest,
  type MemoryResponseCache,
  matchesEtag,
  versionScopeOf,
} from "../../cache/response-cache.ts";
import type { Clock } from "../../domain/context.ts";
import type { DataVersionTracker } from "../../domain/data-version.ts";
import { requestIdFor } from "../../http/middleware.ts";
import { hostOf, matchTenant, type TenantCache } from "../../http/tenant.ts";
import { type Logger, type LogLevel, logsAt } from "../../logger.ts";

/** The app's fetch; @hono/node-server hands it `{ incoming, outgoing }` as its env. */
type Fetch<E> = (request: Request, env: E) => Response | Promise<Response>;

/**
 * A learned answer: the app's response headers (lower-case, flat: name, value, …), then
 * Content-Length of a 200, then X-Request-Id, whose value (the last item) is set per answer.
 */
interface Answer {
  headers: string[];
  /** The Origin of the request it was learned from (CORS headers may depend on it). */
  origin: string | undefined;
}

interface Answers {
  etag: string;
  ok?: Answer;
  notModified?: Answer;
}

/** A request the fast path could answer: its cache key and the URL Hono would see. */
interface Candidate {
  key: string;
  url: string;
  path: string;
  origin: string | undefined;
}

export interface FastPathDeps {
  /** The app's response cache (the same object createApp got). */
  cache: MemoryResponseCache;
  /** The app's data version: only a version held in memory is used. */
  dataVersion: DataVersionTracker;
  clock: Clock;
  timezone: string;
  /** The app's municipalities (the same object createApp got as `tenants`). */
  tenants: Pick<TenantCache, "peek">;
  /** DEFAULT_MUNICIPALITY, as the app has it. */
  defaultSlug?: string | undefined;
  logger: Logger;
  /** The logger's level (config.logLevel): below info, answers are not even timed. */
  logLevel?: LogLevel;
}

export interface FastPath {
  /** Wraps the app's fetch: learns the answers of cache entries from the responses Hono sends. */
  fetch<E>(fetch: Fetch<E>): (request: Request, env: E) => Promise<Response>;
  /** Wraps a request listener: answers what it can, hands everything else on. */
  listener(next: RequestListener): RequestListener;
  /** node:http createServer with the fast path in front of the listener (for serve()). */
  createServer: typeof createServer;
  readonly stats: { ok: number; notModified: number; passed: number; learned: number };
}

// The request targets and hosts for which @hono/node-server builds the URL as the plain
// concatenation `${scheme}://${host}${target}` (its src/url.ts); anything else falls through.
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** Paths that Hono reads exactly as written (no percent-decoding, no dot segments). */
const PLAIN_PATH = /^\/[\w\-.~/]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;

/** Headers of the learned response that are not replayed: per exchange, or computed per answer. */
const NOT_REPLAYED = new Set(["x-request-id", "content-length", "date", "set-cookie"]);

const RESOLVED = Promise.resolve();

export function createNodeFastPath(deps: FastPathDeps): FastPath {
  const { cache, dataVersion, clock, timezone, tenants, logger } = deps;
  const logRequests = logsAt(deps.logLevel ?? "debug", "info");
  const answersOf = new WeakMap<CachedResponse, Answers>();
  const learning = new WeakMap<object, Candidate>();
  const stats = { ok: 0, notModified: 0, passed: 0, learned: 0 };

  /** The cache key of a request the response cache would look up, or null. */
  function candidate(incoming: IncomingMessage): Candidate | null {
    if (incoming.method !== "GET") return null;
    const target = incoming.url ?? "";
    const q = target.indexOf("?");
    const path = q === -1 ? target : target.slice(0, q);
    if (!PLAIN_PATH.test(path) || DOT_SEGMENT.test(path) || !PLAIN_TARGET.test(target)) return null;
    if (target.includes("#")) return null;
    const policy = serverCachePolicy(path);
    if (!policy) return null;
    const h = incoming.headers;
    const host = h.host;
    if (!host || !PLAIN_HOST.test(host)) return null;
    if (h.range !== undefined || h["content-length"] !== undefined || h["transfer-encoding"] !== undefined) {
      return null;
    }
    // Node joins repeated Cookie headers with "; ", so it sees every session cookie Hono sees.
    if (isPersonalRequest((name) => h[name] as string | undefined)) return null;
    const directory = tenants.peek();
    if (!directory) return null;
    const match = matchTenant(directory, hostOf(host), path, deps.defaultSlug);
    if (!match || match.prefix) return null;
    const version = dataVersion.peek(versionScopeOf(match.tenant, target));
    if (version === undefined) return null;
    const scheme = (incoming.socket as TLSSocket | null)?.encrypted ? "https" : "http";
    const url = `${scheme}://${host}${target}`;
    return {
      key: cacheKeyOf(policy, match.tenant.id, url, h.accept, version, clock.now(), timezone),
      url,
      path,
      origin: h.origin,
    };
  }

  /** Answers from a learned entry, or returns false. */
  function tryAnswer(incoming: IncomingMessage, outgoing: ServerResponse, c: Candidate): boolean {
    const entry = cache.peek(c.key);
    const answers = entry && answersOf.get(entry);
    if (!entry || !answers) return false;
    const h = incoming.headers;
    const inm = h["if-none-match"];
    let answer: Answer | undefined;
    let body: Uint8Array | null = null;
    if (matchesEtag(inm, answers.etag)) answer = answers.notModified;
    else if (!inm && h["if-modified-since"] !== undefined) return false;
    else {
      answer = answers.ok;
      body = entry.body;
    }
    if (!answer || answer.origin !== c.origin) return false;
    const started = logRequests ? performance.now() : 0;
    const id = requestIdFor(incoming.headers["x-request-id"] as string | undefined);
    const status = body ? 200 : 304;
    const headers = answer.headers;
    if (body) stats.ok++;
    else stats.notModified++;
    // Written after the other "request" listeners have run (as the app's answer would be):
    // main.ts marks responses Connection: close there while shutting down. (A promise
    // reaction, not queueMicrotask, which creates an AsyncResource per call.)
    void RESOLVED.then(() => {
      try {
        // writeHead copies the headers at once, so the shared array only lends its last slot.
        headers[headers.length - 1] = id;
        outgoing.writeHead(status, headers);
        if (body) outgoing.end(body);
        else outgoing.end();
      } catch (err) {
        logger.error("fast path response failed", { err });
        outgoing.destroy();
        return;
      }
      if (!logRequests) return;
      logger.info("request", {
        request_id: id,
        method: "GET",
        path: c.path,
        status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    return true;
  }

  /** Remembers Hono's answer to a cached request with the entry it came from. */
  function learn(c: Candidate, request: Request, res: Response): void {
    if (request.url !== c.url) return;
    if (res.status !== 200 && res.status !== 304) return;
    const headers = res.headers;
    if (headers.get("x-cache") !== "hit" || headers.has("set-cookie")) return;
    const entry = cache.peek(c.key);
    if (!entry) return;
    const etag = entry.headers.find(([k]) => k === "etag")?.[1];
    if (!etag || headers.get("etag") !== etag) return;
    if (res.status === 200) {
      // The 200 must be this entry replayed: every stored header as stored, and a content type.
      if (!headers.has("content-type")) return;
      for (const [k, v] of entry.headers) if (headers.get(k) !== v) return;
    }
    const flat: string[] = [];
    for (const [k, v] of headers) if (!NOT_REPLAYED.has(k)) flat.push(k, v);
    if (res.status === 200) flat.push("content-length", String(entry.body.byteLength));
    flat.push("x-request-id", "");
    let answers = answersOf.get(entry);
    if (!answers) {
      answers = { etag };
      answersOf.set(entry, answers);
    }
    const answer = { headers: flat, origin: c.origin };
    if (res.status === 200) answers.ok = answer;
    else answers.notModified = answer;
    stats.learned++;
  }

  const listener =
    (next: RequestListener): RequestListener =>
    (incoming, outgoing) => {
      const c = candidate(incoming);
      if (c) {
        if (tryAnswer(incoming, outgoing, c)) return;
        learning.set(incoming, c);
      }
      stats.passed++;
      return next(incoming, outgoing);
    };

  return {
    stats,
    listener,
    fetch: (inner) => async (request, env) => {
      const res = await inner(request, env);
      const incoming = (env as { incoming?: object } | undefined)?.incoming;
      const c = incoming && learning.get(incoming);
      if (c) {
        learning.delete(incoming);
        try {
          learn(c, request, res);
        } catch (err) {
          logger.warn("fast path could not learn a response", { err });
        }
      }
      return res;
    },
    createServer: ((options: object, next: RequestListener) =>
      createServer(options, listener(next))) as unknown as typeof createServer,
  };
}
