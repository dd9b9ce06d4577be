/**
 * Smoke test of the same app on Cloudflare Workers: `wrangler dev` runs src/runtime/worker/main.ts
 * in workerd on loopback, against a PostgreSQL database (through the Hyperdrive
 * binding's local connection string). Runs in the PostgreSQL pass of the suite
 * (TEST_DATABASE_URL); the PGlite pass has no server for the Worker to talk to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres, type TestDatabase } from "./helpers/db.ts";
import { createSeededDatabase } from "./helpers/seeded.ts";
import { type RunningWorker, startWorker } from "./helpers/worker.ts";

if (!onPostgres) {
  console.warn(
    "worker.test.ts: skipped in the PGlite pass; it runs when TEST_DATABASE_URL is set (CI does).",
  );
}

describe.runIf(onPostgres)("the Worker (wrangler dev, workerd, PostgreSQL)", () => {
  let database: TestDatabase;
  let worker: RunningWorker;

  beforeAll(async () => {
    database = await createSeededDatabase();
    worker = await startWorker(database.url as string);
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await database?.close();
  });

  it("answers /healthz with the database", async () => {
    const res = await fetch(`${worker.url}/healthz`);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("lists events with the same shape as on Node", async () => {
    const res = await fetch(`${worker.url}/api/v1/events?limit=5&from=2026-10-01&lang=sv`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: { event_id: string; title: { lang: string } }[];
      next: string;
    };
    expect(body.data).toHaveLength(5);
    expect(body.next).toContain(`${worker.url}/api/v1/events?`);
    const detail = await fetch(`${worker.url}/api/v1/events/${body.data[0]?.event_id}`, {
      headers: { accept: "application/ld+json" },
    });
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { "@type": string })["@type"]).toBe("Event");
  });

  it("answers errors as problem+json and serves the static front-end", async () => {
    const bad = await fetch(`${worker.url}/api/v1/events?limit=500`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/problem\+json/);
    const home = await fetch(`${worker.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("<html");
  });
  it("renders an event page from the page shell in the static assets", async () => {
    const list = await fetch(`${worker.url}/api/v1/events?limit=1&from=2026-10-01`);
    const id = ((await list.json()) as { data: { event_id: string }[] }).data[0]?.event_id;
    const page = await fetch(`${worker.url}/tapahtumat/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<html");
    expect(html).toContain('<script type="application/ld+json">');
  });

  it("runs the whole workflow on workerd: PBKDF2 login, sessions, submission, approval, cached feeds", async () => {
    const origin = worker.url;
    const call = async (method: string, path: string, cookie?: string, body?: unknown) => {
      const res = await fetch(`${worker.url}${path}`, {
        method,
        headers: {
          Origin: origin,
          ...(cookie ? { Cookie: cookie } : {}),
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      // Tests read arbitrary JSON fields from responses.
      let json: Record<string, any> = {};
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        json = {};
      }
      return { res, text, json };
    };
    // The seed hashes demo passwords with PBKDF2-SHA256 at 600,000 iterations, above
    // workerd's WebCrypto cap: the login proves the fallback computes the same hash.
    const login = async (email: string) => {
      const r = await call("POST", "/api/v1/auth/login", undefined, { email, password: "test-password" });
      expect(r.res.status, r.text).toBe(200);
      return (r.res.headers.get("set-cookie") ?? "").split(";")[0] as string;
    };
    const organiser = await login("jarjestaja@example.fi");
    const me = await call("GET", "/api/v1/me", organiser);
    expect(me.res.status).toBe(200);
    expect(me.res.headers.get("x-cache")).toBeNull();
    const organisationId = me.json.memberships[0].organisation.id as string;
    const places = await call("GET", "/api/v1/places");
    const placeId = places.json.data[0].id as string;

    const feedPath = "/feeds/events.ics?from=2027-01-01&to=2027-03-01";
    const listPath = "/api/v1/events?from=2027-01-15&to=2027-01-16&limit=100";
    const feed1 = await call("GET", feedPath);
    expect(feed1.res.status).toBe(200);
    expect(feed1.res.headers.get("x-cache")).toBe("miss");
    const feed2 = await call("GET", feedPath);
    // The repeated request is answered from the Cache API.
    expect(feed2.res.headers.get("x-cache")).toBe("hit");
    expect(feed2.res.headers.get("etag")).toBe(feed1.res.headers.get("etag"));
    expect(feed2.text).toBe(feed1.text);
    expect((await call("GET", listPath)).res.headers.get("x-cache")).toBe("miss");
    expect((await call("GET", listPath)).res.headers.get("x-cache")).toBe("hit");

    const created = await call("POST", "/api/v1/events", organiser, {
      organisation_id: organisationId,
      title: { fi: "Workerin savutesti", sv: "Röktest i Workern" },
      short_description: { fi: "Tapahtuma, joka kulkee moderoinnin läpi" },
      start: "2027-01-15T18:00:00+02:00",
      end: "2027-01-15T20:00:00+02:00",
      place_id: placeId,
      categories: ["musiikki"],
    });
    expect(created.res.status, created.text).toBe(201);
    const id = created.json.id as string;
    const submitted = await call("POST", `/api/v1/events/${id}/submit`, organiser, {
      version: created.json.version,
    });
    expect(submitted.res.status, submitted.text).toBe(200);
    expect(submitted.json.state).toBe("pending");
    // Still not public: neither the list nor the feed shows it.
    expect((await call("GET", listPath)).text).not.toContain(id);
    expect((await call("GET", feedPath)).text).not.toContain(id);

    const moderator = await login("moderaattori@example.fi");
    const approved = await call("POST", `/api/v1/moderation/events/${id}/approve`, moderator, {
      version: submitted.json.version,
    });
    expect(approved.res.status, approved.text).toBe(200);
    expect(approved.json.state).toBe("published");

    // Visible right after the approval: the data version moved, so no cached copy applies.
    const list = await call("GET", listPath);
    expect(list.res.headers.get("x-cache")).toBe("miss");
    expect(list.json.data.map((d: { event_id: string }) => d.event_id)).toContain(id);
    const feed3 = await call("GET", feedPath);
    expect(feed3.res.headers.get("x-cache")).toBe("miss");
    expect(feed3.text).toContain(`UID:${id}@`);
    expect(feed3.res.headers.get("etag")).not.toBe(feed1.res.headers.get("etag"));
    expect((await call("GET", feedPath)).res.headers.get("x-cache")).toBe("hit");
    const single = await call("GET", `/feeds/events/${id}.ics`);
    expect(single.res.status).toBe(200);
    expect(single.text).toContain("BEGIN:VCALENDAR");

    // Sessions live in the database: logging out ends the session for every isolate.
    expect((await call("POST", "/api/v1/auth/logout", organiser)).res.status).toBeLessThan(300);
    expect((await call("GET", "/api/v1/me", organiser)).res.status).toBe(401);
  }, 120_000);
});
