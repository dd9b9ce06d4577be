/**
 * Smoke test of the same app on Cloudflare Workers: `wrangler dev` runs src/runtime/worker/main.ts
 * in workerd on loopback, against a PostgreSQL database (through the Hyperdrive
 * binding's local connection string). Runs in the PostgreSQL pass of the suite
 * (TEST_DATABASE_URL); the PGlite pass has no server for the Worker to talk to.
 * The second part runs one Worker for the demo region (Nurmijärvi at /, Hyvinkää and Tuusula
 * under their prefixes, one of them also on its own host) with nothing per municipality in
 * wrangler.toml.
 */
import { request as httpRequest } from "node:http";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { municipalityHosts } from "../src/db/schema.ts";
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

describe.runIf(onPostgres)("the Worker serves every municipality of the region from one script", () => {
  let database: TestDatabase;
  let worker: RunningWorker;
  /** The municipality (slug) of every event. */
  let homeOf: Map<string, string>;
  const TUUSULA_HOST = "kalenteri.tuusula.test";

  beforeAll(async () => {
    database = await createSeededDatabase(undefined, { region: true });
    const rows = await queryRows<{ id: string; slug: string }>(
      database.db,
      sql`select e.id, m.slug from events e join municipalities m on m.id = e.municipality_id`,
    );
    homeOf = new Map(rows.map((r) => [r.id, r.slug]));
    const [tuusula] = await queryRows<{ id: string }>(
      database.db,
      sql`select id from municipalities where slug = 'tuusula'`,
    );
    await database.db
      .insert(municipalityHosts)
      .values({ host: TUUSULA_HOST, municipalityId: tuusula?.id as string });
    // Hyvinkää's pages link its colours as /hyvinkaa/site.css (an app route, not a file).
    await database.db.execute(
      sql`update municipalities set theme = '{"colours":{"primary":"#1f5e3a"}}'::jsonb where slug = 'hyvinkaa'`,
    );
    worker = await startWorker(database.url as string);
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await database?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${worker.url}${path}`, { headers });
  /** The municipalities of the events a site lists from the seed date on (all pages). */
  const listed = async (path: string, headers: Record<string, string> = {}) => {
    const slugs = new Map<string, number>();
    let url: string | undefined =
      `${worker.url}${path}/api/v1/events?from=2026-10-01&to=2026-12-31&limit=100`;
    for (let page = 0; url && page < 20; page++) {
      const res = await fetch(url, { headers });
      expect(res.status, url).toBe(200);
      const body = (await res.json()) as { data: { event_id: string }[]; next?: string | null };
      for (const e of body.data) {
        const slug = homeOf.get(e.event_id) ?? "?";
        slugs.set(slug, (slugs.get(slug) ?? 0) + 1);
      }
      url = body.next ?? undefined;
    }
    return slugs;
  };

  it("lists at the default address Nurmijärvi's events and the neighbours it shows", async () => {
    const slugs = await listed("");
    expect([...slugs.keys()].sort()).toEqual(["hyvinkaa", "nurmijarvi", "tuusula"]);
    expect(slugs.get("nurmijarvi")).toBeGreaterThan(slugs.get("hyvinkaa") as number);
    const site = (await (await get("/api/v1/site")).json()) as { slug: string; base_path: string };
    expect(site).toMatchObject({ slug: "nurmijarvi", base_path: "" });
    const home = await get("/", { accept: "text/html" });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("Nurmijärven tapahtumakalenteri");
    expect(html).not.toContain("data-base=");
  });

  it("lists under a prefix only what that site shows", async () => {
    const hyvinkaa = await listed("/hyvinkaa");
    expect([...hyvinkaa.keys()].sort()).toEqual(["hyvinkaa", "nurmijarvi"]);
    const tuusula = await listed("/tuusula");
    expect([...tuusula.keys()]).toEqual(["tuusula"]);
    const site = (await (await get("/tuusula/api/v1/site")).json()) as { slug: string; base_url: string };
    expect(site).toMatchObject({ slug: "tuusula", base_url: `${worker.url}/tuusula` });
    const list = (await (await get("/tuusula/api/v1/events?from=2026-10-01&limit=2")).json()) as {
      next: string;
    };
    expect(list.next).toContain(`${worker.url}/tuusula/api/v1/events?`);
  });

  it("serves a prefixed site's pages and the static files they ask for", async () => {
    const res = await get("/hyvinkaa/", { accept: "text/html" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-base="/hyvinkaa"');
    expect(html).toMatch(/<a class="site-name"[^>]*>Hyvinkää/);
    expect(html).not.toContain("Nurmijärven tapahtumakalenteri</a>");
    // The page's own links carry the prefix; the hashed build is shared by every site.
    expect(html).toContain('href="/hyvinkaa/favicon.svg"');
    const script = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    expect(script).toBeTruthy();
    for (const path of [script, `/hyvinkaa${script}`]) {
      const js = await get(path);
      expect(js.status, path).toBe(200);
      expect(js.headers.get("content-type"), path).toMatch(/javascript/);
      expect(js.headers.get("access-control-allow-origin"), path).toBe("*");
      await js.arrayBuffer();
    }
    expect(html).toContain('href="/hyvinkaa/site.css?c=1f5e3a"');
    const css = await get("/hyvinkaa/site.css?c=1f5e3a");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    expect(await css.text()).toContain("#1f5e3a");
    const icon = await get("/hyvinkaa/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/svg/);
    await icon.arrayBuffer();
    // The embed code of a prefixed site loads /<slug>/embed.js from other sites' pages.
    const embed = await get("/hyvinkaa/embed.js");
    expect(embed.status).toBe(200);
    expect(embed.headers.get("access-control-allow-origin")).toBe("*");
    await embed.arrayBuffer();
    // An app page and the site's 404 page are Hyvinkää's too.
    const login = await get("/hyvinkaa/kirjaudu", { accept: "text/html" });
    expect(login.status).toBe(200);
    expect(await login.text()).toMatch(/<a class="site-name"[^>]*>Hyvinkää/);
    const missing = await get("/hyvinkaa/no-such-page", { accept: "text/html" });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/<a class="site-name"[^>]*>Hyvinkää/);
  });

  it("serves a prefixed site's iCal feed with only its own events", async () => {
    const res = await get("/tuusula/feeds/events.ics?from=2026-10-01&to=2026-12-31");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/calendar/);
    const uids = [...(await res.text()).matchAll(/^UID:([0-9a-f-]{36})@/gm)].map((m) => m[1] as string);
    expect(uids.length).toBeGreaterThan(0);
    expect(new Set(uids.map((id) => homeOf.get(id)))).toEqual(new Set(["tuusula"]));
  });

  it("serves a municipality on its own host", async () => {
    // fetch() does not send a Host header of its own choosing; node:http does.
    const onHost = (path: string, accept = "application/json") =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = httpRequest(
          `${worker.url}${path}`,
          { headers: { host: TUUSULA_HOST, accept } },
          (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => (body += d));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
            );
          },
        );
        req.on("error", reject);
        req.end();
      });
    const site = await onHost("/api/v1/site");
    expect(site.status).toBe(200);
    const port = new URL(worker.url).port;
    expect(JSON.parse(site.body)).toMatchObject({
      slug: "tuusula",
      base_path: "",
      base_url: `http://${TUUSULA_HOST}:${port}`,
    });
    const list = await onHost("/api/v1/events?from=2026-10-01&to=2026-12-31&limit=100");
    const ids = (JSON.parse(list.body) as { data: { event_id: string }[] }).data.map((e) => e.event_id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids.map((id) => homeOf.get(id)))).toEqual(new Set(["tuusula"]));
    const home = await onHost("/", "text/html");
    expect(home.status).toBe(200);
    expect(home.body).toMatch(/<a class="site-name"[^>]*>Tuusula/);
    expect(home.body).not.toContain("data-base=");
    // The default address is still Nurmijärvi's.
    expect(((await (await get("/api/v1/site")).json()) as { slug: string }).slug).toBe("nurmijarvi");
  });

  it("answers an unknown prefix with a 404 problem", async () => {
    for (const path of ["/nosuch/api/v1/events", "/nosuch/feeds/events.ics", "/nosuch"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/problem\+json/);
      await res.arrayBuffer();
    }
  });
});
