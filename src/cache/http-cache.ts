/**
 * HTTP caching for public GETs: a strong ETag over the response body (If-None-Match
 * → 304; unless the response cache already tagged the response) and the Cache-Control of
 * the route's policy (src/cache/policy.ts).
 */
import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../http/types.ts";
import { type CachePolicy, cacheControl } from "./policy.ts";

export function publicCache(policy: CachePolicy): MiddlewareHandler<AppEnv> {
  const header = cacheControl(policy);
  const tag = etag();
  return async (c, next) => {
    // Behind the response cache the ETag comes from the cache key (and If-None-Match was
    // answered there): hashing every body here as well would be wasted work.
    if (c.get("keyEtag")) await next();
    else await tag(c, next);
    if (c.req.method === "GET" && (c.res.status === 200 || c.res.status === 304)) {
      c.res.headers.set("Cache-Control", header);
    }
  };
}
