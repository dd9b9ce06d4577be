/**
 * Fuzz drill: requests generated with fast-check from the OpenAPI document alone — every
 * operation it lists (API, feeds, health, docs), with random and hostile values for every
 * path, query and header parameter it declares and for the JSON bodies — anonymously and as
 * organiser, organisation admin, moderator and admin. A route or parameter missing from the
 * document is missing here too; the last test checks that every operation and every declared
 * parameter was exercised. No response may be a 5xx, and every 4xx must be a problem+json
 * with status, title and type. The seed is fixed (FUZZ_SEED overrides it) and reported
 * on failure; FUZZ_RUNS changes the number of requests per actor.
 */

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships, organisations, sessions, users } from "../../src/db/schema.ts";
import { hashPassword } from "../../src/domain/accounts/passwords.ts";
import { randomToken, sha256Hex } from "../../src/domain/secrets.ts";
import { onPostgres } from "../helpers/db.ts";
import { createWorkflowWorld, NOW, ORIGIN, type World } from "../helpers/workflow.ts";
import {
  checkProblem,
  deeplyNested,
  expectNoPrototypePollution,
  HOSTILE_STRINGS,
  HOSTILE_VALUES,
} from "./hostile.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20260801);
const RUNS_PER_ACTOR = Number(process.env.FUZZ_RUNS ?? 2100);
const ACTORS = ["anonymous", "member", "orgAdmin", "moderator", "admin"] as const;
type Actor = (typeof ACTORS)[number];

type Schema = any;
interface Route {
  operationId: string;
  method: string;
  path: string;
  query: string[];
  /** Header parameters the operation declares (If-None-Match …). */
  headers: string[];
  body?: Schema;
}

let w: World;
let routes: Route[] = [];
let components: Record<string, Schema> = {};
const ids: string[] = [];
const orgIds: string[] = [];
const victimUsers: string[] = [];
const victimOrgs: string[] = [];
let sent = 0;
const statuses = new Map<number, number>();
const slowest: [number, string][] = [];
/** What the generated requests covered: operations, and "operationId query|header name". */
const coveredOps = new Set<string>();
const coveredParams = new Set<string>();
const declaredParams = new Set<string>();

