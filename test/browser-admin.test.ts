/**
 * The administration page /hallinta in a real browser against the real server, with its mail
 * going through a test SMTP sink: the region admin creates a municipality; its first admin
 * follows the emailed invitation, creates an account and edits the municipality's name (with
 * the live contrast warning on the primary colour); a submission on the new municipality's
 * site is mailed to its own admin, not to the regional moderator; axe-core (WCAG 2.1 A/AA) on
 * the page in fi, sv and en; screenshots under test-results/screenshots/.
 */
import { mkdir } from "node:fs/promises";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGS } from "../src/contract/i18n/resident.ts";
import { launchBrowser, screenshot, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { type MailSink, startMailSink } from "./helpers/mail-sink.ts";

const SHOTS = "test-results/screenshots";
const PASSWORD = "browser-test-pw";
const FIRST_ADMIN = "paakayttaja@hyvinkaa.test";
const skip = skipBrowserTests("test/browser-admin.test.ts");

let site: TestSite;
let mail: MailSink;
let browser: Browser;
let adminCtx: BrowserContext;
let newCtx: BrowserContext;
let page: Page;
let municipalityId = "";

async function call(ctx: BrowserContext, method: string, path: string, data?: unknown) {
  const res = await ctx.request.fetch(`${site.url}${path}`, {
    method,
    headers: { Origin: site.url, Accept: "application/json" },
    ...(data === undefined ? {} : { data }),
  });
  const text = await res.text();
  // Tests read arbitrary JSON fields.
  const body = (text ? JSON.parse(text) : {}) as Record<string, any>;
  return { status: res.status(), body };
}

async function seriousViolations(p: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page: p })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

