/**
 * Smoke tests of the real server process: first start migrates and seeds, /healthz
 * and the event list answer, SIGTERM and SIGINT shut down cleanly while a request is
 * in flight, and a restart on the same database opens it without recovery.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onPostgres, type TestDatabase } from "./helpers/db.ts";
import { type RunningServer, startServer } from "./helpers/server.ts";

let dataDir: string;
let pg: TestDatabase | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kk-server-"));
  // On PostgreSQL, start from an empty (unmigrated) database so start-up must migrate it.
  if (onPostgres) {
    pg = await createTestDatabase();
    for (const stmt of [
      "drop schema public cascade",
      "create schema public",
      "drop schema if exists drizzle cascade",
    ]) {
      await pg.db.execute(sql.raw(stmt));
    }
  }
});
afterAll(async () => {
  await server?.stop("SIGKILL");
  await pg?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const dbEnv = (): Record<string, string> => (pg?.url ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir });

describe(`the server process (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("creates and migrates the database, loads demo data, and serves healthz, the API and the web", async () => {
    server = await startServer({ ...dbEnv(), DEMO_PASSWORD: "smoke-test-pw" });
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", db: "ok" });

    const list = (await (await fetch(`${server.url}/api/v1/events?limit=50`)).json()) as { data: unknown[] };
    expect(list.data.length).toBe(50);

    const home = await fetch(`${server.url}/`, { headers: { accept: "text/html" } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("<html");
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
    const shell = await (await fetch(`${server.url}/`, { headers: { accept: "text/html" } })).text();
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(shell)?.[1];
    expect(script).toMatch(/^\/assets\//);
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${server.url}/`, { method: "HEAD" })).status).toBe(200);
    // Pages: the accessibility statement; an unknown event or page gets the 404 page; a missing
    // file gets a 404 problem; no path escapes web/dist.
    expect((await fetch(`${server.url}/saavutettavuus`, { headers: { accept: "text/html" } })).status).toBe(
      200,
    );
    for (const page of ["/tapahtumat/123", "/no-such-page"]) {
      const res = await fetch(`${server.url}${page}`, { headers: { accept: "text/html" } });
      expect(res.status, page).toBe(404);
      expect(await res.text()).toContain("<html");
    }
    const embed = await fetch(`${server.url}/embed.js`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get("access-control-allow-origin")).toBe("*");
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    for (const path of [
      "/..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/package.json",
      "/assets/..%2f..%2f..%2fpackage.json",
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("devDependencies");
    }

    // Over real HTTP a body-less DELETE or POST (no Content-Length, no Transfer-Encoding) is
    // not a body of the wrong type: it reaches the route (here: 401, not signed in), not 415.
    const origin = { Origin: server.url };
    expect((await fetch(`${server.url}/api/v1/me`, { method: "DELETE", headers: origin })).status).toBe(401);
    expect(
      (await fetch(`${server.url}/api/v1/auth/logout`, { method: "POST", headers: origin })).status,
    ).toBe(204);
    const wrongType = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { ...origin, "Content-Type": "text/plain" },
      body: "email=x",
    });
    expect(wrongType.status).toBe(415);

    const out = server.output();
    expect(out).toContain("Applying migrations");
    expect(out).toContain("Loading demo data");
    expect(out).toContain(`Kuntakalenteri is running at ${server.url}`);
    expect(out).toContain("admin@example.fi");
    expect(out).toContain("moderaattori@example.fi");
    expect(out).toContain("jarjestaja@example.fi");
  });

  it("answers repeated cached requests alike (the Node fast path)", async () => {
    const s = server as RunningServer;
    const id = (
      (await (await fetch(`${s.url}/api/v1/events?limit=1`)).json()) as { data: { event_id: string }[] }
    ).data[0]?.event_id;
    const same = async (path: string, headers: Record<string, string> = {}) => {
      const answers: { status: number; headers: Record<string, string>; body: string }[] = [];
      const ids = new Set<string>();
      // The first may be a miss, the second a cache hit through Hono, the rest the fast path.
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${s.url}${path}`, { headers });
        const h = Object.fromEntries(res.headers);
        ids.add(h["x-request-id"] as string);
        delete h["x-request-id"];
        delete h.date;
        answers.push({ status: res.status, headers: h, body: await res.text() });
      }
      expect(ids.size).toBe(5);
      for (const a of answers.slice(2)) expect(a).toEqual(answers[1]);
      expect(answers[1]?.headers["x-cache"]).toBe("hit");
      return answers[1] as (typeof answers)[number];
    };
    for (const path of ["/api/v1/events?limit=50", `/api/v1/events/${id}`, "/feeds/events.ics"]) {
      const ok = await same(path);
      expect(ok.status).toBe(200);
      const notModified = await same(path, { "if-none-match": ok.headers.etag as string });
      expect(notModified.status).toBe(304);
    }
    expect((await same(`/tapahtumat/${id}`, { accept: "text/html" })).status).toBe(200);
  });

  it("finishes an in-flight request on SIGTERM, closes the database and exits 0", async () => {
    const s = server as RunningServer;
    const inFlight = fetch(`${s.url}/api/v1/events?limit=100&total=true`);
    await new Promise((r) => setTimeout(r, 20));
    const code = await s.stop("SIGTERM");
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(code).toBe(0);
    expect(s.output()).toContain("Stopped cleanly");
  });

  it("restarts on the same database without recovery, keeps the data, and does not seed twice", async () => {
    server = await startServer({ ...dbEnv() });
    const total = (await (
      await fetch(`${server.url}/api/v1/events?limit=1&total=true&to=2030-01-01`)
    ).json()) as {
      total: number;
    };
    expect(total.total).toBeGreaterThan(200);
    const out = server.output();
    expect(out).not.toContain("Loading demo data");
    expect(out).not.toMatch(/recover|unclean|corrupt/i);
    expect(await server.stop("SIGINT")).toBe(0);
  });

  it("fails fast with a message naming a bad variable", async () => {
    await expect(startServer({ ...dbEnv(), PORT: "not-a-port" }, 20_000)).rejects.toThrow(/PORT/);
  });
});
