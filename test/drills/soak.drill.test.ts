/**
 * Soak drill: 60 s (SOAK_SECONDS) of mixed traffic at 20 concurrent connections against
 * the real server on the demo data: listing, search, feeds, event details (JSON and
 * JSON-LD), the event page, anonymous submissions, and organiser events that are
 * submitted and approved by a moderator. No 5xx, no connection errors, no unexpected
 * 4xx, and the server's resident memory (VmRSS, sampled every second) grows less than
 * 10% over the last 30 s (median of its first 10 s against median of its last 10 s).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onPostgres, type TestDatabase } from "../helpers/db.ts";
import { type RunningServer, startServer } from "../helpers/server.ts";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = 20;
const PASSWORD = "soak-test-password";

let dataDir: string;
let pg: TestDatabase | undefined;
let server: RunningServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kk-soak-"));
  if (onPostgres) pg = await createTestDatabase();
  const env = {
    ...(pg?.url ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir }),
    DEMO_PASSWORD: PASSWORD,
    TRUST_PROXY: "true",
  };
  // The first start loads the demo data; the soak runs on a fresh process, as after a deploy.
  const seeding = await startServer(env);
  expect(await seeding.stop("SIGTERM")).toBe(0);
  server = await startServer(env);
}, 180_000);

afterAll(async () => {
  await server?.stop("SIGKILL");
  await pg?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

describe(`soak drill (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it(`${SECONDS} s of mixed traffic at ${CONNECTIONS} connections: no errors, flat memory`, async () => {
    const url = server.url;
    const login = async (email: string) => {
      const res = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: url },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(res.status, email).toBe(200);
      return (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
    };
    const organiser = await login("jarjestaja@example.fi");
    const moderator = await login("moderaattori@example.fi");
    const me = (await (await fetch(`${url}/api/v1/me`, { headers: { Cookie: organiser } })).json()) as {
      memberships: { organisation: { id: string } }[];
    };
    const orgId = me.memberships[0]?.organisation.id as string;
    const places = (await (await fetch(`${url}/api/v1/places`)).json()) as { data: { id: string }[] };
    const categories = (await (await fetch(`${url}/api/v1/categories`)).json()) as {
      data: { slug: string }[];
    };
    const list = (await (await fetch(`${url}/api/v1/events?limit=100`)).json()) as {
      data: { event_id: string }[];
    };
    const eventIds = [...new Set(list.data.map((e) => e.event_id))];
    expect(eventIds.length).toBeGreaterThan(10);

    const counts = { requests: 0, errors: 0, status5xx: 0, unexpected4xx: 0, connection: 0 };
    const samples: string[] = [];
    let ip = 1;
    let n = 0;
    const call = async (path: string, init: RequestInit = {}, ok: number[] = [200]) => {
      counts.requests++;
      try {
        const res = await fetch(`${url}${path}`, init);
        const body = await res.text();
        if (res.status >= 500) counts.status5xx++;
        else if (!ok.includes(res.status)) {
          counts.unexpected4xx++;
          if (samples.length < 5) samples.push(`${res.status} ${path} ${body.slice(0, 200)}`);
        }
        return { status: res.status, body };
      } catch (err) {
        counts.connection++;
        if (samples.length < 5) samples.push(`${path}: ${String((err as { cause?: unknown }).cause ?? err)}`);
        return { status: 0, body: "" };
      }
    };
    const json = (cookie: string, body: unknown): RequestInit => ({
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: url, Cookie: cookie },
      body: JSON.stringify(body),
    });
    const words = ["konsertti", "kesä", "liikunta", "kirjasto", "lapsille", "jooga", "kuoro", "näyttely"];

    const operations: [number, () => Promise<unknown>][] = [
      [25, () => call(`/api/v1/events?limit=20&lang=${pick(["fi", "sv", "en"])}`)],
      [8, () => call(`/api/v1/events?limit=50&category=${pick(categories.data).slug}`)],
      [12, () => call(`/api/v1/events?q=${encodeURIComponent(pick(words))}&limit=20`)],
      [6, () => call(`/feeds/events.ics${pick(["", `?category=${pick(categories.data).slug}`])}`)],
      [4, () => call("/feeds/events.rss")],
      [15, () => call(`/api/v1/events/${pick(eventIds)}`)],
      [5, () => call(`/api/v1/events/${pick(eventIds)}`, { headers: { Accept: "application/ld+json" } })],
      [5, () => call(`/tapahtumat/${pick(eventIds)}`, { headers: { Accept: "text/html" } })],
      [3, () => call("/api/v1/places")],
      [
        8,
        () => {
          const i = ip++;
          return call(
            "/api/v1/submissions",
            {
              method: "POST",
              headers: {
                "Content-Type": "application/json",
                "X-Forwarded-For": `10.9.${(i >> 8) & 255}.${i & 255}`,
              },
              body: JSON.stringify({
                submitter: { name: "Liotus", email: `soak${i}@example.com` },
                event: {
                  title: { fi: `Liotustapahtuma ${i}` },
                  start: "2026-12-05T12:00:00+02:00",
                  end: "2026-12-05T14:00:00+02:00",
                  place_id: pick(places.data).id,
                },
                website: "",
              }),
            },
            [202],
          );
        },
      ],
      [
        9,
        async () => {
          const created = await call(
            "/api/v1/events",
            json(organiser, {
              organisation_id: orgId,
              title: { fi: `Liotus ${n++}`, en: "Soak" },
              start: "2026-12-06T12:00:00+02:00",
              end: "2026-12-06T14:00:00+02:00",
              place_id: pick(places.data).id,
            }),
            [201],
          );
          if (created.status !== 201) return;
          const { id, version } = JSON.parse(created.body) as { id: string; version: number };
          const submitted = await call(`/api/v1/events/${id}/submit`, json(organiser, { version }));
          if (submitted.status !== 200) return;
          const after = JSON.parse(submitted.body) as { version: number; state: string };
          if (after.state === "pending") {
            await call(
              `/api/v1/moderation/events/${id}/approve`,
              json(moderator, { version: after.version }),
            );
          }
        },
      ],
    ];
    const total = operations.reduce((s, [w]) => s + w, 0);
    const choose = () => {
      let r = Math.random() * total;
      for (const [w, op] of operations) {
        r -= w;
        if (r < 0) return op;
      }
      return operations[0]?.[1] as () => Promise<unknown>;
    };

    const pid = server.proc.pid as number;
    const rss: number[] = [rssKb(pid)];
    const sampler = setInterval(() => rss.push(rssKb(pid)), 1_000);
    const started = performance.now();
    const deadline = started + SECONDS * 1_000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < deadline) await choose()();
      }),
    );
    const elapsed = (performance.now() - started) / 1_000;
    clearInterval(sampler);

    // RSS over the last 30 s: the median of its first 10 samples against the median of its
    // last 10 (medians, so that one sample taken just before a major GC does not decide).
    const window = rss.slice(-31);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const first = median(window.slice(0, 10));
    const last = median(window.slice(-10));
    const growth = ((last - first) / first) * 100;
    console.log(
      `soak: ${counts.requests} requests in ${elapsed.toFixed(1)} s = ${(counts.requests / elapsed).toFixed(0)} req/s; ` +
        `5xx ${counts.status5xx}, connection errors ${counts.connection}, unexpected 4xx ${counts.unexpected4xx}; ` +
        `RSS ${(Math.round(rss[0] ?? 0) / 1024) | 0} MB at start, ${(first / 1024).toFixed(0)} → ${(last / 1024).toFixed(0)} MB over the last 30 s (${growth.toFixed(1)}%), peak ${(Math.max(...rss) / 1024).toFixed(0)} MB`,
    );
    console.log(`RSS MB per second: ${rss.map((kb) => Math.round(kb / 1024)).join(" ")}`);
    expect(samples).toEqual([]);
    expect(counts.status5xx).toBe(0);
    expect(counts.connection).toBe(0);
    expect(counts.unexpected4xx).toBe(0);
    expect(growth).toBeLessThan(10);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 240_000);
});
