/**
 * Organisations, invitations and URLs (issue #13, slice C), against the real server
 * process with the demo data: invitations that neither reveal accounts nor add anyone
 * without consent, and are rate-limited; one http(s)-only URL rule for every stored URL;
 * public profile changes of untrusted organisations held for a moderator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpUrlProblem } from "../src/contract/api/http-url.ts";
import { DEMO, type SecurityServer, startSecurityServer } from "./helpers/security-server.ts";

let s: SecurityServer;
let organiser: string;
let moderator: string;
let admin: string;
let orgId: string;

beforeAll(async () => {
  s = await startSecurityServer();
  organiser = await s.login(DEMO.organiser, undefined, "198.51.100.10");
  moderator = await s.login(DEMO.moderator, undefined, "198.51.100.11");
  admin = await s.login(DEMO.admin, undefined, "198.51.100.12");
  const me = await s.call("GET", "/api/v1/me", { cookie: organiser });
  orgId = me.body.memberships.find((m: { role: string }) => m.role === "admin").organisation.id;
}, 120_000);

afterAll(async () => {
  await s?.stop();
});

/** Invitations answered 201, per address: the mail of the newest is the last to arrive. */
const sent = new Map<string, number>();

/**
 * The token of the newest invitation to `to`: waits until every invitation sent to the
 * address has arrived (the outbox sends in order), then takes the last one.
 */
