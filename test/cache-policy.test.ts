/**
 * One caching policy per kind of response (src/cache/policy.ts): the Cache-Control a
 * client sees on a 200 and on a 304 — from the response cache's key or from the route —
 * is the one derived from the policy object, and the server caches exactly the paths that
 * have a server policy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, type CachePolicy, cacheControl, serverCachePolicy } from "../src/cache/policy.ts";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
let eventId: string;

beforeAll(async () => {
  database = await createSeededDatabase();
  t = buildTestApp(database, {
    clock: fixedClock(SEED_NOW.toISOString()),
    responseCache: createMemoryResponseCache(),
    shell: async (file) =>
      `<!doctype html><html lang="fi"><head><title>${file}</title><!--ssr:head--></head><body><main><!--ssr:main--></main></body></html>`,
  });
  const list = (await (await t.app.request("/api/v1/events?limit=1")).json()) as {
    data: { event_id: string }[];
  };
  eventId = list.data[0]?.event_id as string;
});
afterAll(async () => {
  await database.close();
});

describe("cacheControl", () => {
  it("derives the header from the policy's fields", () => {
    expect(cacheControl(CACHE.events)).toBe("public, max-age=60, stale-while-revalidate=300");
    expect(cacheControl(CACHE.hashedAsset)).toBe("public, max-age=31536000, immutable");
    expect(cacheControl(CACHE.eventPage)).toBe("public, max-age=60, must-revalidate");
    expect(cacheControl(CACHE.revalidate)).toBe("no-cache");
    expect(cacheControl(CACHE.private)).toBe("no-store");
    const custom: CachePolicy = { http: { mode: "public", maxAge: 5, staleWhileRevalidate: 7 } };
    expect(cacheControl(custom)).toBe("public, max-age=5, stale-while-revalidate=7");
  });

  it("gives a server policy only to public cacheable paths", () => {
    const id = "0b9e6a52-3c1d-4f5e-8a7b-9c0d1e2f3a4b";
    expect(serverCachePolicy("/api/v1/events")).toBe(CACHE.events);
    expect(serverCachePolicy(`/api/v1/events/${id}`)).toBe(CACHE.events);
    expect(serverCachePolicy("/api/v1/places")).toBe(CACHE.reference);
    expect(serverCachePolicy("/feeds/events.ics")).toBe(CACHE.feeds);
    expect(serverCachePolicy(`/tapahtumat/${id}`)).toBe(CACHE.eventPage);
    for (const path of ["/api/v1/me", "/api/v1/events/x", "/api/v1/moderation/queue", "/tapahtumat/x", "/"])
      expect(serverCachePolicy(path), path).toBeNull();
  });
});

describe("live responses follow their policy", () => {
  const cases = (): [string, CachePolicy][] => [
    ["/api/v1/events?limit=3", CACHE.events],
    [`/api/v1/events/${eventId}`, CACHE.events],
    ["/api/v1/categories", CACHE.reference],
    ["/feeds/events.ics", CACHE.feeds],
    [`/tapahtumat/${eventId}`, CACHE.eventPage],
    ["/api/docs", CACHE.staticPage],
    ["/healthz", CACHE.private],
  ];

  it("a 200, its cached repeat and its 304 carry the policy's Cache-Control", async () => {
    for (const [path, policy] of cases()) {
      const first = await t.app.request(path);
      expect(first.status, path).toBe(200);
      expect(first.headers.get("cache-control"), path).toBe(cacheControl(policy));
      const etag = first.headers.get("etag");
      if (!policy.server || !etag) continue;
      const again = await t.app.request(path);
      expect(again.headers.get("x-cache"), path).toBe("hit");
      expect(again.headers.get("cache-control"), path).toBe(cacheControl(policy));
      const revalidated = await t.app.request(path, { headers: { "If-None-Match": etag } });
      expect(revalidated.status, path).toBe(304);
      expect(revalidated.headers.get("cache-control"), path).toBe(cacheControl(policy));
    }
  });

  it("a problem is never kept", async () => {
    const res = await t.app.request("/api/v1/events?limit=1000");
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe(cacheControl(CACHE.private));
  });
});
