/**
 * `npm run bench`: load benchmarks of the real server process against a baseline.
 *
 * For each database (PGlite, PostgreSQL) and data size (1k, 10k, 100k events from the
 * seed generator, weekly series included) it starts the server, then loads each
 * endpoint with autocannon at 1, 10 and 50 connections. In the same run a bare
 * node:http server (bench/baseline.mjs, its own process) serves the very same bytes: the limit of this runtime on this
 * machine. Every figure is reported as req/s, p50/p99 latency and the ratio to that
 * baseline. It also measures cold and warm start to /healthz and the server's peak RSS.
 * Beside every figure: SQL statements per request, from the server's own /metrics
 * (kk_db_queries_total before and after, on an internal METRICS_PORT). And the resident's view
 * (#15): a mixed load at 10 connections — 90 % cached reads, 9 % uncached filters, 1 % writes
 * through the API, each write invalidating the cached answers — with the reads' p50/p99 apart
 * from the writes'. Prints tables and writes bench/results/latest.json.
 *
 * Options: --sizes 1000,10000,100000  --dbs pglite,postgres  --connections 1,10,50
 *          --duration 5 (seconds per measurement)  --pg postgres://…/postgres
 *          --only <regexp of endpoint names>  --date YYYY-MM-DD (seed start date)
 *          --reuse (keep a database seeded earlier with the same size and date: the
 *          100,000-event PGlite seed takes minutes)
 *          --municipalities 1,20 (#21: each size also as a region of N municipalities with the
 *          same data each, bench/clone-region.ts; the default municipality is measured, and the
 *          "region" table shows each figure at N against 1 — flat is the target)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { buildServer } from "../src/scripts/build-server.ts";
import { startArgs } from "../test/helpers/server.ts";
import { mixedLoad, spreadFrom, uniqueFrom } from "./mixed.ts";
import { baselineServer, peakRssMb } from "./servers.ts";
import type { Measurement, MixedMeasurement } from "./types.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000,100000" },
    only: { type: "string", default: "" },
    dbs: { type: "string", default: "pglite,postgres" },
    connections: { type: "string", default: "1,10,50" },
    duration: { type: "string", default: "5" },
    pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    date: { type: "string", default: "" },
    reuse: { type: "boolean", default: false },
    municipalities: { type: "string", default: "1" },
  },
});
const SIZES = args.sizes.split(",").map(Number);
const DBS = args.dbs.split(",") as ("pglite" | "postgres")[];
const CONNECTIONS = args.connections.split(",").map(Number);
const DURATION = Number(args.duration);
const MUNICIPALITIES = args.municipalities.split(",").map(Number);
const WORK = join(tmpdir(), "kk-bench");
/** The seed's start date (`--date`, default today): where the data begins. */
let seedDate = new Date().toISOString().slice(0, 10);

const log = (m: string) => process.stderr.write(`${m}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

function run(cmd: string, argv: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    p.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(" ")} exited ${code}`)),
    );
  });
}

