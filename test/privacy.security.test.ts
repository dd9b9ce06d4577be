/**
 * Security regression tests, slice "privacy" (issue #13): personal data on account deletion
 * and in scheduled purges, the moderator mail flood, what the site mails to strangers,
 * aborted uploads, duplicate warnings, email addresses in logs and what a problem repeats.
 * Each attack runs against the real server process (`npm start`, demo data, SMTP sink);
 * the purge is also tested in-process with a controlled clock, on PGlite and PostgreSQL.
 */
import { connect } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../src/db/client.ts";
import { openPostgres } from "../src/db/postgres.ts";
import {
  emailTokens,
  events,
  moderationLog,
  outbox,
  rateLimits,
  sessions,
  submitters,
  users,
} from "../src/db/schema.ts";
import type { Ctx } from "../src/domain/context.ts";
import { MAIL_TITLE_MAX, oneLine } from "../src/domain/notifications/notifications.ts";
import { createOutbox, logMailer } from "../src/domain/notifications/outbox.ts";
import { purgeExpired } from "../src/domain/privacy/purge.ts";
import { createMemoryLogger, redactEmails } from "../src/logger.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";
import { testConfig } from "./helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { DEMO, type SecurityServer, startSecurityServer } from "./helpers/security-server.ts";
import { DEFAULT_MUNICIPALITY_ID, DEFAULT_TENANT } from "./helpers/tenant.ts";

let sec: SecurityServer;

beforeAll(async () => {
  // Info-level logs: the access log and the purge's report are part of what is tested.
  sec = await startSecurityServer({ LOG_LEVEL: "info" });
}, 120_000);

afterAll(async () => {
  await sec?.stop();
});

/** Server output (stdout + stderr) written since `from`. */
const outputSince = (from: number) => sec.server.output().slice(from);
/** The structured (JSON) log lines of the server's output. */
const logLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => ({ raw: l, entry: JSON.parse(l) as Record<string, unknown> }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A day 30 days ahead in Helsinki, as "YYYY-MM-DD". */
function futureDay(offset: number): string {
  const d = new Date(Date.now() + offset * 86_400_000);
  return d.toISOString().slice(0, 10);
}

let ipCounter = 10;
/** A fresh client address per call site, so per-IP limits never interfere between tests. */
const freshIp = () => `203.0.113.${ipCounter++}`;

async function firstPlace(): Promise<string> {
  const r = await sec.call("GET", "/api/v1/places");
  expect(r.status).toBe(200);
  return (r.body.data as { id: string }[])[0]!.id;
}

async function organiserOrg(cookie: string): Promise<string> {
  const me = await sec.call("GET", "/api/v1/me", { cookie });
  expect(me.status).toBe(200);
  return (me.body.memberships as { organisation: { id: string } }[])[0]!.organisation.id;
}

function eventBody(title: string, placeId: string, day: string, extra: Record<string, unknown> = {}) {
  return {
    title: { fi: title },
    start: `${day}T18:00:00+03:00`,
    end: `${day}T20:00:00+03:00`,
    place_id: placeId,
    ...extra,
  };
}

/** Submits anonymously; returns the confirmation token from the mail. */
async function submitAnonymously(
  email: string,
  event: Record<string, unknown>,
  name = "Maija Meikäläinen",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await sec.call("POST", "/api/v1/submissions", {
    body: { submitter: { name, email }, event, locale: "fi" },
    ip: freshIp(),
  });
  return { status: r.status, body: r.body };
}

async function confirmationToken(email: string, title: string): Promise<string> {
  const escaped = title.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = await sec.mail.waitFor(
    email,
    new RegExp(`${escaped}[\\s\\S]*?/ilmoita/vahvista\\?token=([\\w-]+)`),
  );
  return m[1]!;
}

describe("problems repeat a bounded amount of the request", () => {
  it("a 400 for a ~170 kB body with thousands of unknown keys stays small", async () => {
    const junk: Record<string, number> = {};
    for (let i = 0; i < 1100; i++) junk[`k${i}_${"x".repeat(150)}`] = i;
    const body = JSON.stringify({
      submitter: { name: "A", email: "a@example.org", ...junk },
      event: { title: { fi: "x" } },
    });
    expect(body.length).toBeGreaterThan(165_000);
    const r = await sec.call("POST", "/api/v1/submissions", { body, ip: freshIp() });
    expect(r.status).toBe(400);
    expect(r.res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(r.text.length).toBeLessThanOrEqual(16 * 1024);
    const errors = r.body.errors as { path: string; message: string }[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(50);
    for (const e of errors) {
      expect(e.path.length).toBeLessThanOrEqual(210);
      expect(e.message.length).toBeLessThanOrEqual(210);
    }
    expect(String(r.body.detail ?? "").length).toBeLessThanOrEqual(1100);
    // The problem still names a field and says how many there were.
    expect(errors[0]!.path).toMatch(/^submitter\./);
    expect(r.body.errors_total).toBeGreaterThan(1000);
  });
});

describe("an aborted upload is not a server error", () => {
  it("a client that disconnects mid-body leaves no 500 and no error-level log", async () => {
    const from = sec.server.output().length;
    // Its own id: log lines are written in batches, so an earlier test's may come after `from`.
    const requestId = "disconnect-mid-body-1";
    const { hostname, port } = new URL(sec.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          [
            "POST /api/v1/submissions HTTP/1.1",
            `Host: ${hostname}:${port}`,
            `Origin: ${sec.url}`,
            "X-Forwarded-For: 198.51.100.77",
            `X-Request-Id: ${requestId}`,
            "Content-Type: application/json",
            "Content-Length: 200000",
            "",
            "",
          ].join("\r\n"),
        );
        socket.write(`{"submitter":{"name":"${"x".repeat(60_000)}`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 300);
      });
      socket.on("error", reject);
    });
    // The server notices the reset; give it a moment to log.
    await sleep(1_500);
    const lines = logLines(outputSince(from));
    const requests = lines.filter((l) => l.entry.msg === "request" && l.entry.request_id === requestId);
    expect(requests.length).toBeGreaterThan(0);
    // nginx's 499 "client closed request", logged at info level.
    for (const l of requests) expect(l.entry).toMatchObject({ status: 499, level: "info" });
    expect(lines.filter((l) => l.entry.level === "error")).toEqual([]);
    // Still serving.
    expect((await sec.call("GET", "/healthz")).status).toBe(200);
  });
});

