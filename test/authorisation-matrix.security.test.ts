/**
 * Authorisation matrix: every mutating endpoint called as each of anonymous, an
 * organiser of another organisation, a member and an admin of the owning organisation,
 * a moderator and an admin. Asserts the exact set that is allowed; everyone else gets
 * 401 (anonymous) or 403.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, memberships, municipalityStaff, organisations, users } from "../src/db/schema.ts";
import { hashPassword } from "../src/domain/accounts/passwords.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { type Call, createWorkflowWorld, PASSWORD, ROLES, type Who, type World } from "./helpers/workflow.ts";
import { SELF_SERVICE_WRITES } from "./helpers/write-routes.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

type Send = (method: string, path: string, body?: unknown) => Promise<Call>;
interface Case {
  name: string;
  allowed: Who[];
  run: (send: Send) => Promise<Call>;
}

const ORGANISER: Who[] = ["member", "orgAdmin", "admin"];
const MODERATORS: Who[] = ["moderator", "admin"];
const ORG_ADMINS: Who[] = ["orgAdmin", "admin"];
const ADMINS: Who[] = ["admin"];
let seq = 0;

async function freshUser(inOrgA: boolean): Promise<string> {
  const [u] = await w.database.db
    .insert(users)
    .values({ email: `fresh${++seq}@x.test`, displayName: "Fresh" })
    .returning();
  if (inOrgA) await w.database.db.insert(memberships).values({ userId: u!.id, organisationId: w.orgA.id });
  return u!.id;
}

/** A fresh moderator on the default municipality's own staff. */
async function freshStaff(): Promise<string> {
  const id = await freshUser(false);
  await w.database.db
    .insert(municipalityStaff)
    .values({ municipalityId: DEFAULT_MUNICIPALITY_ID, userId: id });
  return id;
}