interface Server_ {
  url: string;
  /** The internal metrics listener's /metrics (no token). */
  metricsUrl: string;
  proc: ChildProcess;
  startMs: number;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server_> {
  const port = await freePort();
  const metricsPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  // Exactly as `npm start` runs it (V8 flags included).
  const proc = spawn(process.execPath, startArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: url,
      // The default: one "request" line per answer, as a deployment logs (to /dev/null here;
      // before 2026-12-07 evening the bench ran at "error", without the request log).
      LOG_LEVEL: "info",
      // As the image and the systemd unit run it (docs/operations.md, "Memory"); `npm start`
      // cannot set it portably, and without it glibc keeps an arena per thread (20–50 MB more).
      MALLOC_ARENA_MAX: "2",
      // The internal listener: /metrics without a token, and nothing added to the public port.
      METRICS_HOST: "127.0.0.1",
      METRICS_PORT: String(metricsPort),
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${err}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const startMs = performance.now() - t0;
  let stopping = false;
  proc.once("exit", (code, signal) => {
    if (!stopping) log(`  ! the server exited (${code ?? signal}): ${err.slice(-2000)}`);
  });
  return {
    url,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    proc,
    startMs,
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}

/** The server's kk_db_queries_total: SQL statements sent so far (src/db/db-stats.ts). */
async function queriesTotal(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const m = /^kk_db_queries_total (\S+)$/m.exec(text);
  if (!m) throw new Error("no kk_db_queries_total in /metrics");
  return Number(m[1]);
}

/**
 * Counts the SQL statements sent while `load` runs, per request answered. A scrape's own
 * statements (the outbox and queue figures) show in the next scrape: `scrapeCost`, measured
 * once per server, is taken off.
 */
async function sqlPerRequest<T extends { total: number }>(
  server: Server_,
  load: () => Promise<T>,
): Promise<T & { sqlPerRequest: number }> {
  const before = await queriesTotal(server.metricsUrl);
  const result = await load();
  const after = await queriesTotal(server.metricsUrl);
  const statements = Math.max(0, after - before - (scrapeCosts.get(server) ?? 0));
  return { ...result, sqlPerRequest: Math.round((statements / Math.max(1, result.total)) * 100) / 100 };
}
const scrapeCosts = new Map<Server_, number>();
async function measureScrapeCost(server: Server_): Promise<void> {
  await queriesTotal(server.metricsUrl);
  const a = await queriesTotal(server.metricsUrl);
  const b = await queriesTotal(server.metricsUrl);
  scrapeCosts.set(server, b - a);
}

/** Peak resident set size (VmHWM) of a process, in MB. */

async function cannon(
  url: string,
  connections: number,
  headers: Record<string, string> = {},
  uncached: Endpoint["uncached"] = false,
) {
  const base = new URL(url);
  const requests = uncached
    ? [
        {
          setupRequest: (req: { path: string }) => {
            const u = new URL(base);
            u.searchParams.set("from", uncached === "spread" ? spreadFrom(seedDate) : uniqueFrom());
            req.path = `${u.pathname}${u.search}`;
            return req;
          },
        },
      ]
    : undefined;
  const r = await autocannon({
    url,
    connections,
    duration: DURATION,
    headers,
    pipelining: 1,
    ...(requests ? { requests: requests as never } : {}),
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    ok2xx: r["2xx"],
    total: r.requests.total,
  };
}

interface Endpoint {
  name: string;
  path: string;
  /**
   * Give every request its own URL (a `from` one second later each time), so no cache can
   * answer; "spread": a day later each time, so that the pages list other events too.
   */
  uncached?: boolean | "spread";
  headers?: Record<string, string>;
  /** Expected status (304 for revalidation). */
  status?: number;
}

async function endpointsFor(base: string): Promise<Endpoint[]> {
  const list = await fetch(`${base}/api/v1/events?limit=50`);
  const etag = list.headers.get("etag") ?? "";
  const first = ((await list.json()) as { data: { event_id: string }[] }).data[0]?.event_id ?? "";
  const out: Endpoint[] = [
    { name: "list limit=50", path: "/api/v1/events?limit=50" },
    { name: "list limit=50 uncached", path: "/api/v1/events?limit=50", uncached: true },
    { name: "list uncached, other events", path: "/api/v1/events?limit=50", uncached: "spread" },
    {
      name: "list revalidated (304)",
      path: "/api/v1/events?limit=50",
      headers: { "if-none-match": etag },
      status: 304,
    },
    { name: "search q (limit=20)", path: "/api/v1/events?limit=20&q=konsertti" },
    { name: "search q uncached", path: "/api/v1/events?limit=20&q=konsertti", uncached: true },
    { name: "event detail JSON", path: `/api/v1/events/${first}` },
  ];
  const page = await fetch(`${base}/tapahtumat/${first}`, { headers: { accept: "text/html" } });
  if (page.ok)
    out.push({ name: "event page HTML", path: `/tapahtumat/${first}`, headers: { accept: "text/html" } });
  const feed = await fetch(`${base}/feeds/events.ics`);
  if (feed.ok) {
    out.push({ name: "iCal feed (cached)", path: "/feeds/events.ics" });
    const tag = feed.headers.get("etag");
    if (tag)
      out.push({
        name: "iCal feed 304",
        path: "/feeds/events.ics",
        headers: { "if-none-match": tag },
        status: 304,
      });
  }
  return out;
}

const PER_RESPONSE_HEADERS = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
]);

/**
 * Revalidation: takes the validator right before a measurement. List and detail ETags follow
 * the minute (their answers depend on "now"), so a measurement must not straddle a minute
 * boundary: wait for the next minute when this one ends too soon.
 */
async function freshValidator(base: string, e: Endpoint): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < (DURATION + 2) * 1000) await new Promise((r) => setTimeout(r, left + 200));
  const fresh = await fetch(`${base}${e.path}`, { headers: { accept: e.headers?.accept ?? "*/*" } });
  await fresh.arrayBuffer();
  e.headers = { ...e.headers, "if-none-match": fresh.headers.get("etag") ?? "" };
}

