/**
 * A municipality under a path prefix in a real browser (#21): a region of two, the demo
 * municipality at / and "Beeta" at /beeta/. Under /beeta/ the home page lists Beeta's events
 * only, filters work and stay under the prefix, an event page opens, the feed links point
 * under the prefix, the header carries Beeta's name, languages and colour (axe: no serious
 * violations), and the sign-in page posts to /beeta/api/v1/auth/login.
 */
import { mkdir } from "node:fs/promises";
import { AxeBuilder } from "@axe-core/playwright";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MUNICIPALITY_ID, municipalities } from "../src/db/schema.ts";
import { addDays, localDate, startOfLocalDay } from "../src/domain/time.ts";
import { launchBrowser, screenshot, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { insertEvent } from "./helpers/events.ts";

const SHOTS = "test-results/screenshots";
const TZ = "Europe/Helsinki";
const COLOUR = "#5b2a86";
let site: TestSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let beetaRun: string;

const skip = skipBrowserTests("test/browser-site.test.ts");

async function homeReady(p: Page): Promise<void> {
  await p.waitForFunction(() => {
    const busy = document.querySelector("#event-list")?.getAttribute("aria-busy") === "true";
    return (
      !busy && Boolean(document.querySelector("#event-list .day, #event-list .empty, #event-list .notice"))
    );
  });
}

const listTitles = (p: Page) => p.locator("#event-list .day a").allInnerTexts();

describe.skipIf(skip)("a municipality under a path prefix, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    site = await startSite(async (db, now) => {
      await db
        .update(municipalities)
        .set({
          name: { fi: "Nurmijärven tapahtumat", sv: "Nurmijärvi evenemang" },
          languages: ["fi", "sv", "en"],
        })
        .where(eq(municipalities.id, DEFAULT_MUNICIPALITY_ID));
      const [beeta] = await db
        .insert(municipalities)
        .values({
          slug: "beeta",
          name: { fi: "Beetan tapahtumat", sv: "Beeta evenemang" },
          languages: ["fi", "sv"],
          theme: { colours: { primary: COLOUR } },
        })
        .returning();
      const day = addDays(localDate(now, TZ), 3);
      const at = (d: string, h: number) => new Date(startOfLocalDay(d, TZ).getTime() + h * 3_600_000);
      const mine = { municipalityId: beeta!.id, organisationSlug: "kirjasto" };
      beetaRun = await insertEvent(
        db,
        {
          ...mine,
          title: { fi: "Beetan hiihtolenkki" },
          startsAt: at(day, 10),
          endsAt: at(day, 12),
          categorySlugs: ["liikunta"],
          isFree: true,
        },
        now,
      );
      await insertEvent(
        db,
        {
          ...mine,
          title: { fi: "Beetan kuorokonsertti" },
          startsAt: at(addDays(day, 1), 18),
          endsAt: at(addDays(day, 1), 20),
          categorySlugs: ["musiikki"],
        },
        now,
      );
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fi-FI" });
    page = await context.newPage();
    await mkdir(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await site?.close();
  });

  it("lists only Beeta's events under /beeta/, with its name, languages and colour", async () => {
    const apiCalls: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname.includes("/api/")) apiCalls.push(new URL(r.url()).pathname);
    });
    await page.goto(`${site.url}/beeta/`);
    await homeReady(page);
    expect((await listTitles(page)).sort()).toEqual(["Beetan hiihtolenkki", "Beetan kuorokonsertti"]);
    expect(apiCalls.length).toBeGreaterThan(0);
    for (const path of apiCalls) expect(path).toMatch(/^\/beeta\/api\//);
    expect(await page.title()).toBe("Beetan tapahtumat");
    expect(await page.locator(".site-name").innerText()).toBe("Beetan tapahtumat");
    expect(await page.locator(".site-name").getAttribute("href")).toBe("/beeta/");
    expect(
      await page.locator(".lang-switch a").evaluateAll((as) => as.map((a) => a.getAttribute("hreflang"))),
    ).toEqual(["fi", "sv"]);
    const brand = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--color-brand").trim(),
    );
    expect(brand).toBe(COLOUR);
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await screenshot(page, { path: `${SHOTS}/site-prefix-home.png` });

    // The demo municipality at / does not show Beeta's events.
    const other = await context.newPage();
    await other.goto(`${site.url}/?q=Beetan`);
    await homeReady(other);
    expect(await listTitles(other)).toEqual([]);
    expect(await other.locator(".site-name").innerText()).toBe("Nurmijärven tapahtumat");
    await other.close();
  });

  it("filters under the prefix, opens an event page there, and links feeds under it", async () => {
    await page.goto(`${site.url}/beeta/`);
    await homeReady(page);
    await page.selectOption("#f-category", "liikunta");
    await page.waitForURL((u) => u.searchParams.get("category") === "liikunta");
    expect(new URL(page.url()).pathname).toBe("/beeta/");
    await homeReady(page);
    await page.waitForFunction(() => document.querySelectorAll("#event-list .day a").length === 1);
    expect(await listTitles(page)).toEqual(["Beetan hiihtolenkki"]);

    await page.getByRole("button", { name: /Tilaa kalenteriisi/ }).click();
    const https = await page.locator("#sub-https").inputValue();
    expect(https).toBe(`${site.url}/beeta/feeds/events.ics?category=liikunta`);
    const feed = await (await fetch(https)).text();
    expect(feed).toContain("X-WR-CALNAME:Beetan tapahtumat");
    expect(feed).toContain("Beetan hiihtolenkki");
    expect(feed).not.toContain("Beetan kuorokonsertti");
    await page.keyboard.press("Escape");

    await page.getByRole("link", { name: "Beetan hiihtolenkki" }).click();
    await page.waitForURL(new RegExp(`/beeta/tapahtumat/${beetaRun}$`));
    await page.locator("article.event-page:not([data-ssr])").waitFor();
    expect(await page.locator("h1").innerText()).toBe("Beetan hiihtolenkki");
    expect(await page.title()).toBe("Beetan hiihtolenkki – Beetan tapahtumat");
    expect(await page.locator("#ics-link").getAttribute("href")).toBe(`/beeta/feeds/events/${beetaRun}.ics`);
    expect(await page.locator("footer #ical-link").getAttribute("href")).toMatch(
      /^\/beeta\/feeds\/events\.ics/,
    );
    await screenshot(page, { path: `${SHOTS}/site-prefix-event.png` });

    // In Swedish (Beeta offers it), the name follows; English it does not offer: Finnish then.
    await page.goto(`${site.url}/beeta/tapahtumat/${beetaRun}?lang=sv`);
    await page.locator("article.event-page:not([data-ssr])").waitFor();
    expect(await page.locator(".site-name").innerText()).toBe("Beeta evenemang");
    await page.goto(`${site.url}/beeta/tapahtumat/${beetaRun}?lang=en`);
    await page.locator("article.event-page:not([data-ssr])").waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fi");
  });

  it("signs in through the prefixed API and lands on the prefixed pages", async () => {
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${site.url}/beeta/kirjaudu`);
    await page.locator("form.account-form").waitFor();
    await page.fill('input[name="email"]', "jarjestaja@example.fi");
    await page.fill('input[name="password"]', "browser-test-pw");
    await page.locator('form.account-form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname !== "/beeta/kirjaudu", { timeout: 30_000 });
    expect(posts).toContain("/beeta/api/v1/auth/login");
    expect(new URL(page.url()).pathname).toMatch(/^\/beeta\//);
    const nav = await page.locator("#user-nav a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(nav.length).toBeGreaterThan(1);
    for (const href of nav) expect(href).toMatch(/^\/beeta\//);
  });
});
