/**
 * The OpenAPI document is the whole truth (#14): it lints clean (redocly), every operation has
 * a stable operationId, its success schema, its problem responses and its security, every route
 * the app serves is in it, and LIVE answers of the public and signed-in API (reads on seeded data,
 * the success answers of writes, and problems) validate against it with Ajv (formats on).
 *
 * Operations whose success answer has no schema yet are listed in PENDING_SCHEMAS (helper A2's
 * organiser, moderation and admin routes): the test names them, and fails both for a new route
 * without a schema and for a listed one that has got its schema (take it off the list then).
 */
import { createConfig, lintFromString } from "@redocly/openapi-core";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Me, MyDataExport } from "../src/contract/api/auth.ts";
import type { EventDetail } from "../src/contract/api/public.ts";
import { APP_PAGES } from "../src/contract/pages.ts";
import type { describeMe } from "../src/domain/accounts/accounts.ts";
import type { PublicEvent } from "../src/domain/events/detail.ts";
import type { exportUserData } from "../src/domain/privacy/gdpr.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { createWorkflowWorld, ORIGIN, PASSWORD, tokenFrom, type World } from "./helpers/workflow.ts";

/**
 * Operations still without a success schema: none since A2's organiser, submission, moderation
 * and admin schemas (branch openapi-schemas). A new one must not be added here but described.
 */
const PENDING_SCHEMAS = new Set<string>([]);

// biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON.
type Json = any;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const JSON_TYPES = /^application\/([\w.+-]+\+)?json$/;

const shell = (file: string) =>
  `<!doctype html><html lang="fi"><head><title>x</title><!--ssr:head--></head><body data-page="${file}"><main><!--ssr:main--></main></body></html>`;

let seeded: TestDatabase;
let pub: ReturnType<typeof buildTestApp>;
let world: World;
let doc: Json;

beforeAll(async () => {
  seeded = await createSeededDatabase();
  pub = buildTestApp(seeded, { clock: fixedClock(SEED_NOW.toISOString()), shell: async (f) => shell(f) });
  world = await createWorkflowWorld();
  const res = await pub.app.request("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  doc = await res.json();
}, 120_000);
afterAll(async () => {
  await seeded?.close();
  await world?.close();
});

const operations = () =>
  Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );

/** The success response of an operation: its lowest 2xx (or 3xx for a redirect). */
const successOf = (op: Json): [string, Json] =>
  (Object.entries(op.responses) as [string, Json][]).filter(([s]) => /^[23]/.test(s) && s !== "304")[0] ?? [
    "",
    null,
  ];