async function measureEndpoint(
  db: string,
  size: number,
  server: Server_,
  e: Endpoint,
): Promise<Measurement[]> {
  const base = server.url;
  if (e.status === 304) await freshValidator(base, e);
  const res = await fetch(`${base}${e.path}`, { headers: e.headers ?? {} });
  const body = Buffer.from(await res.arrayBuffer());
  // The same bytes: every header the endpoint sends (security headers, CORS, ETag…), except
  // those Node writes per response by itself.
  const headers: Record<string, string> = {};
  for (const [k, v] of res.headers) if (!PER_RESPONSE_HEADERS.has(k)) headers[k] = v;
  if (res.status !== (e.status ?? 200)) log(`  ! ${e.name}: status ${res.status}`);
  const baseline = await baselineServer(WORK, "baseline", res.status, headers, body);
  const out: Measurement[] = [];
  try {
    for (const c of CONNECTIONS) {
      if (e.status === 304) await freshValidator(base, e);
      const m = await sqlPerRequest(server, () => cannon(`${base}${e.path}`, c, e.headers, e.uncached));
      // A revalidation answered 200 means the validator went stale during the run.
      if (e.status === 304 && m.ok2xx > 0) log(`  ! ${e.name} c=${c}: ${m.ok2xx} answers were 200, not 304`);
      const b = await cannon(baseline.url, c);
      const row: Measurement = {
        db,
        size,
        endpoint: e.name,
        connections: c,
        rps: Math.round(m.rps),
        p50: m.p50,
        p99: m.p99,
        errors: m.errors,
        non2xx: e.status === 304 ? 0 : m.non2xx,
        baselineRps: Math.round(b.rps),
        ratio: Math.round((m.rps / b.rps) * 100) / 100,
        sqlPerRequest: m.sqlPerRequest,
      };
      log(
        `  ${e.name.padEnd(26)} c=${String(c).padStart(2)}  ${String(row.rps).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ×${row.ratio} of ${row.baselineRps}  SQL/req ${row.sqlPerRequest}`,
      );
      out.push(row);
    }
  } finally {
    await baseline.stop();
  }
  return out;
}

/**
 * Cold feed builds: sequential requests that each need a fresh build (a different range end
 * every time is a different filter, so never a cache hit). #15 asks two things of them: a
 * one-category feed built within 100 ms, and the full default feed's first byte within 100 ms.
 * So three medians: the full feed until its last byte ("build") and until its response head
 * ("first byte"), and a feed of the most used category until its last byte.
 */
