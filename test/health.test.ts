/**
 * /healthz (the database answers) and /readyz (migrated, warmed up, not draining): in the app
 * with each readiness phase, with a closed database, and in the real server process from start
 * to SIGTERM. On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createReadiness } from "../src/http/public/health.ts";
import { buildTestApp } from "./helpers/app.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./helpers/db.ts";
import { type RunningServer, startServer } from "./helpers/server.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe(`health and readiness (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("/readyz is 503 while starting and draining, 200 when ready; /healthz does not care", async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const readiness = createReadiness();
    const { app } = buildTestApp(database, { readiness });
    const ready = async () => {
      const res = await app.request("/readyz");
      return { status: res.status, body: await res.json(), cache: res.headers.get("cache-control") };
    };
    expect(await ready()).toMatchObject({ status: 503, body: { status: "starting" } });
    expect((await app.request("/healthz")).status).toBe(200);
    readiness.ready();
    expect(await ready()).toMatchObject({ status: 200, body: { status: "ready", db: "ok" } });
    expect((await ready()).cache).toMatch(/no-store|private/);
    readiness.drain();
    expect(await ready()).toMatchObject({ status: 503, body: { status: "draining" } });
    readiness.ready(); // draining is final
    expect((await ready()).status).toBe(503);
  });

  it("both are 503 when the database does not answer", async () => {
    const database: TestDatabase = await createTestDatabase();
    const { app } = buildTestApp(database);
    expect((await app.request("/readyz")).status).toBe(200);
    await database.close();
    const health = await app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "unavailable" });
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "unavailable" });
  });

  it("the server process: ready after migrations and warm-up, draining (503) from SIGTERM until it stops", async () => {
    let env: Record<string, string>;
    if (onPostgres) {
      const pg = await createTestDatabase();
      cleanups.push(() => pg.close());
      env = { DATABASE_URL: pg.url as string };
    } else {
      const dir = await mkdtemp(join(tmpdir(), "kk-ready-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      env = { DATA_DIR: dir };
    }
    const server: RunningServer = await startServer({ ...env, SEED: "none" });
    cleanups.push(() => server.stop("SIGKILL"));
    let res: Response | undefined;
    for (let i = 0; i < 100; i++) {
      res = await fetch(`${server.url}/readyz`);
      if (res.status === 200) break;
      expect(await res.json()).toEqual({ status: "starting" });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(res?.status).toBe(200);
    server.proc.kill("SIGTERM");
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${server.url}/readyz`).catch(() => null);
      if (!r) break; // stopped listening
      seen.push(`${r.status} ${((await r.json()) as { status: string }).status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toContain("503 draining");
    expect(seen.filter((s) => s !== "503 draining" && s !== "200 ready")).toEqual([]);
    expect(await server.stop()).toBe(0);
  }, 180_000);
});
