/**
 * HTTP caching for public GETs: a strong ETag over the response body (If-None-Match
 * → 304; unless the response cache already tagged the response) and Cache-Control with a short max-age plus stale-while-revalidate.
 */
import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../http/types.ts";

export function publicCache(maxAge = 60, swr = 300): MiddlewareHandler<AppEnv> {
  const tag = etag();
  return async (c, next) => {
    // Behind the response cache the ETag comes from the cache key (and If-None-Match was
    // answered there): hashing every body here as well would be wasted work.
    if (c.get("keyEtag")) await next();
    else await tag(c, next);
    if (c.req.method === "GET" && (c.res.status === 200 || c.res.status === 304)) {
      c.res.headers.set("Cache-Control", `public, max-age=${maxAge}, stale-while-revalidate=${swr}`);
    }
  };
}