async function newestToken(to: string): Promise<string> {
  const deadline = Date.now() + 75_000;
  for (;;) {
    const tokens = s.mail.mails
      .filter((m) => m.to.includes(to))
      .map((m) => /\/tili\/kutsu\?token=([\w-]+)/.exec(m.text)?.[1])
      .filter((x): x is string => Boolean(x));
    if (tokens.length >= (sent.get(to) ?? 1)) {
      // Mails may arrive out of order (the outbox has more than one sender), and a new invitation
      // replaces the earlier ones to the same address: the newest is the one link that still works.
      for (const token of [...tokens].reverse()) {
        const look = await s.call("POST", "/api/v1/invitations/lookup", {
          body: { token },
          ip: `203.0.113.${1 + Math.floor(Math.random() * 250)}`,
        });
        if (look.status === 200) return token;
      }
      throw new Error(`no live invitation link to ${to}`);
    }
    if (Date.now() > deadline) throw new Error(`no invitation mail to ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function invite(cookie: string, email: string, org = orgId, role = "member") {
  const r = await s.call("POST", `/api/v1/organisations/${org}/invitations`, {
    cookie,
    body: { email, role },
  });
  if (r.status === 201) sent.set(email, (sent.get(email) ?? 0) + 1);
  return r;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe("invitations", () => {
  it("answers the same for an existing account and an unknown address, and adds nobody", async () => {
    // POST …/members, the endpoint that used to add an existing account at once.
    const members = async (email: string) => {
      const r = await s.call("POST", `/api/v1/organisations/${orgId}/members`, {
        cookie: organiser,
        body: { email },
      });
      if (r.status === 201) sent.set(email, (sent.get(email) ?? 0) + 1);
      return r;
    };
    const existing = await members(DEMO.moderator);
    const unknown = await members("ei-tilia@example.fi");
    expect([existing.status, unknown.status]).toEqual([201, 201]);
    const shape = (b: Record<string, unknown>) => ({
      ...b,
      id: "<id>",
      email: "<email>",
      created_at: "<t>",
      expires_at: "<t>",
    });
    expect(shape(existing.body)).toEqual(shape(unknown.body));
    expect(Object.keys(existing.body).sort()).toEqual(["created_at", "email", "expires_at", "id", "role"]);
    // Invitations expire after seven days.
    const ttl = Date.parse(existing.body.expires_at) - Date.parse(existing.body.created_at);
    expect(ttl).toBe(7 * 24 * 3600 * 1000);

    // Timing: the same work either way (no account is looked up), so the same order of magnitude.
    const times: { existing: number[]; unknown: number[] } = { existing: [], unknown: [] };
    for (let i = 0; i < 5; i++) {
      for (const [kind, email] of [
        ["existing", DEMO.moderator],
        ["unknown", "ei-tilia@example.fi"],
      ] as const) {
        const t0 = performance.now();
        expect((await invite(organiser, email)).status).toBe(201);
        times[kind].push(performance.now() - t0);
      }
    }
    const [a, b] = [median(times.existing), median(times.unknown)];
    console.info(`invite timing (median ms): existing account ${a.toFixed(1)}, unknown ${b.toFixed(1)}`);
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(5);

    // Nobody was added: not the existing account, not a new one.
    const list = await s.call("GET", `/api/v1/organisations/${orgId}/members`, { cookie: organiser });
    const emails = list.body.data.map((m: { email: string }) => m.email);
    expect(emails).not.toContain(DEMO.moderator);
    expect(emails).not.toContain("ei-tilia@example.fi");
    const me = await s.call("GET", "/api/v1/me", { cookie: moderator });
    expect(me.body.memberships.map((m: { organisation: { id: string } }) => m.organisation.id)).not.toContain(
      orgId,
    );
    // The admin sees the invitations (the addresses they typed), one per address.
    const pending = await s.call("GET", `/api/v1/organisations/${orgId}/invitations`, { cookie: organiser });
    expect(pending.status).toBe(200);
    expect(pending.body.data.map((i: { email: string }) => i.email).sort()).toEqual([
      "ei-tilia@example.fi",
      DEMO.moderator,
    ]);
  });

  it("an existing account accepts only while signed in as the invited address", async () => {
    expect((await invite(organiser, DEMO.moderator)).status).toBe(201);
    const token = await newestToken(DEMO.moderator);
    const look = await s.call("POST", "/api/v1/invitations/lookup", { body: { token } });
    expect(look.status).toBe(200);
    expect(look.body).toMatchObject({
      organisation: { id: orgId },
      role: "member",
      email: DEMO.moderator,
      has_account: true,
      signed_in_as_invitee: false,
    });
    const anonymous = await s.call("POST", "/api/v1/invitations/accept", { body: { token } });
    expect(anonymous.status).toBe(401);
    const otherAccount = await s.call("POST", "/api/v1/invitations/accept", {
      cookie: admin,
      body: { token },
    });
    expect(otherAccount.status).toBe(403);
    // Nor can the link create a second account for an address that has one.
    const takeover = await s.call("POST", "/api/v1/invitations/accept-new", {
      body: { token, password: "hijacked-password-1", display_name: "Hijack" },
    });
    expect(takeover.status).toBe(409);
    const ok = await s.call("POST", "/api/v1/invitations/accept", { cookie: moderator, body: { token } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ organisation: { id: orgId }, role: "member" });
    const me = await s.call("GET", "/api/v1/me", { cookie: moderator });
    expect(me.body.memberships.map((m: { organisation: { id: string } }) => m.organisation.id)).toContain(
      orgId,
    );
    const again = await s.call("POST", "/api/v1/invitations/accept", { cookie: moderator, body: { token } });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].path).toBe("token");
    // A current member is the one case the admin is told about (they see the member list).
    expect((await invite(organiser, DEMO.moderator)).status).toBe(409);
  });

  it("a new person chooses a password with the link and joins", async () => {
    expect((await invite(organiser, "uusi.jasen@example.fi", orgId, "admin")).status).toBe(201);
    const token = await newestToken("uusi.jasen@example.fi");
    const look = await s.call("POST", "/api/v1/invitations/lookup", { body: { token } });
    expect(look.body).toMatchObject({ email: "uusi.jasen@example.fi", has_account: false, role: "admin" });
    const joined = await s.call("POST", "/api/v1/invitations/accept-new", {
      body: { token, password: "uusi-jasen-salasana", display_name: "Uusi Jäsen" },
    });
    expect(joined.status).toBe(200);
    expect(joined.body.email).toBe("uusi.jasen@example.fi");
    const cookie = await s.login("uusi.jasen@example.fi", "uusi-jasen-salasana", "198.51.100.13");
    const me = await s.call("GET", "/api/v1/me", { cookie });
    expect(me.body.memberships).toEqual([expect.objectContaining({ role: "admin" })]);
    const reuse = await s.call("POST", "/api/v1/invitations/accept-new", {
      body: { token, password: "toinen-salasana-22", display_name: "X" },
    });
    expect(reuse.status).toBe(400);
  });

  it("pending invitations can be revoked; a revoked link no longer works", async () => {
    const sent = await invite(organiser, "peruttava@example.fi");
    const token = await newestToken("peruttava@example.fi");
    const revoke = await s.call("DELETE", `/api/v1/organisations/${orgId}/invitations/${sent.body.id}`, {
      cookie: organiser,
    });
    expect(revoke.status).toBe(204);
    const list = await s.call("GET", `/api/v1/organisations/${orgId}/invitations`, { cookie: organiser });
    expect(list.body.data.map((i: { email: string }) => i.email)).not.toContain("peruttava@example.fi");
    const look = await s.call("POST", "/api/v1/invitations/lookup", { body: { token } });
    expect(look.status).toBe(400);
    expect(look.body.errors[0].path).toBe("token");
    // Another organisation's admin cannot list or revoke them.
    expect(
      (await s.call("GET", `/api/v1/organisations/${orgId}/invitations`, { cookie: moderator })).status,
    ).toBe(403);
  });

  it("limits invitations per inviting user and per organisation; refused callers use up nothing", async () => {
    // A fresh organisation with a fresh admin, so earlier tests do not count.
    const created = await s.call("POST", "/api/v1/admin/organisations", {
      cookie: admin,
      body: { slug: "kutsurajoitus", name: "Kutsurajoitus ry", kind: "association" },
    });
    expect(created.status).toBe(201);
    const org = created.body.id as string;
    expect((await invite(admin, "raja.admin@example.fi", org, "admin")).status).toBe(201); // org: 1
    const token = await newestToken("raja.admin@example.fi");
    await s.call("POST", "/api/v1/invitations/accept-new", {
      body: { token, password: "raja-admin-salasana", display_name: "Raja" },
    });
    const orgAdmin = await s.login("raja.admin@example.fi", "raja-admin-salasana", "198.51.100.14");
    // Someone who is not its admin is refused, and does not use up the organisation's allowance.
    for (let i = 0; i < 5; i++) expect((await invite(moderator, `x${i}@example.fi`, org)).status).toBe(403);

    for (let i = 0; i < 20; i++) {
      expect((await invite(orgAdmin, `kutsuttu${i}@example.fi`, org)).status).toBe(201); // org: 21
    }
    const perUser = await invite(orgAdmin, "liikaa@example.fi", org);
    expect(perUser.status).toBe(429);
    expect(Number(perUser.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(perUser.res.headers.get("content-type")).toContain("application/problem+json");
    // Another admin of the same organisation: the organisation's daily allowance is 30.
    let ok = 0;
    let last = 0;
    for (let i = 0; i < 15 && last !== 429; i++) {
      last = (await invite(admin, `toinen${i}@example.fi`, org)).status;
      if (last === 201) ok++;
    }
    expect([ok, last]).toEqual([9, 429]);
    expect(s.mail.mails.some((m) => m.to.includes("liikaa@example.fi"))).toBe(false);
  });
});

describe("URLs: http(s) only, everywhere a URL is stored", () => {
  const BAD = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u0000javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:\\\\evil.example",
    "https://user:secret@example.fi/",
    "https://exa mple.fi/",
    "https://example.fi/\u0007x",
    "https://example.fi/\u202egnp.exe",
    "https://example.fi/\u200bx",
    `https://example.fi/${"a".repeat(2000)}`,
  ];
  const GOOD = ["https://example.fi/", "HTTPS://Example.FI/tapahtuma?id=1#x", "http://example.fi:8080/a"];

  it("the shared rule (unit)", () => {
    for (const u of BAD) expect(httpUrlProblem(u.trim()), JSON.stringify(u)).not.toBeNull();
    for (const u of GOOD) expect(httpUrlProblem(u), u).toBeNull();
  });

  it("an organisation website must be an http(s) URL (organisation admins and admins)", async () => {
    for (const website of BAD) {
      const r = await s.call("PATCH", `/api/v1/organisations/${orgId}`, {
        cookie: organiser,
        body: { website },
      });
      expect(r.status, JSON.stringify(website)).toBe(400);
      expect(r.res.headers.get("content-type")).toContain("application/problem+json");
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain("website");
    }
    const create = await s.call("POST", "/api/v1/admin/organisations", {
      cookie: admin,
      body: {
        slug: "huono-osoite",
        name: "Huono",
        kind: "other",
        website: "javascript:alert(document.cookie)",
      },
    });
    expect(create.status).toBe(400);
    expect(create.body.errors[0].path).toBe("website");
    const pub = await s.call("GET", "/api/v1/organisations");
    expect(pub.text).not.toMatch(/javascript:|data:text/i);
  });

  it("every URL of an event (online, ticket, registration, image, links) follows the same rule", async () => {
    const base = {
      organisation_id: orgId,
      title: { fi: "URL-testi" },
      start: "2031-06-01T10:00:00+03:00",
      end: "2031-06-01T12:00:00+03:00",
      online_url: "https://example.fi/live",
    };
    const fields: [string, (u: string) => Record<string, unknown>][] = [
      ["online_url", (u) => ({ online_url: u })],
      ["ticket_url", (u) => ({ ticket_url: u })],
      ["registration_url", (u) => ({ registration_url: u })],
      ["image.url", (u) => ({ image: { url: u } })],
      ["links.0.url", (u) => ({ links: [{ url: u }] })],
    ];
    for (const [path, set] of fields) {
      for (const u of BAD) {
        const r = await s.call("POST", "/api/v1/events", { cookie: organiser, body: { ...base, ...set(u) } });
        expect(r.status, `${path} ${JSON.stringify(u)}`).toBe(400);
        expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
    }
    const good = await s.call("POST", "/api/v1/events", {
      cookie: organiser,
      body: {
        ...base,
        ticket_url: GOOD[1],
        registration_url: GOOD[2],
        image: { url: "https://example.fi/kuva.jpg" },
        links: [{ url: "https://example.fi/" }],
      },
    });
    expect(good.status).toBe(201);
    // The anonymous submission form uses the same event rules.
    const anon = await s.call("POST", "/api/v1/submissions", {
      ip: "198.51.100.40",
      body: {
        submitter: { name: "Anna", email: "anna@example.fi" },
        event: { ...base, organisation_id: undefined, ticket_url: "https://user:pw@example.fi/" },
      },
    });
    expect(anon.status).toBe(400);
    expect(anon.body.errors.map((e: { path: string }) => e.path)).toContain("event.ticket_url");
  });
});

describe("organisation profile review", () => {
  const publicOrg = async () =>
    (await s.call("GET", "/api/v1/organisations")).body.data.find((o: { id: string }) => o.id === orgId);

  it("an untrusted organisation's public changes wait for a moderator; private contact changes do not", async () => {
    const before = await publicOrg();
    const patch = await s.call("PATCH", `/api/v1/organisations/${orgId}`, {
      cookie: organiser,
      body: {
        name: "Huijausyhdistys",
        website: "https://huijaus.example/",
        description: { fi: "Voita iPhone!" },
        contact_phone: "+358 40 123 4567",
      },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.name).toBe(before.name);
    expect(patch.body.contact_phone).toBe("+358 40 123 4567");
    expect(patch.body.pending_profile).toMatchObject({
      name: "Huijausyhdistys",
      website: "https://huijaus.example/",
    });
    // The public API keeps the approved version.
    const now = await publicOrg();
    expect(now.name).toBe(before.name);
    expect(now.website).toBe(before.website);
    expect((await s.call("GET", "/api/v1/organisations")).text).not.toContain("Huijaus");

    // The moderator sees the change as a diff.
    const list = await s.call("GET", "/api/v1/moderation/organisations?pending=true", { cookie: moderator });
    const item = list.body.data.find((o: { id: string }) => o.id === orgId);
    expect(item.profile_changes).toEqual(
      expect.arrayContaining([
        { field: "name", before: before.name, after: "Huijausyhdistys" },
        { field: "website", before: before.website, after: "https://huijaus.example/" },
      ]),
    );
    const submittedAt = item.profile_submitted_at as string;
    // An organiser cannot approve their own change.
    expect(
      (
        await s.call("POST", `/api/v1/moderation/organisations/${orgId}/profile/approve`, {
          cookie: organiser,
          body: { submitted_at: submittedAt },
        })
      ).status,
    ).toBe(403);
    const rejected = await s.call("POST", `/api/v1/moderation/organisations/${orgId}/profile/reject`, {
      cookie: moderator,
      body: { submitted_at: submittedAt, reason: "Ei organisaation oikea nimi" },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.pending_profile).toBeNull();
    expect((await publicOrg()).name).toBe(before.name);
    await s.mail.waitFor(DEMO.organiser, /Ei organisaation oikea nimi/);
  });

  it("approval publishes exactly the version the moderator saw, and is logged", async () => {
    const first = await s.call("PATCH", `/api/v1/organisations/${orgId}`, {
      cookie: organiser,
      body: { name: "Nurmijärven Testiyhdistys", website: "https://testiyhdistys.example.fi/" },
    });
    const seen = first.body.profile_submitted_at as string;
    await new Promise((r) => setTimeout(r, 5));
    const second = await s.call("PATCH", `/api/v1/organisations/${orgId}`, {
      cookie: organiser,
      body: { name: "Jotain muuta" },
    });
    expect(second.body.profile_submitted_at).not.toBe(seen);
    const stale = await s.call("POST", `/api/v1/moderation/organisations/${orgId}/profile/approve`, {
      cookie: moderator,
      body: { submitted_at: seen },
    });
    expect(stale.status).toBe(409);
    await s.call("PATCH", `/api/v1/organisations/${orgId}`, {
      cookie: organiser,
      body: { name: "Nurmijärven Testiyhdistys" },
    });
    const list = await s.call("GET", "/api/v1/moderation/organisations?pending=true", { cookie: moderator });
    const item = list.body.data.find((o: { id: string }) => o.id === orgId);
    const approved = await s.call("POST", `/api/v1/moderation/organisations/${orgId}/profile/approve`, {
      cookie: moderator,
      body: { submitted_at: item.profile_submitted_at },
    });
    expect(approved.status).toBe(200);
    const pub = await publicOrg();
    expect(pub).toMatchObject({
      name: "Nurmijärven Testiyhdistys",
      website: "https://testiyhdistys.example.fi/",
    });
    const log = await s.call("GET", "/api/v1/moderation/log?action=approve_profile", { cookie: moderator });
    expect(log.body.data[0]).toMatchObject({
      action: "approve_profile",
      after: { organisation_id: orgId, name: "Nurmijärven Testiyhdistys" },
    });
    const proposals = await s.call("GET", "/api/v1/moderation/log?action=propose_profile", {
      cookie: moderator,
    });
    expect(proposals.body.data.length).toBeGreaterThanOrEqual(3);
  });

  it("a trusted organisation publishes its profile directly", async () => {
    const trust = await s.call("POST", `/api/v1/moderation/organisations/${orgId}/trust`, {
      cookie: moderator,
      body: { trusted: true },
    });
    expect(trust.status).toBe(200);
    const patch = await s.call("PATCH", `/api/v1/organisations/${orgId}`, {
      cookie: organiser,
      body: { description: { fi: "Luotettu kuvaus" } },
    });
    expect(patch.body.pending_profile).toBeNull();
    expect((await publicOrg()).description).toMatchObject({ text: "Luotettu kuvaus" });
    await s.call("POST", `/api/v1/moderation/organisations/${orgId}/trust`, {
      cookie: moderator,
      body: { trusted: false },
    });
  });
});