/** The default municipality's current updated_at (an edit must send it). */
const municipalityVersion = async () =>
  (await w.as("admin")("GET", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`)).body.updated_at;

/** A fresh local category of the default municipality, by slug. */
async function freshCategory(): Promise<string> {
  const slug = `oma-${++seq}`;
  await w.database.db
    .insert(categories)
    .values({ slug, name: { fi: "Oma" }, municipalityId: DEFAULT_MUNICIPALITY_ID });
  return slug;
}

/** A fresh pending profile change of the untrusted organisation A (its admin edits its description). */
async function pendingProfile(): Promise<string> {
  const r = await w.as("orgAdmin")("PATCH", `/api/v1/organisations/${w.orgA.id}`, {
    description: { fi: `Yhdistyksen esittely ${++seq}` },
  });
  expect(r.body.profile_submitted_at, JSON.stringify(r.body)).toBeTruthy();
  return r.body.profile_submitted_at as string;
}

const onEvent =
  (
    state: Parameters<World["eventIn"]>[0],
    method: string,
    action: string,
    extra: Record<string, unknown> = {},
  ) =>
  async (send: Send) => {
    const { id, version } = await w.eventIn(state, { place_id: w.otherPlace.id });
    return send(method, action.replace(":id", id), { version, ...extra });
  };

const CASES: Case[] = [
  {
    name: "POST /events",
    allowed: ORGANISER,
    run: (send) =>
      send("POST", "/api/v1/events", {
        organisation_id: w.orgA.id,
        ...w.event({ place_id: w.otherPlace.id }),
      }),
  },
  {
    name: "PATCH /events/{id}",
    allowed: ORGANISER,
    run: onEvent("draft", "PATCH", "/api/v1/events/:id", { title: { fi: "Uusi" } }),
  },
  {
    name: "POST /events/{id}/submit",
    allowed: ORGANISER,
    run: onEvent("draft", "POST", "/api/v1/events/:id/submit"),
  },
  {
    name: "POST /events/{id}/withdraw",
    allowed: ORGANISER,
    run: onEvent("pending", "POST", "/api/v1/events/:id/withdraw"),
  },
  {
    name: "POST /events/{id}/cancel",
    allowed: ["member", "orgAdmin", "moderator", "admin"],
    run: onEvent("published", "POST", "/api/v1/events/:id/cancel"),
  },
  {
    name: "POST /events/{id}/postpone",
    allowed: ORGANISER,
    run: onEvent("published", "POST", "/api/v1/events/:id/postpone"),
  },
  { name: "DELETE /events/{id}", allowed: ORGANISER, run: onEvent("draft", "DELETE", "/api/v1/events/:id") },
  {
    name: "POST /moderation/events/{id}/approve",
    allowed: MODERATORS,
    run: onEvent("pending", "POST", "/api/v1/moderation/events/:id/approve"),
  },
  {
    name: "POST /moderation/events/{id}/reject",
    allowed: MODERATORS,
    run: onEvent("pending", "POST", "/api/v1/moderation/events/:id/reject", { reason: "Ei" }),
  },
  {
    name: "POST /moderation/events/{id}/request-changes",
    allowed: MODERATORS,
    run: onEvent("pending", "POST", "/api/v1/moderation/events/:id/request-changes", { comment: "Korjaa" }),
  },
  {
    name: "POST /moderation/events/{id}/approve (revision)",
    allowed: MODERATORS,
    run: onEvent("revision", "POST", "/api/v1/moderation/events/:id/approve"),
  },
  {
    name: "POST /moderation/bulk",
    allowed: MODERATORS,
    run: async (send) => {
      const e = await w.eventIn("pending", { place_id: w.otherPlace.id });
      return send("POST", "/api/v1/moderation/bulk", { action: "approve", items: [e] });
    },
  },
  {
    name: "POST /moderation/organisations/{id}/trust",
    // Regional moderators and region admins (trust holds in every municipality).
    allowed: MODERATORS,
    run: (send) => send("POST", `/api/v1/moderation/organisations/${w.orgA.id}/trust`, { trusted: false }),
  },
  {
    name: "PATCH /organisations/{id}",
    allowed: ORG_ADMINS,
    run: (send) => send("PATCH", `/api/v1/organisations/${w.orgA.id}`, { website: "https://a.example.fi" }),
  },
  {
    name: "POST /organisations/{id}/members",
    allowed: ORG_ADMINS,
    run: (send) =>
      send("POST", `/api/v1/organisations/${w.orgA.id}/members`, { email: `invite${++seq}@x.test` }),
  },
  {
    name: "POST /organisations/{id}/invitations",
    allowed: ORG_ADMINS,
    run: (send) =>
      send("POST", `/api/v1/organisations/${w.orgA.id}/invitations`, { email: `kutsu${++seq}@x.test` }),
  },
  {
    name: "DELETE /organisations/{id}/invitations/{invitationId}",
    allowed: ORG_ADMINS,
    run: async (send) => {
      const i = await w.as("admin")("POST", `/api/v1/organisations/${w.orgA.id}/invitations`, {
        email: `peru${++seq}@x.test`,
      });
      return send("DELETE", `/api/v1/organisations/${w.orgA.id}/invitations/${i.body.id}`);
    },
  },
  {
    name: "POST /moderation/organisations/{id}/profile/approve",
    allowed: MODERATORS,
    run: async (send) =>
      send("POST", `/api/v1/moderation/organisations/${w.orgA.id}/profile/approve`, {
        submitted_at: await pendingProfile(),
      }),
  },
  {
    name: "POST /moderation/organisations/{id}/profile/reject",
    allowed: MODERATORS,
    run: async (send) =>
      send("POST", `/api/v1/moderation/organisations/${w.orgA.id}/profile/reject`, {
        submitted_at: await pendingProfile(),
        reason: "Ei julkaista",
      }),
  },
  {
    name: "PATCH /organisations/{id}/members/{userId}",
    allowed: ORG_ADMINS,
    run: async (send) =>
      send("PATCH", `/api/v1/organisations/${w.orgA.id}/members/${await freshUser(true)}`, { role: "admin" }),
  },
  {
    name: "DELETE /organisations/{id}/members/{userId}",
    allowed: ORG_ADMINS,
    run: async (send) =>
      send("DELETE", `/api/v1/organisations/${w.orgA.id}/members/${await freshUser(true)}`),
  },
  {
    name: "POST /organisations/{id}/tokens",
    allowed: ORG_ADMINS,
    run: (send) => send("POST", `/api/v1/organisations/${w.orgA.id}/tokens`, { name: "Kotisivu" }),
  },
  {
    name: "DELETE /organisations/{id}/tokens/{tokenId}",
    allowed: ORG_ADMINS,
    run: async (send) => {
      const t = await w.as("admin")("POST", `/api/v1/organisations/${w.orgA.id}/tokens`, { name: "x" });
      return send("DELETE", `/api/v1/organisations/${w.orgA.id}/tokens/${t.body.id}`);
    },
  },
  {
    name: "POST /admin/organisations",
    allowed: ADMINS,
    run: (send) =>
      send("POST", "/api/v1/admin/organisations", { slug: `uusi-${++seq}`, name: "Uusi", kind: "company" }),
  },
  {
    name: "DELETE /admin/organisations/{id}",
    allowed: ADMINS,
    run: async (send) => {
      const [o] = await w.database.db
        .insert(organisations)
        .values({ slug: `pois-${++seq}`, name: "Pois", kind: "other" })
        .returning();
      return send("DELETE", `/api/v1/admin/organisations/${o!.id}`);
    },
  },
  {
    name: "POST /admin/municipalities",
    allowed: ADMINS,
    run: (send) => {
      const n = ++seq;
      return send("POST", "/api/v1/admin/municipalities", {
        slug: `kunta-${n}`,
        name: { fi: `Kunta ${n}` },
        first_admin_email: `kunta${n}@x.test`,
      });
    },
  },
  {
    name: "PATCH /admin/municipalities/{id}",
    allowed: ADMINS,
    run: async (send) =>
      send("PATCH", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`, {
        updated_at: await municipalityVersion(),
        name: { fi: `Oletuskunta ${++seq}` },
      }),
  },
  {
    name: "POST /admin/municipalities/{id}/staff/invitations",
    allowed: ADMINS,
    run: (send) =>
      send("POST", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff/invitations`, {
        email: `henkilo${++seq}@x.test`,
        role: "moderator",
      }),
  },
  {
    name: "DELETE /admin/municipalities/{id}/staff/invitations/{invitationId}",
    allowed: ADMINS,
    run: async (send) => {
      const i = await w.as("admin")(
        "POST",
        `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff/invitations`,
        { email: `peruttava${++seq}@x.test`, role: "moderator" },
      );
      return send(
        "DELETE",
        `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff/invitations/${i.body.id}`,
      );
    },
  },
  {
    name: "PATCH /admin/municipalities/{id}/staff/{userId}",
    allowed: ADMINS,
    run: async (send) =>
      send("PATCH", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff/${await freshStaff()}`, {
        role: "admin",
      }),
  },
  {
    name: "DELETE /admin/municipalities/{id}/staff/{userId}",
    allowed: ADMINS,
    run: async (send) =>
      send("DELETE", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff/${await freshStaff()}`),
  },
  {
    name: "POST /admin/municipalities/{id}/categories",
    allowed: ADMINS,
    run: (send) =>
      send("POST", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories`, {
        slug: `laji-${++seq}`,
        name: { fi: "Laji" },
      }),
  },
  {
    name: "PATCH /admin/municipalities/{id}/categories/{slug}",
    allowed: ADMINS,
    run: async (send) =>
      send(
        "PATCH",
        `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories/${await freshCategory()}`,
        { version: 1, sort_order: 3 },
      ),
  },
  {
    name: "DELETE /admin/municipalities/{id}/categories/{slug}",
    allowed: ADMINS,
    run: async (send) =>
      send(
        "DELETE",
        `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories/${await freshCategory()}`,
        { version: 1 },
      ),
  },
  {
    name: "PATCH /admin/users/{id}",
    allowed: ADMINS,
    run: async (send) =>
      send("PATCH", `/api/v1/admin/users/${await freshUser(false)}`, { role: "moderator" }),
  },
  {
    name: "DELETE /admin/users/{id}",
    allowed: ADMINS,
    run: async (send) => send("DELETE", `/api/v1/admin/users/${await freshUser(false)}`),
  },
];

