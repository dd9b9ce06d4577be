/**
 * Region administration and municipality staff (ADR 0006, #21): a region admin creates a
 * municipality (its first admin gets a staff invitation through the outbox), the invitee
 * accepts and edits the site; edits are checked (contrast, hosts, neighbours, languages, a
 * stale updated_at); staff are invited, re-roled and removed; moderation is scoped to the
 * tenant; moderator notifications go to the municipality's own staff, else to the regional
 * moderators; /me tells the browser what the user may do on the site.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESERVED_SLUGS } from "../src/contract/municipality-slugs.ts";
import { DEFAULT_MUNICIPALITY_ID, municipalityStaff, users } from "../src/db/schema.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { onPostgres } from "./helpers/db.ts";
import { type Call, createWorkflowWorld, PASSWORD, tokenFrom, type World } from "./helpers/workflow.ts";

let w: World;
let B: string;
let bAdmin: (method: string, path: string, body?: unknown) => Promise<Call>;
let bAdminId: string;
let bMod: (method: string, path: string, body?: unknown) => Promise<Call>;

const as = (cookie: string) => (method: string, path: string, body?: unknown) =>
  w.raw(method, path, body, { Cookie: cookie });

async function acceptAsNew(email: string, name: string) {
  const mails = await w.mailsTo(email);
  const mail = mails.at(-1);
  expect(mail?.kind).toBe("staff_invitation");
  const token = tokenFrom((mail!.payload as { path: string }).path);
  const lookup = await w.raw("POST", "/api/v1/staff-invitations/lookup", { token });
  expect(lookup.status, JSON.stringify(lookup.body)).toBe(200);
  expect(lookup.body.has_account).toBe(false);
  const joined = await w.raw("POST", "/api/v1/staff-invitations/accept-new", {
    token,
    password: PASSWORD,
    display_name: name,
  });
  expect(joined.status, JSON.stringify(joined.body)).toBe(200);
  // The token works once.
  expect((await w.raw("POST", "/api/v1/staff-invitations/lookup", { token })).status).toBe(400);
  return as(await w.login(email));
}

beforeAll(async () => {
  w = await createWorkflowWorld({ tenants: tenantCache() });
  const created = await w.as("admin")("POST", "/api/v1/admin/municipalities", {
    slug: "b-kunta",
    name: { fi: "B-kunta", sv: "B-kommun" },
    languages: ["fi", "sv"],
    default_locale: "fi",
    lat: 60.5,
    lon: 24.8,
    hosts: ["kalenteri.b-kunta.test"],
    first_admin_email: "Paakayttaja@B-kunta.test",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  B = created.body.id;
  expect(created.body.invitation).toMatchObject({ email: "paakayttaja@b-kunta.test", role: "admin" });
  bAdmin = await acceptAsNew("paakayttaja@b-kunta.test", "B:n pääkäyttäjä");
  const [u] = await w.database.db.select().from(users).where(eq(users.email, "paakayttaja@b-kunta.test"));
  bAdminId = u!.id;
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe(`municipality administration (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("serves the new municipality at once (this instance re-read its directory), by prefix and host", async () => {
    expect((await w.raw("GET", "/b-kunta/api/v1/events")).status).toBe(200);
    expect((await w.raw("GET", "http://kalenteri.b-kunta.test/api/v1/events")).status).toBe(200);
  });

  it("tells the browser the user's roles and what they may do on this site", async () => {
    const onB = await bAdmin("GET", "/b-kunta/api/v1/me");
    expect(onB.status).toBe(200);
    expect(onB.body.role).toBe("organiser");
    expect(onB.body.municipalities).toEqual([
      { municipality: { id: B, slug: "b-kunta", name: { fi: "B-kunta", sv: "B-kommun" } }, role: "admin" },
    ]);
    expect(onB.body.here).toMatchObject({ moderator: true, admin: true, region_admin: false });
    const onA = await bAdmin("GET", "/api/v1/me");
    expect(onA.body.here).toMatchObject({ moderator: false, admin: false, region_admin: false });
    const regional = await w.as("moderator")("GET", "/b-kunta/api/v1/me");
    expect(regional.body.here).toMatchObject({ moderator: true, admin: false, region_admin: false });
    const admin = await w.as("admin")("GET", "/api/v1/me");
    expect(admin.body.here).toMatchObject({ moderator: true, admin: true, region_admin: true });
  });

  it("refuses reserved, malformed and taken slugs, and a default locale outside the languages", async () => {
    const base = { name: { fi: "X" }, first_admin_email: "x@x.test" };
    for (const slug of ["api", "feeds", "moderointi", "hallinta", "Iso", "a"]) {
      const r = await w.as("admin")("POST", "/api/v1/admin/municipalities", { ...base, slug });
      expect(r.status, slug).toBe(400);
      expect(JSON.stringify(r.body.errors ?? r.body)).toContain("slug");
    }
    expect(RESERVED_SLUGS).toContain("tapahtumat");
    const taken = await w.as("admin")("POST", "/api/v1/admin/municipalities", { ...base, slug: "b-kunta" });
    expect(taken.status).toBe(409);
    const locale = await w.as("admin")("POST", "/api/v1/admin/municipalities", {
      ...base,
      slug: "c-kunta",
      languages: ["fi"],
      default_locale: "sv",
    });
    expect(locale.status).toBe(422);
    expect(JSON.stringify(locale.body)).toContain("default_locale");
    const host = await w.as("admin")("POST", "/api/v1/admin/municipalities", {
      ...base,
      slug: "c-kunta",
      hosts: ["kalenteri.b-kunta.test"],
    });
    expect(host.status).toBe(409);
    expect(host.body.host).toBe("kalenteri.b-kunta.test");
    // Nothing half-written: c-kunta does not exist after the failed attempts.
    const list = await w.as("admin")("GET", "/api/v1/admin/municipalities");
    expect(list.body.data.map((m: { slug: string }) => m.slug)).toEqual(["b-kunta", "default"]);
  });

  it("lets the municipality's admin edit its site, with optimistic concurrency", async () => {
    const read = await bAdmin("GET", `/api/v1/admin/municipalities/${B}`);
    expect(read.status).toBe(200);
    const edited = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: read.body.updated_at,
      name: { fi: "Beekunta", sv: "Bekommun", en: "Bee Municipality" },
      theme: { logo_url: "https://b-kunta.test/logo.svg", colours: { primary: "#0b4f8a" } },
      public_url: "https://kalenteri.b-kunta.test",
      neighbour_radius_km: 30,
      neighbours: [DEFAULT_MUNICIPALITY_ID],
      hosts: ["kalenteri.b-kunta.test", "tapahtumat.b-kunta.test"],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      name: { fi: "Beekunta" },
      neighbours: [DEFAULT_MUNICIPALITY_ID],
      hosts: ["kalenteri.b-kunta.test", "tapahtumat.b-kunta.test"],
      neighbour_radius_km: 30,
    });
    expect(edited.body.updated_at).not.toBe(read.body.updated_at);
    // The directory is re-read: the new host serves B.
    expect((await w.raw("GET", "http://tapahtumat.b-kunta.test/api/v1/events")).status).toBe(200);
    // The same updated_at again is stale: 409, nothing changed.
    const stale = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: read.body.updated_at,
      name: { fi: "Vanha" },
    });
    expect(stale.status).toBe(409);
    expect((await bAdmin("GET", `/api/v1/admin/municipalities/${B}`)).body.name.fi).toBe("Beekunta");
  });

  it("refuses a primary colour without 4.5:1 contrast, a host of another municipality, bad neighbours", async () => {
    const at = async () => (await bAdmin("GET", `/api/v1/admin/municipalities/${B}`)).body.updated_at;
    const pale = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: await at(),
      theme: { colours: { primary: "#77aadd" } },
    });
    expect(pale.status).toBe(422);
    expect(pale.body.errors[0].path).toBe("theme.colours.primary");
    const badFormat = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: await at(),
      theme: { colours: { primary: "blue" } },
    });
    expect(badFormat.status).toBe(400);
    const http = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: await at(),
      theme: { logo_url: "http://b-kunta.test/logo.svg" },
    });
    expect(http.status).toBe(400);
    expect(JSON.stringify(http.body)).toContain("theme.logo_url");
    await w.as("admin")("PATCH", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`, {
      updated_at: (await w.as("admin")("GET", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`)).body
        .updated_at,
      hosts: ["kalenteri.a-kunta.test"],
    });
    const clash = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: await at(),
      hosts: ["KALENTERI.a-kunta.test"],
    });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ field: "hosts", host: "kalenteri.a-kunta.test" });
    const self = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: await at(),
      neighbours: [B],
    });
    expect(self.status).toBe(422);
    expect(self.body.errors[0].path).toBe("neighbours");
    const slug = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: await at(),
      slug: "beekunta",
    });
    expect(slug.status).toBe(422);
  });

  it("keeps a municipality admin to their own municipality", async () => {
    const a = await w.as("admin")("GET", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`);
    const patch = await bAdmin("PATCH", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}`, {
      updated_at: a.body.updated_at,
      name: { fi: "Kaapattu" },
    });
    expect(patch.status).toBe(403);
    expect(
      (await bAdmin("GET", `/api/v1/admin/municipalities/${DEFAULT_MUNICIPALITY_ID}/staff`)).status,
    ).toBe(403);
    const list = await bAdmin("GET", "/api/v1/admin/municipalities");
    expect(list.body.data.map((m: { id: string }) => m.id)).toEqual([B]);
    expect(
      (
        await bAdmin("POST", "/api/v1/admin/municipalities", {
          slug: "c-kunta",
          name: { fi: "C" },
          first_admin_email: "c@c.test",
        })
      ).status,
    ).toBe(403);
  });

  it("manages staff: invite, accept, change role, keep one admin, remove, revoke", async () => {
    const invited = await bAdmin("POST", `/api/v1/admin/municipalities/${B}/staff/invitations`, {
      email: "moderaattori@b-kunta.test",
      role: "moderator",
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    bMod = await acceptAsNew("moderaattori@b-kunta.test", "B:n moderaattori");
    const again = await bAdmin("POST", `/api/v1/admin/municipalities/${B}/staff/invitations`, {
      email: "moderaattori@b-kunta.test",
      role: "admin",
    });
    expect(again.status).toBe(409);
    const revoked = await bAdmin("POST", `/api/v1/admin/municipalities/${B}/staff/invitations`, {
      email: "peruttu@b-kunta.test",
      role: "moderator",
    });
    expect(
      (await bAdmin("DELETE", `/api/v1/admin/municipalities/${B}/staff/invitations/${revoked.body.id}`))
        .status,
    ).toBe(204);
    const staff = await bAdmin("GET", `/api/v1/admin/municipalities/${B}/staff`);
    expect(staff.body.data.map((s: { email: string; role: string }) => [s.email, s.role])).toEqual([
      ["moderaattori@b-kunta.test", "moderator"],
      ["paakayttaja@b-kunta.test", "admin"],
    ]);
    expect(staff.body.invitations).toEqual([]);
    // The only admin cannot step down or be removed by a municipality admin.
    expect(
      (await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}/staff/${bAdminId}`, { role: "moderator" }))
        .status,
    ).toBe(409);
    expect((await bAdmin("DELETE", `/api/v1/admin/municipalities/${B}/staff/${bAdminId}`)).status).toBe(409);
    // A moderator of B is not its admin.
    expect((await bMod("GET", `/api/v1/admin/municipalities/${B}/staff`)).status).toBe(403);
    // An extra moderator, removed again.
    const [extra] = await w.database.db
      .insert(users)
      .values({ email: "tilapainen@b-kunta.test", displayName: "Tilapäinen" })
      .returning();
    await w.database.db.insert(municipalityStaff).values({ municipalityId: B, userId: extra!.id });
    const role = await bAdmin("PATCH", `/api/v1/admin/municipalities/${B}/staff/${extra!.id}`, {
      role: "admin",
    });
    expect(role.body).toEqual({ user_id: extra!.id, role: "admin" });
    expect((await bAdmin("DELETE", `/api/v1/admin/municipalities/${B}/staff/${extra!.id}`)).status).toBe(204);
  });

  it("scopes moderation to the tenant: B's moderator decides B's events, not A's", async () => {
    const member = w.as("member");
    const created = await member("POST", "/b-kunta/api/v1/events", {
      ...w.event({
        place_id: undefined,
        place: { name: { fi: "Beetalo" }, street_address: "Bekatu 1", locality: "B-kunta" },
      }),
      organisation_id: w.orgA.id,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const before = {
      regional: (await w.mailsTo("moderator@kunta.test")).length,
      bMod: (await w.mailsTo("moderaattori@b-kunta.test")).length,
    };
    const submitted = await member("POST", `/b-kunta/api/v1/events/${created.body.id}/submit`, {
      version: created.body.version,
    });
    expect(submitted.status).toBe(200);
    // B has its own staff: they are told, the regional moderators are not.
    const bMails = await w.mailsTo("moderaattori@b-kunta.test");
    expect(bMails.length).toBe(before.bMod + 1);
    expect(bMails.at(-1)?.kind).toBe("moderation_new_submission");
    expect((await w.mailsTo("paakayttaja@b-kunta.test")).at(-1)?.kind).toBe("moderation_new_submission");
    expect((await w.mailsTo("moderator@kunta.test")).length).toBe(before.regional);

    // A has no staff of its own: its submissions go to the regional moderators.
    const aEvent = await w.eventIn("pending");
    expect((await w.mailsTo("moderator@kunta.test")).length).toBe(before.regional + 1);
    expect((await w.mailsTo("moderaattori@b-kunta.test")).length).toBe(before.bMod + 1);

    // B's moderator on A's site: 403 for the queue, the log and a decision.
    expect((await bMod("GET", "/api/v1/moderation/queue")).status).toBe(403);
    expect((await bMod("GET", "/api/v1/moderation/log")).status).toBe(403);
    const onA = await bMod("POST", `/api/v1/moderation/events/${aEvent.id}/approve`, {
      version: aEvent.version,
    });
    expect(onA.status).toBe(403);
    // Trusting an organisation holds everywhere: regional moderators only.
    expect(
      (await bMod("POST", `/b-kunta/api/v1/moderation/organisations/${w.orgA.id}/trust`, { trusted: false }))
        .status,
    ).toBe(403);
    // On B's site: the queue shows B's event and the decision goes through.
    const queue = await bMod("GET", "/b-kunta/api/v1/moderation/queue");
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    const approved = await bMod("POST", `/b-kunta/api/v1/moderation/events/${created.body.id}/approve`, {
      version: submitted.body.version,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    // A regional moderator helps anywhere.
    const regional = await w.as("moderator")("POST", `/api/v1/moderation/events/${aEvent.id}/approve`, {
      version: aEvent.version,
    });
    expect(regional.status).toBe(200);
  });

  it("lets a region admin rename the slug; the old prefix no longer serves", async () => {
    const at = (await w.as("admin")("GET", `/api/v1/admin/municipalities/${B}`)).body.updated_at;
    const renamed = await w.as("admin")("PATCH", `/api/v1/admin/municipalities/${B}`, {
      updated_at: at,
      slug: "beekunta",
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await w.raw("GET", "/beekunta/api/v1/events")).status).toBe(200);
    // /b-kunta is no municipality now: the default site answers, without such a route.
    expect((await w.raw("GET", "/b-kunta/api/v1/events")).status).toBe(404);
  });
});
