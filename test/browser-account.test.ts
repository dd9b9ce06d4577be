/**
 * The account pages in a real browser (Chromium via playwright-core) against the real
 * server, with its email going through a test SMTP sink (test/helpers/mail-sink.ts):
 * register → confirmation link from the email → confirm → log in → header menu → my
 * account; wrong password; password reset by the emailed link; ?next= open-redirect
 * attempts; an organisation admin changes a role, removes a member, invites one (who then
 * accepts the invitation and is signed in), creates and revokes an API token, logs out;
 * closing an account; the login with the keyboard alone; the message for too many login
 * attempts (a real 429); axe-core on every account page in fi, sv and en; screenshots at
 * 1280 and 390 px under test-results/screenshots/.
 *
 * The server sends queued email every 30 s, so the tests that cause email run first and
 * the ones that follow the links run later, each waiting for its message.
 */
import { mkdir, readFile } from "node:fs/promises";
import { AxeBuilder } from "@axe-core/playwright";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGS } from "../src/contract/i18n/resident.ts";
import { memberships, organisations, users } from "../src/db/schema.ts";
import { hashPassword } from "../src/domain/accounts/passwords.ts";
import { launchBrowser, screenshot, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { type MailSink, startMailSink } from "./helpers/mail-sink.ts";

const SHOTS = "test-results/screenshots";
const PW = "browser-test-pw";
const ORG = "Klaukkalan Kisa-Veikot ry";
const RESET_USER = { email: "palautus@example.fi", password: "vanha-salasana-1", name: "Paula Palautus" };
const MEMBER = { email: "jasen@example.fi", name: "Jaana Jäsen" };
const NEW_USER = { email: "uusi.kayttaja@example.fi", password: "pitka-salalause-42", name: "Uusi Käyttäjä" };
const INVITEE = "kutsuttu@example.fi";

let site: TestSite;
let mail: MailSink;
let browser: Browser;
let anon: BrowserContext;
let page: Page;
const foreignRequests: string[] = [];

const skip = skipBrowserTests("test/browser-account.test.ts");

/** Presses Tab until the focused element matches the selector (keyboard-only navigation). */
async function tabTo(p: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press("Tab");
    if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { cls: el?.className ?? "", text: el?.textContent ?? "", tag: el?.tagName ?? "" };
  });

/** Logs in through the form; resolves once the browser has left /kirjaudu. */
async function logIn(p: Page, email: string, password: string, query = ""): Promise<void> {
  await p.goto(`${site.url}/kirjaudu${query}`);
  await p.locator("form.account-form").waitFor();
  await p.fill('input[name="email"]', email);
  await p.fill('input[name="password"]', password);
  await p.locator('form.account-form button[type="submit"]').click();
  await p.waitForURL((u) => u.pathname !== "/kirjaudu", { timeout: 30_000 });
}

async function seriousViolations(p: Page, label: string): Promise<string[]> {
  const result = await new AxeBuilder({ page: p })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
}

