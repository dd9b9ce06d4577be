/**
 * Prometheus metrics of the Node server (#22), with prom-client. Off unless configured: GET
 * /metrics with `Authorization: Bearer <METRICS_TOKEN>` on the public port, and/or a second
 * listener on METRICS_HOST:METRICS_PORT (an internal address; no token there). Workers have no
 * /metrics (404): see docs/operations.md for their figures.
 *
 * Labels never hold raw paths, ids or personal data: requests by route pattern
 * (`/api/v1/events/:id`) and status; queues per municipality slug, as counts and ages.
 */
import { createServer, type Server } from "node:http";
import { sql } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type Queryable, queryRows } from "../../db/client.ts";
import type { DbStats } from "../../db/db-stats.ts";

export interface RequestObservation {
  method: string;
  /** The route pattern that answered ("/*": static files or not found). */
  route: string;
  status: number;
  seconds: number;
  /** The response cache's verdict (x-cache), when it was consulted. */
  cache: string | null;
}

export interface Metrics {
  registry: Registry;
  observeRequest(o: RequestObservation): void;
  /** The Prometheus text, or null when /metrics is off. */
  text(): Promise<string>;
}

export function createMetrics(opts: {
  db: Queryable;
  driver: "pglite" | "postgres";
  fastPathStats?: { ok: number; notModified: number };
  /** The driver's counters (Database.stats): pool size, statements in flight and sent. */
  dbStats?: DbStats;
}): Metrics {
  const registry = new Registry();
  // Process CPU and memory, heap, GC, and event-loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "kk_http_requests_total",
    help: "HTTP requests answered by the app, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "kk_http_request_duration_seconds",
    help: "Time to answer, by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const cache = new Counter({
    name: "kk_response_cache_total",
    help: "Response cache lookups by layer (app: in Hono; fast_path: answered before Hono) and result",
    labelNames: ["layer", "result"] as const,
    registers: [registry],
  });
  const fast = opts.fastPathStats;
  let fastSeen = { ok: 0, notModified: 0 };
  const syncFastPath = () => {
    if (!fast) return;
    cache.inc(
      { layer: "fast_path", result: "hit" },
      fast.ok - fastSeen.ok + (fast.notModified - fastSeen.notModified),
    );
    fastSeen = { ok: fast.ok, notModified: fast.notModified };
  };
  if (opts.dbStats) registerDbStats(registry, opts.dbStats);
  const { db } = opts;
  new Gauge({
    name: "kk_outbox_pending",
    help: "Notifications waiting to be sent",
    registers: [registry],
    async collect() {
      const [r] = await queryRows(db, sql`select count(*)::int as n from outbox where sent_at is null`);
      this.set(Number(r?.n ?? 0));
    },
  });
  new Gauge({
    name: "kk_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest notification waiting to be sent (0: none)",
    registers: [registry],
    async collect() {
      const [r] = await queryRows(
        db,
        sql`select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as s from outbox where sent_at is null`,
      );
      this.set(Number(r?.s ?? 0));
    },
  });
  const queue = async () =>
    queryRows(
      db,
      sql`select m.slug, count(q.at)::int as n, coalesce(extract(epoch from now() - min(q.at)), 0)::float8 as s
          from municipalities m
          left join (
            select municipality_id, coalesce(submitted_at, updated_at) as at from events where state = 'pending'
            union all
            select e.municipality_id, r.created_at from revisions r join events e on e.id = r.event_id where r.state = 'pending'
          ) q on q.municipality_id = m.id
          group by m.slug`,
    );
  new Gauge({
    name: "kk_moderation_queue_size",
    help: "Submissions and changes waiting for a moderator, per municipality",
    labelNames: ["municipality"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await queue()) this.set({ municipality: String(r.slug) }, Number(r.n));
    },
  });
  new Gauge({
    name: "kk_moderation_queue_oldest_age_seconds",
    help: "Age of the oldest item waiting for a moderator, per municipality (0: none)",
    labelNames: ["municipality"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await queue()) this.set({ municipality: String(r.slug) }, Number(r.s));
    },
  });
  new Gauge({
    name: "kk_db_info",
    help: "The database driver (1)",
    labelNames: ["driver"] as const,
    registers: [registry],
    collect() {
      this.set({ driver: opts.driver }, 1);
    },
  });
  return {
    registry,
    observeRequest(o) {
      requests.inc({ method: o.method, route: o.route, status: String(o.status) });
      duration.observe({ method: o.method, route: o.route }, o.seconds);
      if (o.cache === "hit" || o.cache === "miss") cache.inc({ layer: "app", result: o.cache });
    },
    async text() {
      syncFastPath();
      return registry.metrics();
    },
  };
}

/**
 * The database pool (#22), read from the driver's plain counters (src/db/db-stats.ts) at scrape
 * time. Registered before the figures that query the database, so that a scrape's own queries
 * are not in its in-flight figure (registry.metrics() starts every collect in order).
 */
function registerDbStats(registry: Registry, stats: DbStats): void {
  new Gauge({
    name: "kk_db_pool_size",
    help: "Connections the database driver may use at once (postgres.js max; PGlite: 1)",
    registers: [registry],
    collect() {
      this.set(stats.poolSize);
    },
  });
  new Gauge({
    name: "kk_db_queries_in_flight",
    help: "Statements sent or waiting for a connection (PGlite: its lock) and not yet answered; above kk_db_pool_size they queue",
    registers: [registry],
    collect() {
      this.set(stats.inFlight);
    },
  });
  /** A counter that follows a monotonic number kept elsewhere. */
  const follow = (name: string, help: string, read: () => number) => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        if (now > seen) this.inc(now - seen);
        seen = now;
      },
    });
  };
  follow(
    "kk_db_queries_total",
    "Statements sent to the database (transaction BEGIN/COMMIT included)",
    () => stats.queries,
  );
  follow("kk_db_transactions_total", "Transactions begun", () => stats.transactions);
  follow(
    "kk_db_query_seconds_total",
    "Time statements spent in flight (queue included), summed over statements: divided by kk_db_queries_total, the mean time per statement; its rate alone, the mean number in flight",
    () => stats.inFlightSeconds,
  );
}

/**
 * Answers GET /metrics on the public port when METRICS_TOKEN is set and the request bears it;
 * null otherwise (the app then answers: 404). Constant-time comparison of the token.
 */
export async function metricsResponse(
  request: Request,
  metrics: Metrics,
  token: string | undefined,
): Promise<Response | null> {
  if (!token || new URL(request.url).pathname !== "/metrics") return null;
  const given = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${token}`;
  let diff = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  if (diff !== 0) {
    return new Response("unauthorised\n", {
      status: 401,
      headers: { "www-authenticate": "Bearer", "cache-control": "no-store" },
    });
  }
  return new Response(await metrics.text(), {
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
  });
}

/** The internal listener (METRICS_HOST:METRICS_PORT): /metrics without a token. */
export function metricsListener(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