describe("the document", () => {
  it("lints without errors (redocly recommended rules)", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: "/openapi.json",
      config,
    });
    const errors = problems.filter((p) => p.severity === "error");
    expect(
      errors.map((e) => `${e.ruleId} ${e.location[0]?.pointer}: ${e.message}`),
      "redocly errors",
    ).toEqual([]);
  });

  it("gives every operation a unique camelCase operationId", () => {
    const ids = operations().map(({ op }) => op.operationId as string);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("declares security on every operation, with the schemes it names", () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    expect(schemes.sort()).toEqual(["bearerAuth", "cookieAuth", "submitterToken"]);
    expect(doc.components.securitySchemes.cookieAuth).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "kk_session",
    });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.submitterToken).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Submitter-Token",
    });
    for (const { path, method, op } of operations()) {
      expect(Array.isArray(op.security), `${method} ${path}`).toBe(true);
      for (const req of op.security) for (const name of Object.keys(req)) expect(schemes).toContain(name);
      // An operation that needs a credential says what happens without one.
      if (op.security.length > 0) expect(op.responses, `${method} ${path}`).toHaveProperty("401");
    }
  });

  it("gives every API operation its problem responses, as application/problem+json", () => {
    for (const { path, method, op } of operations()) {
      if (!path.startsWith("/api/v1/") || path === "/api/v1/openapi.json") continue;
      const problems = Object.entries(op.responses as Record<string, Json>).filter(([s]) => /^[45]/.test(s));
      if (problems.length === 0 && PENDING_SCHEMAS.has(op.operationId)) {
        console.info(`openapi: ${op.operationId} has no problem responses yet (pending A2)`);
        continue;
      }
      expect(problems.length, `${method} ${path} has no problem response`).toBeGreaterThan(0);
      for (const [status, r] of problems) {
        expect(r.content?.["application/problem+json"]?.schema?.$ref, `${method} ${path} ${status}`).toBe(
          "#/components/schemas/Problem",
        );
      }
      const hasInput = (op.parameters ?? []).some((p: Json) => p.in !== "header") || op.requestBody;
      if (hasInput) expect(op.responses, `${method} ${path}`).toHaveProperty("400");
    }
  });

  it("gives every success answer a schema, except 204 and the pending ones (listed)", () => {
    const missing: string[] = [];
    for (const { path, method, op } of operations()) {
      const [status, success] = successOf(op);
      expect(success, `${method} ${path} has no success response`).toBeTruthy();
      if (status === "204") continue;
      const content = Object.values((success.content ?? {}) as Record<string, Json>);
      if (content.length === 0 || content.some((c) => !c.schema)) missing.push(op.operationId);
    }
    const unexpected = missing.filter((id) => !PENDING_SCHEMAS.has(id));
    const done = [...PENDING_SCHEMAS].filter((id) => !missing.includes(id));
    expect(unexpected, "operations without a success schema (add one)").toEqual([]);
    expect(done, "these have a schema now: take them off PENDING_SCHEMAS").toEqual([]);
    if (missing.length > 0)
      console.info(`openapi: ${missing.length} operations pending a success schema: ${missing.join(", ")}`);
  });

  it("writes nullable references the 3.1 way (no allOf that forbids null)", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/"allOf":\[\{"\$ref":"[^"]+"\},\{"type":\[[^\]]*"null"/);
    const detail = doc.components.schemas.EventDetail.properties.short_description;
    expect(detail).toEqual({ anyOf: [{ $ref: "#/components/schemas/Text" }, { type: "null" }] });
  });

  it("documents every route the app serves, under every prefix", () => {
    const documented = new Set(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`));
    const served = new Set(
      pub.app.routes
        .filter((r) => r.method !== "ALL" && r.path !== "/*")
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    expect(served.size).toBeGreaterThan(60);
    for (const prefix of ["/api/v1/", "/feeds/", "/healthz", "/api/docs", "/tapahtumat/"]) {
      expect(
        [...served].some((r) => r.split(" ")[1]?.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    for (const page of APP_PAGES) expect(served).toContain(`GET ${page.path.replace(/:(\w+)/g, "{$1}")}`);
    const undocumented = [...served].filter((r) => !documented.has(r));
    expect(undocumented, "served but not in the document").toEqual([]);
    const phantom = [...documented].filter((r) => !served.has(r));
    expect(phantom, "in the document but not served").toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Live answers against the document

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

interface Checked {
  validated: number;
  pending: Set<string>;
  failures: string[];
  /** Mismatches of operations still in PENDING_SCHEMAS: listed, not failed. */
  pendingIssues: string[];
  statuses: Map<string, Set<string>>;
}
const checked: Checked = {
  validated: 0,
  pending: new Set(),
  failures: [],
  pendingIssues: [],
  statuses: new Map(),
};

function operationFor(method: string, pathname: string): { path: string; op: Json } | null {
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const re = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}$`);
    if (re.test(pathname) && item[method.toLowerCase()]) return { path, op: item[method.toLowerCase()] };
  }
  return null;
}