// Generous per-test time: other browser tests may share a small machine, and a test that
// follows an emailed link may wait up to one send interval (30 s) for the message.
describe.skipIf(skip)("account pages in Chromium", { timeout: 150_000 }, () => {
  beforeAll(async () => {
    mail = await startMailSink();
    browser = await launchBrowser();
    site = await startSite(
      async (db, now) => {
        const [org] = await db.select().from(organisations).where(eq(organisations.slug, "kisaveikot"));
        const inserted = await db
          .insert(users)
          .values([
            {
              email: RESET_USER.email,
              displayName: RESET_USER.name,
              passwordHash: await hashPassword(RESET_USER.password),
              emailVerifiedAt: now,
            },
            { email: MEMBER.email, displayName: MEMBER.name, passwordHash: null, emailVerifiedAt: now },
          ])
          .returning({ id: users.id, email: users.email });
        const member = inserted.find((u) => u.email === MEMBER.email);
        if (!org || !member) throw new Error("seed: organisation kisaveikot or member missing");
        await db.insert(memberships).values({ userId: member.id, organisationId: org.id, role: "member" });
      },
      { SMTP_URL: mail.url },
    );
    anon = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fi-FI" });
    anon.on("request", (r) => {
      const host = new URL(r.url()).host;
      if (host !== new URL(site.url).host) foreignRequests.push(r.url());
    });
    page = await anon.newPage();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await anon?.close();
    await browser?.close();
    await site?.close();
    await mail?.close();
  });

  it("registers: checks the fields, then asks the person to check their email", async () => {
    await page.goto(`${site.url}/rekisteroidy`);
    await page.locator("form.account-form").waitFor();
    // Requirements are shown before typing, tied to the field.
    const password = page.getByLabel("Salasana", { exact: true });
    expect(await password.getAttribute("autocomplete")).toBe("new-password");
    const hintId = (await password.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`#${hintId}`).textContent()).toContain("Vähintään 10 merkkiä");
    expect(await page.getByLabel("Nimi").getAttribute("autocomplete")).toBe("name");
    expect(await page.getByLabel("Sähköpostiosoite").getAttribute("autocomplete")).toBe("email");
    expect(await page.getByRole("group", { name: /Millä kielellä/ }).count()).toBe(1);

    await page.getByLabel("Nimi").fill(NEW_USER.name);
    await page.getByLabel("Sähköpostiosoite").fill("ei-osoite");
    await password.fill("lyhyt");
    await page.getByRole("button", { name: "Luo tili" }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect((await focused(page)).cls).toContain("error-summary");
    expect(await summary.textContent()).toContain("vähintään 10 merkkiä");
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Sähköpostiosoite").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Sähköpostiosoite").fill(NEW_USER.email);
    await password.fill(NEW_USER.password);
    await page.getByLabel("svenska").check();
    await page.getByRole("button", { name: "Luo tili" }).click();
    const done = page.getByRole("heading", { name: "Tarkista sähköpostisi" });
    await done.waitFor();
    expect((await focused(page)).text).toBe("Tarkista sähköpostisi");
    expect(await page.locator("main").textContent()).toContain(NEW_USER.email);
  });

  it("sends a password reset link with the same answer whether or not the address has an account", async () => {
    for (const email of ["ei-tilia@example.fi", RESET_USER.email]) {
      await page.goto(`${site.url}/tili/salasana`);
      await page.getByLabel("Sähköpostiosoite").fill(email);
      await page.getByRole("button", { name: "Lähetä linkki" }).click();
      await page.getByRole("heading", { name: "Tarkista sähköpostisi" }).waitFor();
      expect(await page.locator(".result").textContent()).toContain(`Jos osoitteella ${email} on tili`);
    }
  });

  it("shows a wrong password next to the form, and logs in with the keyboard alone", async () => {
    await page.goto(`${site.url}/kirjaudu`);
    await page.locator("form.account-form").waitFor();
    await page.fill('input[name="email"]', "jarjestaja@example.fi");
    await page.fill('input[name="password"]', "väärä-salasana");
    await page.getByRole("button", { name: "Kirjaudu sisään" }).click();
    await page.locator(".error-summary").waitFor();
    expect((await focused(page)).cls).toContain("error-summary");
    expect(await page.locator('[role="alert"].error-summary').textContent()).toContain(
      "Sähköpostiosoite tai salasana on väärin",
    );
    const pw = page.locator('input[name="password"]');
    expect(await pw.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await pw.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`#${describedBy.split(" ").pop()}`).textContent()).toContain("väärin");
    expect(page.url()).toBe(`${site.url}/kirjaudu`);

    // Keyboard only, in a fresh context: skip link, fields, Enter.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    try {
      await p.goto(`${site.url}/kirjaudu`);
      await p.locator("form.account-form").waitFor();
      await p.keyboard.press("Tab");
      expect((await focused(p)).cls).toContain("skip-link");
      await tabTo(p, 'input[name="email"]');
      await p.keyboard.type("jarjestaja@example.fi");
      await p.keyboard.press("Tab");
      expect(await p.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe("password");
      await p.keyboard.type(PW);
      await p.keyboard.press("Enter");
      await p.waitForURL(`${site.url}/omat`);
      await p.locator('#user-nav a[href="/tili"]').waitFor();
      expect(await p.locator('#user-nav a[href="/kirjaudu"]').count()).toBe(0);
      // Links of the page are reachable by Tab from the form too.
      await p.goto(`${site.url}/kirjaudu`);
      await p.locator("form.account-form").waitFor();
      await tabTo(p, 'a[href="/tili/salasana"]');
      await p.keyboard.press("Enter");
      await p.waitForURL(`${site.url}/tili/salasana`);
    } finally {
      await ctx.close();
    }
  });

  it("never follows ?next= to another site, but honours a same-site path", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const seen: string[] = [];
    ctx.on("request", (r) => seen.push(new URL(r.url()).host));
    const p = await ctx.newPage();
    try {
      for (const next of [
        "//evil.example/x",
        "https://evil.example/x",
        "/\\evil.example",
        "/\t/evil.example",
        "/..//evil.example",
        "/.//evil.example/x",
      ]) {
        await logIn(p, "admin@example.fi", PW, `?next=${encodeURIComponent(next)}`);
        const url = new URL(p.url());
        expect(url.origin, next).toBe(site.url);
        expect(url.pathname, next).toBe("/omat");
      }
      await logIn(p, "admin@example.fi", PW, `?next=${encodeURIComponent("/tili?lang=sv")}`);
      const url = new URL(p.url());
      expect(url.pathname).toBe("/tili");
      expect(url.searchParams.get("lang")).toBe("sv");
      expect(seen.filter((h) => h.includes("evil"))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it("notices an existing session on the login page: continue, or log out and stay", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    try {
      await logIn(p, "jarjestaja@example.fi", PW);
      await p.goto(`${site.url}/kirjaudu?next=${encodeURIComponent("/tili")}&lang=en`);
      const notice = p.locator("#signed-in-notice");
      await notice.waitFor();
      expect(await notice.getAttribute("role")).toBe("status");
      expect(await notice.textContent()).toContain("You are already logged in as Järjestäjä (demo).");
      // Going on keeps the ?next= target and the language; the form stays for another account.
      expect(await notice.locator("a.button").getAttribute("href")).toBe("/tili?lang=en");
      expect(await p.locator("form.account-form").count()).toBe(1);
      await notice.locator("#logout").click();
      await notice.getByText("You have logged out.").waitFor();
      expect(await p.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("email");
      await p.locator('#user-nav a[href^="/kirjaudu"]').waitFor();
      const me = await p.evaluate(async () => (await fetch("/api/v1/me")).status);
      expect(me).toBe(401);
      // Signed out, the page has no notice.
      await p.goto(`${site.url}/kirjaudu`);
      await p.locator("form.account-form").waitFor();
      await p.waitForLoadState("networkidle");
      expect(await p.locator("#signed-in-notice").count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it("lets an organisation admin manage members and API tokens, then log out", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    const problems: string[] = [];
    try {
      await logIn(p, "jarjestaja@example.fi", PW, "?next=/tili");
      expect(new URL(p.url()).pathname).toBe("/tili");
      await p.locator("#me-email").waitFor();
      expect(await p.locator("#me-email").textContent()).toBe("jarjestaja@example.fi");
      expect(await p.locator("#me-role").textContent()).toBe("Järjestäjä");
      expect(await p.locator(".org-list").textContent()).toContain(`${ORG}Roolisi: Ylläpitäjä`);
      const manage = p.locator("section", { has: p.getByRole("heading", { name: `Hallinnoi: ${ORG}` }) });
      const members = manage.locator(".member-list");
      await members.getByText(MEMBER.email).waitFor();
      expect(await members.textContent()).toContain("(sinä)");

      // Role change.
      await manage.getByLabel(`Rooli: ${MEMBER.name}`).selectOption("admin");
      await manage.getByRole("button", { name: new RegExp(`^Vaihda rooli\\W+${MEMBER.name}$`) }).click();
      await manage.getByText(`${MEMBER.name}: rooli on nyt Ylläpitäjä.`).waitFor();
      // After the busy state, the button reads as before (the name stays visually hidden).
      const change = manage.getByRole("button", { name: new RegExp(`^Vaihda rooli\\W+${MEMBER.name}$`) });
      expect(await change.evaluate((b) => b.firstChild?.textContent)).toBe("Vaihda rooli");
      expect(await change.locator(".visually-hidden").count()).toBe(1);

      // Removal asks first; Escape cancels and returns focus; then confirm.
      const remove = manage.getByRole("button", { name: `Poista ${MEMBER.name}` });
      await remove.click();
      expect((await focused(p)).text).toContain(`Poistetaanko ${MEMBER.name}`);
      await p.keyboard.press("Escape");
      expect((await focused(p)).text).toContain("Poista");
      await remove.click();
      await manage.getByRole("button", { name: "Kyllä, poista" }).click();
      await manage.getByText(`${MEMBER.name} poistettiin organisaatiosta.`).waitFor();
      expect(await members.getByText(MEMBER.email).count()).toBe(0);

      // Invite by email, as a member.
      const invite = manage.locator("form[id^=invite-]");
      await invite.getByLabel("Kutsuttavan sähköpostiosoite").fill(INVITEE);
      await invite.getByLabel(/^Jäsen/).check();
      await invite.getByRole("button", { name: "Lähetä kutsu" }).click();
      await manage.getByText(`Kutsu lähetettiin osoitteeseen ${INVITEE}.`).waitFor();
      // Nobody joins before accepting: the address is listed under pending invitations only.
      const invitations = manage.locator(".invitation-list");
      await invitations.locator(".member__email", { hasText: INVITEE }).waitFor();
      expect(await invitations.textContent()).toContain("voimassa");
      expect(await members.getByText(INVITEE).count()).toBe(0);
      // A pending invitation can be revoked (asks first); then invite again.
      await invitations.getByRole("button", { name: /^Peru kutsu/ }).click();
      await manage.getByRole("button", { name: "Peru kutsu", exact: true }).click();
      await manage.getByText(`Kutsu osoitteeseen ${INVITEE} peruttiin.`).waitFor();
      await invitations.getByText("Ei odottavia kutsuja.").waitFor();
      await invite.getByLabel("Kutsuttavan sähköpostiosoite").fill(INVITEE);
      await invite.getByRole("button", { name: "Lähetä kutsu" }).click();
      await invitations.locator(".member__email", { hasText: INVITEE }).waitFor();
      // Inviting a current member is a clear error at the field.
      await invite.getByLabel("Kutsuttavan sähköpostiosoite").fill("jarjestaja@example.fi");
      await invite.getByRole("button", { name: "Lähetä kutsu" }).click();
      await invite.locator(".field-error").getByText("Henkilö on jo organisaation jäsen.").waitFor();

      // API token: create, the secret once, copy, revoke with confirmation.
      await manage.getByLabel("Avaimen nimi").fill("Kotisivu");
      await manage.getByRole("button", { name: "Luo avain" }).click();
      const secret = manage.locator(".secret");
      await secret.waitFor();
      expect((await focused(p)).text).toBe("Uusi API-avain: Kotisivu");
      expect(await secret.textContent()).toContain("Et näe sitä enää uudelleen");
      const value = await secret.getByLabel("API-avain").inputValue();
      expect(value).toMatch(/^kk_/);
      await secret.getByRole("button", { name: "Kopioi avain" }).click();
      await secret.locator(".copy-status:not(:empty)").waitFor();
      problems.push(...(await seriousViolations(p, "fi account with a new token")));
      await secret.getByRole("button", { name: "Olen tallentanut avaimen" }).click();
      expect(await manage.locator(".secret").count()).toBe(0);
      expect(await p.locator("body").textContent()).not.toContain(value);
      const tokenRow = manage.locator(".token", { hasText: "Kotisivu" });
      await tokenRow.getByText("Voimassa").waitFor();
      await tokenRow.getByRole("button", { name: "Mitätöi Kotisivu" }).click();
      await manage.getByRole("button", { name: "Kyllä, mitätöi" }).waitFor();
      problems.push(...(await seriousViolations(p, "fi account confirming a revocation")));
      await manage.getByRole("button", { name: "Kyllä, mitätöi" }).click();
      await manage.getByText("Avain Kotisivu mitätöitiin.").waitFor();
      await tokenRow.getByText("Mitätöity").waitFor();
      const orgId = await p.evaluate(async () => {
        const me = (await (await fetch("/api/v1/me")).json()) as {
          memberships: { organisation: { id: string } }[];
        };
        return me.memberships[0]?.organisation.id ?? "";
      });
      const tokens = (await (
        await p.request.get(`${site.url}/api/v1/organisations/${orgId}/tokens`)
      ).json()) as {
        data: { name: string; revoked_at: string | null }[];
      };
      expect(tokens.data.find((x) => x.name === "Kotisivu")?.revoked_at).not.toBeNull();
      const revokedUse = await fetch(`${site.url}/api/v1/me`, {
        headers: { Authorization: `Bearer ${value}` },
      });
      expect(revokedUse.status).toBe(401);

      // Log out.
      await p.getByRole("button", { name: "Kirjaudu ulos" }).click();
      await p.waitForURL(`${site.url}/`);
      await p.locator('#user-nav a[href="/kirjaudu"]').waitFor();
      expect((await p.request.get(`${site.url}/api/v1/me`)).status()).toBe(401);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it("has no serious or critical axe violations on the account pages in fi, sv and en", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    const p = await ctx.newPage();
    const problems: string[] = [];
    const fake = "x".repeat(43);
    try {
      for (const lang of LANGS) {
        const q = (extra = "") => {
          const s = new URLSearchParams(extra);
          if (lang !== "fi") s.set("lang", lang);
          return s.toString() ? `?${s}` : "";
        };
        const cases: [string, string, string][] = [
          ["login", `/kirjaudu${q()}`, "form.account-form"],
          ["register", `/rekisteroidy${q()}`, "form.account-form"],
          ["account signed out", `/tili${q()}`, ".notice a"],
          ["verify (bad link)", `/tili/vahvista${q(`token=${fake}`)}`, ".result--error"],
          ["reset request", `/tili/salasana${q()}`, "form.account-form"],
          ["new password", `/tili/salasana${q(`token=${fake}`)}`, "form.account-form"],
          ["invitation (bad link)", `/tili/kutsu${q(`token=${fake}`)}`, ".result--error"],
        ];
        for (const [name, path, ready] of cases) {
          await p.goto(`${site.url}${path}`);
          await p.locator(ready).first().waitFor();
          expect(await p.evaluate(() => document.documentElement.lang), name).toBe(lang);
          expect(p.url(), name).not.toContain("token=");
          problems.push(...(await seriousViolations(p, `${lang} ${name}`)));
        }
        // A form with its errors shown.
        if (lang !== "fi") continue;
        await p.goto(`${site.url}/kirjaudu${q()}`);
        await p.locator('form.account-form button[type="submit"]').click();
        await p.locator(".error-summary").waitFor();
        problems.push(...(await seriousViolations(p, `${lang} login with errors`)));
      }
      // Signed in, as an organisation admin (every section) and with the delete confirmation open.
      await logIn(p, "jarjestaja@example.fi", PW, "?next=/tili");
      for (const lang of LANGS) {
        await p.goto(`${site.url}/tili${lang === "fi" ? "" : `?lang=${lang}`}`);
        await p.locator(".token-list .token, .token-list .empty").first().waitFor();
        await p.locator(".member-list .member").first().waitFor();
        await p.locator("#delete-start").click();
        await p.locator("#delete-form").waitFor();
        problems.push(...(await seriousViolations(p, `${lang} my account`)));
      }
      const animated = await p.evaluate(() =>
        [...document.querySelectorAll("*")].some((el) => getComputedStyle(el).animationName !== "none"),
      );
      expect(animated).toBe(false);
    } finally {
      await ctx.close();
    }
    expect(problems).toEqual([]);
  });

  it("confirms the email from the emailed link, logs in, shows the account, and closes it", async () => {
    const [link] = await mail.waitFor(NEW_USER.email, /http:\/\/\S+\/tili\/vahvista\?token=[\w-]+/);
    expect(link.startsWith(site.url)).toBe(true);
    await page.goto(link);
    await page.getByRole("heading", { name: "Sähköpostiosoite on vahvistettu" }).waitFor();
    expect(page.url()).toBe(`${site.url}/tili/vahvista`);
    expect((await focused(page)).text).toBe("Sähköpostiosoite on vahvistettu");
    // The same link again: already used.
    await page.goto(link);
    await page.getByRole("heading", { name: "Vahvistus ei onnistunut" }).waitFor();

    await page.goto(`${site.url}/tili/vahvista`);
    await page.getByRole("heading", { name: "Vahvistus ei onnistunut" }).waitFor();
    await page.locator(".result").getByRole("link", { name: "Kirjaudu sisään" }).click();
    await page.waitForURL(`${site.url}/kirjaudu`);
    await page.fill('input[name="email"]', NEW_USER.email);
    await page.fill('input[name="password"]', NEW_USER.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${site.url}/omat`);
    const nav = page.locator("#user-nav");
    await nav.locator('a[href="/tili"]').waitFor();
    expect(await nav.textContent()).toContain("Omat tapahtumat");
    expect(await nav.locator('a[href="/moderointi"]').count()).toBe(0);
    await nav.locator('a[href="/tili"]').click();
    await page.locator("#me-name").waitFor();
    expect(await page.locator("#me-name").textContent()).toBe(NEW_USER.name);
    expect(await page.locator("#me-email").textContent()).toBe(NEW_USER.email);
    expect(await page.locator("#me-role").textContent()).toBe("Järjestäjä");
    expect(await page.locator("main").textContent()).toContain("svenska");
    expect(await page.locator("main").textContent()).toContain("Et ole vielä minkään organisaation jäsen");
    // GDPR: the download holds my data.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a#export").click()]);
    const exported = JSON.parse(await readFile((await download.path()) as string, "utf8")) as unknown;
    expect(JSON.stringify(exported)).toContain(NEW_USER.email);

    // Close the account: explicit confirmation, keyboard focus on the question.
    await page.getByRole("button", { name: "Poista tilini…" }).click();
    expect((await focused(page)).tag).toBe("LEGEND");
    await page.getByRole("button", { name: "Poista tili pysyvästi" }).click();
    await page
      .locator("#delete-form .field-error")
      .getByText("Vahvista poisto valitsemalla ruutu.")
      .waitFor();
    await page.getByLabel("Ymmärrän, että tilini ja henkilötietoni poistetaan pysyvästi.").check();
    // It asks for the password: a wrong one is said to be wrong, next to the field.
    await page.getByLabel("Vahvista poisto salasanallasi").fill("ei-oikea-salasana");
    await page.getByRole("button", { name: "Poista tili pysyvästi" }).click();
    await page.locator("#delete-form .field-error").getByText("Salasana on väärin.").waitFor();
    await page.getByLabel("Vahvista poisto salasanallasi").fill(NEW_USER.password);
    await page.getByRole("button", { name: "Poista tili pysyvästi" }).click();
    await page.getByRole("heading", { name: "Tili on poistettu" }).waitFor();
    await page.locator('#user-nav a[href="/kirjaudu"]').waitFor();
    expect((await page.request.get(`${site.url}/api/v1/me`)).status()).toBe(401);
  });

  it("changes a forgotten password with the emailed link", async () => {
    const [link] = await mail.waitFor(RESET_USER.email, /http:\/\/\S+\/tili\/salasana\?token=[\w-]+/);
    expect(mail.mails.some((m) => m.to.includes("ei-tilia@example.fi"))).toBe(false);
    await page.goto(link);
    const form = page.locator("form.account-form");
    await form.waitFor();
    expect(page.url()).toBe(`${site.url}/tili/salasana`);
    await page.getByLabel("Uusi salasana", { exact: true }).fill("uusi-salasana-123");
    await page.getByLabel("Uusi salasana uudelleen").fill("uusi-salasana-124");
    await page.getByRole("button", { name: "Tallenna uusi salasana" }).click();
    await form.locator(".field-error").getByText("Salasanat eivät ole samat.").waitFor();
    await page.getByLabel("Uusi salasana uudelleen").fill("uusi-salasana-123");
    await page.getByRole("button", { name: "Tallenna uusi salasana" }).click();
    await page.getByRole("heading", { name: "Salasana on vaihdettu" }).waitFor();
    await logIn(page, RESET_USER.email, "uusi-salasana-123", "?next=/tili");
    await page.locator("#me-name").waitFor();
    expect(await page.locator("#me-name").textContent()).toBe(RESET_USER.name);
    // Changing the password on /tili: a common one is refused by the server, then a good one is taken.
    const change = page.locator("#password-form");
    await change.getByLabel("Nykyinen salasana").fill("uusi-salasana-123");
    await change.getByLabel("Uusi salasana", { exact: true }).fill("1234567890");
    await change.getByLabel("Uusi salasana uudelleen").fill("1234567890");
    await change.getByRole("button", { name: "Vaihda salasana" }).click();
    await change
      .locator(".field-error")
      .getByText(/yleisesti käytetty/)
      .waitFor();
    await change.getByLabel("Nykyinen salasana").fill("uusi-salasana-123");
    await change.getByLabel("Uusi salasana", { exact: true }).fill("kolmas-tunnuslause-77");
    await change.getByLabel("Uusi salasana uudelleen").fill("kolmas-tunnuslause-77");
    await change.getByRole("button", { name: "Vaihda salasana" }).click();
    await page.locator("#password-status").getByText("Salasana on vaihdettu.", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Kirjaudu ulos" }).click();
    await page.waitForURL(`${site.url}/`);
    await logIn(page, RESET_USER.email, "kolmas-tunnuslause-77", "?next=/tili");
    await page.locator("#me-name").waitFor();
    await page.getByRole("button", { name: "Kirjaudu ulos" }).click();
    await page.waitForURL(`${site.url}/`);
  });

  it("accepts an invitation: name and password, then is signed in to the organisation", async () => {
    // The second invitation (the first was revoked): wait for both, follow the newest.
    const linkRe = /http:\/\/\S+\/tili\/kutsu\?token=[\w-]+/;
    const links = async () =>
      mail.mails.filter((m) => m.to.includes(INVITEE)).map((m) => linkRe.exec(m.text)?.[0] ?? "");
    for (let i = 0; i < 300 && (await links()).length < 2; i++) await new Promise((r) => setTimeout(r, 250));
    const link = (await links()).at(-1) as string;
    await page.goto(link);
    await page.locator("form.account-form").waitFor();
    expect(page.url()).toBe(`${site.url}/tili/kutsu`);
    expect(await page.locator("#invite-from").textContent()).toContain(`${ORG} kutsuu sinut`);
    await page.getByLabel("Nimi").fill("Kalle Kutsuttu");
    await page.getByLabel("Uusi salasana", { exact: true }).fill("kutsun-salasana-1");
    await page.getByLabel("Uusi salasana uudelleen").fill("kutsun-salasana-1");
    await page.getByRole("button", { name: "Ota tili käyttöön" }).click();
    // Signed in straight away, on the account page.
    await page.waitForURL(`${site.url}/tili`);
    await page.locator('#user-nav a[href="/tili"]').waitFor();
    await page.locator("#me-name").waitFor();
    expect(await page.locator("#me-name").textContent()).toBe("Kalle Kutsuttu");
    expect(await page.locator(".org-list").textContent()).toContain(`${ORG}Roolisi: Jäsen`);
    // A member (not an admin) does not see the management sections.
    expect(await page.getByRole("heading", { name: /^Hallinnoi/ }).count()).toBe(0);
  });

  it("takes screenshots at 1280 px and 390 px", async () => {
    for (const [suffix, width] of [
      ["desktop", 1280],
      ["mobile", 390],
    ] as const) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 }, reducedMotion: "reduce" });
      const p = await ctx.newPage();
      try {
        await p.goto(`${site.url}/kirjaudu`);
        await p.locator('form.account-form button[type="submit"]').click();
        await p.locator(".error-summary").waitFor();
        await screenshot(p, { path: `${SHOTS}/account-login-${suffix}.png`, fullPage: true });
        await p.goto(`${site.url}/rekisteroidy?lang=sv`);
        await p.locator("form.account-form").waitFor();
        await screenshot(p, { path: `${SHOTS}/account-register-${suffix}.png`, fullPage: true });
        await p.goto(`${site.url}/tili/kutsu?token=${"x".repeat(43)}&lang=en`);
        await p.locator(".result--error").waitFor();
        await screenshot(p, { path: `${SHOTS}/account-invite-${suffix}.png`, fullPage: true });
        await logIn(p, "jarjestaja@example.fi", PW, "?next=/tili");
        await p.locator(".member-list .member").first().waitFor();
        await p.locator(".token-list li").first().waitFor();
        await p.getByLabel("Avaimen nimi").fill(`Näyttökuva ${suffix}`);
        await p.getByRole("button", { name: "Luo avain" }).click();
        await p.locator(".secret").waitFor();
        await screenshot(p, { path: `${SHOTS}/account-tili-${suffix}.png`, fullPage: true });
        // Nothing sticks out sideways on a phone.
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
      } finally {
        await ctx.close();
      }
    }
    expect(foreignRequests).toEqual([]);
  });

  // Last: it uses up this client's login attempts (20 per 15 minutes per address).
  it("says clearly when there have been too many login attempts (429)", async () => {
    await page.goto(`${site.url}/kirjaudu?lang=en`);
    await page.locator("form.account-form").waitFor();
    const summary = page.locator(".error-summary");
    for (let i = 0; i < 25; i++) {
      await page.fill('input[name="email"]', "nobody@example.fi");
      await page.fill('input[name="password"]', `wrong-${i}`);
      await page.getByRole("button", { name: "Log in" }).click();
      await summary.waitFor();
      const text = (await summary.textContent()) ?? "";
      if (text.includes("Too many attempts")) {
        expect(text).toContain("Wait at least 15 minutes");
        expect((await focused(page)).cls).toContain("error-summary");
        return;
      }
      expect(text).toContain("Wrong email address or password");
      await summary.evaluate((el) => el.remove());
    }
    throw new Error("no 429 after 25 login attempts");
  });
});

describe.skipIf(skip)("CSRF with and without PUBLIC_URL, in Chromium", { timeout: 150_000 }, () => {
  let b: Browser;
  beforeAll(async () => {
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });

  /** Logs in through the form at the server's own address (http://127.0.0.1:<port>). */
  async function logInAt(at: TestSite): Promise<{ page: Page; close: () => Promise<void> }> {
    const ctx = await b.newContext();
    const p = await ctx.newPage();
    await p.goto(`${at.url}/kirjaudu`);
    await p.locator("form.account-form").waitFor();
    await p.fill('input[name="email"]', "jarjestaja@example.fi");
    await p.fill('input[name="password"]', PW);
    await p.locator('form.account-form button[type="submit"]').click();
    return { page: p, close: () => ctx.close() };
  }

  it("without PUBLIC_URL, logging in at http://127.0.0.1:<port> works", async () => {
    const open = await startSite(async () => {}, { PUBLIC_URL: "" });
    try {
      const { page: p, close } = await logInAt(open);
      try {
        await p.waitForURL(`${open.url}/omat`, { timeout: 30_000 });
        expect((await p.request.get(`${open.url}/api/v1/me`)).status()).toBe(200);
      } finally {
        await close();
      }
    } finally {
      await open.close();
    }
  });

  it("with PUBLIC_URL set to another origin, the same login is refused as cross-site", async () => {
    const strict = await startSite(async () => {}, { PUBLIC_URL: "https://kalenteri.example.fi" });
    try {
      const { page: p, close } = await logInAt(strict);
      try {
        const summary = p.locator(".error-summary");
        await summary.waitFor();
        expect(await summary.textContent()).not.toContain("Vahvista ensin");
        expect(new URL(p.url()).pathname).toBe("/kirjaudu");
        expect((await p.request.get(`${strict.url}/api/v1/me`)).status()).toBe(401);
      } finally {
        await close();
      }
    } finally {
      await strict.close();
    }
  });
});
