/**
 * A peer calendar under the same data and load (#15): Gancio (https://gancio.org), a
 * self-hosted community event calendar (Express + Nuxt 2 + Sequelize), on PostgreSQL.
 *
 * Gancio is not a dependency of this project and is not on the npm registry; it is built
 * from its source tree in a directory of its own (`--peer-dir`, default /tmp/gancio/src;
 * docs/benchmarks.md has the commands). This module:
 *   1. creates the database `gancio_bench`, writes Gancio's config.json, runs its migrations
 *      and creates an admin with its own CLI;
 *   2. seeds it from our seed generator (src/seed/generate.ts) straight into its tables: the
 *      same count, titles, places, categories (as tags) and start/end times; published
 *      events are visible, the others hidden; a series is one event at its first occurrence
 *      (Gancio makes the next occurrences of its own recurring events with a background task);
 *   3. starts it as its CLI does (`gancio start`, Nuxt in production), with its per-IP API rate
 *      limit (250 requests a minute) off — it would answer a load test with 429s otherwise;
 *   4. loads its events list, event detail, iCal and RSS exports with autocannon, each against
 *      a bare node:http server serving the very same bytes (bench/baseline.mjs), as bench/run.ts
 *      does for ours.
 *
 * Gancio has no response cache: every request to /api/events runs its SQL. "uncached" still
 * gives each request its own URL (`start` one second later each time), as ours does.
 *
 * `benchGancio()` is for bench/run.ts; `npx tsx bench/peer-gancio.ts --events 1000` runs it
 * alone (options: --peer-dir, --pg, --connections 1,10,50, --duration 5, --date YYYY-MM-DD).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { CATEGORIES, generateDemoData, PLACES } from "../src/seed/generate.ts";
import { baselineServer, peakRssMb } from "./servers.ts";
import type { Measurement } from "./types.ts";

export const GANCIO_DATABASE = "gancio_bench";
const log = (m: string) => process.stderr.write(`${m}\n`);

export interface GancioBenchOptions {
  /** Gancio's built source tree (package.json named "gancio", `nuxt build` done). */
  dir: string;
  events: number;
  /** A PostgreSQL URL whose user may create databases; `gancio_bench` is made beside it. */
  pgUrl: string;
  connections: number[];
  /** Seconds per measurement. */
  duration: number;
  /** Seed start date (YYYY-MM-DD); today by default. */
  date?: string;
}

export interface GancioBenchResult {
  version: string;
  results: Measurement[];
  seedMs: number;
  startMs: number;
  peakRssMb: number;
}

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

function gancioEnv(dataDir: string): Record<string, string> {
  return { GANCIO_DATA: dataDir, config_path: join(dataDir, "config.json") };
}

/** Runs Gancio's CLI (`server/cli.js …`) to its end. */
function gancioCli(dir: string, dataDir: string, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["server/cli.js", ...argv], {
      cwd: dir,
      env: { ...process.env, ...gancioEnv(dataDir) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    p.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    p.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`gancio ${argv.join(" ")} exited ${code}: ${out}`)),
    );
  });
}

