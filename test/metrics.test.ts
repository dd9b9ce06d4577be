/**
 * /metrics (#22): Prometheus text from prom-client, parsed strictly; request counters by route
 * pattern (never a raw path or id) move; response-cache, outbox and moderation-queue figures
 * (per municipality slug) and event-loop lag are there; it is off without a token, needs the
 * bearer token on the public port, and answers without one on the internal listener. The database
 * pool figures move: statements in flight (held open, or queued behind PGlite's lock), statements
 * and transactions sent, time in flight.
 * On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import {
  createMetrics,
  type Metrics,
  metricsListener,
  metricsResponse,
} from "../src/runtime/node/metrics.ts";
import { seedDatabase } from "../src/seed/load.ts";
import { buildTestApp } from "./helpers/app.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./helpers/db.ts";
import { freePort } from "./helpers/server.ts";

let database: TestDatabase;
let metrics: Metrics;
let app: ReturnType<typeof buildTestApp>["app"];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db, {
    today: "2026-06-01",
    events: 12,
    demoPassword: "demo-password-1",
    now: new Date("2026-06-01T09:00:00Z"),
  });
  metrics = createMetrics({ db: database.db, driver: database.driver, dbStats: database.stats });
  ({ app } = buildTestApp(database, {
    observeRequest: metrics.observeRequest,
    responseCache: createMemoryResponseCache(),
  }));
}, 120_000);
afterAll(async () => {
  await database?.close();
});

/**
 * Parses the text exposition format strictly: every line a comment or `name{labels} value`
 * (prom-client writes NaN as "Nan", which Prometheus' float parser accepts).
 */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(?:e[+-]?\d+)?|NaN|Nan|[+-]Inf)$/.exec(
        line,
      );
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return samples;
}

describe(`metrics (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("counts requests by route pattern and status, the response cache, queues per municipality; no raw paths", async () => {
    const before = parse(await metrics.text());
    const missing = "00000000-0000-4000-8000-000000000000";
    for (let i = 0; i < 3; i++) expect((await app.request("/api/v1/events?limit=5")).status).toBe(200);
    expect((await app.request(`/api/v1/events/${missing}`)).status).toBe(404);
    const text = await metrics.text();
    const after = parse(text);
    const key = 'kk_http_requests_total{method="GET",route="/api/v1/events",status="200"}';
    expect((after.get(key) ?? 0) - (before.get(key) ?? 0)).toBe(3);
    expect(after.get('kk_http_requests_total{method="GET",route="/api/v1/events/:id",status="404"}')).toBe(1);
    expect(
      after.get('kk_http_request_duration_seconds_count{method="GET",route="/api/v1/events"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(after.get('kk_response_cache_total{layer="app",result="hit"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('kk_response_cache_total{layer="app",result="miss"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(missing);
    expect(after.get('kk_moderation_queue_size{municipality="default"}')).toBeGreaterThanOrEqual(0);
    expect(after.has('kk_moderation_queue_oldest_age_seconds{municipality="default"}')).toBe(true);
    expect(after.has("kk_outbox_pending")).toBe(true);
    expect(after.has("kk_outbox_oldest_pending_age_seconds")).toBe(true);
    expect(after.has("nodejs_eventloop_lag_seconds")).toBe(true);
    expect(after.get(`kk_db_info{driver="${database.driver}"}`)).toBe(1);
    expect(text).not.toMatch(/@|password/i);
  });

  it("shows the database pool: size, statements in flight (queued ones too), sent, transactions, time", async () => {
    /** One figure without running the others' collects (those query the database). */
    const figure = async (name: string) =>
      parse(await metrics.registry.getSingleMetricAsString(name)).get(name) ?? Number.NaN;
    const poolSize = await figure("kk_db_pool_size");
    expect(poolSize).toBe(onPostgres ? 5 : 1);
    expect(await figure("kk_db_queries_in_flight")).toBe(0);

    // An uncached request sends statements; a transaction is BEGIN, its statement and COMMIT.
    const queries = await figure("kk_db_queries_total");
    expect((await app.request("/api/v1/events?limit=3&q=metrics-uncached")).status).toBe(200);
    const afterRequest = await figure("kk_db_queries_total");
    expect(afterRequest).toBeGreaterThan(queries);
    const transactions = await figure("kk_db_transactions_total");
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
    });
    expect(await figure("kk_db_transactions_total")).toBe(transactions + 1);
    expect(await figure("kk_db_queries_total")).toBe(afterRequest + 3);

    const seconds = await figure("kk_db_query_seconds_total");
    if (onPostgres) {
      // More statements than connections: all are in flight, the pool is saturated.
      const held = Array.from({ length: poolSize + 2 }, () =>
        database.db.execute(sql`select pg_sleep(0.3)`).then((r) => r),
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(await figure("kk_db_queries_in_flight")).toBe(poolSize + 2);
      await Promise.all(held);
      // Two waves of 0.3 s: at least 7 × 0.3 s in flight.
      expect((await figure("kk_db_query_seconds_total")) - seconds).toBeGreaterThan(
        (poolSize + 2) * 0.3 - 0.05,
      );
    } else {
      // PGlite has one connection: a statement sent during another's transaction waits for its lock.
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const tx = database.db.transaction(async (t) => {
        await t.execute(sql`select 1`);
        await gate;
      });
      await new Promise((r) => setTimeout(r, 50));
      // Drizzle's queries start when awaited: then() sends it.
      const queued = database.db.execute(sql`select 2`).then((r) => r);
      await new Promise((r) => setTimeout(r, 200));
      try {
        // The queued statement only (the transaction's COMMIT is not sent yet).
        expect(await figure("kk_db_queries_in_flight")).toBe(1);
      } finally {
        release();
        await Promise.all([tx, queued]);
      }
      expect((await figure("kk_db_query_seconds_total")) - seconds).toBeGreaterThan(0.19);
    }
    expect(await figure("kk_db_queries_in_flight")).toBe(0);
    // A failing statement is answered too.
    await expect(database.db.execute(sql`select 1/0`)).rejects.toThrow();
    expect(await figure("kk_db_queries_in_flight")).toBe(0);
  });

  it("is off without a token; needs the bearer token on the public port; the internal listener needs none", async () => {
    const req = (auth?: string) =>
      new Request("http://localhost/metrics", auth ? { headers: { authorization: auth } } : {});
    expect(await metricsResponse(req(), metrics, undefined)).toBeNull();
    expect(
      await metricsResponse(new Request("http://localhost/other"), metrics, "a-token-of-sixteen+"),
    ).toBeNull();
    expect((await metricsResponse(req(), metrics, "a-token-of-sixteen+"))?.status).toBe(401);
    expect(
      (await metricsResponse(req("Bearer wrong-token-xxxxxx"), metrics, "a-token-of-sixteen+"))?.status,
    ).toBe(401);
    const ok = await metricsResponse(req("Bearer a-token-of-sixteen+"), metrics, "a-token-of-sixteen+");
    expect(ok?.status).toBe(200);
    expect(ok?.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    parse(await (ok as Response).text());
    // The app itself has no /metrics: without the Node wrapper (and on Workers) it is a 404.
    expect((await app.request("/metrics")).status).toBe(404);

    const port = await freePort();
    const server = await metricsListener(metrics, "127.0.0.1", port);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(parse(await res.text()).has("kk_outbox_pending")).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