/** Checks one live answer against the document: status, media type and (JSON) body. */
async function expectDocumented(method: string, url: string, res: Response): Promise<void> {
  const pathname = new URL(url, ORIGIN).pathname;
  const where = `${method} ${pathname} → ${res.status}`;
  const found = operationFor(method, pathname);
  if (!found) {
    checked.failures.push(`${where}: no operation in the document`);
    return;
  }
  const { op } = found;
  const fail = (message: string) =>
    (PENDING_SCHEMAS.has(op.operationId) ? checked.pendingIssues : checked.failures).push(
      `${where} (${op.operationId}): ${message}`,
    );
  const statuses = checked.statuses.get(op.operationId) ?? new Set();
  statuses.add(String(res.status));
  checked.statuses.set(op.operationId, statuses);
  const response = op.responses[String(res.status)] ?? op.responses.default;
  if (!response) {
    fail(`status not documented (${Object.keys(op.responses).join(", ")})`);
    return;
  }
  const text = await res.clone().text();
  if (res.status === 204 || res.status === 304) {
    if (text !== "") fail(`a body on ${res.status}`);
    return;
  }
  const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!response.content) {
    if (/^2/.test(String(res.status)) && PENDING_SCHEMAS.has(op.operationId)) {
      checked.pending.add(op.operationId);
      return;
    }
    fail(`the document gives no content for this answer (${mediaType})`);
    return;
  }
  const media = response.content[mediaType];
  if (!media) {
    checked.failures.push(
      `${where}: ${mediaType} not documented (${Object.keys(response.content).join(", ")})`,
    );
    return;
  }
  if (!JSON_TYPES.test(mediaType)) return;
  const key = `${op.operationId} ${res.status} ${mediaType}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ ...media.schema, components: doc.components });
    compiled.set(key, validate);
  }
  const body = JSON.parse(text);
  if (validate(body)) checked.validated++;
  else fail(ajv.errorsText(validate.errors, { dataVar: "body" }));
}

describe("live answers validate against the document", () => {
  it("public reads on the seeded data: lists, every event's details, reference data, feeds, pages", async () => {
    const get = async (url: string, headers: Record<string, string> = {}) => {
      const res = await pub.app.request(url, { headers });
      await expectDocumented("GET", url, res);
      return res;
    };
    const ids = new Set<string>();
    for (const lang of ["fi", "sv", "en"]) {
      let url: string | null = `/api/v1/events?limit=100&total=true&lang=${lang}`;
      while (url) {
        const res = await get(url);
        expect(res.status).toBe(200);
        const page = (await res.json()) as { data: { event_id: string }[]; next: string | null };
        for (const item of page.data) ids.add(item.event_id);
        url = page.next ? page.next.replace(pub.config.publicUrl, "") : null;
      }
    }
    await get("/api/v1/events?updated_since=2020-01-01T00:00:00Z&limit=100");
    await get("/api/v1/events?q=konsertti&sort=relevance");
    expect(ids.size).toBeGreaterThan(20);
    for (const id of ids) {
      for (const lang of ["fi", "en"])
        expect((await get(`/api/v1/events/${id}?lang=${lang}`)).status).toBe(200);
    }
    const [first] = [...ids];
    const ld = await get(`/api/v1/events/${first}`, { Accept: "application/ld+json" });
    expect(ld.headers.get("content-type")).toMatch(/^application\/ld\+json/);
    const etag = (await get(`/api/v1/events/${first}`)).headers.get("etag") as string;
    expect((await get(`/api/v1/events/${first}`, { "If-None-Match": etag })).status).toBe(304);
    for (const path of [
      "/api/v1/places",
      "/api/v1/categories",
      "/api/v1/organisations",
      "/api/v1/municipalities",
    ]) {
      for (const lang of ["fi", "sv"]) expect((await get(`${path}?lang=${lang}`)).status).toBe(200);
    }
    const categories = (await (await get("/api/v1/categories")).json()) as { data: { slug: string }[] };
    const slug = categories.data[0]?.slug as string;
    expect((await get(`/api/v1/feeds/links?category=${slug}`)).status).toBe(200);
    expect((await get("/feeds/events.ics")).status).toBe(200);
    expect((await get("/feeds/events.rss")).status).toBe(200);
    // The region (#21): any subset of its municipalities, or all of them.
    expect((await get("/api/v1/events?municipality=all&total=true&lang=sv")).status).toBe(200);
    expect((await get("/api/v1/events?municipality=default&q=konsertti")).status).toBe(200);
    expect((await get("/feeds/events.ics?municipality=all")).status).toBe(200);
    expect((await get("/api/v1/feeds/links?municipality=default")).status).toBe(200);
    expect((await get(`/feeds/events/${first}.ics`)).status).toBe(200);
    expect((await get(`/feeds/categories/${slug}.ics`)).status).toBe(200);
    expect((await get(`/feeds/categories/${slug}.rss`)).status).toBe(200);
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/readyz")).status).toBe(200);
    expect((await get("/api/docs")).status).toBe(200);
    expect((await get("/api/v1/openapi.json")).status).toBe(200);
    expect((await get(`/tapahtumat/${first}`)).status).toBe(200);
    expect((await get("/saavutettavuus")).status).toBe(200);
    expect((await get("/api/v1/site")).status).toBe(200);
    expect((await get("/api/v1/site?lang=sv")).status).toBe(200);
    expect((await get("/site.css")).status).toBe(200);
    for (const page of APP_PAGES) await get(page.path.replace(":id", first as string));
    // Problems.
    expect((await get("/api/v1/events?limit=0")).status).toBe(400);
    expect((await get("/api/v1/events?bogus=1")).status).toBe(400);
    expect((await get("/api/v1/events/not-a-uuid")).status).toBe(400);
    expect((await get("/api/v1/events/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await get("/api/v1/places?lang=xx")).status).toBe(400);
    expect((await get("/api/v1/site?lang=xx")).status).toBe(400);
    expect((await get("/api/v1/feeds/links?category=no-such-category")).status).toBe(400);
    expect((await get("/feeds/events.ics?limit=5")).status).toBe(400);
    expect((await get("/api/v1/events?municipality=no-such-municipality")).status).toBe(400);
    expect((await get("/feeds/events.ics?municipality=no-such-municipality")).status).toBe(400);
    expect((await get("/feeds/events/00000000-0000-4000-8000-000000000000.ics")).status).toBe(404);
    expect((await get("/api/v1/me")).status).toBe(401);
  }, 300_000);

  it("the other organiser, submission, moderation and admin answers (A2's routes)", async () => {
    const w = world;
    type Who = Parameters<World["as"]>[0];
    const call = async (
      want: number,
      who: Who,
      method: string,
      url: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => {
      const r = await w.as(who)(method, url, body, headers);
      await expectDocumented(method, url, r.res);
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(want);
      return r;
    };
    /** The token of the last link emailed to an address. */
    const mailedToken = async (email: string) => {
      const mails = await w.mailsTo(email);
      return tokenFrom((mails.at(-1)?.payload as { path?: string } | undefined)?.path);
    };
    const A = `/api/v1/organisations/${w.orgA.id}`;

    // Events: withdraw, postpone, delete; a revision in the queue, for review and in my events.
    const draft = await call(201, "orgAdmin", "POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event({ title: { fi: "Vedetään takaisin" }, start: "2026-09-05", end: "2026-09-06" }),
    });
    const sent = await call(200, "orgAdmin", "POST", `/api/v1/events/${draft.body.id}/submit`, {
      version: draft.body.version,
    });
    const back = await call(200, "orgAdmin", "POST", `/api/v1/events/${draft.body.id}/withdraw`, {
      version: sent.body.version,
    });
    await call(204, "orgAdmin", "DELETE", `/api/v1/events/${draft.body.id}`, { version: back.body.version });
    const live = await w.eventIn("published");
    await call(200, "member", "POST", `/api/v1/events/${live.id}/postpone`, { version: live.version });
    const revised = await w.eventIn("revision");
    await call(200, "moderator", "GET", "/api/v1/moderation/queue?kind=revision&limit=5");
    await call(200, "moderator", "GET", `/api/v1/moderation/events/${revised.id}`);
    await call(200, "member", "GET", `/api/v1/me/events/${revised.id}`);
    await call(200, "moderator", "GET", `/api/v1/moderation/log?event_id=${revised.id}&limit=2`);
    await call(400, "moderator", "GET", "/api/v1/moderation/log?action=nope");

    // Organisation profile: a change waits for a moderator, who approves one and rejects the next.
    await call(200, "orgAdmin", "PATCH", A, {
      description: { fi: "Uusi kuvaus" },
      contact_phone: "+358401111111",
    });
    const waiting = await call(200, "moderator", "GET", "/api/v1/moderation/organisations?pending=true");
    const orgA = waiting.body.data.find((o: { id: string }) => o.id === w.orgA.id);
    await call(200, "moderator", "POST", `/api/v1/moderation/organisations/${w.orgA.id}/profile/approve`, {
      submitted_at: orgA.profile_submitted_at,
    });
    const again = await call(200, "orgAdmin", "PATCH", A, { website: "https://yhdistys-a.example" });
    await call(200, "moderator", "POST", `/api/v1/moderation/organisations/${w.orgA.id}/profile/reject`, {
      submitted_at: again.body.profile_submitted_at,
      reason: "Osoite ei toimi",
    });

    // Members, invitations and API tokens.
    await call(201, "orgAdmin", "POST", `${A}/invitations`, { email: "uusi-jasen@x.test" });
    const newToken = await mailedToken("uusi-jasen@x.test");
    await call(200, "anonymous", "POST", "/api/v1/invitations/lookup", { token: newToken });
    await call(200, "anonymous", "POST", "/api/v1/invitations/accept-new", {
      token: newToken,
      password: "pitkä-salasana-2",
      display_name: "Uusi jäsen",
    });
    await call(201, "orgAdmin", "POST", `${A}/members`, { email: "member@b.test" });
    await call(200, "otherOrg", "POST", "/api/v1/invitations/accept", {
      token: await mailedToken("member@b.test"),
    });
    await call(200, "orgAdmin", "PATCH", `${A}/members/${w.ids.otherOrg}`, { role: "admin" });
    await call(204, "orgAdmin", "DELETE", `${A}/members/${w.ids.otherOrg}`);
    const invited = await call(201, "orgAdmin", "POST", `${A}/invitations`, { email: "peruttu@x.test" });
    await call(204, "orgAdmin", "DELETE", `${A}/invitations/${invited.body.id}`);
    const token = await call(201, "orgAdmin", "POST", `${A}/tokens`, { name: "Kotisivu" });
    await call(204, "orgAdmin", "DELETE", `${A}/tokens/${token.body.id}`);

    // Platform administration.
    const org = await call(201, "admin", "POST", "/api/v1/admin/organisations", {
      slug: "uusi-yhdistys",
      name: "Uusi yhdistys",
      kind: "association",
    });
    await call(204, "admin", "DELETE", `/api/v1/admin/organisations/${org.body.id}`);
    await call(200, "admin", "GET", "/api/v1/admin/users?limit=2&offset=1");
    await call(200, "admin", "PATCH", `/api/v1/admin/users/${w.ids.trustedMember}`, {
      display_name: "Luotettu",
    });
    const users = await call(200, "admin", "GET", "/api/v1/admin/users?limit=100");
    const joined = users.body.data.find((u: { email: string }) => u.email === "uusi-jasen@x.test");
    await call(204, "admin", "DELETE", `/api/v1/admin/users/${joined.id}`);
    await call(404, "admin", "PATCH", "/api/v1/admin/users/00000000-0000-4000-8000-000000000000", {
      role: "admin",
    });
    // Categories administration.
    await call(201, "admin", "POST", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories`, {
      slug: "oma-laji",
      name: { fi: "Oma laji" },
    });
    await call(409, "admin", "POST", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories`, {
      slug: "oma-laji",
      name: { fi: "Oma laji" },
    });
    await call(200, "admin", "GET", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories`);
    await call(
      200,
      "admin",
      "PATCH",
      `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories/oma-laji`,
      { version: 1, sort_order: 2 },
    );
    await call(
      409,
      "admin",
      "PATCH",
      `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories/oma-laji`,
      { version: 1, sort_order: 3 },
    );
    await call(
      204,
      "admin",
      "DELETE",
      `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories/oma-laji`,
      { version: 2 },
    );
    await call(
      404,
      "admin",
      "DELETE",
      `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories/oma-laji`,
      { version: 2 },
    );

    // Anonymous submissions with the magic link.
    const submission = {
      submitter: { name: "Maija Meikäläinen", email: "maija@x.test" },
      event: w.event({ title: { fi: "Kyläjuhla" } }),
    };
    await call(202, "anonymous", "POST", "/api/v1/submissions", submission);
    const confirmed = await call(200, "anonymous", "POST", "/api/v1/submissions/confirm", {
      token: await mailedToken("maija@x.test"),
    });
    const magic = { "X-Submitter-Token": confirmed.body.access_token };
    await call(200, "anonymous", "GET", "/api/v1/submissions/mine", undefined, magic);
    await call(401, "anonymous", "GET", "/api/v1/submissions/mine");
    const edited = await call(
      200,
      "anonymous",
      "PATCH",
      `/api/v1/submissions/${confirmed.body.id}`,
      { version: confirmed.body.version, title: { fi: "Kyläjuhla 2026" } },
      magic,
    );
    await call(
      200,
      "anonymous",
      "POST",
      `/api/v1/submissions/${confirmed.body.id}/cancel`,
      { version: edited.body.version },
      magic,
    );
    await call(202, "anonymous", "POST", "/api/v1/submissions/access", { email: "maija@x.test" });
  }, 300_000);

  it("signed-in reads and the success answers of writes (organiser, moderator, admin), and their problems", async () => {
    const w = world;
    type Who = Parameters<World["as"]>[0];
    /** Calls the API as `who`, checks the answer against the document and its status against `want`. */
    const call = async (
      want: number,
      who: Who,
      method: string,
      url: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => {
      const r = await w.as(who)(method, url, body, headers);
      await expectDocumented(method, url, r.res);
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(want);
      return r;
    };
    const A = `/api/v1/organisations/${w.orgA.id}`;
    // Accounts.
    await call(200, "member", "GET", "/api/v1/me");
    await call(200, "moderator", "GET", "/api/v1/me");
    await call(200, "member", "GET", "/api/v1/me/export");
    const newcomer = { email: "new@x.test", password: "pitkä-salasana-1", display_name: "Uusi" };
    await call(202, "anonymous", "POST", "/api/v1/auth/register", newcomer);
    await call(202, "anonymous", "POST", "/api/v1/auth/password-reset", { email: "member@a.test" });
    await call(200, "anonymous", "POST", "/api/v1/auth/login", {
      email: "member@a.test",
      password: PASSWORD,
    });
    await call(401, "anonymous", "POST", "/api/v1/auth/login", {
      email: "member@a.test",
      password: "väärä-1",
    });
    await call(400, "anonymous", "POST", "/api/v1/auth/login", { email: "member@a.test" });
    await call(400, "anonymous", "POST", "/api/v1/auth/verify-email", { token: "x".repeat(20) });
    const wrong = { current_password: "väärä", new_password: "uusi-salasana-123" };
    await call(400, "member", "POST", "/api/v1/me/password", wrong);
    // Organiser: create, edit, submit, read mine.
    const created = await call(201, "member", "POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event(),
    });
    const id = created.body.id as string;
    let version = created.body.version as number;
    const edited = await call(200, "member", "PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "Uusi" },
    });
    version = edited.body.version as number;
    await call(409, "member", "PATCH", `/api/v1/events/${id}`, { version: version + 5, title: { fi: "x" } });
    await call(400, "member", "POST", "/api/v1/events", {});
    await call(415, "member", "POST", "/api/v1/events", "x", { "Content-Type": "text/plain" });
    const submitted = await call(200, "member", "POST", `/api/v1/events/${id}/submit`, { version });
    version = submitted.body.version as number;
    await call(200, "member", "GET", "/api/v1/me/events");
    await call(200, "member", "GET", `/api/v1/me/events/${id}`);
    await call(400, "member", "GET", "/api/v1/me/events?state=nope");
    // Moderation.
    await call(200, "moderator", "GET", "/api/v1/moderation/queue");
    await call(403, "member", "GET", "/api/v1/moderation/queue");
    await call(200, "moderator", "GET", `/api/v1/moderation/events/${id}`);
    await call(200, "moderator", "POST", `/api/v1/moderation/events/${id}/approve`, { version });
    await call(200, "moderator", "GET", "/api/v1/moderation/log");
    await call(200, "moderator", "GET", "/api/v1/moderation/organisations");
    await call(200, "moderator", "POST", `/api/v1/moderation/organisations/${w.orgB.id}/trust`, {
      trusted: true,
    });
    const toReject = await w.eventIn("pending");
    const reject = { version: toReject.version, reason: "Ei sovi" };
    await call(200, "moderator", "POST", `/api/v1/moderation/events/${toReject.id}/reject`, reject);
    const toChange = await w.eventIn("pending");
    const changes = { version: toChange.version, comment: "Lisää kuva" };
    await call(200, "moderator", "POST", `/api/v1/moderation/events/${toChange.id}/request-changes`, changes);
    const toBulk = await w.eventIn("pending");
    await call(200, "moderator", "POST", "/api/v1/moderation/bulk", { action: "approve", items: [toBulk] });
    const published = await w.eventIn("published");
    await call(200, "member", "POST", `/api/v1/events/${published.id}/cancel`, {
      version: published.version,
    });
    // Organisation admin and site admin.
    await call(200, "orgAdmin", "GET", `${A}/members`);
    await call(200, "orgAdmin", "GET", `${A}/invitations`);
    await call(200, "orgAdmin", "GET", `${A}/tokens`);
    await call(403, "member", "GET", `${A}/tokens`);
    await call(200, "admin", "GET", "/api/v1/admin/users");
    await call(403, "moderator", "GET", "/api/v1/admin/users");
    // A newcomer's account from registration to deletion: verify, reset, change, delete.
    const mailTo = async (email: string, kind: string) =>
      tokenFrom((await w.mailsTo(email)).filter((m) => m.kind === kind).at(-1)?.payload.path);
    const verify = { token: await mailTo(newcomer.email, "verify_email") };
    await call(200, "anonymous", "POST", "/api/v1/auth/verify-email", verify);
    await call(400, "anonymous", "POST", "/api/v1/auth/verify-email", verify);
    const crossSite = { Origin: "https://evil.example" };
    await call(
      403,
      "anonymous",
      "POST",
      "/api/v1/auth/login",
      { email: "member@a.test", password: PASSWORD },
      crossSite,
    );
    await call(202, "anonymous", "POST", "/api/v1/auth/password-reset", { email: newcomer.email });
    const reset = { token: await mailTo(newcomer.email, "password_reset"), password: "toinen-salasana-2" };
    await call(200, "anonymous", "POST", "/api/v1/auth/password-reset/confirm", reset);
    const cookie = await w.login(newcomer.email, reset.password);
    const mine = async (want: number, method: string, url: string, body?: unknown) => {
      const r = await w.raw(method, url, body, { Cookie: cookie });
      await expectDocumented(method, url, r.res);
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(want);
    };
    await mine(200, "POST", "/api/v1/me/password", {
      current_password: reset.password,
      new_password: "kolmas-salasana-3",
    });
    await mine(400, "DELETE", "/api/v1/me", { password: "väärä" });
    await mine(204, "DELETE", "/api/v1/me", { password: "kolmas-salasana-3" });
    await mine(401, "GET", "/api/v1/me");
    // Municipalities and their staff: a region admin creates and edits, the invitees accept.
    const M = "/api/v1/admin/municipalities";
    const firstAdmin = {
      slug: "openapi-kunta",
      name: { fi: "Openapikunta" },
      first_admin_email: "oa@x.test",
    };
    const kunta = await call(201, "admin", "POST", M, firstAdmin);
    await call(400, "admin", "POST", M, { ...firstAdmin, slug: "api" });
    await call(409, "admin", "POST", M, firstAdmin);
    await call(200, "admin", "GET", M);
    await call(403, "moderator", "GET", M);
    const MK = `${M}/${kunta.body.id}`;
    const read = await call(200, "admin", "GET", MK);
    await call(404, "admin", "GET", `${M}/00000000-0000-4000-8000-0000000000ff`);
    const patched = await call(200, "admin", "PATCH", MK, {
      updated_at: read.body.updated_at,
      name: { fi: "Openapi" },
      theme: { colours: { primary: "#0b4f8a" } },
      hosts: ["openapi.kunta.test"],
    });
    await call(409, "admin", "PATCH", MK, { updated_at: read.body.updated_at, name: { fi: "x" } });
    await call(422, "admin", "PATCH", MK, {
      updated_at: patched.body.updated_at,
      theme: { colours: { primary: "#ffff00" } },
    });
    await call(200, "admin", "GET", `${MK}/staff`);
    const invitation = await call(201, "admin", "POST", `${MK}/staff/invitations`, {
      email: "oa2@x.test",
      role: "moderator",
    });
    await call(204, "admin", "DELETE", `${MK}/staff/invitations/${invitation.body.id}`);
    const staffToken = await mailTo("oa@x.test", "staff_invitation");
    await call(200, "anonymous", "POST", "/api/v1/staff-invitations/lookup", { token: staffToken });
    await call(200, "anonymous", "POST", "/api/v1/staff-invitations/accept-new", {
      token: staffToken,
      password: "kunnan-salasana-1",
      display_name: "Kunnan pääkäyttäjä",
    });
    await call(400, "anonymous", "POST", "/api/v1/staff-invitations/lookup", { token: staffToken });
    await call(201, "admin", "POST", `${MK}/staff/invitations`, {
      email: "member@a.test",
      role: "moderator",
    });
    const memberToken = await mailTo("member@a.test", "staff_invitation");
    await call(200, "member", "POST", "/api/v1/staff-invitations/accept", { token: memberToken });
    const staff = await call(200, "admin", "GET", `${MK}/staff`);
    const memberId = staff.body.data.find((s: { email: string }) => s.email === "member@a.test").user_id;
    await call(200, "admin", "PATCH", `${MK}/staff/${memberId}`, { role: "admin" });
    await call(204, "admin", "DELETE", `${MK}/staff/${memberId}`);
    await call(404, "admin", "DELETE", `${MK}/staff/${memberId}`);
    // Signing out last.
    await call(204, "member", "POST", "/api/v1/auth/logout");
  }, 300_000);

  it("all validated: no undocumented status, media type or body", () => {
    const pending = [...checked.pending].sort();
    console.info(
      `openapi: ${checked.validated} live JSON answers validated; ${pending.length} operations answered without a schema to check (pending A2): ${pending.join(", ")}`,
    );
    if (checked.pendingIssues.length > 0) {
      console.info(`openapi: pending (A2) mismatches:\n  ${checked.pendingIssues.join("\n  ")}`);
    }
    expect(checked.failures).toEqual([]);
    expect(checked.validated).toBeGreaterThan(100);
  });
});

/**
 * What the domain answers fits the contract's schemas (checked by tsc): the browser can import
 * these types from src/contract/api instead of from the domain.
 */
type Fits<Domain extends Contract, Contract> = [Domain, Contract];
describe("contract types", () => {
  it("are what the domain answers (checked by tsc)", () => {
    const checks: [
      Fits<PublicEvent, EventDetail>,
      Fits<Awaited<ReturnType<typeof describeMe>>, Me>,
      Fits<Awaited<ReturnType<typeof exportUserData>>, MyDataExport>,
    ][] = [];
    expect(checks).toEqual([]);
  });
});