/** Gancio's description field holds HTML. */
function html(text: string): string {
  const esc = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return esc
    .split(/\n{2,}/)
    .map((p) => `<p>${p}</p>`)
    .join("");
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

/** Loads our generated data set into Gancio's (migrated, empty) tables. */
async function seedGancio(sql: postgres.Sql, count: number, today: string): Promise<number> {
  const data = generateDemoData(today, count);
  const [admin] = await sql<{ id: number }[]>`select id from users where role = 'admin' order by id limit 1`;
  if (!admin) throw new Error("no admin user in Gancio's database");
  const now = new Date();
  const placeIds = new Map<string, number>();
  const seen = new Set<string>();
  for (const p of PLACES) {
    let name = p.name.fi;
    while (seen.has(name)) name = `${name} (${p.slug})`;
    seen.add(name);
    const [row] = await sql<{ id: number }[]>`
      insert into places (name, address, latitude, longitude, "createdAt", "updatedAt")
      values (${name}, ${`${p.streetAddress}, ${p.postalCode} ${p.locality}`}, ${p.lat}, ${p.lon}, ${now}, ${now})
      returning id`;
    placeIds.set(p.slug, (row as { id: number }).id);
  }
  const tagOf = new Map(CATEGORIES.map((c) => [c.slug, c.name.fi]));
  await sql`insert into tags ${sql(
    CATEGORIES.map((c) => ({ tag: c.name.fi, createdAt: now, updatedAt: now })),
  )}`;
  let visible = 0;
  for (let i = 0; i < data.events.length; i += 500) {
    const chunk = data.events.slice(i, i + 500);
    const rows = chunk.map((e) => {
      if (e.state === "published") visible++;
      return {
        title: e.title.fi ?? "",
        slug: e.id,
        description: html(e.description.fi ?? ""),
        multidate: e.endsAt.getTime() - e.startsAt.getTime() > 86_400_000,
        start_datetime: unix(e.startsAt),
        end_datetime: unix(e.endsAt),
        is_visible: e.state === "published",
        placeId: e.placeSlug ? (placeIds.get(e.placeSlug) ?? null) : null,
        userId: admin.id,
        createdAt: e.createdAt,
        updatedAt: e.updatedAt,
      };
    });
    const ids = await sql<{ id: number }[]>`insert into events ${sql(rows)} returning id`;
    const tags = chunk.flatMap((e, k) =>
      [...new Set(e.categorySlugs.map((s) => tagOf.get(s)).filter((t): t is string => !!t))].map((tag) => ({
        eventId: (ids[k] as { id: number }).id,
        tagTag: tag,
        createdAt: now,
        updatedAt: now,
      })),
    );
    if (tags.length > 0) await sql`insert into event_tags ${sql(tags)}`;
  }
  return visible;
}

interface Running {
  url: string;
  proc: ChildProcess;
  startMs: number;
  stop(): Promise<void>;
}

async function startGancio(dir: string, dataDir: string, port: number): Promise<Running> {
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const proc = spawn(process.execPath, ["server/cli.js", "start"], {
    cwd: dir,
    // Not "production": Gancio's API rate limiter (server/api/limiter.js) is on only then. Nuxt's
    // `start` serves the production build either way.
    env: { ...process.env, ...gancioEnv(dataDir), NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  proc.stderr?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`Gancio exited ${proc.exitCode}: ${out}`);
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`Gancio did not answer /api/ping in 120 s: ${out}`);
    }
    try {
      if ((await fetch(`${url}/api/ping`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    startMs: performance.now() - t0,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
        proc.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}

async function cannon(url: string, connections: number, duration: number, uncached = false) {
  let n = 0;
  const base = new URL(url);
  const from = Math.floor(Date.now() / 1000);
  const requests = uncached
    ? [
        {
          setupRequest: (req: { path: string }) => {
            const u = new URL(base);
            u.searchParams.set("start", String(from + n++));
            req.path = `${u.pathname}${u.search}`;
            return req;
          },
        },
      ]
    : undefined;
  const r = await autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    ...(requests ? { requests: requests as never } : {}),
  });
  // Completed requests over the measurement (the slow exports make well under one a second).
  const rps = r.requests.total / r.duration;
  return {
    rps: rps < 100 ? Math.round(rps * 10) / 10 : Math.round(rps),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** Waits (up to two minutes) until a ping answers within 50 ms: the backlog of a measurement is done. */
async function drained(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const t0 = performance.now();
    await (await fetch(`${url}/api/ping`)).arrayBuffer();
    if (performance.now() - t0 < 50) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  log("  ! Gancio still busy two minutes after a measurement");
}

const PER_RESPONSE_HEADERS = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
]);

/** Seeds Gancio with our generator's data, starts it, loads it; see the file's comment. */
export async function benchGancio(opts: GancioBenchOptions): Promise<GancioBenchResult> {
  const { dir, events, pgUrl, connections, duration } = opts;
  const pkgFile = join(dir, "package.json");
  const pkg = existsSync(pkgFile)
    ? (JSON.parse(await readFile(pkgFile, "utf8")) as { name?: string; version?: string })
    : {};
  if (pkg.name !== "gancio")
    throw new Error(`${dir} is not a Gancio source tree (docs/benchmarks.md: "A peer: Gancio")`);
  if (!existsSync(join(dir, ".nuxt", "dist"))) throw new Error(`${dir}: Gancio is not built (no .nuxt/dist)`);
  const version = pkg.version ?? "?";
  const today = opts.date || new Date().toISOString().slice(0, 10);
  const work = join(tmpdir(), "kk-bench");
  const dataDir = join(work, `gancio-${events}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, "logs"), { recursive: true });

  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${GANCIO_DATABASE}" with (force)`);
    await admin.unsafe(`create database "${GANCIO_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(pgUrl);
  const port = await freePort();
  await writeFile(
    join(dataDir, "config.json"),
    JSON.stringify(
      {
        baseurl: `http://127.0.0.1:${port}`,
        server: { host: "127.0.0.1", port },
        log_level: "warn",
        log_path: join(dataDir, "logs"),
        db: {
          dialect: "postgres",
          host: u.hostname,
          port: Number(u.port || 5432),
          database: GANCIO_DATABASE,
          username: decodeURIComponent(u.username),
          password: decodeURIComponent(u.password),
          logging: false,
        },
        user_locale: join(dataDir, "user_locale"),
        upload_path: join(dataDir, "uploads"),
      },
      null,
      2,
    ),
  );
  const t0 = performance.now();
  await gancioCli(dir, dataDir, ["migrate"]);
  await gancioCli(dir, dataDir, ["users", "create", "admin@bench.invalid", "bench-admin-password", "admin"]);
  u.pathname = `/${GANCIO_DATABASE}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  let visible = 0;
  try {
    visible = await seedGancio(sql, events, today);
  } finally {
    await sql.end();
  }
  const seedMs = Math.round(performance.now() - t0);
  log(`   Gancio ${version}: ${events} events seeded (${visible} visible) in ${seedMs} ms`);

  const server = await startGancio(dir, dataDir, port);
  const startMs = Math.round(server.startMs);
  log(`   Gancio ready in ${startMs} ms at ${server.url}`);
  const results: Measurement[] = [];
  try {
    const list = (await (await fetch(`${server.url}/api/events?max=50`)).json()) as { slug: string }[];
    if (!Array.isArray(list) || list.length === 0) throw new Error("Gancio's /api/events answered no events");
    const slug = list[0]?.slug ?? "";
    const endpoints = [
      { name: "gancio list max=50 uncached", path: "/api/events?max=50", uncached: true },
      { name: "gancio event detail JSON", path: `/api/event/detail/${slug}` },
      { name: "gancio iCal export", path: "/api/export/ics" },
      { name: "gancio RSS export", path: "/api/export/rss" },
    ];
    for (const e of endpoints) {
      const res = await fetch(`${server.url}${e.path}`);
      const body = Buffer.from(await res.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const [k, v] of res.headers) if (!PER_RESPONSE_HEADERS.has(k)) headers[k] = v;
      if (res.status !== 200) log(`  ! ${e.name}: status ${res.status}`);
      const baseline = await baselineServer(work, "gancio-baseline", res.status, headers, body);
      try {
        for (const c of connections) {
          const m = await cannon(`${server.url}${e.path}`, c, duration, e.uncached);
          // Requests still in flight when the measurement ends (slow exports at many connections)
          // would run on into the next one: wait until Gancio answers promptly again.
          await drained(server.url);
          const b = await cannon(baseline.url, c, duration);
          const row: Measurement = {
            db: "gancio-postgres",
            size: events,
            endpoint: e.name,
            connections: c,
            rps: m.rps,
            p50: m.p50,
            p99: m.p99,
            errors: m.errors,
            non2xx: m.non2xx,
            baselineRps: Math.round(b.rps),
            ratio: Math.round((m.rps / b.rps) * 1000) / 1000,
          };
          log(
            `  ${e.name.padEnd(28)} c=${String(c).padStart(2)}  ${String(row.rps).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ×${row.ratio} of ${row.baselineRps}  (${body.length} bytes${row.non2xx ? `, ${row.non2xx} non-2xx` : ""})`,
          );
          results.push(row);
        }
      } finally {
        await baseline.stop();
      }
    }
    return { version, results, seedMs, startMs, peakRssMb: await peakRssMb(server.proc.pid as number) };
  } finally {
    await server.stop();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "1000" },
      "peer-dir": { type: "string", default: "/tmp/gancio/src" },
      pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
      connections: { type: "string", default: "1,10,50" },
      duration: { type: "string", default: "5" },
      date: { type: "string", default: "" },
    },
  });
  const r = await benchGancio({
    dir: values["peer-dir"],
    events: Number(values.events),
    pgUrl: values.pg,
    connections: values.connections.split(",").map(Number),
    duration: Number(values.duration),
    date: values.date,
  });
  const lines = [
    `Gancio ${r.version} on PostgreSQL, ${values.events} events; seeded in ${r.seedMs} ms, ready in ${r.startMs} ms, peak RSS ${r.peakRssMb} MB.`,
    "",
    "| endpoint | conns | req/s | p50 ms | p99 ms | errors | non-2xx | baseline req/s | ratio |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.results.map(
      (m) =>
        `| ${m.endpoint} | ${m.connections} | ${m.rps} | ${m.p50} | ${m.p99} | ${m.errors} | ${m.non2xx} | ${m.baselineRps} | ${m.ratio} |`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    log(String(err instanceof Error ? err.stack : err));
    process.exit(1);
  });
}