async function measureColdFeeds(
  base: string,
  n = 15,
): Promise<Omit<ColdFeed, "db" | "size" | "municipalities"> | null> {
  const probe = await fetch(`${base}/feeds/events.ics`);
  if (!probe.ok) return null;
  await probe.arrayBuffer();
  const cats = (await (await fetch(`${base}/api/v1/categories`)).json()) as {
    data?: { slug: string; upcoming_events?: number }[];
  };
  const category = [...(cats.data ?? [])].sort(
    (a, b) => (b.upcoming_events ?? 0) - (a.upcoming_events ?? 0),
  )[0]?.slug;
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
  };
  const full: number[] = [];
  const firstByte: number[] = [];
  const oneCategory: number[] = [];
  for (let i = 0; i < n; i++) {
    const to = new Date(Date.UTC(2027, 11, 31) - i * 86_400_000).toISOString().slice(0, 10);
    let t0 = performance.now();
    const res = await fetch(`${base}/feeds/events.ics?to=${to}`);
    firstByte.push(performance.now() - t0);
    await res.arrayBuffer();
    full.push(performance.now() - t0);
    if (!category) continue;
    t0 = performance.now();
    const one = await fetch(`${base}/feeds/events.ics?category=${category}&to=${to}`);
    await one.arrayBuffer();
    oneCategory.push(performance.now() - t0);
  }
  return {
    medianMs: median(full),
    firstByteMs: median(firstByte),
    ...(category ? { category, categoryMs: median(oneCategory) } : {}),
  };
}

async function prepareDatabase(
  db: "pglite" | "postgres",
  size: number,
  date: string,
  municipalities = 1,
): Promise<Record<string, string>> {
  const seedArgs = ["--import", "tsx", "src/scripts/seed.ts", "--events", String(size), "--date", date];
  const cloneArgs = ["--import", "tsx", "bench/clone-region.ts", "--municipalities", String(municipalities)];
  // What a reusable database was seeded with (size, start date and region size decide the data).
  const stamp = `kk-bench seed ${size} events from ${date}${municipalities > 1 ? ` × ${municipalities} municipalities` : ""}`;
  const suffix = municipalities > 1 ? `-m${municipalities}` : "";
  if (db === "pglite") {
    const dir = join(WORK, `pglite-${size}${suffix}`);
    const marker = join(dir, "kk-bench-seed.txt");
    if (args.reuse && (await readFile(marker, "utf8").catch(() => "")) === stamp) {
      log("   reusing the database seeded earlier");
      return { DATA_DIR: dir, DATABASE_URL: "" };
    }
    await rm(dir, { recursive: true, force: true });
    await run(process.execPath, seedArgs, { DATA_DIR: dir, DATABASE_URL: "" });
    if (municipalities > 1) await run(process.execPath, cloneArgs, { DATA_DIR: dir, DATABASE_URL: "" });
    await writeFile(marker, stamp);
    return { DATA_DIR: dir, DATABASE_URL: "" };
  }
  const name = `kk_bench_${size}${suffix.replace("-", "_")}`;
  const u = new URL(args.pg);
  u.pathname = `/${name}`;
  const admin = postgres(args.pg, { max: 1, onnotice: () => {} });
  try {
    if (args.reuse) {
      const [row] = await admin<{ comment: string | null }[]>`
        select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${name}`;
      if (row?.comment === stamp) {
        log("   reusing the database seeded earlier");
        return { DATABASE_URL: u.toString() };
      }
    }
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    await run(process.execPath, seedArgs, { DATABASE_URL: u.toString() });
    if (municipalities > 1) await run(process.execPath, cloneArgs, { DATABASE_URL: u.toString() });
    await admin.unsafe(`comment on database "${name}" is '${stamp}'`);
  } finally {
    await admin.end();
  }
  return { DATABASE_URL: u.toString() };
}

/**
 * How each figure grows with the data: req/s at 10 connections (or the cold feed time) per
 * size, and the largest size's figure relative to the smallest (1.0 = flat).
 */