beforeAll(async () => {
  w = await createWorkflowWorld();
  for (const state of [
    "draft",
    "pending",
    "published",
    "published",
    "rejected",
    "revision",
    "cancelled",
  ] as const) {
    ids.push((await w.eventIn(state)).id);
  }
  orgIds.push(w.orgA.id, w.orgB.id, w.orgT.id, w.place.id);
  // Users and an organisation that destructive admin calls may remove without changing the actors.
  const hash = await hashPassword("victim-password-1", 1000);
  for (let i = 0; i < 4; i++) {
    const [u] = await w.database.db
      .insert(users)
      .values({
        email: `victim${i}@a.test`,
        displayName: `victim ${i}`,
        passwordHash: hash,
        emailVerifiedAt: new Date(NOW),
      })
      .returning();
    victimUsers.push(u!.id);
    await w.database.db
      .insert(memberships)
      .values({ userId: u!.id, organisationId: w.orgA.id, role: "member" });
  }
  const [vo] = await w.database.db
    .insert(organisations)
    .values({ slug: "victim-org", name: "Victim", kind: "association" })
    .returning();
  victimOrgs.push(vo!.id);

  const doc = (await (await w.t.app.request("/api/v1/openapi.json")).json()) as Schema;
  components = doc.components?.schemas ?? {};
  for (const [path, ops] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(ops)) {
      const params = (op.parameters ?? []) as { in: string; name: string }[];
      const names = (where: string) => params.filter((p) => p.in === where).map((p) => p.name);
      for (const p of params) if (p.in !== "path") declaredParams.add(`${op.operationId} ${p.in} ${p.name}`);
      routes.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        query: names("query"),
        headers: names("header"),
        body: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  routes = routes.sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`));
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const resolve = (s: Schema): Schema =>
  s?.$ref ? components[String(s.$ref).replace("#/components/schemas/", "")] : s;

/** Percent-encodes a string; a lone surrogate goes out as the invalid UTF-8 bytes of one. */
const enc = (s: string) =>
  s
    .split(/([\ud800-\udfff])/)
    .map((part) =>
      part.length === 1 && /[\ud800-\udfff]/.test(part)
        ? `%ED%${(0xa0 + ((part.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%80`
        : encodeURIComponent(part),
    )
    .join("");

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 8, max: 400 }).map((d) => JSON.parse(deeplyNested(d, "object"))),
  },
);

/** A value that mostly fits the schema, with hostile strings and sometimes a hostile value instead. */
function fromSchema(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(raw) ?? {};
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v: Schema) => fromSchema(v, depth)));
  let fitting: fc.Arbitrary<unknown>;
  if (s.enum) fitting = fc.constantFrom(...s.enum);
  else if (s.type === "object" || s.properties) {
    const props = Object.entries<Schema>(s.properties ?? {});
    const required = new Set<string>(s.required ?? []);
    fitting = fc
      .record(
        Object.fromEntries(
          props.map(([k, v]) => [k, depth > 4 ? fc.constant(null) : fromSchema(v, depth + 1)]),
        ),
        { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) },
      )
      .chain((obj) =>
        fc.oneof(
          { weight: 8, arbitrary: fc.constant(obj) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                fc.constantFrom("__proto__", "constructor", "prototype", "extra", "toString"),
                hostileValue,
              )
              .map(([k, v]) => {
                // An own "__proto__" key, as JSON.parse would make it (assignment would set the prototype).
                const copy = { ...(obj as object) };
                Object.defineProperty(copy, k, {
                  value: v,
                  enumerable: true,
                  writable: true,
                  configurable: true,
                });
                return copy;
              }),
          },
        ),
      );
  } else if (s.type === "array") {
    fitting = fc.array(fromSchema(s.items ?? {}, depth + 1), { maxLength: Math.min(s.maxItems ?? 5, 5) });
  } else if (s.type === "integer" || s.type === "number") {
    const min = s.minimum ?? -1e6;
    const max = s.maximum ?? 1e6;
    fitting =
      s.type === "integer"
        ? fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) })
        : fc.double({ min, max, noNaN: true });
  } else if (s.type === "boolean") fitting = fc.boolean();
  else if (s.type === "null") fitting = fc.constant(null);
  else if (s.format === "uuid") fitting = fc.oneof(fc.constantFrom(...ids, ...orgIds), fc.uuid());
  else if (s.format === "email")
    fitting = fc.oneof(fc.emailAddress(), fc.constantFrom("member@a.test", "x@example.com"));
  else if (s.type === "string") {
    fitting = fc.oneof(
      {
        weight: 2,
        arbitrary: fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) }),
      },
      { weight: 2, arbitrary: hostileString },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "2026-07-01T18:00:00+03:00",
          "2026-07-01",
          "FREQ=WEEKLY;COUNT=3",
          "https://example.com/x",
        ),
      },
    );
  } else fitting = hostileValue;
  return fc.oneof({ weight: 6, arbitrary: fitting }, { weight: 1, arbitrary: hostileValue });
}

const pathId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...["ids"]) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: hostileString.map((s) => enc(s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "..%2f..%2fpackage.json",
      "%2e%2e",
      "%00",
      "%zz",
      "-1",
      "1e999",
      "a".repeat(3000),
    ),
  },
);

/** A query string: known parameters with plausible or hostile values, unknown ones, repeats and broken escapes. */
function queryFor(route: Route): fc.Arbitrary<string> {
  const names = route.query.length ? route.query : ["lang"];
  const value = fc.oneof(
    { weight: 3, arbitrary: hostileString.map((s) => enc(s)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "fi",
        "sv",
        "en",
        "2026-07-01",
        "2026-06-01T00:00:00Z",
        "true",
        "10",
        "musiikki",
        "60.4,24.8",
        "24,60,25,61",
        "relevance",
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%ED%A0%80", "a%2Cb,c", "+", "1e999", "-0"),
    },
  );
  const pair = fc.tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "unknown", "%00") },
    ),
    value,
  );
  return fc
    .array(pair, { maxLength: 6 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));
}

const TEXT_FIELDS = ["title", "short_description", "description", "price"] as const;

/** A valid event body (or submission) with hostile text in one field: these get stored. */
function plausibleEvent(route: Route): fc.Arbitrary<string> {
  return fc
    .record({
      field: fc.constantFrom(...TEXT_FIELDS),
      lang: fc.constantFrom("fi", "sv", "en"),
      text: hostileString,
      version: fc.integer({ min: 1, max: 4 }),
      place: fc.boolean(),
    })
    .map(({ field, lang, text, version, place }) => {
      const event: Record<string, unknown> = {
        ...w.event(),
        [field]: { fi: "Fuzz", [lang]: text },
        ...(place
          ? { place_id: undefined, place: { name: { fi: text || "x" }, locality: text.slice(0, 100) } }
          : {}),
      };
      if (route.path === "/api/v1/submissions")
        return JSON.stringify({ submitter: { name: "Fuzz", email: "fuzz@example.com" }, event, website: "" });
      if (route.method === "PATCH") return JSON.stringify({ ...event, version });
      return JSON.stringify({ ...event, organisation_id: w.orgA.id });
    });
}

interface Req {
  actor: Actor;
  method: string;
  url: string;
  body?: string;
  headers: Record<string, string>;
}

function requestFor(actor: Actor): fc.Arbitrary<Req> {
  return fc.constantFrom(...routes).chain((route) => {
    const id = pathId.chain((p) => (p === "ids" ? fc.constantFrom(...targetIds(route)) : fc.constant(p)));
    const bodyArb: fc.Arbitrary<string | undefined> = route.body
      ? fc.oneof(
          { weight: 8, arbitrary: fromSchema(route.body).map((v) => JSON.stringify(v)) },
          { weight: resolve(route.body)?.properties?.title ? 6 : 0, arbitrary: plausibleEvent(route) },
          { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              deeplyNested(10_000),
              deeplyNested(5_000, "object"),
              '{"version": 1e999}',
              '{"version": 123456789012345678901234567890}',
              '{"__proto__": {"admin": true}, "version": 1}',
              "{",
              "",
              "null",
              '"string"',
              `{"title": {"fi": "${"x".repeat(300_000)}"}}`,
            ),
          },
        )
      : route.method === "GET"
        ? fc.constant(undefined)
        : fc.option(fc.constantFrom("{}", "[]", "garbage"), { nil: undefined });
    return fc
      .record({
        id,
        id2: id,
        ext: fc.constantFrom("ics", "ics", "rss", "json", ""),
        declaredHeader: fc.option(
          fc.tuple(
            fc.constantFrom(...(route.headers.length ? route.headers : ["X-Unused"])),
            fc.oneof(
              hostileString.filter((v) => /^[\x20-\x7e]*$/.test(v)),
              fc.constant('"abc"'),
            ),
          ),
          { nil: undefined },
        ),
        query: queryFor(route),
        body: bodyArb,
        extra: fc.constantFrom<Record<string, string>>(
          {},
          {},
          {},
          { Accept: "application/ld+json" },
          { "If-None-Match": '"garbage", *' },
          { "If-Modified-Since": "not a date" },
          { "X-Submitter-Token": "kk_xxxxxxxxxxxxxxxxxxxxx" },
          { Authorization: "Bearer kk_not-a-real-token-123" },
          { Origin: "https://evil.example" },
          { "Content-Type": "text/plain" },
          { "X-Request-Id": "<script>" },
        ),
      })
      .map(({ id, id2, ext, declaredHeader, query, body, extra }) => {
        // Every path parameter the document declares: ids, and feed files ({id or slug}.ics|rss).
        let n = 0;
        const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          const value = n++ === 0 ? id : id2;
          return name === "file" ? `${value}.${ext}` : value;
        });
        const headers: Record<string, string> = {
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...extra,
          ...(declaredHeader && route.headers.length ? { [declaredHeader[0]]: declaredHeader[1] } : {}),
        };
        coveredOps.add(route.operationId);
        const sentNames = new Set(
          query
            .replace(/^\?/, "")
            .split("&")
            .map((pair) => pair.split("=")[0]),
        );
        for (const name of route.query)
          if (sentNames.has(name)) coveredParams.add(`${route.operationId} query ${name}`);
        for (const name of route.headers)
          if (name in headers) coveredParams.add(`${route.operationId} header ${name}`);
        return {
          actor,
          method: route.method,
          url: `${path}${query}`,
          ...(body !== undefined ? { body } : {}),
          headers,
        };
      });
  });
}

/** Real ids a route may act on: user-removing admin routes only get the victims. */
function targetIds(route: Route): string[] {
  if (route.path.startsWith("/api/v1/admin/users/") || route.path.includes("/members/{userId}"))
    return victimUsers;
  if (route.path.startsWith("/api/v1/admin/organisations/")) return victimOrgs;
  if (route.path.includes("/organisations/")) return [...orgIds, ...victimOrgs];
  return [...ids, "kulttuuri", "musiikki", "org-a", "seurantalo"];
}

const ROLE_OF: Record<
  Exclude<Actor, "anonymous">,
  { role: "organiser" | "moderator" | "admin"; membership?: "member" | "admin" }
> = {
  member: { role: "organiser", membership: "member" },
  orgAdmin: { role: "organiser", membership: "admin" },
  moderator: { role: "moderator" },
  admin: { role: "admin" },
};
let disposable = 0;

/** A session cookie for `actor`; calls that end sessions or accounts get a throwaway user of the same role. */
async function cookieFor(actor: Exclude<Actor, "anonymous">, req: Req): Promise<string> {
  const destructive =
    (req.method === "DELETE" && req.url.split("?")[0] === "/api/v1/me") ||
    req.url.startsWith("/api/v1/auth/");
  const db = w.database.db;
  let userId = w.ids[actor] as string;
  if (destructive) {
    const spec = ROLE_OF[actor];
    const [u] = await db
      .insert(users)
      .values({
        email: `throwaway${disposable++}@a.test`,
        displayName: "t",
        role: spec.role,
        emailVerifiedAt: new Date(NOW),
      })
      .returning();
    userId = u!.id;
    if (spec.membership)
      await db.insert(memberships).values({ userId, organisationId: w.orgA.id, role: spec.membership });
  }
  const token = randomToken();
  await db.insert(sessions).values({
    id: await sha256Hex(token),
    userId,
    createdAt: new Date(NOW),
    lastSeenAt: new Date(NOW),
    expiresAt: new Date(Date.parse(NOW) + 86_400_000),
  });
  return `kk_session=${token}`;
}

const cookies = new Map<Actor, string>();

async function send(req: Req): Promise<Response> {
  const headers: Record<string, string> = { Origin: ORIGIN, ...req.headers };
  if (req.actor !== "anonymous") {
    const destructive =
      req.url.startsWith("/api/v1/auth/") ||
      (req.method === "DELETE" && req.url.split("?")[0] === "/api/v1/me");
    let cookie = cookies.get(req.actor);
    if (!cookie || destructive) cookie = await cookieFor(req.actor, req);
    if (!destructive) cookies.set(req.actor, cookie);
    headers.Cookie = cookie;
  }
  const init: RequestInit = { method: req.method, headers };
  if (req.body !== undefined) init.body = req.body;
  sent++;
  return w.t.app.request(req.url, init);
}

describe(`fuzz drill (${onPostgres ? "PostgreSQL" : "PGlite"}), seed ${SEED}`, () => {
  for (const [i, actor] of ACTORS.entries()) {
    it(`${RUNS_PER_ACTOR} generated requests as ${actor}: no 5xx, every 4xx a problem`, async () => {
      const before = sent;
      await fc.assert(
        fc.asyncProperty(requestFor(actor), async (req) => {
          const started = performance.now();
          const res = await send(req);
          await res.clone().arrayBuffer();
          slowest.push([performance.now() - started, `${req.actor} ${req.method} ${req.url.slice(0, 120)}`]);
          slowest.sort((a, b) => b[0] - a[0]).splice(8);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500)
            throw new Error(
              `${res.status} for ${req.method} ${req.url}: ${(await res.text()).slice(0, 300)}`,
            );
          if (res.status >= 400) {
            const check = await checkProblem(res);
            if (!check.ok)
              throw new Error(`${res.status} for ${req.method} ${req.url} is not a problem: ${check.why}`);
          } else {
            await res.arrayBuffer();
          }
        }),
        { seed: SEED + i, numRuns: RUNS_PER_ACTOR, endOnFailure: true },
      );
      expect(sent - before).toBeGreaterThanOrEqual(RUNS_PER_ACTOR);
      expectNoPrototypePollution();
    }, 240_000);
  }

  it("sent at least 10,000 requests in all, and the app still answers", async () => {
    console.log(
      `fuzz: ${sent} requests, seed ${SEED}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    console.log(`slowest: ${slowest.map(([ms, r]) => `${Math.round(ms)} ms ${r}`).join("\n  ")}`);
    expect(sent).toBeGreaterThanOrEqual(RUNS_PER_ACTOR * ACTORS.length);
    expect(RUNS_PER_ACTOR * ACTORS.length).toBeGreaterThanOrEqual(10_000);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);

    const health = await w.t.app.request("/healthz");
    expect(health.status).toBe(200);
    expect(w.t.logger.entries.filter((e) => e.level === "error")).toEqual([]);
  });

  it("exercised every operation and every parameter of the document", () => {
    const missedOps = routes.map((r) => r.operationId).filter((id) => !coveredOps.has(id));
    const missedParams = [...declaredParams].filter((p) => !coveredParams.has(p));
    console.log(
      `fuzz: ${coveredOps.size} of ${routes.length} operations and ${coveredParams.size} of ${declaredParams.size} query/header parameters exercised`,
    );
    expect(missedOps).toEqual([]);
    expect(missedParams).toEqual([]);
  });
});
