/**
 * The Node fast path (src/runtime/node/fast-path.ts) against the app it stands in front of: two
 * real node:http servers over the same app and caches, one with the fast path and one
 * without, must give byte-identical answers (status, every header but X-Request-Id and
 * Date, body) for each cacheable kind, 200 and 304; and the fast path must never serve
 * after a write, to credentials, or for HEAD.
 */
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { createDataVersionTracker, type DataVersionTracker } from "../src/domain/data-version.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { nodeShell } from "../src/runtime/node/assets.ts";
import { createNodeFastPath, type FastPath } from "../src/runtime/node/fast-path.ts";
import { buildTestApp } from "./helpers/app.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let w: World;
let tracker: DataVersionTracker;
let listener: { ready: Promise<void>; close(): Promise<void> };
let fast: FastPath;
let t: ReturnType<typeof buildTestApp>;
let honoServer: Server;
let fastServer: Server;
let eventId: string;

const HOST = "kalenteri.test";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}
let honoPort = 0;
let fastPort = 0;

/** A raw HTTP request (fetch may not set Host, and both servers must see the same URL). */
function call(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method, headers: { host: HOST, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const comparable = (a: Answer) => {
  const { "x-request-id": _id, date: _date, ...headers } = a.headers;
  return { status: a.status, headers, body: a.body.toString("base64") };
};

/** Asks the fast server until it answers from the fast path; returns that answer. */
async function warm(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  for (let i = 0; i < 4; i++) {
    const before = fast.stats.ok + fast.stats.notModified;
    const res = await call(fastPort, path, headers);
    if (fast.stats.ok + fast.stats.notModified === before + 1) return res;
  }
  throw new Error(`${path} was never answered by the fast path`);
}

/** The same request to both servers: the fast path's answer must be the app's. */
async function expectSame(path: string, headers: Record<string, string> = {}) {
  const fastAnswer = await warm(path, headers);
  const honoAnswer = await call(honoPort, path, headers);
  expect(honoAnswer.headers["x-cache"]).toBe("hit");
  expect(comparable(fastAnswer)).toEqual(comparable(honoAnswer));
  expect(fastAnswer.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(fastAnswer.headers["x-request-id"]).not.toBe(honoAnswer.headers["x-request-id"]);
  return fastAnswer;
}

beforeAll(async () => {
  tracker = createDataVersionTracker();
  w = await createWorkflowWorld({
    responseCache: createMemoryResponseCache(),
    dataVersion: tracker,
    onQuery: tracker.noteQuery,
  });
  listener = w.database.listenDataVersion?.(tracker) as typeof listener;
  await listener.ready;
  eventId = (await w.eventIn("published")).id;
  await w.eventIn("published", { title: { fi: "Jazzkonsertti kirjastossa" } });

  const cache = createMemoryResponseCache();
  const tenants = tenantCache();
  t = buildTestApp(w.database, {
    tenants,
    clock: w.clock,
    config: w.t.config,
    responseCache: cache,
    dataVersion: tracker,
    shell: nodeShell(fileURLToPath(new URL("../web/dist", import.meta.url))),
  });
  fast = createNodeFastPath({
    cache,
    dataVersion: tracker,
    clock: w.clock,
    timezone: t.config.timezone,
    tenants,
    logger: t.logger,
  });
  honoServer = createAdaptorServer({ fetch: t.app.fetch }) as Server;
  fastServer = createAdaptorServer({
    fetch: fast.fetch(t.app.fetch),
    createServer: fast.createServer,
  }) as Server;
  honoPort = await listen(honoServer);
  fastPort = await listen(fastServer);
});

afterAll(async () => {
  honoServer?.close();
  fastServer?.close();
  await listener?.close();
  await w?.close();
});

const KINDS: [string, () => string, Record<string, string>][] = [
  ["list JSON", () => "/api/v1/events?limit=50", {}],
  ["search", () => "/api/v1/events?limit=20&q=konsertti", {}],
  ["event detail JSON", () => `/api/v1/events/${eventId}`, {}],
  ["event detail JSON-LD", () => `/api/v1/events/${eventId}`, { accept: "application/ld+json" }],
  ["event page HTML", () => `/tapahtumat/${eventId}?lang=sv`, { accept: "text/html" }],
  ["categories", () => "/api/v1/categories", {}],
  ["iCal feed", () => "/feeds/events.ics", {}],
  ["RSS feed", () => "/feeds/events.rss", {}],
  ["readable feed path", () => "/feeds/categories/musiikki.ics", {}],
  ["list with an Origin (CORS)", () => "/api/v1/events?limit=50", { origin: "https://muu.example" }],
];

describe("node fast path: the same answers as the app", () => {
  for (const [kind, path, headers] of KINDS) {
    it(`${kind}: 200 and 304`, async () => {
      const ok = await expectSame(path(), headers);
      expect(ok.status).toBe(200);
      expect(ok.headers["content-security-policy"]).toBeTruthy();
      const etag = ok.headers.etag as string;
      const notModified = await expectSame(path(), { ...headers, "if-none-match": etag });
      expect(notModified.status).toBe(304);
      expect(notModified.body.byteLength).toBe(0);
    });
  }

  it("compares If-None-Match like the app: lists, W/ prefixes, * and other tags", async () => {
    const path = "/api/v1/events?limit=50";
    const etag = (await expectSame(path)).headers.etag as string;
    for (const inm of [`"other", ${etag}`, `W/${etag}`, "*", `"other"`, `W/"other", W/${etag}`]) {
      const a = await expectSame(path, { "if-none-match": inm });
      expect(a.status).toBe(inm === `"other"` ? 200 : 304);
    }
    const feedTag = (await expectSame("/feeds/events.ics")).headers.etag as string;
    expect((await expectSame("/feeds/events.ics", { "if-none-match": `W/${feedTag}` })).status).toBe(304);
  });

  it("logs its answers like the app does", async () => {
    await expectSame("/api/v1/events?limit=50");
    const records = t.logger.entries.filter((e) => e.msg === "request");
    const last = records[records.length - 1] as Record<string, unknown>;
    const fromHono = records[records.length - 2] as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(Object.keys(fromHono).sort());
    expect({ ...last, time: 0, request_id: 0, duration_ms: 0 }).toEqual({
      ...fromHono,
      time: 0,
      request_id: 0,
      duration_ms: 0,
    });
  });
});

describe("node fast path: what it leaves to the app", () => {
  it("never serves an entry of before a write", async () => {
    const path = "/api/v1/events?limit=50";
    const before = await expectSame(path);
    const pending = await w.eventIn("pending", { title: { fi: "Juuri hyväksytty" } });
    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${pending.id}/approve`, {
      version: pending.version,
    });
    expect(approved.status).toBe(200);

    const served = fast.stats.ok;
    const after = await call(fastPort, path);
    expect(fast.stats.ok).toBe(served);
    expect(after.body.toString()).toContain(pending.id);
    const revalidated = await call(fastPort, path, { "if-none-match": before.headers.etag as string });
    expect(revalidated.status).toBe(200);
    expect(revalidated.body.toString()).toContain(pending.id);
    // And once learned again, the new entry is served.
    expect((await expectSame(path)).body.toString()).toContain(pending.id);
  });

  it("asks the app whenever the data version is not trusted in memory", async () => {
    const path = "/feeds/events.ics";
    await expectSame(path);
    const served = fast.stats.ok;
    // What a write of this process does until the app has read the version again.
    tracker.invalidate();
    expect(tracker.peek([DEFAULT_MUNICIPALITY_ID])).toBeUndefined();
    expect((await call(fastPort, path)).status).toBe(200);
    expect(fast.stats.ok).toBe(served);
    expect(tracker.peek([DEFAULT_MUNICIPALITY_ID])).toBeDefined();
  });

  it("leaves requests with credentials to the app", async () => {
    const path = "/api/v1/events?limit=50";
    await expectSame(path);
    const served = fast.stats.ok + fast.stats.notModified;
    const withCookie = await call(fastPort, path, { cookie: "a=1; kk_session=nonsense" });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers["x-cache"]).toBeUndefined();
    expect((await call(fastPort, path, { authorization: "Bearer nonsense-token" })).status).toBe(401);
    expect((await call(fastPort, path, { "x-submitter-token": "nonsense" })).status).toBe(401);
    expect(fast.stats.ok + fast.stats.notModified).toBe(served);
  });

  it("answers HEAD like the app", async () => {
    for (const path of ["/api/v1/events?limit=50", "/feeds/events.ics", `/tapahtumat/${eventId}`]) {
      await expectSame(path);
      const served = fast.stats.ok;
      const viaFast = await call(fastPort, path, {}, "HEAD");
      const viaHono = await call(honoPort, path, {}, "HEAD");
      expect(fast.stats.ok).toBe(served);
      expect(viaFast.body.byteLength).toBe(0);
      expect(comparable(viaFast)).toEqual(comparable(viaHono));
    }
  });

  it("leaves If-Modified-Since and Range to the app", async () => {
    const path = "/feeds/events.ics";
    const ok = await expectSame(path);
    const served = fast.stats.ok + fast.stats.notModified;
    const ims = await call(fastPort, path, { "if-modified-since": ok.headers["last-modified"] as string });
    expect(ims.status).toBe(304);
    await call(fastPort, path, { range: "bytes=0-10" });
    expect(fast.stats.ok + fast.stats.notModified).toBe(served);
  });

  it("keeps a proxy's well-formed request id, as the app does, and replaces a malformed one", async () => {
    const path = "/api/v1/events?limit=5";
    await expectSame(path);
    for (const [incoming, kept] of [
      ["from-the-proxy.1:2", true],
      ["has spaces", false],
      ["x".repeat(101), false],
    ] as const) {
      const served = fast.stats.ok;
      const viaFast = await call(fastPort, path, { "x-request-id": incoming });
      const viaHono = await call(honoPort, path, { "x-request-id": incoming });
      expect(fast.stats.ok).toBe(served + 1);
      for (const answer of [viaFast, viaHono]) {
        if (kept) expect(answer.headers["x-request-id"]).toBe(incoming);
        else expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(comparable(viaFast)).toEqual(comparable(viaHono));
    }
  });
});