function scaleTable(allResults: Measurement[], allColdFeeds: ColdFeed[]): string[] {
  const results = allResults.filter((r) => !r.municipalities);
  const coldFeeds = allColdFeeds.filter((c) => !c.municipalities);
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  if (sizes.length < 2) return [];
  const conns = CONNECTIONS.includes(10) ? 10 : (CONNECTIONS[0] as number);
  const rows: string[] = [];
  const row = (db: string, what: string, values: (number | null | undefined)[]) => {
    const first = values[0];
    const last = values[values.length - 1];
    const growth = first && last ? `${Math.round((last / first) * 100) / 100}` : "n/a";
    rows.push(`| ${db} | ${what} | ${values.map((v) => v ?? "n/a").join(" | ")} | ${growth} |`);
  };
  for (const db of [...new Set(results.map((r) => r.db))]) {
    for (const endpoint of [...new Set(results.map((r) => r.endpoint))]) {
      const at = (size: number) =>
        results.find(
          (r) => r.db === db && r.endpoint === endpoint && r.size === size && r.connections === conns,
        )?.rps;
      row(db, `${endpoint}, req/s`, sizes.map(at));
    }
    const cold = (size: number) => coldFeeds.find((c) => c.db === db && c.size === size);
    row(
      db,
      "cold feed build, ms",
      sizes.map((size) => cold(size)?.medianMs),
    );
    row(
      db,
      "cold feed first byte, ms",
      sizes.map((size) => cold(size)?.firstByteMs),
    );
    row(
      db,
      "cold one-category feed, ms",
      sizes.map((size) => cold(size)?.categoryMs),
    );
  }
  return [
    "",
    `Scale (${conns} connections): figure at each size, and the largest size's figure ÷ the smallest's.`,
    "",
    `| db | what | ${sizes.join(" | ")} | growth |`,
    `|---|---|${sizes.map(() => "---|").join("")}---|`,
    ...rows,
  ];
}

interface ColdFeed {
  db: string;
  size: number;
  municipalities?: number;
  /** The full default feed, until its last byte. */
  medianMs: number | null;
  /** The same requests until the response head arrived. */
  firstByteMs?: number;
  /** A feed of the most used category (`category`), until its last byte. */
  category?: string;
  categoryMs?: number;
}

/**
 * #21: each figure of the default municipality in a region of N (each with the same data) against
 * the same figure alone (1.0 = flat: the other municipalities' data costs it nothing).
 */
function regionTable(results: Measurement[], coldFeeds: ColdFeed[]): string[] {
  const regions = [...new Set(results.map((r) => r.municipalities ?? 1))].sort((a, b) => a - b);
  if (regions.length < 2) return [];
  const n = regions[regions.length - 1] as number;
  const conns = CONNECTIONS.includes(10) ? 10 : (CONNECTIONS[0] as number);
  const rows: string[] = [];
  const ratio = (alone?: number | null, inRegion?: number | null) =>
    alone && inRegion ? `${Math.round((inRegion / alone) * 100) / 100}` : "n/a";
  for (const db of [...new Set(results.map((r) => r.db))]) {
    for (const size of [...new Set(results.map((r) => r.size))]) {
      for (const endpoint of [...new Set(results.map((r) => r.endpoint))]) {
        const at = (m: number) =>
          results.find(
            (r) =>
              r.db === db &&
              r.size === size &&
              r.endpoint === endpoint &&
              r.connections === conns &&
              (r.municipalities ?? 1) === m,
          );
        const a = at(1);
        const b = at(n);
        if (!a || !b) continue;
        rows.push(
          `| ${db} | ${size} | ${endpoint}, req/s (p99 ms) | ${a.rps} (${a.p99}) | ${b.rps} (${b.p99}) | ${ratio(a.rps, b.rps)} |`,
        );
      }
      const cold = (m: number) =>
        coldFeeds.find((c) => c.db === db && c.size === size && (c.municipalities ?? 1) === m)?.medianMs;
      rows.push(
        `| ${db} | ${size} | cold feed build, ms | ${cold(1) ?? "n/a"} | ${cold(n) ?? "n/a"} | ${ratio(cold(1), cold(n))} |`,
      );
    }
  }
  return [
    "",
    `Region (${conns} connections): the default municipality alone, and in a region of ${n} municipalities with the same data each (${n}× the rows); ratio = region ÷ alone.`,
    "",
    `| db | events per municipality | what | alone | region of ${n} | ratio |`,
    "|---|---|---|---|---|---|",
    ...rows,
  ];
}

