/**
 * Server-rendered pages in-process (no browser): /tapahtumat/{id} fills the shell with
 * <html lang>, title, Open Graph, JSON-LD and the event's basics, all escaped; unknown,
 * malformed and unpublished ids get the 404 page; /saavutettavuus follows ?lang.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { events } from "../src/db/schema.ts";
import { localDateTime } from "../src/domain/time.ts";
import { escapeHtml, jsonForScript } from "../src/pages/event-page.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { insertEvent } from "./helpers/events.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

const SHELLS: Record<string, string> = {
  "event.html": `<!doctype html><html lang="fi"><head><title>x</title><!--ssr:head--></head><body><main><!--ssr:main--></main></body></html>`,
  "404.html": `<!doctype html><html lang="fi"><head><title>x</title></head><body><nav aria-label="Kieli" data-i18n-label="langNav"></nav><h1 data-i18n="notFoundTitle">Sivua ei löytynyt</h1></body></html>`,
  "saavutettavuus.html": `<!doctype html><html lang="fi"><head><title>x</title></head><body><h1>Saavutettavuusseloste</h1></body></html>`,
};
const HOSTILE = `</script><script>alert(1)</script>"><img src=x onerror=alert(1)> $& $1`;

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
let id: string;
let hostile: string;
let draft: string;

beforeAll(async () => {
  database = await createSeededDatabase();
  t = buildTestApp(database, {
    clock: fixedClock(SEED_NOW.toISOString()),
    shell: async (file) => SHELLS[file] ?? null,
  });
  const start = localDateTime("2026-11-14", "12:00", "Europe/Helsinki");
  const end = new Date(start.getTime() + 4 * 3_600_000);
  id = await insertEvent(
    database.db,
    { title: { fi: "Satutunti", sv: "Sagostund" }, startsAt: start, endsAt: end, placeSlug: "kulttuurisali" },
    SEED_NOW,
  );
  hostile = await insertEvent(
    database.db,
    { title: { fi: HOSTILE }, shortDescription: { fi: "<b>x</b>" }, startsAt: start, endsAt: end },
    SEED_NOW,
  );
  draft = await insertEvent(
    database.db,
    { title: { fi: "Luonnos" }, startsAt: start, endsAt: end, state: "draft", publishedAt: null },
    SEED_NOW,
  );
});
afterAll(async () => {
  await database.close();
});

describe("GET /tapahtumat/{id}", () => {
  it("fills the shell with lang, title, time, place, Open Graph and JSON-LD", async () => {
    const res = await t.app.request(`/tapahtumat/${id}?lang=sv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain("<title>Sagostund – Nurmijärvi evenemangskalender</title>");
    expect(html).toContain('<h1 id="event-title">Sagostund</h1>');
    expect(html).toContain("lö 14.11.2026 kl. 12–16");
    expect(html).toContain("Kultursalen Kivi, Kuntalantie 3, 01900 Nurmijärvi");
    expect(html).toContain(`<meta property="og:url" content="http://kalenteri.test/tapahtumat/${id}" />`);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? "null");
    expect(ld).toMatchObject({ "@type": "Event", name: "Sagostund", startDate: "2026-11-14T12:00:00+02:00" });
  });

  it("escapes hostile text in HTML, attributes and JSON-LD", async () => {
    const html = await (await t.app.request(`/tapahtumat/${hostile}`)).text();
    expect(html).not.toMatch(/<script>alert|<img src=x|<b>x<\/b>/);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain(
      "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt; $&amp; $1",
    );
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? "null");
    expect(ld.name).toBe(HOSTILE);
    expect(jsonForScript({ a: "</script>&\u2028" })).toBe('{"a":"\\u003c/script\\u003e\\u0026\\u2028"}');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("gives the 404 page for unknown, malformed and unpublished events", async () => {
    for (const path of [
      `/tapahtumat/${draft}`,
      "/tapahtumat/00000000-0000-4000-8000-000000000000",
      "/tapahtumat/abc",
    ]) {
      const res = await t.app.request(`${path}?lang=en`);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('<h1 data-i18n="notFoundTitle">Page not found</h1>');
      expect(html).toContain('<nav aria-label="Language" data-i18n-label="langNav">');
    }
  });
});

describe("GET /saavutettavuus", () => {
  it("serves the statement with <html lang> from ?lang", async () => {
    const res = await t.app.request("/saavutettavuus?lang=en");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<title>Accessibility statement – Nurmijärvi event calendar</title>");
    expect(await (await t.app.request("/saavutettavuus?lang=xx")).text()).toContain('<html lang="fi">');
  });
});

describe("cached event pages", () => {
  it("serves a repeat from the response cache and rebuilds after the event changes", async () => {
    const cached = buildTestApp(database, {
      clock: fixedClock(SEED_NOW.toISOString()),
      shell: async (file) => SHELLS[file] ?? null,
      responseCache: createMemoryResponseCache(),
    });
    const first = await cached.app.request(`/tapahtumat/${id}?lang=sv`);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const html = await first.text();
    expect(html).toContain("Sagostund");
    const second = await cached.app.request(`/tapahtumat/${id}?lang=sv`);
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.text()).toBe(html);
    const etag = second.headers.get("etag") as string;
    expect(
      (await cached.app.request(`/tapahtumat/${id}?lang=sv`, { headers: { "If-None-Match": etag } })).status,
    ).toBe(304);

    await database.db
      .update(events)
      .set({ title: { fi: "Satutunti", sv: "Sagostund för barn" } })
      .where(eq(events.id, id));
    const changed = await cached.app.request(`/tapahtumat/${id}?lang=sv`);
    expect(changed.headers.get("x-cache")).toBe("miss");
    expect(await changed.text()).toContain("Sagostund för barn");
    const missing = await cached.app.request(`/tapahtumat/${draft}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-cache")).toBeNull();
  });
});
