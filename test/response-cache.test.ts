/**
 * The public response cache keyed by the data version: hits and misses, 304 from the
 * key alone, no caching of personal requests, and no stale read after an approval —
 * with the writes made through another app instance on the same database, as another
 * Node process or Workers isolate would.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type CachedResponse,
  createMemoryResponseCache,
  type MemoryResponseCache,
  type ResponseCache,
} from "../src/cache/response-cache.ts";
import { buildTestApp } from "./helpers/app.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
let cache: MemoryResponseCache;
let gets = 0;
let puts = 0;
let reader: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  w = await createWorkflowWorld();
  cache = createMemoryResponseCache();
  const counting: ResponseCache = {
    get: (key) => {
      gets++;
      return cache.get(key);
    },
    put: (key, entry, ttl) => {
      puts++;
      return cache.put(key, entry, ttl);
    },
  };
  reader = buildTestApp(w.database, { clock: w.clock, config: w.t.config, responseCache: counting });
});
afterAll(async () => {
  await w.close();
});

const get = (path: string, headers: Record<string, string> = {}) => reader.app.request(path, { headers });
const ids = async (res: Response) =>
  ((await res.json()) as { data: { event_id: string }[] }).data.map((d) => d.event_id);

describe("public response cache", () => {
  it("computes a miss once when many ask for the same key at the same moment", async () => {
    await w.eventIn("published");
    const path = "/api/v1/events?limit=7&from=2026-10-02";
    const before = puts;
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(path)));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(puts - before, "one computation stored").toBe(1);
    const caches = answers.map((r) => r.headers.get("x-cache"));
    expect(caches.filter((x) => x === "miss")).toHaveLength(1);
    expect(caches.filter((x) => x === "hit")).toHaveLength(7);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(new Set(answers.map((r) => r.headers.get("etag"))).size).toBe(1);
  });

  it("stores a miss's JSON text as it is sent, without reading the response back (#15), CORS header included", async () => {
    await w.eventIn("published", { title: { fi: "Syysjuhla – ääni 😀", sv: "Höstfest" } });
    const readBack = vi.spyOn(Response.prototype, "arrayBuffer");
    try {
      const first = await get("/api/v1/events?limit=9", { Origin: "https://example.org" });
      expect(first.headers.get("x-cache")).toBe("miss");
      expect(readBack, "the miss read its own response's body").not.toHaveBeenCalled();
      const body = new Uint8Array(await first.arrayBuffer());
      expect(new TextDecoder().decode(body)).toContain("Syysjuhla – ääni 😀");
      expect(first.headers.get("access-control-allow-origin")).toBe("*");
      const second = await get("/api/v1/events?limit=9", { Origin: "https://example.org" });
      expect(second.headers.get("x-cache")).toBe("hit");
      expect(new Uint8Array(await second.arrayBuffer())).toEqual(body);
      expect(second.headers.get("access-control-allow-origin")).toBe("*");
      const revalidated = await get("/api/v1/events?limit=9", {
        "If-None-Match": first.headers.get("etag") as string,
      });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      readBack.mockRestore();
    }
  });

  it("answers a CORS preflight for the public API", async () => {
    const res = await reader.app.request("/api/v1/events", {
      method: "OPTIONS",
      headers: { Origin: "https://example.org", "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET,HEAD,OPTIONS");
    expect(res.headers.get("access-control-max-age")).toBe("86400");
  });

  it("misses, then hits with the same body, and answers If-None-Match without a lookup", async () => {
    await w.eventIn("published");
    const first = await get("/api/v1/events?limit=10");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const body = await first.text();

    const second = await get("/api/v1/events?limit=10");
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.text()).toBe(body);
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("cache-control")).toMatch(/^public, max-age=60/);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));

    const before = gets;
    const revalidated = await get("/api/v1/events?limit=10", { "If-None-Match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(gets).toBe(before);
  });

  it("shows an approval on the very next request (no stale read)", async () => {
    const pending = await w.eventIn("pending", { title: { fi: "Hyväksytään kohta" } });
    const list = await get("/api/v1/events?limit=50");
    const etag = list.headers.get("etag") as string;
    expect(await ids(list)).not.toContain(pending.id);
    expect((await get("/api/v1/events?limit=50")).headers.get("x-cache")).toBe("hit");
    const feed = await get("/feeds/events.ics");
    expect(await feed.text()).not.toContain(pending.id);

    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${pending.id}/approve`, {
      version: pending.version,
    });
    expect(approved.status).toBe(200);

    const after = await get("/api/v1/events?limit=50");
    expect(after.headers.get("x-cache")).toBe("miss");
    expect(await ids(after)).toContain(pending.id);
    expect((await get("/api/v1/events?limit=50", { "If-None-Match": etag })).status).toBe(200);
    const feedAfter = await get("/feeds/events.ics");
    expect(await feedAfter.text()).toContain(pending.id);
    expect((await get(`/api/v1/events/${pending.id}`)).status).toBe(200);
  });

  it("serves feeds from the cache with their own ETag and answers If-None-Match with 304", async () => {
    const first = await get("/feeds/events.ics?lang=sv");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    const body = await first.text();
    const second = await get("/feeds/events.ics?lang=sv");
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(second.headers.get("x-feed-cache")).toBeNull();
    expect(await second.text()).toBe(body);
    const inm = await get("/feeds/events.ics?lang=sv", { "If-None-Match": etag });
    expect(inm.status).toBe(304);
    expect(inm.headers.get("etag")).toBe(etag);
    const ims = await get("/feeds/events.ics?lang=sv", {
      "If-Modified-Since": first.headers.get("last-modified") as string,
    });
    expect(ims.status).toBe(304);
  });

  it("keeps JSON and JSON-LD apart, and moves to a new key every minute for the list", async () => {
    const { id } = await w.eventIn("published");
    const json = await get(`/api/v1/events/${id}`);
    const ld = await get(`/api/v1/events/${id}`, { Accept: "application/ld+json" });
    expect(ld.headers.get("x-cache")).toBe("miss");
    expect(ld.headers.get("content-type")).toMatch(/ld\+json/);
    expect(ld.headers.get("etag")).not.toBe(json.headers.get("etag"));
    expect((await get(`/api/v1/events/${id}`)).headers.get("content-type")).toMatch(/^application\/json/);

    await get("/api/v1/events?limit=3");
    expect((await get("/api/v1/events?limit=3")).headers.get("x-cache")).toBe("hit");
    w.clock.set(new Date(w.clock.now().getTime() + 60_000).toISOString());
    expect((await get("/api/v1/events?limit=3")).headers.get("x-cache")).toBe("miss");
  });

  it("never caches personal requests, other routes or errors", async () => {
    const cookie = await w.login("moderator@kunta.test");
    const personal = await get("/api/v1/events?limit=2", { Cookie: cookie });
    expect(personal.status).toBe(200);
    expect(personal.headers.get("x-cache")).toBeNull();
    expect((await get("/api/v1/events?limit=2", { Authorization: "Bearer not-a-real-token" })).status).toBe(
      401,
    );
    expect((await get("/api/v1/moderation/queue", { Cookie: cookie })).headers.get("x-cache")).toBeNull();
    expect((await get("/healthz")).headers.get("x-cache")).toBeNull();
    const bad = await get("/api/v1/events?limit=0");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-cache")).toBeNull();
  });

  it("is an LRU within its byte budget", async () => {
    const lru = createMemoryResponseCache(4096);
    const entry = (n: number): CachedResponse => ({ status: 200, headers: [], body: new Uint8Array(n) });
    await lru.put("a", entry(900), 60);
    await lru.put("b", entry(900), 60);
    await lru.put("c", entry(900), 60);
    await lru.get("a");
    await lru.put("d", entry(900), 60);
    await lru.put("e", entry(900), 60);
    expect(lru.stats.bytes).toBeLessThanOrEqual(4096);
    expect(await lru.get("a")).toBeDefined();
    expect(await lru.get("b")).toBeUndefined();
    await lru.put("huge", entry(5000), 60);
    expect(await lru.get("huge")).toBeUndefined();
  });

  it("drops every entry of an older version of a municipality once a newer one is stored, and only those", async () => {
    const lru = createMemoryResponseCache(1 << 20);
    const M = "00000000-0000-4000-8000-00000000000a";
    const N = "00000000-0000-4000-8000-00000000000b";
    const entry = (): CachedResponse => ({ status: 200, headers: [], body: new Uint8Array(100) });
    const key = (url: string, stamp: string) => `t|GET|http://x${url}|json|v${stamp}|2026-06-01T09:00`;
    await lru.put(key("/a", `${M}:7`), entry(), 60);
    await lru.put(key("/b", `${M}:7`), entry(), 60);
    await lru.put(key("/n", `${N}:3`), entry(), 60);
    await lru.put(key("/mn", `${M}:7,${N}:3`), entry(), 60);
    expect(lru.stats.entries).toBe(4);
    await lru.put(key("/a", `${M}:8`), entry(), 60);
    // M's older entries go, the one that also shows M with them; N's own entry stays.
    expect(lru.stats.entries).toBe(2);
    expect(await lru.get(key("/b", `${M}:7`))).toBeUndefined();
    expect(await lru.get(key("/mn", `${M}:7,${N}:3`))).toBeUndefined();
    expect(await lru.get(key("/a", `${M}:8`))).toBeDefined();
    expect(await lru.get(key("/n", `${N}:3`))).toBeDefined();
    // A response built from version 7 that finishes after version 8 exists is not kept.
    await lru.put(key("/c", `${M}:7`), entry(), 60);
    expect(await lru.get(key("/c", `${M}:7`))).toBeUndefined();
    await lru.put(key("/mn", `${M}:7,${N}:3`), entry(), 60);
    expect(await lru.get(key("/mn", `${M}:7,${N}:3`))).toBeUndefined();
    expect(lru.stats.bytes).toBeLessThan(400);
  });

  it("keeps one entry per response: a newer data version or minute replaces the old one", async () => {
    const lru = createMemoryResponseCache();
    const entry = (n: number): CachedResponse => ({ status: 200, headers: [], body: new Uint8Array(n) });
    await lru.put("GET|http://x/api/v1/events?q=a|b|json|v1|100", entry(100), 60);
    await lru.put("GET|http://x/api/v1/events?q=a|b|ld|v1|100", entry(100), 60);
    await lru.put("GET|http://x/api/v1/events?q=a|b|ld|v1|101", entry(100), 60);
    expect(lru.stats.entries).toBe(2);
    expect(await lru.get("GET|http://x/api/v1/events?q=a|b|ld|v1|100")).toBeUndefined();
    expect(await lru.get("GET|http://x/api/v1/events?q=a|b|ld|v1|101")).toBeDefined();
    await lru.put("GET|http://x/api/v1/events?q=a|b|json|v2|101", entry(200), 60);
    expect(await lru.get("GET|http://x/api/v1/events?q=a|b|json|v1|100")).toBeUndefined();
    expect((await lru.get("GET|http://x/api/v1/events?q=a|b|json|v2|101"))?.body.byteLength).toBe(200);
  });
});