/** The resident's view (#15): the mixed load's row per database and size. */
function mixedTable(mixed: MixedMeasurement[]): string[] {
  if (mixed.length === 0) return [];
  const lat = (l: { p50: number; p99: number; requests: number; failed: number }) =>
    `${l.p50} / ${l.p99}${l.failed ? ` (${l.failed} failed)` : ""}`;
  return [
    "",
    `${MIXED_NAME} at ${MIXED_CONNECTIONS} connections: 90 % cached reads, 9 % uncached filters, 1 % writes (each write invalidates the cached answers). Latency p50 / p99 ms.`,
    "",
    "| db | events | req/s | reads | cached reads | uncached reads | writes (count) | SQL/req |",
    "|---|---|---|---|---|---|---|---|",
    ...mixed.map(
      (x) =>
        `| ${x.db} | ${x.size}${x.municipalities ? ` ×${x.municipalities}` : ""} | ${x.rps} | ${lat(x.reads)} | ${lat(x.cachedReads)} | ${lat(x.uncachedReads)} | ${lat(x.writes)} (${x.writes.requests}) | ${x.sqlPerRequest} |`,
    ),
  ];
}

const MIXED_NAME = "mixed 90/9/1";
const MIXED_CONNECTIONS = 10;

async function main() {
  await mkdir(WORK, { recursive: true });
  // The server runs as `npm start` runs it: the bundle, built from this source.
  await buildServer();
  const results: Measurement[] = [];
  const starts: {
    db: string;
    size: number;
    municipalities?: number;
    kind: string;
    ms: number;
    peakRssMb?: number;
  }[] = [];
  const coldFeeds: ColdFeed[] = [];
  const mixed: MixedMeasurement[] = [];
  const rss: { db: string; size: number; municipalities?: number; peakMb: number }[] = [];
  const date = args.date || new Date().toISOString().slice(0, 10);
  seedDate = date;
  /** Writes what has been measured so far, so a long run leaves results even if cut short. */
  const save = async () => {
    const machine = {
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      date: new Date().toISOString(),
      /** 1-minute load average when the results were saved: other work on the machine skews them. */
      loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    };
    const out = { machine, durationSeconds: DURATION, results, mixed, starts, coldFeeds, rss };
    await mkdir(join(ROOT, "bench/results"), { recursive: true });
    await writeFile(join(ROOT, "bench/results/latest.json"), `${JSON.stringify(out, null, 2)}\n`);
    return machine;
  };

  // First run ever: empty data directory, creates PGlite, migrates, loads the demo data.
  if (DBS.includes("pglite")) {
    const dir = join(WORK, "first-run");
    await rm(dir, { recursive: true, force: true });
    const s = await startServer({ DATA_DIR: dir, DATABASE_URL: "", SEED: "demo" });
    starts.push({
      db: "pglite",
      size: 240,
      kind: "first run (create + migrate + demo data)",
      ms: Math.round(s.startMs),
      peakRssMb: await peakRssMb(s.proc.pid as number),
    });
    await s.stop();
    const warm = await startServer({ DATA_DIR: dir, DATABASE_URL: "", SEED: "demo" });
    starts.push({
      db: "pglite",
      size: 240,
      kind: "warm start",
      ms: Math.round(warm.startMs),
      peakRssMb: await peakRssMb(warm.proc.pid as number),
    });
    await warm.stop();
    log(`first run ${starts[0]?.ms} ms, warm start ${starts[1]?.ms} ms`);
  }

  for (const db of DBS) {
    for (const size of SIZES) {
      for (const municipalities of MUNICIPALITIES) {
        const region = municipalities > 1 ? ` × ${municipalities} municipalities` : "";
        log(`\n== ${db}, ${size} events${region}: seeding…`);
        const t0 = performance.now();
        const env = await prepareDatabase(db, size, date, municipalities);
        log(`   seeded in ${Math.round(performance.now() - t0)} ms`);
        const server = await startServer({ ...env, SEED: "none" });
        const m = municipalities > 1 ? { municipalities } : {};
        starts.push({
          db,
          size,
          ...m,
          kind: "warm start",
          ms: Math.round(server.startMs),
          peakRssMb: await peakRssMb(server.proc.pid as number),
        });
        try {
          await measureScrapeCost(server);
          const only = args.only ? new RegExp(args.only) : null;
          for (const e of await endpointsFor(server.url)) {
            if (only && !only.test(e.name)) continue;
            const rows = await measureEndpoint(db, size, server, e);
            results.push(...rows.map((r) => ({ ...r, ...m })));
          }
          if (!only || only.test(MIXED_NAME)) {
            const x = await sqlPerRequest(server, () =>
              mixedLoad({
                base: server.url,
                connections: MIXED_CONNECTIONS,
                duration: DURATION,
                demoPassword: process.env.DEMO_PASSWORD || "kuntakalenteri-demo",
              }),
            );
            const row: MixedMeasurement = {
              db,
              size,
              ...m,
              connections: MIXED_CONNECTIONS,
              rps: x.rps,
              reads: x.reads,
              cachedReads: x.cachedReads,
              uncachedReads: x.uncachedReads,
              writes: x.writes,
              sqlPerRequest: x.sqlPerRequest,
              errors: x.errors,
            };
            mixed.push(row);
            log(
              `  ${MIXED_NAME.padEnd(26)} c=${MIXED_CONNECTIONS}  ${String(row.rps).padStart(6)} req/s  reads p50 ${row.reads.p50} ms  p99 ${row.reads.p99} ms (uncached p99 ${row.uncachedReads.p99})  writes ${row.writes.requests}: p50 ${row.writes.p50} ms  p99 ${row.writes.p99} ms  SQL/req ${row.sqlPerRequest}`,
            );
          }
          const cold = await measureColdFeeds(server.url);
          coldFeeds.push({ db, size, ...m, ...(cold ?? { medianMs: null }) });
          if (cold)
            log(
              `  cold feed build median ${cold.medianMs} ms (first byte ${cold.firstByteMs} ms); one category (${cold.category}) ${cold.categoryMs} ms`,
            );
          rss.push({ db, size, ...m, peakMb: await peakRssMb(server.proc.pid as number) });
          log(`  peak RSS ${rss[rss.length - 1]?.peakMb} MB`);
        } finally {
          await server.stop();
        }
        await save();
      }
    }
  }

  const machine = await save();

  const lines = [
    `Machine: ${machine.cpus}, ${machine.memoryGb} GiB, Node ${machine.node}; ${DURATION} s per measurement; load generator on the same machine; load average at the end ${machine.loadAverage}.`,
    "",
    "| db | events | endpoint | conns | req/s | p50 ms | p99 ms | SQL/req | baseline req/s | ratio |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.db} | ${r.size}${r.municipalities ? ` ×${r.municipalities}` : ""} | ${r.endpoint} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.sqlPerRequest ?? ""} | ${r.baselineRps} | ${r.ratio} |`,
    ),
    ...mixedTable(mixed),
    "",
    "| db | events | start | ms | peak RSS MB until ready |",
    "|---|---|---|---|---|",
    ...starts.map(
      (s) =>
        `| ${s.db} | ${s.size}${s.municipalities ? ` ×${s.municipalities}` : ""} | ${s.kind} | ${s.ms} | ${s.peakRssMb ?? ""} |`,
    ),
    "",
    "| db | events | cold feed build median ms | first byte ms | one category (which) ms | peak RSS MB |",
    "|---|---|---|---|---|---|",
    ...coldFeeds.map(
      (c, i) =>
        `| ${c.db} | ${c.size}${c.municipalities ? ` ×${c.municipalities}` : ""} | ${c.medianMs ?? "n/a"} | ${c.firstByteMs ?? "n/a"} | ${c.categoryMs ?? "n/a"}${c.category ? ` (${c.category})` : ""} | ${rss[i]?.peakMb ?? "?"} |`,
    ),
    ...scaleTable(results, coldFeeds),
    ...regionTable(results, coldFeeds),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((err: unknown) => {
  log(String(err instanceof Error ? err.stack : err));
  process.exit(1);
});
