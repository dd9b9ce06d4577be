/**
 * Crash drill: clients stream anonymous submissions at the real server and record every
 * one acknowledged with 2xx, while the server is killed with SIGKILL, three times, and
 * restarted on the same PGlite DATA_DIR (or the same PostgreSQL database). Every
 * acknowledged write must be there afterwards, none twice, and the database must open
 * without manual repair. Then SIGTERM during writes: requests in flight are answered and
 * the process exits 0.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "../../src/runtime/node/pglite.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "../helpers/db.ts";
import { type RunningServer, startServer } from "../helpers/server.ts";

const WRITERS = 4;
const KILL_ROUNDS = 3;

let dataDir: string;
let pg: TestDatabase | undefined;
let server: RunningServer | undefined;
const acknowledged = new Set<string>();
const attempted = new Set<string>();
let ipCounter = 1;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kk-crash-"));
  if (onPostgres) pg = await createTestDatabase();
});

afterAll(async () => {
  await server?.stop("SIGKILL");
  await pg?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const start = () =>
  startServer({
    ...(pg?.url ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir }),
    SEED: "none",
    // Each writer request comes "from" its own address, so the per-address submission limit does not stop the stream.
    TRUST_PROXY: "true",
    SHUTDOWN_TIMEOUT_MS: "10000",
  });

function submission(marker: string) {
  return {
    submitter: { name: "Kaatuja", email: `${marker}@example.com` },
    event: {
      title: { fi: marker },
      start: "2026-12-01T18:00:00+02:00",
      end: "2026-12-01T20:00:00+02:00",
      online_url: "https://example.com/striimi",
    },
    locale: "fi",
    website: "",
  };
}

interface Sent {
  marker: string;
  startedAt: number;
  status?: number;
  error?: string;
}

/** Writers post submissions until `stop()` or until the server stops answering. */
function stream(url: string, round: string) {
  let stopped = false;
  const log: Sent[] = [];
  let n = 0;
  const writer = async (id: number) => {
    while (!stopped) {
      const marker = `crash-${round}-${id}-${n++}`;
      const entry: Sent = { marker, startedAt: performance.now() };
      log.push(entry);
      attempted.add(marker);
      const ip = ipCounter++;
      try {
        const res = await fetch(`${url}/api/v1/submissions`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Forwarded-For": `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
          },
          body: JSON.stringify(submission(marker)),
        });
        await res.arrayBuffer();
        entry.status = res.status;
        if (res.status >= 200 && res.status < 300) acknowledged.add(marker);
        else if (res.status >= 500) stopped = true;
      } catch (err) {
        entry.error = String((err as { cause?: unknown }).cause ?? err);
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
  return { log, done, stop: () => (stopped = true) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function countByMarker(): Promise<Map<string, number>> {
  const query = sql`select title->>'fi' as marker, count(*)::int as n from events where title->>'fi' like 'crash-%' group by 1`;
  if (pg) {
    const rows = (await pg.db.execute(query)) as unknown as { marker: string; n: number }[];
    return new Map(rows.map((r) => [r.marker, Number(r.n)]));
  }
  const db = await openPglite(dataDir);
  try {
    const result = (await db.db.execute(query)) as unknown as { rows: { marker: string; n: number }[] };
    return new Map(result.rows.map((r) => [r.marker, Number(r.n)]));
  } finally {
    await db.close();
  }
}

describe(`crash drill (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it(`keeps every acknowledged submission through ${KILL_ROUNDS} SIGKILLs, without duplicates`, async () => {
    const rounds: { acked: number; sent: number }[] = [];
    for (let round = 0; round < KILL_ROUNDS; round++) {
      server = await start();
      const before = acknowledged.size;
      const s = stream(server.url, `k${round}`);
      await sleep(1_500 + round * 500);
      server.proc.kill("SIGKILL");
      await s.done;
      expect(await server.stop("SIGKILL")).toBeNull();
      rounds.push({ acked: acknowledged.size - before, sent: s.log.length });
      expect(acknowledged.size - before, `round ${round} acknowledged some writes`).toBeGreaterThan(0);
      expect(s.log.filter((e) => (e.status ?? 0) >= 500)).toEqual([]);
    }
    // The database opens without manual repair, with every acknowledged write exactly once.
    server = await start();
    expect(server.output()).not.toMatch(/startup failed|corrupt|manual/i);
    expect(await server.stop("SIGTERM")).toBe(0);
    const counts = await countByMarker();
    const missing = [...acknowledged].filter((m) => !counts.has(m));
    const duplicated = [...counts].filter(([, n]) => n > 1);
    const unknown = [...counts.keys()].filter((m) => !attempted.has(m));
    console.log(
      `crash drill: rounds ${JSON.stringify(rounds)}; acknowledged ${acknowledged.size}, present ${
        [...acknowledged].filter((m) => counts.has(m)).length
      }, rows ${counts.size}, duplicated ${duplicated.length}`,
    );
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(unknown).toEqual([]);
  }, 240_000);

  it("shuts down cleanly on SIGTERM during writes: in-flight requests answered, exit code 0", async () => {
    server = await start();
    const s = stream(server.url, "term");
    await sleep(1_500);
    const termAt = performance.now();
    const code = await server.stop("SIGTERM");
    const shutdownMs = performance.now() - termAt;
    s.stop();
    await s.done;
    expect(code).toBe(0);
    expect(server.output()).toContain("Stopped cleanly");
    // Writers that keep their connections busy do not hold the server open until SHUTDOWN_TIMEOUT_MS.
    expect(server.output()).not.toContain("shutdown timeout");
    expect(shutdownMs).toBeLessThan(5_000);
    // A request may fail only when it was sent after SIGTERM (connection refused or closed).
    expect(s.log.filter((e) => e.error && e.startedAt < termAt - 50)).toEqual([]);
    // Requests that had reached the server before SIGTERM got their answer.
    const inFlight = s.log.filter((e) => e.startedAt < termAt - 50);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.filter((e) => e.status === undefined || e.status >= 300)).toEqual([]);
    // And what was acknowledged is stored.
    const counts = await countByMarker();
    const acked = s.log.filter((e) => e.status === 202).map((e) => e.marker);
    console.log(
      `SIGTERM drill: ${s.log.length} sent, ${acked.length} acknowledged, ${inFlight.length} before SIGTERM`,
    );
    expect(acked.filter((m) => counts.get(m) !== 1)).toEqual([]);
  }, 120_000);
});
