/**
 * Accessibility in a real browser: axe-core (WCAG 2.1 A and AA rules) finds no serious or
 * critical violation on any page — home list, month view, subscribe dialog open, event
 * page, cancelled event, accessibility statement, 404 — in Finnish, Swedish and English.
 * Also: <html lang> follows the language, and nothing animates with prefers-reduced-motion.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGS } from "../src/contract/i18n/resident.ts";
import { launchBrowser, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { type Fixtures, insertFixtures } from "./helpers/browser-fixtures.ts";

let site: TestSite;
let browser: Browser;
let page: Page;
let fx: Fixtures;

const skip = skipBrowserTests("test/browser-a11y.test.ts");

interface PageCase {
  name: string;
  path: (lang: string) => string;
  ready: (p: Page) => Promise<unknown>;
  after?: (p: Page) => Promise<unknown>;
}

const q = (lang: string, extra = "") => {
  const p = new URLSearchParams(extra);
  if (lang !== "fi") p.set("lang", lang);
  const s = p.toString();
  return s ? `?${s}` : "";
};

const listReady = (p: Page) =>
  p.waitForFunction(
    () =>
      document.querySelector("#event-list")?.getAttribute("aria-busy") === "false" &&
      Boolean(document.querySelector("#event-list .day, #event-list .empty")),
  );
const eventReady = (p: Page) => p.locator("article.event-page:not([data-ssr])").waitFor();

const PAGES: PageCase[] = [
  { name: "home list", path: (l) => `/${q(l)}`, ready: listReady },
  {
    name: "home with filters and errors",
    path: (l) => `/${q(l, "when=range&from=2026-12-10&to=2026-12-01&free=1")}`,
    ready: (p) => p.locator("#f-to-error:not([hidden])").waitFor(),
  },
  {
    name: "month view",
    path: (l) => `/${q(l, "view=month")}`,
    ready: (p) => p.locator(".month__table").waitFor(),
  },
  {
    name: "subscribe dialog",
    path: (l) => `/${q(l)}`,
    ready: listReady,
    after: async (p) => {
      await p.click("#open-subscribe");
      await p.locator("#subscribe-dialog[open]").waitFor();
    },
  },
  { name: "event page", path: (l) => `/tapahtumat/${fx.timed}${q(l)}`, ready: eventReady },
  { name: "cancelled event", path: (l) => `/tapahtumat/${fx.cancelled}${q(l)}`, ready: eventReady },
  {
    name: "accessibility statement",
    path: (l) => `/saavutettavuus${q(l)}`,
    ready: (p) => p.locator("h1:visible").waitFor(),
  },
  { name: "404", path: (l) => `/ei-ole-olemassa${q(l)}`, ready: (p) => p.locator("h1").waitFor() },
  // Signed out: the sign-in notice (test/browser-admin.test.ts checks the page signed in).
  {
    name: "administration (signed out)",
    path: (l) => `/hallinta${q(l)}`,
    ready: (p) => p.locator("#sign-in-link").waitFor(),
  },
];

describe.skipIf(skip)("accessibility (axe-core in Chromium)", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    site = await startSite(async (db, now) => {
      fx = await insertFixtures(db, now);
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      reducedMotion: "reduce",
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const lang of LANGS) {
    it(`has no serious or critical violations on any page in ${lang}`, async () => {
      const problems: string[] = [];
      for (const c of PAGES) {
        await page.goto(`${site.url}${c.path(lang)}`);
        await c.ready(page);
        await c.after?.(page);
        expect(await page.evaluate(() => document.documentElement.lang), c.name).toBe(lang);
        const result = await new AxeBuilder({ page })
          .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
          .analyze();
        for (const v of result.violations) {
          if (v.impact === "serious" || v.impact === "critical") {
            problems.push(
              `${lang} ${c.name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(" "))
                .join(" | ")}`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("announces errors and results to screen readers, and does not animate with reduced motion", async () => {
    await page.goto(`${site.url}/?when=range&from=2026-12-10&to=2026-12-01`);
    await page.locator("#f-to-error:not([hidden])").waitFor();
    expect(await page.getAttribute("#f-to", "aria-invalid")).toBe("true");
    expect(await page.locator('[role="alert"]').first().textContent()).toContain("Loppupäivä");
    await page.goto(`${site.url}/`);
    await listReady(page);
    expect(await page.getAttribute("#events-status", "aria-live")).toBe("polite");
    expect(await page.locator("#events-status").textContent()).toMatch(/tapahtuma/);
    const animated = await page.evaluate(() =>
      [...document.querySelectorAll("*")].some((el) => getComputedStyle(el).animationName !== "none"),
    );
    expect(animated).toBe(false);
  });
});
