/**
 * Each municipality's own site (#21): two municipalities on one deployment, A on its own host
 * (fi+sv, a readable colour and a logo), B under the path prefix /b-kunta (fi only, a colour
 * that fails contrast), C under /c-kunta with a configured public_url. Their list JSON, feeds,
 * pages, problem types, OpenAPI servers, mails and allowed origins each name and link their
 * own site. The response cache is on, so what is cached per site is tested too.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResponseCache } from "../src/cache/response-cache.ts";
import { contrastRatio, readableWithWhite } from "../src/contract/colour.ts";
import { DEFAULT_MUNICIPALITY_ID, municipalities, municipalityHosts } from "../src/db/schema.ts";
import { createRenderer } from "../src/domain/notifications/notifications.ts";
import type { Notification } from "../src/domain/notifications/outbox.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { nodeShell } from "../src/runtime/node/assets.ts";
import { projectPath } from "../src/runtime/node/paths.ts";
import { onPostgres } from "./helpers/db.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const PUBLIC_URL = "http://kalenteri.test"; // testConfig's PUBLIC_URL
const A_HOST = "http://kalenteri.a-kunta.test";
const B = "/b-kunta";
const C = "/c-kunta";
const C_URL = "https://kalenteri.c-kunta.fi";
const A_COLOUR = "#7a0026";
const B_COLOUR = "#ffcc00"; // 1.6:1 against white
let w: World;
let aEvent: string;
let bEvent: string;

beforeAll(async () => {
  const tenants = tenantCache();
  w = await createWorkflowWorld({
    responseCache: createMemoryResponseCache(),
    tenants,
    shell: nodeShell(projectPath("web/dist")),
  });
  const db = w.database.db;
  await db
    .update(municipalities)
    .set({
      name: { fi: "Aallon kalenteri", sv: "Aallon kalender", en: "Aalto calendar" },
      languages: ["fi", "sv"],
      theme: { logo_url: "https://a-kunta.test/logo.svg", colours: { primary: A_COLOUR } },
    })
    .where(eq(municipalities.id, DEFAULT_MUNICIPALITY_ID));
  await db
    .insert(municipalityHosts)
    .values({ host: "kalenteri.a-kunta.test", municipalityId: DEFAULT_MUNICIPALITY_ID });
  await db.insert(municipalities).values([
    {
      slug: "b-kunta",
      name: { fi: "Beetalan tapahtumat", en: "Beetala events" },
      languages: ["fi"],
      theme: { colours: { primary: B_COLOUR } },
    },
    {
      slug: "c-kunta",
      name: { sv: "Cee-kommunens kalender" },
      languages: ["sv"],
      defaultLocale: "sv",
      publicUrl: C_URL,
    },
  ]);
  tenants.invalidate();
  aEvent = (await w.eventIn("published", { title: { fi: "Aallon konsertti" } })).id;
  // B's event, written through B's site.
  const created = await w.as("member")(
    "POST",
    `${B}/api/v1/events`,
    w.event({
      organisation_id: w.orgA.id,
      title: { fi: "Beetalan markkinat" },
      place_id: undefined,
      place: { name: { fi: "Beetalo" }, street_address: "Bekatu 1", locality: "Beetala" },
    }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  bEvent = created.body.id;
  const submitted = await w.as("member")("POST", `${B}/api/v1/events/${bEvent}/submit`, {
    version: created.body.version,
  });
  const approved = await w.as("moderator")("POST", `${B}/api/v1/moderation/events/${bEvent}/approve`, {
    version: submitted.body.version,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => w.t.app.request(path, { headers });
const text = async (path: string) => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  // iCal folds long lines: unfold them to read whole URLs.
  return (await res.text()).replace(/\r?\n /g, "");
};

describe(`each municipality's own site (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("describes each site at GET /api/v1/site: name, languages, look, base URL and path", async () => {
    const a = await (await get(`${A_HOST}/api/v1/site?lang=sv`)).json();
    expect(a).toEqual({
      slug: "default",
      name: "Aallon kalender",
      names: { fi: "Aallon kalenteri", sv: "Aallon kalender" },
      languages: ["fi", "sv"],
      default_locale: "fi",
      theme: { logo_url: "https://a-kunta.test/logo.svg", primary_colour: A_COLOUR },
      base_url: A_HOST,
      base_path: "",
    });
    const b = await get(`${B}/api/v1/site?lang=en`);
    expect(b.headers.get("cache-control")).toMatch(/public/);
    // B offers fi only: "en" falls back to its default locale; its colour fails 4.5:1 and is dropped.
    expect(await b.json()).toMatchObject({
      slug: "b-kunta",
      name: "Beetalan tapahtumat",
      names: { fi: "Beetalan tapahtumat" },
      languages: ["fi"],
      theme: { logo_url: null, primary_colour: null },
      base_url: `${PUBLIC_URL}${B}`,
      base_path: B,
    });
    // A configured public_url wins over the prefix for links; the front-end still uses the prefix.
    expect(await (await get(`${C}/api/v1/site`)).json()).toMatchObject({
      name: "Cee-kommunens kalender",
      default_locale: "sv",
      base_url: C_URL,
      base_path: C,
    });
    expect((await get(`${B}/api/v1/site?lang=xx`)).status).toBe(400);
  });

  it("links list items, next links, details and JSON-LD to the site they were asked from", async () => {
    const b = await (await get(`${B}/api/v1/events?limit=1&total=true`)).json();
    expect(b.data[0].url).toBe(`${PUBLIC_URL}${B}/tapahtumat/${bEvent}`);
    const a = await (await get(`${A_HOST}/api/v1/events?limit=1`)).json();
    expect(a.data[0].url).toMatch(new RegExp(`^${A_HOST}/tapahtumat/`));
    expect(a.next ?? `${A_HOST}/`).toMatch(new RegExp(`^${A_HOST}/`));
    const detail = await (await get(`${B}/api/v1/events/${bEvent}`)).json();
    expect(detail.url).toBe(`${PUBLIC_URL}${B}/tapahtumat/${bEvent}`);
    expect(detail.ical_url).toBe(`${PUBLIC_URL}${B}/feeds/events/${bEvent}.ics`);
    const ld = await (await get(`${B}/api/v1/events/${bEvent}`, { Accept: "application/ld+json" })).json();
    expect(JSON.stringify(ld)).toContain(`${PUBLIC_URL}${B}/tapahtumat/${bEvent}`);
    // The same event asked again (a cache hit) keeps its site's links.
    expect((await (await get(`${B}/api/v1/events/${bEvent}`)).json()).url).toBe(detail.url);
  });

  it("names feeds after the site and links them under its prefix", async () => {
    const ics = await text(`${B}/feeds/events.ics`);
    expect(ics).toContain("X-WR-CALNAME:Beetalan tapahtumat");
    expect(ics).toContain(`${PUBLIC_URL}${B}/tapahtumat/${bEvent}`);
    expect(ics).not.toContain("Aallon konsertti");
    const a = await text(`${A_HOST}/feeds/events.ics?lang=sv`);
    expect(a).toContain("X-WR-CALNAME:Aallon kalender");
    expect(a).toContain(`${A_HOST}/tapahtumat/${aEvent}`);
    const rss = await text(`${B}/feeds/events.rss`);
    expect(rss).toContain("<title>Beetalan tapahtumat – Uudet tapahtumat</title>");
    expect(rss).toContain(`<link>${PUBLIC_URL}${B}</link>`);
    expect(rss).toContain(`<atom:link href="${PUBLIC_URL}${B}/feeds/events.rss"`);
    const links = await (await get(`${B}/api/v1/feeds/links`)).json();
    expect(links.https).toBe(`${PUBLIC_URL}${B}/feeds/events.ics`);
    expect(links.outlook).toContain(encodeURIComponent("Beetalan tapahtumat"));
  });

  it("serves pages with the site's name, prefix, languages and look", async () => {
    const page = await text(`${B}/tapahtumat/${bEvent}?lang=en`);
    // B offers fi only: the page is in Finnish, without a language switcher.
    expect(page).toMatch(/<html lang="fi"[^>]* data-base="\/b-kunta"/);
    expect(page).toContain("<title>Beetalan markkinat – Beetalan tapahtumat</title>");
    expect(page).toContain('<meta property="og:site_name" content="Beetalan tapahtumat" />');
    expect(page).toContain(`<link rel="canonical" href="${PUBLIC_URL}${B}/tapahtumat/${bEvent}" />`);
    expect(page).toContain(`<a class="site-name" href="${B}/"`);
    expect(page).toContain(`href="${B}/kirjaudu"`);
    expect(page).toContain(`href="${B}/feeds/events/${bEvent}.ics"`);
    expect(page).not.toContain('class="lang-switch"');
    expect(page).not.toContain("hreflang");
    expect(page).not.toContain("/site.css");
    // Shared hashed assets stay where they are.
    expect(page).toMatch(/(src|href)="\/assets\//);
    expect(page).not.toMatch(/(src|href|action)="\/(?!assets\/|b-kunta)/);
    const meta = /<meta name="kk-site" content="([^"]*)"/.exec(page)?.[1] ?? "";
    expect(JSON.parse(meta.replace(/&quot;/g, '"').replace(/&amp;/g, "&"))).toMatchObject({ base_path: B });

    const a = await text(`${A_HOST}/tapahtumat/${aEvent}?lang=sv`);
    expect(a).toContain('<meta property="og:site_name" content="Aallon kalender" />');
    expect(a).toContain(
      `<link rel="alternate" hreflang="sv" href="${A_HOST}/tapahtumat/${aEvent}?lang=sv" />`,
    );
    expect(a).toContain(`<link rel="alternate" hreflang="fi" href="${A_HOST}/tapahtumat/${aEvent}" />`);
    expect(a).not.toContain('hreflang="en"');
    expect(a).toContain('data-lang="sv"');
    expect(a).not.toContain('data-lang="en"');
    expect(a).toContain(
      '<img class="site-logo" src="https://a-kunta.test/logo.svg" alt="Aallon kalender" />',
    );
    expect(a).toContain(`<link rel="stylesheet" href="/site.css?c=${A_COLOUR.slice(1)}" />`);
    const css = await text(`${A_HOST}/site.css`);
    expect(css).toContain(`--color-brand: ${A_COLOUR};`);
    expect(await text(`${B}/site.css`)).not.toContain("--color-brand");
    // App pages (sign-in) too: the form's script posts under the prefix (the browser test).
    const login = await text(`${B}/kirjaudu`);
    expect(login).toMatch(/<title>[^<]+ – Beetalan tapahtumat<\/title>/);
    expect(login).toContain('data-base="/b-kunta"');
  });

  it("uses the site's base in problem types and the OpenAPI servers", async () => {
    const problem = await (await get(`${B}/api/v1/events?limit=0`)).json();
    expect(problem.type).toBe(`${PUBLIC_URL}${B}/api/docs#problem-validation-error`);
    const doc = await (await get(`${B}/api/v1/openapi.json`)).json();
    expect(doc.servers).toEqual([{ url: `${PUBLIC_URL}${B}` }]);
    expect((await (await get(`${A_HOST}/api/v1/openapi.json`)).json()).servers).toEqual([{ url: A_HOST }]);
    const docs = await text(`${B}/api/docs`);
    expect(docs).toContain("<title>API – Beetala events</title>");
    expect(docs).toContain(`data-url="${B}/api/v1/openapi.json"`);
  });

  it("links mails to the site where the action happened, named after it", async () => {
    const render = createRenderer({ publicUrl: PUBLIC_URL, siteName: "Asennuksen nimi" });
    const mailOf = async (email: string) => {
      const rows = await w.mailsTo(email);
      const row = rows.at(-1);
      if (!row) throw new Error(`no mail to ${email}`);
      return render({
        kind: row.kind,
        recipient: row.recipient,
        locale: row.locale,
        payload: row.payload,
      } as Notification);
    };
    expect((await w.raw("POST", `${B}/api/v1/auth/password-reset`, { email: "member@a.test" })).status).toBe(
      202,
    );
    const b = await mailOf("member@a.test");
    expect(b.text).toContain(`${PUBLIC_URL}${B}/tili/salasana?token=`);
    expect(b.subject).toMatch(/ – Beetalan tapahtumat$/);
    expect(b.text).toContain("-- \nBeetalan tapahtumat\n");
    // orgAdmin reads Swedish: A's Swedish name, A's host.
    expect(
      (await w.raw("POST", `${A_HOST}/api/v1/auth/password-reset`, { email: "admin@a.test" })).status,
    ).toBe(202);
    const a = await mailOf("admin@a.test");
    expect(a.text).toContain(`${A_HOST}/tili/salasana?token=`);
    expect(a.subject).toMatch(/ – Aallon kalender$/);
    // The moderators' notice of B's event (queued at submit) links to B's site.
    const notice = await mailOf("moderator@kunta.test");
    expect(notice.text).toContain(`${PUBLIC_URL}${B}/moderointi/tapahtumat/`);
  });

  it("accepts cookie writes from the region's own origins and refuses a foreign one", async () => {
    const member = w.as("member");
    // An empty event: refused by validation (400) once past the origin check, or 403 before it.
    const write = (origin: string, path = "/api/v1/events") => member("POST", path, {}, { Origin: origin });
    expect((await write(PUBLIC_URL)).status).toBe(400);
    expect((await write(A_HOST, `${A_HOST}/api/v1/events`)).status).toBe(400);
    expect((await write("https://kalenteri.a-kunta.test")).status).toBe(400);
    expect((await write(C_URL, `${C}/api/v1/events`)).status).toBe(400);
    for (const foreign of ["https://evil.test", "http://kalenteri.a-kunta.test.evil.test", "null"]) {
      const res = await write(foreign);
      expect(res.status, foreign).toBe(403);
    }
  });
});

describe("colour contrast", () => {
  it("computes WCAG ratios and keeps only colours readable with white", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#00347a", "#ffffff")).toBeGreaterThan(11);
    expect(readableWithWhite(A_COLOUR)).toBe(true);
    expect(readableWithWhite(B_COLOUR)).toBe(false);
    expect(readableWithWhite("#767676")).toBe(true); // 4.54:1
    expect(readableWithWhite("#777777")).toBe(false); // 4.48:1
    expect(readableWithWhite("red")).toBe(false);
  });
});
