/**
 * A small world for workflow tests on a fresh database: organisations A (untrusted),
 * B and T (trusted), a place and a category, and one signed-in user per role. `as(who)`
 * calls the API in-process with that user's session cookie and a same-site Origin.
 */
import { eq } from "drizzle-orm";
import type { ResponseCache } from "../../src/cache/response-cache.ts";
import { categories, memberships, organisations, outbox, places, users } from "../../src/db/schema.ts";
import { hashPassword } from "../../src/domain/accounts/passwords.ts";
import type { DataVersionTracker } from "../../src/domain/data-version.ts";
import type { TenantCache } from "../../src/http/tenant.ts";
import type { ShellLoader } from "../../src/pages/event-page.ts";
import { buildTestApp, fixedClock } from "./app.ts";
import { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./db.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./tenant.ts";

export const ORIGIN = "http://kalenteri.test";
export const PASSWORD = "salasana-123456";
export const NOW = "2026-06-01T09:00:00Z";

export const ROLES = ["anonymous", "otherOrg", "member", "orgAdmin", "moderator", "admin"] as const;
export type Who = (typeof ROLES)[number] | "trustedMember";

const PEOPLE: {
  who: Exclude<Who, "anonymous">;
  email: string;
  role: "organiser" | "moderator" | "admin";
  locale: string;
}[] = [
  { who: "member", email: "member@a.test", role: "organiser", locale: "fi" },
  { who: "orgAdmin", email: "admin@a.test", role: "organiser", locale: "sv" },
  { who: "otherOrg", email: "member@b.test", role: "organiser", locale: "en" },
  { who: "trustedMember", email: "member@t.test", role: "organiser", locale: "fi" },
  { who: "moderator", email: "moderator@kunta.test", role: "moderator", locale: "fi" },
  { who: "admin", email: "admin@kunta.test", role: "admin", locale: "en" },
];

/** The token of an emailed link path such as "/tili/vahvista?token=…". */
export const tokenFrom = (path: unknown) => new URL(String(path), ORIGIN).searchParams.get("token") as string;

export interface Call {
  status: number;
  // Tests read arbitrary JSON fields from responses.
  body: Record<string, any>;
  res: Response;
}

export async function createWorkflowWorld(
  opts: {
    trustProxy?: boolean;
    clientIp?: string;
    /** The world's app gets this response cache and in-memory data version. */
    responseCache?: ResponseCache;
    dataVersion?: DataVersionTracker;
    onQuery?: TestDatabaseOptions["onQuery"];
    /** The app's municipalities (a test that adds some invalidates it). */
    tenants?: TenantCache;
    /** Page shells: enables the server-rendered pages. */
    shell?: ShellLoader;
  } = {},
) {
  const database: TestDatabase = await createTestDatabase(opts.onQuery ? { onQuery: opts.onQuery } : {});
  const clock = fixedClock(NOW);
  const { testConfig } = await import("./app.ts");
  const t = buildTestApp(database, {
    clock,
    config: testConfig(opts.trustProxy ? { TRUST_PROXY: "true" } : {}),
    ...(opts.clientIp ? { clientIp: opts.clientIp } : {}),
    ...(opts.responseCache ? { responseCache: opts.responseCache } : {}),
    ...(opts.dataVersion ? { dataVersion: opts.dataVersion } : {}),
    ...(opts.tenants ? { tenants: opts.tenants } : {}),
    ...(opts.shell ? { shell: opts.shell } : {}),
  });
  const db = database.db;
  const [orgA, orgB, orgT] = await db
    .insert(organisations)
    .values([
      {
        slug: "org-a",
        name: "Yhdistys A",
        kind: "association",
        contactEmail: "private-a@a.test",
        contactPhone: "+358401234567",
      },
      { slug: "org-b", name: "Yhdistys B", kind: "association" },
      { slug: "org-t", name: "Kunnan kirjasto", kind: "municipality", trusted: true },
    ])
    .returning();
  const [place] = await db
    .insert(places)
    .values({
      municipalityId: DEFAULT_MUNICIPALITY_ID,
      slug: "seurantalo",
      name: { fi: "Seurantalo", sv: "Föreningshuset" },
      approvedAt: new Date(NOW),
    })
    .returning();
  const [otherPlace] = await db
    .insert(places)
    .values({
      municipalityId: DEFAULT_MUNICIPALITY_ID,
      slug: "kirjasto",
      name: { fi: "Kirjasto" },
      approvedAt: new Date(NOW),
    })
    .returning();
  await db.insert(categories).values([
    { slug: "musiikki", name: { fi: "Musiikki", sv: "Musik", en: "Music" } },
    { slug: "liikunta", name: { fi: "Liikunta", sv: "Motion", en: "Sports" } },
  ]);
  const hash = await hashPassword(PASSWORD, 1000);
  const ids: Record<string, string> = {};
  for (const p of PEOPLE) {
    const [u] = await db
      .insert(users)
      .values({
        email: p.email,
        displayName: p.who,
        role: p.role,
        locale: p.locale,
        passwordHash: hash,
        emailVerifiedAt: new Date(NOW),
      })
      .returning();
    ids[p.who] = u!.id;
  }
  await db.insert(memberships).values([
    { userId: ids.member!, organisationId: orgA!.id, role: "member" },
    { userId: ids.orgAdmin!, organisationId: orgA!.id, role: "admin" },
    { userId: ids.otherOrg!, organisationId: orgB!.id, role: "admin" },
    { userId: ids.trustedMember!, organisationId: orgT!.id, role: "member" },
  ]);

  async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = {
      method,
      headers: {
        Origin: ORIGIN,
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await t.app.request(path, init);
    const text = await res.clone().text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed, res } as Call;
  }

  async function login(email: string, password = PASSWORD): Promise<string> {
    const r = await raw("POST", "/api/v1/auth/login", { email, password });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  }

  const cookies: Partial<Record<Who, string>> = {};
  for (const p of PEOPLE) cookies[p.who] = await login(p.email);

  /** Calls the API as one of the world's people. */
  const as =
    (who: Who) =>
    (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      raw(method, path, body, who === "anonymous" ? headers : { Cookie: cookies[who] as string, ...headers });

  const event = (over: Record<string, unknown> = {}) => ({
    title: { fi: "Kesäkonsertti seurantalolla", sv: "Sommarkonsert i föreningshuset" },
    short_description: { fi: "Iloista musiikkia koko perheelle" },
    start: "2026-07-01T18:00:00+03:00",
    end: "2026-07-01T20:00:00+03:00",
    place_id: place!.id,
    categories: ["musiikki"],
    ...over,
  });

  /** Creates an event of organisation A as its member and brings it to `state`. */
  async function eventIn(
    state: "draft" | "pending" | "published" | "rejected" | "revision" | "cancelled" | "postponed",
    over: Record<string, unknown> = {},
  ): Promise<{ id: string; version: number }> {
    const member = as("member");
    const created = await member("POST", "/api/v1/events", { organisation_id: orgA!.id, ...event(over) });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    let id = created.body.id as string;
    let version = created.body.version as number;
    const step = async (r: Promise<Call>) => {
      const c = await r;
      if (c.status !== 200) throw new Error(`${c.status} ${JSON.stringify(c.body)}`);
      version = c.body.version as number;
      id = (c.body.id as string) ?? id;
    };
    if (state === "draft") return { id, version };
    await step(member("POST", `/api/v1/events/${id}/submit`, { version }));
    if (state === "pending") return { id, version };
    if (state === "rejected") {
      await step(
        as("moderator")("POST", `/api/v1/moderation/events/${id}/reject`, { version, reason: "Ei sovi" }),
      );
      return { id, version };
    }
    await step(as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, { version }));
    if (state === "revision")
      await step(member("PATCH", `/api/v1/events/${id}`, { version, title: { fi: "Muutettu otsikko" } }));
    if (state === "cancelled") await step(member("POST", `/api/v1/events/${id}/cancel`, { version }));
    if (state === "postponed") await step(member("POST", `/api/v1/events/${id}/postpone`, { version }));
    return { id, version };
  }

  /** Notifications queued for one address, oldest first. */
  const mailsTo = (email: string) =>
    db.select().from(outbox).where(eq(outbox.recipient, email)).orderBy(outbox.id);

  return {
    database,
    mailsTo,
    t,
    clock,
    ids,
    orgA: orgA!,
    orgB: orgB!,
    orgT: orgT!,
    place: place!,
    otherPlace: otherPlace!,
    as,
    raw,
    login,
    event,
    eventIn,
    close: () => database.close(),
  };
}
export type World = Awaited<ReturnType<typeof createWorkflowWorld>>;
