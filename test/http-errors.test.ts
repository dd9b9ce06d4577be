/** Every error is RFC 9457 problem+json with a request id; security headers on every response. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import type { Db } from "../src/db/client.ts";
import { createOutbox } from "../src/domain/notifications/outbox.ts";
import { createMemoryLogger } from "../src/logger.ts";
import { buildTestApp, fixedClock, testConfig } from "./helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = buildTestApp(database, { config: testConfig({ BODY_LIMIT_BYTES: "2048" }) });
});
afterAll(async () => {
  await database.close();
});

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.status).toBe(status);
  expect(typeof body.type).toBe("string");
  expect(typeof body.title).toBe("string");
  expect(typeof body.instance).toBe("string");
  expect(body.request_id).toBe(res.headers.get("x-request-id"));
  return body;
}

describe("problem responses", () => {
  it("answers an unknown route with a 404 problem", async () => {
    const res = await t.app.request("/api/v1/nothing-here");
    const body = await expectProblem(res, 404);
    expect(body.instance).toBe("/api/v1/nothing-here");
    expect(body.detail).toContain("/api/v1/nothing-here");
  });

  it("answers malformed JSON with a 400 problem", async () => {
    const res = await t.app.request("/api/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"title": {"fi": "Kesäjuhlat"',
    });
    const body = await expectProblem(res, 400);
    expect(body.detail).toMatch(/not valid JSON/);
  });

  it("answers a non-JSON body on the API with 415", async () => {
    const res = await t.app.request("/api/v1/events", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hello",
    });
    await expectProblem(res, 415);
  });

  it("answers an oversized body with a 413 problem", async () => {
    const res = await t.app.request("/api/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ description: "ä".repeat(5000) }),
    });
    const body = await expectProblem(res, 413);
    expect(body.detail).toContain("2048");
  });

  it("names the offending query parameter in a 400 problem", async () => {
    const res = await t.app.request("/api/v1/events?limit=500");
    const body = await expectProblem(res, 400);
    expect(body.errors).toEqual([expect.objectContaining({ path: "limit" })]);
  });

  it("turns an unexpected error into a 500 problem with the request id; the stack goes only to the log", async () => {
    const logger = createMemoryLogger();
    const broken = new Proxy(
      {},
      {
        get() {
          throw new Error("database exploded: secret-internal-detail");
        },
      },
    ) as unknown as Db;
    const app = createApp({
      db: broken,
      config: testConfig(),
      clock: fixedClock("2026-06-01T09:00:00Z"),
      logger,
      outbox: createOutbox({ send: async () => {} }, logger),
    });
    const res = await app.request("/api/v1/events", { headers: { "X-Request-Id": "req-abc-123" } });
    const body = await expectProblem(res, 500);
    expect(body.request_id).toBe("req-abc-123");
    expect(JSON.stringify(body)).not.toContain("secret-internal-detail");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    const logged = logger.entries.find((e) => e.msg === "unhandled error");
    expect(logged?.request_id).toBe("req-abc-123");
    expect(JSON.stringify(logged?.err)).toContain("secret-internal-detail");
  });
});

describe("headers and logs", () => {
  it("gives every response an X-Request-Id, and logs one JSON line per request", async () => {
    const a = await t.app.request("/healthz");
    const b = await t.app.request("/api/v1/nothing");
    const idA = a.headers.get("x-request-id");
    const idB = b.headers.get("x-request-id");
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
    const line = t.logger.entries.find((e) => e.msg === "request" && e.request_id === idB);
    expect(line).toMatchObject({ method: "GET", path: "/api/v1/nothing", status: 404, level: "info" });
    expect(typeof line?.duration_ms).toBe("number");
  });

  it("ignores a malformed incoming request id", async () => {
    const res = await t.app.request("/healthz", { headers: { "X-Request-Id": "<script>alert(1)</script>" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends a strict Content-Security-Policy without inline scripts, and other security headers", async () => {
    const res = await t.app.request("/healthz");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });
});

describe("GET /healthz", () => {
  it("reports the database as ok", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 when the database does not answer", async () => {
    const other = await createTestDatabase();
    const { app } = buildTestApp(other);
    await other.close();
    const res = await app.request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable" });
  });
});