// Generous: the invitation mail may wait for one outbox send interval.
describe.skipIf(skip)("administration page in Chromium", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    mail = await startMailSink();
    browser = await launchBrowser();
    site = await startSite(async () => {}, { SMTP_URL: mail.url });
    adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    newCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    const login = await call(adminCtx, "POST", "/api/v1/auth/login", {
      email: "admin@example.fi",
      password: PASSWORD,
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    page = await adminCtx.newPage();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await adminCtx?.close();
    await newCtx?.close();
    await browser?.close();
    await site?.close();
    await mail?.close();
  });

  it("shows the region admin the municipalities and creates one, inviting its first admin", async () => {
    await page.goto(`${site.url}/hallinta`);
    await page.locator("#municipalities").waitFor();
    expect(await page.locator("#municipalities tbody tr").count()).toBe(1);
    // The header offers the administration link.
    await page.locator('#user-nav a[href="/hallinta"]').waitFor();
    const form = page.locator("#create-form");
    // A reserved slug is refused next to its field.
    await form.getByLabel("Tunnus").fill("moderointi");
    await form.getByLabel("Nimi suomeksi").fill("Hyvinkää");
    await form.getByLabel("Ensimmäisen ylläpitäjän sähköpostiosoite").fill(FIRST_ADMIN);
    await form.getByRole("button", { name: "Luo kunta ja lähetä kutsu" }).click();
    await form.locator(".error-summary").waitFor();
    expect(await form.locator(".field-error").first().textContent()).toContain("reserved");
    await form.getByLabel("Tunnus").fill("hyvinkaa");
    await form.getByLabel("Nimi ruotsiksi").fill("Hyvinge");
    await form.getByLabel("ruotsi", { exact: true }).check();
    await form.getByLabel("Verkko-osoitteet").fill("kalenteri.hyvinkaa.test");
    await form.getByRole("button", { name: "Luo kunta ja lähetä kutsu" }).click();
    await page.getByText(`Hyvinkää luotiin. Kutsu lähetettiin osoitteeseen ${FIRST_ADMIN}.`).waitFor();
    expect(await page.locator("#municipalities tbody tr").count()).toBe(2);
    const list = await call(adminCtx, "GET", "/api/v1/admin/municipalities");
    municipalityId = list.body.data.find((m: { slug: string }) => m.slug === "hyvinkaa").id;
    expect(list.body.data.find((m: { slug: string }) => m.slug === "hyvinkaa")).toMatchObject({
      languages: ["fi", "sv"],
      hosts: ["kalenteri.hyvinkaa.test"],
    });
    await screenshot(page, { path: `${SHOTS}/admin-list-desktop.png`, fullPage: true });
  });

  it("lets the invited first admin accept, sign in and edit the municipality's name", async () => {
    const [link] = await mail.waitFor(FIRST_ADMIN, /http:\/\/\S+\/tili\/kutsu\?henkilokunta=1&token=[\w-]+/);
    expect(link.startsWith(site.url)).toBe(true);
    const p = await newCtx.newPage();
    await p.goto(link);
    await p.locator("form.account-form").waitFor();
    expect(await p.locator("#invite-from").textContent()).toContain("Hyvinkää");
    await p.getByLabel("Nimi").fill("Hilkka Hallinto");
    await p.getByLabel("Uusi salasana", { exact: true }).fill("hallinnan-salasana-1");
    await p.getByLabel("Uusi salasana uudelleen").fill("hallinnan-salasana-1");
    await p.getByRole("button", { name: "Ota tili käyttöön" }).click();
    // Signed in, on the administration page, which lists only their municipality.
    await p.waitForURL(`${site.url}/hallinta`);
    await p.locator("#municipalities").waitFor();
    expect(await p.locator("#municipalities tbody tr").count()).toBe(1);
    expect(await p.locator("#create-form").count()).toBe(0);
    await p.getByRole("link", { name: "Muokkaa: Hyvinkää" }).click();
    const form = p.locator("#edit-form");
    await form.waitFor();
    // The primary colour: a live warning below 4.5:1, and the server refuses it too.
    const colour = form.getByLabel("Pääväri (#rrggbb)");
    await colour.fill("#77aadd");
    await p.locator("#contrast-line.contrast--low").waitFor();
    expect(await p.locator("#contrast-line").textContent()).toContain("liian vähän");
    await screenshot(p, { path: `${SHOTS}/admin-edit-contrast-desktop.png`, fullPage: true });
    await form.getByRole("button", { name: "Tallenna" }).click();
    await form.locator(".error-summary").waitFor();
    await colour.fill("#0b4f8a");
    await p.locator("#contrast-line:not(.contrast--low)").waitFor();
    await form.getByLabel("Nimi suomeksi").fill("Hyvinkään kaupunki");
    await form.getByRole("button", { name: "Tallenna" }).click();
    await p.getByText("Muutokset tallennettiin.").waitFor();
    await p.getByRole("heading", { name: "Kunta: Hyvinkään kaupunki" }).waitFor();
    const saved = await call(adminCtx, "GET", `/api/v1/admin/municipalities/${municipalityId}`);
    expect(saved.body.name.fi).toBe("Hyvinkään kaupunki");
    expect(saved.body.theme.colours.primary).toBe("#0b4f8a");
    // Staff: the first admin is listed; a moderator is invited.
    await p.locator("#staff").getByText(FIRST_ADMIN).waitFor();
    const invite = p.locator("#invite-form");
    await invite.getByLabel("Sähköpostiosoite").fill("moderaattori@hyvinkaa.test");
    await invite.getByRole("button", { name: "Lähetä kutsu" }).click();
    await p.getByText("Kutsu lähetettiin osoitteeseen moderaattori@hyvinkaa.test.").waitFor();
    await p.locator("#invitations").getByText("moderaattori@hyvinkaa.test").waitFor();
    // Categories: one of the municipality's own, added and then named in Swedish too.
    const cat = p.locator("#category-form");
    await cat.getByLabel("Tunnus (pienet kirjaimet, numerot ja viivat)").fill("pesapallo");
    await cat.getByLabel("Nimi suomeksi").fill("Pesäpallo");
    await cat.getByRole("button", { name: "Lisää luokka" }).click();
    await p.getByText("Luokka Pesäpallo lisättiin.").waitFor();
    await p.getByLabel("Pesäpallo (ruotsi)").fill("Boboll");
    await p.getByRole("button", { name: "Tallenna nimi: Pesäpallo" }).click();
    await p.getByText("Luokka Pesäpallo tallennettiin.").waitFor();
    const cats = await call(adminCtx, "GET", `/api/v1/admin/municipalities/${municipalityId}/categories`);
    const own = (cats.body.data as { slug: string; shared: boolean; name: { sv?: string } }[]).find(
      (c) => c.slug === "pesapallo",
    );
    expect(own).toMatchObject({ shared: false, name: { sv: "Boboll" } });
    // The shared list is read-only for a municipality's admin.
    expect(
      await p
        .locator("#categories")
        .getByRole("button", { name: /Tallenna nimi: Musiikki/ })
        .count(),
    ).toBe(0);
    for (const [size, width] of [
      ["desktop", 1280],
      ["mobile", 390],
    ] as const) {
      await p.setViewportSize({ width, height: 900 });
      await screenshot(p, { path: `${SHOTS}/admin-edit-${size}.png`, fullPage: true });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow, size).toBe(false);
    }
    await p.close();
  });

  it("mails a submission on the municipality's site to its own admin, not the regional moderator", async () => {
    const org = await browser.newContext();
    try {
      const login = await call(org, "POST", "/api/v1/auth/login", {
        email: "jarjestaja@example.fi",
        password: PASSWORD,
      });
      expect(login.status).toBe(200);
      const me = await call(org, "GET", "/api/v1/me");
      const title = "Hallintatesti: Hyvinkään kevätkonsertti";
      const start = new Date(Date.now() + 20 * 86_400_000);
      start.setUTCHours(15, 0, 0, 0);
      const created = await call(org, "POST", "/hyvinkaa/api/v1/events", {
        organisation_id: me.body.memberships[0].organisation.id,
        title: { fi: title },
        short_description: { fi: "Konsertti hallintasivun selaintestiin." },
        start: start.toISOString(),
        end: new Date(start.getTime() + 7_200_000).toISOString(),
        place: { name: { fi: "Hyvinkään talo" }, street_address: "Hyvinkääntie 1", locality: "Hyvinkää" },
        categories: ["musiikki"],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const submitted = await call(org, "POST", `/hyvinkaa/api/v1/events/${created.body.id}/submit`, {
        version: created.body.version,
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      await mail.waitFor(FIRST_ADMIN, /Hallintatesti/);
      expect(
        mail.mails.some((m) => m.to.includes("moderaattori@example.fi") && m.text.includes("Hallintatesti")),
      ).toBe(false);
    } finally {
      await org.close();
    }
  });

  it("has no serious or critical axe violations in fi, sv and en", async () => {
    const problems: string[] = [];
    for (const lang of LANGS) {
      const q = lang === "fi" ? "" : `lang=${lang}`;
      await page.goto(`${site.url}/hallinta${q ? `?${q}` : ""}`);
      await page.locator("#municipalities").waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      problems.push(...(await seriousViolations(page, `${lang} list`)));
      await page.goto(`${site.url}/hallinta?kunta=${municipalityId}${q ? `&${q}` : ""}`);
      await page.locator("#edit-form").waitFor();
      problems.push(...(await seriousViolations(page, `${lang} edit`)));
      if (lang === "fi") {
        await page.locator("#edit-form").getByLabel("Pääväri (#rrggbb)").fill("#ffff00");
        await page.locator("#edit-form").getByRole("button", { name: "Tallenna" }).click();
        await page.locator("#edit-form .error-summary").waitFor();
        problems.push(...(await seriousViolations(page, `${lang} edit with errors`)));
      }
    }
    // Signed out: the sign-in notice.
    const anonCtx = await browser.newContext();
    const anon = await anonCtx.newPage();
    await anon.goto(`${site.url}/hallinta`);
    await anon.locator("#sign-in-link").waitFor();
    problems.push(...(await seriousViolations(anon, "signed out")));
    await anonCtx.close();
    expect(problems).toEqual([]);
  });
});
