/** Sessions, CSRF, rate limits (incl. a spoofed X-Forwarded-For), password reset, registration, API tokens. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../src/db/schema.ts";
import { buildTestApp, testConfig } from "./helpers/app.ts";
import { createWorkflowWorld, PASSWORD, tokenFrom, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

const lastMail = async (to: string, kind: string) =>
  (await w.mailsTo(to)).filter((r) => r.kind === kind).at(-1);

describe("sessions", () => {
  it("login sets an HttpOnly SameSite=Lax cookie, stores only its hash, /me answers, logout revokes", async () => {
    const r = await w.raw("POST", "/api/v1/auth/login", { email: "member@a.test", password: PASSWORD });
    const cookie = r.res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^kk_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http in tests
    const token = cookie.split(";")[0]!.split("=")[1]!;
    const stored = await w.database.db.select({ id: sessions.id }).from(sessions);
    expect(stored.some((s) => s.id === token)).toBe(false);
    const me = await w.raw("GET", "/api/v1/me", undefined, { Cookie: `kk_session=${token}` });
    expect(me.body).toMatchObject({
      user: { email: "member@a.test" },
      role: "organiser",
      memberships: [{ role: "member", organisation: { name: "Yhdistys A" } }],
    });
    expect(
      (await w.raw("POST", "/api/v1/auth/logout", undefined, { Cookie: `kk_session=${token}` })).status,
    ).toBe(204);
    expect((await w.raw("GET", "/api/v1/me", undefined, { Cookie: `kk_session=${token}` })).status).toBe(401);
  });

  it("wrong password and unknown account get the same 401", async () => {
    const a = await w.raw("POST", "/api/v1/auth/login", {
      email: "member@a.test",
      password: "wrong-password",
    });
    const b = await w.raw("POST", "/api/v1/auth/login", {
      email: "nobody@a.test",
      password: "wrong-password",
    });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body.detail).toBe(b.body.detail);
  });
});

describe("CSRF", () => {
  it("rejects a cookie-authenticated mutation from another origin or without Origin", async () => {
    const body = { organisation_id: w.orgA.id, ...w.event() };
    const evil = await w.as("member")("POST", "/api/v1/events", body, { Origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    const member = w.as("member");
    const none = await w.raw("POST", "/api/v1/events", body, { Origin: "", Cookie: "x" });
    expect([401, 403]).toContain(none.status);
    const ok = await member("POST", "/api/v1/events", body);
    expect(ok.status).toBe(201);
  });

  it("a cross-site login attempt is rejected", async () => {
    const r = await w.raw(
      "POST",
      "/api/v1/auth/login",
      { email: "member@a.test", password: PASSWORD },
      { Origin: "https://evil.example" },
    );
    expect(r.status).toBe(403);
  });

  it("without PUBLIC_URL, accepts the origin the request came to (its Host); with it, only PUBLIC_URL's", async () => {
    const send = (app: ReturnType<typeof buildTestApp>["app"], base: string, origin: string) =>
      app.request(`${base}/api/v1/auth/password-reset`, {
        method: "POST",
        headers: { Origin: origin, "Content-Type": "application/json" },
        body: JSON.stringify({ email: "nobody@a.test" }),
      });
    const open = buildTestApp(w.database, {
      config: testConfig({ PUBLIC_URL: "" }),
      clientIp: "192.0.2.77",
    }).app;
    expect((await send(open, "http://127.0.0.1:8787", "http://127.0.0.1:8787")).status).toBe(202);
    expect((await send(open, "http://192.168.1.20:8787", "http://192.168.1.20:8787")).status).toBe(202);
    expect((await send(open, "http://127.0.0.1:8787", "http://localhost:8787")).status).toBe(202);
    expect((await send(open, "http://127.0.0.1:8787", "https://evil.example")).status).toBe(403);
    expect((await send(open, "http://127.0.0.1:8787", "http://127.0.0.1:9999")).status).toBe(403);
    const strict = buildTestApp(w.database, { clientIp: "192.0.2.78" }).app; // PUBLIC_URL=http://kalenteri.test
    expect((await send(strict, "http://127.0.0.1:8787", "http://127.0.0.1:8787")).status).toBe(403);
    expect((await send(strict, "http://127.0.0.1:8787", "http://kalenteri.test")).status).toBe(202);
  });

  it("API tokens (Authorization: Bearer) are exempt; tokens are hashed, shown once and revocable", async () => {
    const created = await w.as("orgAdmin")("POST", `/api/v1/organisations/${w.orgA.id}/tokens`, {
      name: "Kotisivu",
    });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^kk_/);
    const list = await w.as("orgAdmin")("GET", `/api/v1/organisations/${w.orgA.id}/tokens`);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const headers = { Authorization: `Bearer ${token}`, Origin: "https://integrator.example" };
    const ev = await w.raw("POST", "/api/v1/events", w.event({ place_id: w.otherPlace.id }), headers);
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    const other = await w.raw(
      "POST",
      "/api/v1/events",
      { organisation_id: w.orgB.id, ...w.event() },
      headers,
    );
    expect(other.status).toBe(403);
    await w.as("orgAdmin")("DELETE", `/api/v1/organisations/${w.orgA.id}/tokens/${created.body.id}`);
    expect((await w.raw("POST", "/api/v1/events", w.event(), headers)).status).toBe(401);
  });
});

describe("rate limits", () => {
  it("limits failed logins per client address and ignores a spoofed X-Forwarded-For", async () => {
    const world = await createWorkflowWorld({ clientIp: "198.51.100.7" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 28; i++) {
        const r = await world.raw(
          "POST",
          "/api/v1/auth/login",
          { email: `guess${i}@a.test`, password: "wrong-password" },
          { "X-Forwarded-For": `203.0.113.${i}` },
        );
        statuses.push(r.status);
        if (r.status === 429) expect(Number(r.res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      // Only failures count (the 6 logins in setup do not): 20 failures fill the window of 20;
      // then 429 despite new X-Forwarded-For values.
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20)).toEqual(Array(8).fill(429));
      // The window passes.
      world.clock.set("2026-06-01T09:20:00Z");
      expect(
        (await world.raw("POST", "/api/v1/auth/login", { email: "member@a.test", password: PASSWORD }))
          .status,
      ).toBe(200);
    } finally {
      await world.close();
    }
  });

  it("with TRUST_PROXY=true the last X-Forwarded-For hop is the client", async () => {
    const world = await createWorkflowWorld({ trustProxy: true });
    try {
      const send = (ip: string) =>
        world.raw(
          "POST",
          "/api/v1/auth/password-reset",
          { email: "x@y.test" },
          { "X-Forwarded-For": `10.0.0.1, ${ip}` },
        );
      for (let i = 0; i < 5; i++) expect((await send("203.0.113.1")).status).toBe(202);
      expect((await send("203.0.113.1")).status).toBe(429);
      expect((await send("203.0.113.2")).status).toBe(202);
    } finally {
      await world.close();
    }
  });

  it("limits anonymous submissions", async () => {
    const body = { submitter: { name: "Matti", email: "matti@example.fi" }, event: w.event(), website: "" };
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await w.raw("POST", "/api/v1/submissions", body)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe("registration and password reset", () => {
  it("registers, verifies the address by the emailed link, then signs in", async () => {
    const r = await w.raw("POST", "/api/v1/auth/register", {
      email: "Uusi@Example.fi",
      password: "hyvä-salasana-1",
      display_name: "Uusi",
      locale: "sv",
    });
    expect(r.status).toBe(202);
    expect(
      (await w.raw("POST", "/api/v1/auth/login", { email: "uusi@example.fi", password: "hyvä-salasana-1" }))
        .status,
    ).toBe(403);
    const mail = await lastMail("uusi@example.fi", "verify_email");
    expect(mail?.locale).toBe("sv");
    const token = tokenFrom(String(mail?.payload.path));
    expect((await w.raw("POST", "/api/v1/auth/verify-email", { token })).status).toBe(200);
    expect((await w.raw("POST", "/api/v1/auth/verify-email", { token })).status).toBe(400);
    expect(
      (await w.raw("POST", "/api/v1/auth/login", { email: "uusi@example.fi", password: "hyvä-salasana-1" }))
        .status,
    ).toBe(200);
  });

  it("resets a password with a single-use, expiring token and ends old sessions", async () => {
    const world = await createWorkflowWorld();
    try {
      const old = world.as("member");
      expect(
        (await world.raw("POST", "/api/v1/auth/password-reset", { email: "member@a.test" })).status,
      ).toBe(202);
      expect(
        (await world.raw("POST", "/api/v1/auth/password-reset", { email: "nobody@a.test" })).status,
      ).toBe(202);
      const rows = await world.mailsTo("member@a.test");
      const token = tokenFrom(String(rows.find((r) => r.kind === "password_reset")?.payload.path));
      const reset = await world.raw("POST", "/api/v1/auth/password-reset/confirm", {
        token,
        password: "uusi-salasana-99",
      });
      expect(reset.status).toBe(200);
      expect(
        (
          await world.raw("POST", "/api/v1/auth/password-reset/confirm", {
            token,
            password: "kolmas-salasana-9",
          })
        ).status,
      ).toBe(400);
      expect((await old("GET", "/api/v1/me")).status).toBe(401);
      expect(
        (
          await world.raw("POST", "/api/v1/auth/login", {
            email: "member@a.test",
            password: "uusi-salasana-99",
          })
        ).status,
      ).toBe(200);
      // An expired token does not work.
      await world.raw("POST", "/api/v1/auth/password-reset", { email: "member@a.test" });
      const again = await world.mailsTo("member@a.test");
      const t2 = tokenFrom(String(again.filter((r) => r.kind === "password_reset").at(-1)?.payload.path));
      world.clock.set("2026-06-01T11:00:00Z");
      expect(
        (
          await world.raw("POST", "/api/v1/auth/password-reset/confirm", {
            token: t2,
            password: "neljäs-salasana",
          })
        ).status,
      ).toBe(400);
    } finally {
      await world.close();
    }
  });

  it("an invited person sets a password through the invitation link", async () => {
    const r = await w.as("orgAdmin")("POST", `/api/v1/organisations/${w.orgA.id}/members`, {
      email: "kutsuttu@example.fi",
      role: "member",
    });
    expect(r.status).toBe(201);
    expect(r.body.email).toBe("kutsuttu@example.fi");
    const mail = await lastMail("kutsuttu@example.fi", "invitation");
    const token = tokenFrom(String(mail?.payload.path));
    expect(
      (
        await w.raw("POST", "/api/v1/invitations/accept-new", {
          token,
          password: "oma-kalenteri-salasana",
          display_name: "Kutsuttu",
        })
      ).status,
    ).toBe(200);
    const login = await w.raw("POST", "/api/v1/auth/login", {
      email: "kutsuttu@example.fi",
      password: "oma-kalenteri-salasana",
    });
    expect(login.status).toBe(200);
  });
});
