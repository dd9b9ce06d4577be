/**
 * HTTP behaviour of the public API: ETag/304 and Cache-Control, CORS, a constant
 * number of SQL statements per list request whatever the page size, and an OpenAPI
 * document that covers every route and whose examples validate.
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
const queries: string[] = [];

beforeAll(async () => {
  database = await createSeededDatabase(undefined, { onQuery: (q) => queries.push(q) });
  t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
});
afterAll(async () => {
  await database.close();
});

describe("caching headers", () => {
  it.each(["/api/v1/events?limit=5", "/api/v1/categories", "/api/v1/places", "/api/v1/organisations"])(
    "%s carries an ETag and Cache-Control, and If-None-Match gives 304",
    async (path) => {
      const first = await t.app.request(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"[0-9a-f]+"$/);
      expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
      const again = await t.app.request(path, { headers: { "If-None-Match": etag as string } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      const other = await t.app.request(path, { headers: { "If-None-Match": '"not-it"' } });
      expect(other.status).toBe(200);
    },
  );

  it("does not cache errors", async () => {
    const res = await t.app.request("/api/v1/events?limit=0");
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
  });

  it("allows any site to read the open data API (CORS)", async () => {
    const res = await t.app.request("/api/v1/events?limit=1", {
      headers: { Origin: "https://kirjasto.example.fi" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("query count", () => {
  const filter = "category=liikunta&category=musiikki&village=klaukkala&village=kirkonkyla";
  it("runs the same small number of SQL statements for 1, 20 and 100 items", async () => {
    // Each page twice, an hour apart (another URL, so the response cache cannot answer): the
    // first may load the events it has no rendered item of (one statement more, unless it read
    // them with the page: src/http/public/list-items.ts renderShare), the second has them all
    // (the page's statement alone, whatever the page size).
    const first: number[] = [];
    const again: number[] = [];
    for (const limit of [1, 20, 100]) {
      for (const [from, counts] of [
        ["2026-06-01T10:00:00Z", first],
        ["2026-06-01T11:00:00Z", again],
      ] as const) {
        queries.length = 0;
        const res = await t.app.request(`/api/v1/events?limit=${limit}&from=${from}&${filter}`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { data: unknown[] };
        if (limit === 100) expect(body.data.length).toBeGreaterThan(20);
        counts.push(queries.length);
      }
    }
    expect(Math.max(...first)).toBeLessThanOrEqual(3);
    expect(new Set(again).size).toBe(1);
    for (const [i, n] of first.entries()) expect(n - (again[i] as number)).toBeOneOf([0, 1]);
  });

  it("adds exactly one statement for total=true", async () => {
    await t.app.request("/api/v1/events?limit=50&from=2026-06-02T10:00:00Z");
    queries.length = 0;
    await t.app.request("/api/v1/events?limit=50&from=2026-06-02T10:00:01Z");
    const base = queries.length;
    queries.length = 0;
    await t.app.request("/api/v1/events?limit=50&from=2026-06-02T10:00:02Z&total=true");
    expect(queries.length).toBe(base + 1);
  });
});

describe("OpenAPI document", () => {
  let doc: Record<string, any>;
  beforeAll(async () => {
    const res = await t.app.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    doc = (await res.json()) as Record<string, any>;
  });

  it("is OpenAPI 3.1 and documents every API route", () => {
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const routes = t.app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL" && r.path !== "/api/v1/openapi.json")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const r of routes) expect(documented, r).toContain(r);
  });

  it("has examples that validate against their own schemas", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, any>)) {
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    }
    let checked = 0;
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, any>)) {
      if (schema.example === undefined) continue;
      const validate = ajv.getSchema(`#/components/schemas/${name}`);
      expect(validate?.(schema.example), `${name}: ${JSON.stringify(validate?.errors)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it("has parameter examples that the API accepts", async () => {
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      // Paths with parameters of their own (/feeds/places/{file}) share the list's filters.
      if (path.includes("{")) continue;
      for (const [method, op] of Object.entries(ops)) {
        if (method !== "get") continue;
        for (const p of (op.parameters ?? []) as {
          in: string;
          name: string;
          schema?: { example?: unknown };
          example?: unknown;
        }[]) {
          const example = p.example ?? p.schema?.example;
          if (p.in !== "query" || example === undefined) continue;
          // Parameters that only make sense with a partner get the partner's documented example too.
          const extra = p.name === "radius" ? "&near=60.46,24.8" : p.name === "to" ? "&from=2026-06-14" : "";
          const res = await t.app.request(`${path}?${p.name}=${encodeURIComponent(String(example))}${extra}`);
          expect(res.status, `${path} ${p.name}=${example}: ${await res.clone().text()}`).toBe(200);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it("serves an interactive reference at /api/docs that documents every problem type", async () => {
    const res = await t.app.request("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('src="/api-docs/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    for (const slug of ["validation-error", "not-found", "conflict", "payload-too-large", "internal-error"]) {
      expect(html).toContain(`id="problem-${slug}"`);
    }
  });
});