describe("duplicate warnings", () => {
  it("show an anonymous submitter published look-alikes only, never someone else's pending title", async () => {
    const placeId = await firstPlace();
    const day = futureDay(40);
    const cookie = await sec.login(DEMO.organiser, undefined, freshIp());
    const org = await organiserOrg(cookie);
    const secret = "Yhdistyksen salainen kevätkokous";
    const created = await sec.call("POST", "/api/v1/events", {
      cookie,
      body: { organisation_id: org, ...eventBody(secret, placeId, day) },
    });
    expect(created.status).toBe(201);
    const submitted = await sec.call("POST", `/api/v1/events/${created.body.id}/submit`, {
      cookie,
      body: { version: created.body.version },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe("pending");

    const email = "utelias@example.org";
    const title = "Yhdistyksen salainen kevätkokous!";
    const sub = await submitAnonymously(email, eventBody(title, placeId, day));
    expect(sub.status).toBe(202);
    const token = await confirmationToken(email, title);
    const confirmed = await sec.call("POST", "/api/v1/submissions/confirm", {
      body: { token },
      ip: freshIp(),
    });
    expect(confirmed.status).toBe(200);
    // The exact JSON string of the other title (the submitter's own title extends it).
    const secretJson = `"fi":${JSON.stringify(secret)}`;
    expect(JSON.stringify(confirmed.body)).not.toContain(secretJson);
    expect(confirmed.body.warnings.duplicates).toEqual([]);
    const mine = await sec.call("GET", "/api/v1/submissions/mine", {
      headers: { "X-Submitter-Token": confirmed.body.access_token },
      ip: freshIp(),
    });
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(JSON.stringify(title));
    expect(JSON.stringify(mine.body)).not.toContain(secretJson);

    // The organisation's own pending event still warns its members, and a moderator sees it.
    const own = await sec.call("POST", "/api/v1/events", {
      cookie,
      body: { organisation_id: org, ...eventBody(`${secret} (kopio)`, placeId, day) },
    });
    expect(own.status).toBe(201);
    expect(JSON.stringify(own.body.warnings.duplicates)).toContain(secretJson);
    const moderator = await sec.login(DEMO.moderator, undefined, freshIp());
    const review = await sec.call("GET", `/api/v1/moderation/events/${confirmed.body.id}`, {
      cookie: moderator,
    });
    expect(review.status).toBe(200);
    expect(JSON.stringify(review.body.duplicates)).toContain(secretJson);

    // Once published, a look-alike is public information and is shown to the submitter.
    const approved = await sec.call("POST", `/api/v1/moderation/events/${created.body.id}/approve`, {
      cookie: moderator,
      body: { version: submitted.body.version },
    });
    expect(approved.status).toBe(200);
    const again = await sec.call("GET", "/api/v1/submissions/mine", {
      headers: { "X-Submitter-Token": confirmed.body.access_token },
      ip: freshIp(),
    });
    expect(JSON.stringify(again.body)).toContain(secretJson);
  });
});

describe("the moderator mail flood", () => {
  it("a withdraw/submit loop of 20 rounds sends each moderator one notification for the event", async () => {
    const placeId = await firstPlace();
    const cookie = await sec.login(DEMO.organiser, undefined, freshIp());
    const org = await organiserOrg(cookie);
    const title = `Silmukkatesti ${Date.now()}`;
    const created = await sec.call("POST", "/api/v1/events", {
      cookie,
      body: { organisation_id: org, ...eventBody(title, placeId, futureDay(45)) },
    });
    expect(created.status).toBe(201);
    let version = created.body.version as number;
    for (let i = 0; i < 21; i++) {
      const s = await sec.call("POST", `/api/v1/events/${created.body.id}/submit`, {
        cookie,
        body: { version },
      });
      expect(s.status).toBe(200);
      version = s.body.version;
      if (i === 20) break;
      const w = await sec.call("POST", `/api/v1/events/${created.body.id}/withdraw`, {
        cookie,
        body: { version },
      });
      expect(w.status).toBe(200);
      version = w.body.version;
      // Slow enough that the sender runs between rounds (it wakes 0.5 s after a notification).
      if (i % 5 === 0) await sleep(700);
    }
    await sec.mail.waitFor(DEMO.moderator, new RegExp(title));
    await sleep(2_000);
    const toModerator = sec.mail.mails.filter((m) => m.to.includes(DEMO.moderator) && m.text.includes(title));
    const toAdmin = sec.mail.mails.filter((m) => m.to.includes(DEMO.admin) && m.text.includes(title));
    expect(toModerator.length).toBe(1);
    expect(toAdmin.length).toBe(1);
  });
});

describe("what the site mails to an address given by a stranger", () => {
  it("the confirmation mail has only fixed text, a one-line capped title and the link", async () => {
    const placeId = await firstPlace();
    const email = "kohde@example.org";
    const name = "Voitit 1000 euroa, lunasta osoitteessa http://huijaus.example";
    const title = `Konsertti\nSaat palkinnon: avaa http://huijaus.example/palkinto ${"pitkä ".repeat(20)}`;
    const r = await submitAnonymously(
      email,
      eventBody(title, placeId, futureDay(50), {
        description: { fi: "Mainosteksti http://huijaus.example/kuvaus" },
      }),
      name,
    );
    expect(r.status).toBe(202);
    await sec.mail.waitFor(email, /\/ilmoita\/vahvista\?token=/);
    const mail = sec.mail.mails.find((m) => m.to.includes(email))!;
    expect(mail.text).not.toContain("Voitit");
    expect(mail.text).not.toContain("/kuvaus");
    // The title arrives on one line, capped.
    expect(mail.text).not.toMatch(/\nSaat palkinnon/);
    const titleLine = mail.text.split(/\r?\n/).find((l) => l.includes("Konsertti"))!;
    expect(titleLine).toBeDefined();
    expect(titleLine.length).toBeLessThanOrEqual(200);
    expect(mail.text).not.toContain("pitkä ".repeat(18));
    const subject = /^subject:(.*(?:\r?\n[ \t].*)*)/im.exec(mail.headers)?.[1] ?? "";
    expect(subject).not.toContain("pitkä ".repeat(18));
  });

  it("one address gets at most 10 confirmation mails a day, whoever submits", async () => {
    const placeId = await firstPlace();
    const victim = "uhri@example.org";
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await submitAnonymously(victim, eventBody(`Roskaposti ${i}`, placeId, futureDay(55)));
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(statuses.slice(10)).toEqual([429, 429]);
    await sleep(2_000);
    const mails = sec.mail.mails.filter((m) => m.to.includes(victim));
    expect(mails.length).toBeLessThanOrEqual(10);
  });
});

describe("email addresses in logs", () => {
  it("no structured log line of the server carries an email address", async () => {
    // A path with an address in it is logged by the access log.
    const r = await sec.call("GET", "/api/v1/organisations/joku.henkilo@example.org");
    expect(r.status).toBeGreaterThanOrEqual(400);
    await sleep(500);
    const lines = logLines(sec.server.output());
    expect(lines.length).toBeGreaterThan(10);
    const withAddress = lines.filter((l) => /[\w.+-]+@[\w-]+\.[\w.-]+/.test(l.raw) || l.raw.includes("@"));
    expect(withAddress.map((l) => l.raw)).toEqual([]);
    // Nor does any other output line name a person from the flows above.
    for (const who of ["joku.henkilo", "uhri@", "kohde@", "utelias@", "poistettava@"]) {
      expect(sec.server.output()).not.toContain(who);
    }
  });
});

describe("closing an account, and the scheduled purge", () => {
  const email = "poistettava@example.org";

  it("a closed account leaves no mail or rate-limit row with its address (checked in the database)", async () => {
    const ip = freshIp();
    const reg = await sec.call("POST", "/api/v1/auth/register", {
      body: { email, password: "sulje-tili-Kestava-42", display_name: "Poistettava" },
      ip,
    });
    expect(reg.status).toBe(202);
    const m = await sec.mail.waitFor(email, /\/tili\/vahvista\?token=([\w-]+)/);
    expect((await sec.call("POST", "/api/v1/auth/verify-email", { body: { token: m[1] }, ip })).status).toBe(
      200,
    );
    // A failed login leaves a per-account rate-limit bucket; an anonymous submission leaves mail.
    expect(
      (await sec.call("POST", "/api/v1/auth/login", { body: { email, password: "väärä-salasana" }, ip }))
        .status,
    ).toBe(401);
    const placeId = await firstPlace();
    expect(
      (await submitAnonymously(email, eventBody("Poistuvan ilmoitus", placeId, futureDay(60)))).status,
    ).toBe(202);
    await sec.mail.waitFor(email, /Poistuvan ilmoitus/);
    const cookie = await sec.login(email, "sulje-tili-Kestava-42", ip);
    expect(
      (await sec.call("DELETE", "/api/v1/me", { cookie, ip, body: { password: "sulje-tili-Kestava-42" } }))
        .status,
    ).toBe(204);
  });

  it("the Node server runs the purge on its own (reported in the log)", async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const purge = logLines(sec.server.output()).find((l) => l.entry.msg === "purged expired data");
      if (purge) {
        expect(purge.entry.level).toBe("info");
        break;
      }
      if (Date.now() > deadline) throw new Error("no purge in the server log");
      await sleep(1_000);
    }
  });

  it("after the server stops, the database holds no trace of the closed account's address", async () => {
    expect(await sec.server.stop("SIGTERM")).toBe(0);
    let database: Database;
    if (sec.database.url) database = openPostgres(sec.database.url, { max: 1 });
    else database = await openPglite(sec.database.dataDir);
    try {
      const like = "%poistettava%";
      const outboxRows = await queryRows(
        database.db,
        sql`select id from outbox where recipient ilike ${like}`,
      );
      const submitterRows = await queryRows(
        database.db,
        sql`select id from submitters where email ilike ${like}`,
      );
      const userRows = await queryRows(database.db, sql`select id from users where email ilike ${like}`);
      const limits = await queryRows<{ key: string }>(database.db, sql`select key from rate_limits`);
      expect(outboxRows).toEqual([]);
      expect(submitterRows).toEqual([]);
      expect(userRows).toEqual([]);
      expect(limits.length).toBeGreaterThan(0);
      // Rate-limit buckets are keyed hashes: no address, and no client IP either.
      expect(limits.filter((l) => l.key.includes("@") || /\d+\.\d+\.\d+\.\d+/.test(l.key))).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe("purgeExpired (in-process, controlled clock; PGlite or PostgreSQL)", () => {
  const NOW = new Date("2026-06-01T09:00:00Z");
  const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
  let test: TestDatabase;
  let ctx: Ctx;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    test = await createTestDatabase();
    const logger = createMemoryLogger();
    ctx = {
      db: test.db,
      config: testConfig(),
      clock: { now: () => new Date(NOW) },
      logger,
      outbox: createOutbox({ send: async () => {} }, logger),
      tenant: DEFAULT_TENANT,
    };
    const db = test.db;
    const [user] = await db
      .insert(users)
      .values({ email: "moderaattori@kunta.test", displayName: "Moderaattori", role: "moderator" })
      .returning();
    ids.user = user!.id;
    await db.insert(outbox).values([
      {
        kind: "k",
        recipient: "old-sent@example.org",
        payload: {},
        createdAt: daysAgo(40),
        sentAt: daysAgo(40),
      },
      {
        kind: "k",
        recipient: "new-sent@example.org",
        payload: {},
        createdAt: daysAgo(10),
        sentAt: daysAgo(10),
      },
      { kind: "k", recipient: "unsent@example.org", payload: {}, createdAt: daysAgo(40) },
      {
        kind: "k",
        recipient: "failed@example.org",
        payload: {},
        createdAt: daysAgo(40),
        attempts: 8,
        availableAt: new Date("9999-12-31T00:00:00Z"),
      },
    ]);
    await db.insert(emailTokens).values([
      { purpose: "password_reset", tokenHash: "expired", userId: ids.user, expiresAt: daysAgo(1) },
      {
        purpose: "verify_email",
        tokenHash: "used-long-ago",
        userId: ids.user,
        expiresAt: daysAgo(-1),
        usedAt: daysAgo(2),
      },
      { purpose: "verify_email", tokenHash: "valid", userId: ids.user, expiresAt: daysAgo(-1) },
      {
        purpose: "verify_email",
        tokenHash: "just-used",
        userId: ids.user,
        expiresAt: daysAgo(-1),
        usedAt: daysAgo(0.01),
      },
    ]);
    await db.insert(sessions).values([
      { id: "s-expired", userId: ids.user, expiresAt: daysAgo(1) },
      { id: "s-revoked", userId: ids.user, expiresAt: daysAgo(-10), revokedAt: daysAgo(0.5) },
      { id: "s-active", userId: ids.user, expiresAt: daysAgo(-10) },
    ]);
    await db.insert(rateLimits).values([
      { key: "login-ip:old", windowStart: daysAgo(30), count: 3 },
      { key: "login-ip:new", windowStart: daysAgo(0.01), count: 3 },
    ]);
    const [stale, fresh, confirmed] = await db
      .insert(submitters)
      .values([
        { name: "Unohtunut", email: "stale@example.org", createdAt: daysAgo(10) },
        { name: "Tuore", email: "fresh@example.org", createdAt: daysAgo(1) },
        {
          name: "Vahvistettu",
          email: "confirmed@example.org",
          createdAt: daysAgo(30),
          confirmedAt: daysAgo(30),
        },
      ])
      .returning();
    ids.stale = stale!.id;
    ids.fresh = fresh!.id;
    ids.confirmed = confirmed!.id;
    const event = (title: string, submitterId: string) => ({
      municipalityId: DEFAULT_MUNICIPALITY_ID,
      title: { fi: title },
      startsAt: daysAgo(-20),
      endsAt: daysAgo(-20),
      submitterId,
      state: "draft" as const,
    });
    const [staleDraft, freshDraft] = await db
      .insert(events)
      .values([event("Vahvistamaton", ids.stale), event("Tuore luonnos", ids.fresh)])
      .returning();
    ids.staleDraft = staleDraft!.id;
    ids.freshDraft = freshDraft!.id;
    const [oldEntry, recentEntry] = await db
      .insert(moderationLog)
      .values([
        {
          municipalityId: DEFAULT_MUNICIPALITY_ID,
          eventId: ids.staleDraft,
          actorId: ids.user,
          actorKind: "user",
          action: "reject",
          reason: "Matti Meikäläinen, puh. 040 123 4567, ei käy",
          before: { state: "pending", version: 2 },
          after: { state: "rejected", version: 3, changes: [{ field: "title.fi", before: "a", after: "b" }] },
          createdAt: daysAgo(3 * 365),
        },
        {
          municipalityId: DEFAULT_MUNICIPALITY_ID,
          eventId: ids.staleDraft,
          actorId: ids.user,
          actorKind: "user",
          action: "approve",
          reason: "ok",
          before: { state: "pending" },
          after: { state: "published" },
          createdAt: daysAgo(365),
        },
      ])
      .returning();
    ids.oldEntry = String(oldEntry!.id);
    ids.recentEntry = String(recentEntry!.id);
  });

  afterAll(async () => {
    await test?.close();
  });

  it("runs in bounded batches: one batch per step and run at most maxBatches", async () => {
    const first = await purgeExpired(ctx, { batchSize: 1, maxBatches: 1 });
    expect(first).toEqual({
      sent_mail: 1,
      email_tokens: 1,
      sessions: 1,
      rate_limits: 1,
      unconfirmed_submissions: 1,
      audit_entries: 1,
    });
  });

  it("deletes what has expired, erases unconfirmed submissions, anonymises old audit entries; idempotent", async () => {
    const second = await purgeExpired(ctx, { batchSize: 1 });
    expect(second).toEqual({
      sent_mail: 1,
      email_tokens: 1,
      sessions: 1,
      rate_limits: 0,
      unconfirmed_submissions: 0,
      audit_entries: 0,
    });
    expect(await purgeExpired(ctx)).toEqual({
      sent_mail: 0,
      email_tokens: 0,
      sessions: 0,
      rate_limits: 0,
      unconfirmed_submissions: 0,
      audit_entries: 0,
    });
    const db = test.db;
    expect((await db.select({ r: outbox.recipient }).from(outbox)).map((r) => r.r).sort()).toEqual([
      "new-sent@example.org",
      "unsent@example.org",
    ]);
    expect((await db.select({ t: emailTokens.tokenHash }).from(emailTokens)).map((r) => r.t).sort()).toEqual([
      "just-used",
      "valid",
    ]);
    expect((await db.select({ id: sessions.id }).from(sessions)).map((r) => r.id)).toEqual(["s-active"]);
    expect((await db.select({ k: rateLimits.key }).from(rateLimits)).map((r) => r.k)).toEqual([
      "login-ip:new",
    ]);

    const subs = await db.select().from(submitters);
    const byId = new Map(subs.map((s) => [s.id, s]));
    expect(byId.get(ids.stale!)).toMatchObject({ name: "", deletedAt: NOW });
    expect(byId.get(ids.stale!)!.email).not.toContain("stale@");
    expect(byId.get(ids.fresh!)).toMatchObject({
      name: "Tuore",
      email: "fresh@example.org",
      deletedAt: null,
    });
    expect(byId.get(ids.confirmed!)).toMatchObject({ email: "confirmed@example.org", deletedAt: null });
    const drafts = await db.select({ id: events.id, deletedAt: events.deletedAt }).from(events);
    expect(drafts.find((d) => d.id === ids.staleDraft)!.deletedAt).toEqual(NOW);
    expect(drafts.find((d) => d.id === ids.freshDraft)!.deletedAt).toBeNull();

    const log = await db.select().from(moderationLog);
    const old = log.find((l) => String(l.id) === ids.oldEntry)!;
    expect(old).toMatchObject({
      actorId: null,
      actorKind: "user",
      action: "reject",
      reason: null,
      before: { state: "pending", version: 2 },
      after: { state: "rejected", version: 3 },
    });
    expect(old.after).not.toHaveProperty("changes");
    const recent = log.find((l) => String(l.id) === ids.recentEntry)!;
    expect(recent).toMatchObject({ actorId: ids.user, reason: "ok" });
  });
});

describe("pure helpers", () => {
  it("redactEmails leaves a keyed pseudonym and the domain, also for %40 in paths", () => {
    const line = redactEmails('{"path":"/x/Matti.M%40Example.fi","to":"matti.m@example.fi"}', "key");
    expect(line).not.toMatch(/@|%40|matti/i);
    const pseudonyms = [...line.matchAll(/\[email ([0-9a-f]{8}) at example\.fi\]/g)].map((m) => m[1]);
    expect(pseudonyms).toHaveLength(2);
    expect(pseudonyms[0]).toBe(pseudonyms[1]);
    expect(redactEmails("matti.m@example.fi", "other key")).not.toBe(
      redactEmails("matti.m@example.fi", "key"),
    );
  });

  it("the log-only mailer (Workers, or no SMTP_URL) writes no address", async () => {
    const logger = createMemoryLogger();
    await logMailer(logger, { withText: true }).send({
      to: "vastaanottaja@example.org",
      subject: "s",
      text: "t",
    });
    expect(JSON.stringify(logger.entries)).not.toContain("@");
  });

  it("oneLine flattens control and line-separator characters and caps the length", () => {
    expect(oneLine("a\r\nb\u2028c\u0000d\u202ee")).toBe("a b c d e");
    const long = oneLine("x".repeat(500));
    expect(long.length).toBe(MAIL_TITLE_MAX);
    expect(long.endsWith("…")).toBe(true);
  });
});