describe("authorisation matrix", () => {
  it.each(CASES)("$name", async ({ run, allowed }) => {
    const got: Who[] = [];
    for (const who of ROLES) {
      const r = await run(w.as(who));
      if (r.status >= 200 && r.status < 300) got.push(who);
      else expect(r.status, `${who}: ${JSON.stringify(r.body)}`).toBe(who === "anonymous" ? 401 : 403);
    }
    expect(got).toEqual(allowed);
  });

  it("has a row for every mutating route of the OpenAPI document (a new route without one fails)", async () => {
    const doc = (await w.raw("GET", "/api/v1/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const covered = new Set(CASES.map((c) => c.name.replace(/ \(.*\)$/, "")));
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (!["post", "put", "patch", "delete"].includes(method)) continue;
        const name = `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, "")}`;
        if (!covered.has(name) && !SELF_SERVICE_WRITES.has(name)) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });

  it("reading the queue, the log and admin lists is limited the same way", async () => {
    for (const [path, allowed] of [
      ["/api/v1/moderation/queue", MODERATORS],
      ["/api/v1/moderation/log", MODERATORS],
      ["/api/v1/admin/users", ADMINS],
      ["/api/v1/admin/municipalities", ADMINS],
      [`/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`, ADMINS],
      [`/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff`, ADMINS],
      [`/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/categories`, ADMINS],
      [`/api/v1/organisations/${w.orgA.id}/members`, ORG_ADMINS],
      [`/api/v1/organisations/${w.orgA.id}/tokens`, ORG_ADMINS],
    ] as const) {
      const got = [];
      for (const who of ROLES) if ((await w.as(who)("GET", path)).status === 200) got.push(who);
      expect(got, path).toEqual(allowed);
    }
  });
});

describe("across municipalities (A: the default one, B: /b-kunta)", () => {
  let B: string;
  const people: Record<"aAdmin" | "aMod" | "bMod", Send> = {} as never;

  beforeAll(async () => {
    const created = await w.as("admin")("POST", "/api/v1/admin/municipalities", {
      slug: "b-kunta",
      name: { fi: "B-kunta" },
      first_admin_email: "b-admin@x.test",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    B = created.body.id;
    const hash = await hashPassword(PASSWORD, 1000);
    for (const [who, email, municipalityId, role] of [
      ["aAdmin", "a-admin@x.test", DEFAULT_MUNICIPALITY_ID, "admin"],
      ["aMod", "a-mod@x.test", DEFAULT_MUNICIPALITY_ID, "moderator"],
      ["bMod", "b-mod@x.test", B, "moderator"],
    ] as const) {
      const [u] = await w.database.db
        .insert(users)
        .values({ email, displayName: who, passwordHash: hash, emailVerifiedAt: new Date() })
        .returning();
      await w.database.db.insert(municipalityStaff).values({ municipalityId, userId: u!.id, role });
      const cookie = await w.login(email);
      people[who] = (method, path, body) => w.raw(method, path, body, { Cookie: cookie });
    }
  });

  /** A pending event of B, submitted through B's site. */
  async function pendingInB() {
    const member = w.as("member");
    const created = await member("POST", "/b-kunta/api/v1/events", {
      ...w.event({
        place_id: undefined,
        place: { name: { fi: "Beetalo" }, street_address: "Bekatu 1", locality: "B-kunta" },
      }),
      organisation_id: w.orgA.id,
    });
    const submitted = await member("POST", `/b-kunta/api/v1/events/${created.body.id}/submit`, {
      version: created.body.version,
    });
    return { id: created.body.id as string, version: submitted.body.version as number };
  }

  it("A's municipality admin edits A, but neither edits B nor manages B's staff", async () => {
    const { aAdmin } = people;
    const a = await aAdmin("PATCH", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`, {
      updated_at: await municipalityVersion(),
      name: { fi: "A-kunta" },
    });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    const bAt = (await w.as("admin")("GET", `/api/v1/admin/municipalities/${B}`)).body.updated_at;
    expect(
      (await aAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, { updated_at: bAt, name: { fi: "X" } }))
        .status,
    ).toBe(403);
    expect((await aAdmin("GET", `/api/v1/admin/municipalities/${B}`)).status).toBe(403);
    expect((await aAdmin("GET", `/api/v1/admin/municipalities/${B}/staff`)).status).toBe(403);
    expect(
      (
        await aAdmin("POST", `/api/v1/admin/municipalities/${B}/staff/invitations`, {
          email: "x@x.test",
          role: "admin",
        })
      ).status,
    ).toBe(403);
    // …and is no region admin.
    expect(
      (
        await aAdmin("POST", "/api/v1/admin/municipalities", {
          slug: "c-kunta",
          name: { fi: "C" },
          first_admin_email: "c@x.test",
        })
      ).status,
    ).toBe(403);
  });

  it("A's moderator decides A's events, not B's; B's moderator not A's", async () => {
    const { aMod, aAdmin, bMod } = people;
    const b = await pendingInB();
    for (const send of [aMod, aAdmin]) {
      const r = await send("POST", `/b-kunta/api/v1/moderation/events/${b.id}/approve`, {
        version: b.version,
      });
      expect(r.status).toBe(403);
      expect((await send("GET", "/b-kunta/api/v1/moderation/queue")).status).toBe(403);
      expect((await send("GET", `/b-kunta/api/v1/moderation/events/${b.id}`)).status).toBe(403);
    }
    const a = await w.eventIn("pending", { place_id: w.otherPlace.id });
    const byB = await bMod("POST", `/api/v1/moderation/events/${a.id}/approve`, { version: a.version });
    expect(byB.status).toBe(403);
    expect(
      (await aMod("POST", `/api/v1/moderation/events/${a.id}/approve`, { version: a.version })).status,
    ).toBe(200);
    expect(
      (await bMod("POST", `/b-kunta/api/v1/moderation/events/${b.id}/approve`, { version: b.version }))
        .status,
    ).toBe(200);
  });
});
