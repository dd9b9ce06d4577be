/**
 * The resident's flows in a real browser (Chromium via playwright-core) against the real
 * server: filter by category and weekend (URL and back button), open an event, download
 * its .ics; the same with the keyboard alone; the event page without JavaScript (title,
 * date, place, JSON-LD, Open Graph) and with a hostile title; the embed component on a
 * foreign origin; screenshots at desktop and mobile widths under test-results/screenshots/.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatEventTime } from "../src/contract/format.ts";
import { MESSAGES } from "../src/contract/i18n/resident.ts";
import { launchBrowser, screenshot, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { type Fixtures, HOSTILE_TITLE, insertFixtures } from "./helpers/browser-fixtures.ts";

const SHOTS = "test-results/screenshots";
let site: TestSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let fx: Fixtures;
const dialogs: string[] = [];

const skip = skipBrowserTests("test/browser-resident.test.ts");

/** Waits until the home page has rendered its list (or month grid) for the current URL. */
async function homeReady(p: Page): Promise<void> {
  await p.waitForFunction(() => {
    const busy = document.querySelector("#event-list")?.getAttribute("aria-busy") === "true";
    const month = !document.querySelector("#month-view")?.hasAttribute("hidden");
    if (month) return Boolean(document.querySelector(".month__table"));
    return (
      !busy && Boolean(document.querySelector("#event-list .day, #event-list .empty, #event-list .notice"))
    );
  });
}

/** Presses Tab until the focused element matches the selector (keyboard-only navigation). */
async function tabTo(p: Page, selector: string, max = 80, back = false): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(back ? "Shift+Tab" : "Tab");
    if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe.skipIf(skip)("resident flows in Chromium", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    site = await startSite(async (db, now) => {
      fx = await insertFixtures(db, now);
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fi-FI" });
    page = await context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await site?.close();
  });

  it("filters by category and weekend, keeps the filters in the URL, opens an event and downloads its .ics", async () => {
    await page.goto(`${site.url}/`);
    await homeReady(page);
    await page.locator('#f-category option[value="liikunta"]').waitFor({ state: "attached" });
    await page.selectOption("#f-category", "liikunta");
    await page.getByLabel("Tänä viikonloppuna").check();
    await page.waitForURL(/category=liikunta/);
    await page.waitForURL(/when=weekend/);
    await homeReady(page);
    const link = page.getByRole("link", { name: "Testilenkki viikonloppuna" });
    await link.waitFor();
    // Only sport events on the weekend are listed.
    await expect(page.getByRole("link", { name: "Kesäkonsertti testissä" }).count()).resolves.toBe(0);

    // The back button restores the previous filters; forward returns.
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes("when=weekend"));
    expect(await page.getByLabel("Tänä viikonloppuna").isChecked()).toBe(false);
    expect(await page.inputValue("#f-category")).toBe("liikunta");
    await page.goForward();
    await page.waitForURL(/when=weekend/);
    expect(await page.getByLabel("Tänä viikonloppuna").isChecked()).toBe(true);
    await homeReady(page);

    // A shared link opens with the same filters.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await homeReady(shared);
    await shared.getByRole("link", { name: "Testilenkki viikonloppuna" }).waitFor();
    await shared.close();

    await page.getByRole("link", { name: "Testilenkki viikonloppuna" }).click();
    await page.waitForURL(new RegExp(`/tapahtumat/${fx.weekend}$`));
    await expect(page.locator("h1").textContent()).resolves.toBe("Testilenkki viikonloppuna");
    const ics = page.locator("#ics-link");
    await ics.waitFor();
    const href = await ics.getAttribute("href");
    expect(href).toBe(`/feeds/events/${fx.weekend}.ics`);
    // Download it as a resident would, then parse what was saved with a real calendar parser.
    const [download] = await Promise.all([page.waitForEvent("download"), ics.click()]);
    const path = await download.path();
    const text = await readFile(path, "utf8");
    const ICAL = (await import("ical.js")).default;
    const cal = new ICAL.Component(ICAL.parse(text));
    const vevents = cal.getAllSubcomponents("vevent");
    expect(vevents).toHaveLength(1);
    expect(vevents[0]?.getFirstPropertyValue("summary")).toBe("Testilenkki viikonloppuna");
    expect(String(vevents[0]?.getFirstPropertyValue("uid"))).toMatch(new RegExp(`^${fx.weekend}@`));
    // An all-day event: a DATE value, which every client shows on that day whatever its zone.
    expect(text).toMatch(/\r\nDTSTART;VALUE=DATE:\d{8}\r\n/);
    expect(vevents[0]?.getFirstPropertyValue("dtstart")?.toString()).toBe(fx.weekendDay);
  });

  it("shows the event page with every detail, a cancelled banner, and add-to-calendar links", async () => {
    await page.goto(`${site.url}/tapahtumat/${fx.timed}`);
    await page.locator("article.event-page:not([data-ssr])").waitFor();
    const when = formatEventTime(
      {
        start: fx.timedStart.toISOString(),
        end: new Date(fx.timedStart.getTime() + 4 * 3_600_000).toISOString(),
        all_day: false,
      },
      "fi",
      MESSAGES.fi,
    );
    expect(when).toMatch(/^[a-z]{2} \d{1,2}\.\d{1,2}\.\d{4} klo 12–16$/);
    const text = await page.locator("main").innerText();
    for (const part of [
      when,
      "Kulttuurisali Kivi",
      "Kuntalantie 3",
      "Järjestäjä",
      "10 € / 5 €",
      "Induktiosilmukka",
    ]) {
      expect(text).toContain(part);
    }
    expect(await page.locator("img").getAttribute("alt")).toBe("Orkesteri lavalla");
    expect(await page.getByRole("link", { name: /OpenStreetMap/ }).getAttribute("href")).toContain(
      "openstreetmap.org",
    );
    expect(await page.getByRole("link", { name: /Osta liput/ }).getAttribute("href")).toBe(
      "https://liput.example.fi/konsertti",
    );
    expect(await page.getByRole("link", { name: /Google-kalenteri/ }).getAttribute("href")).toContain(
      "calendar.google.com",
    );
    expect(await page.getByRole("link", { name: /Outlook/ }).getAttribute("href")).toContain(
      "outlook.live.com",
    );

    // Share falls back to copying the link where the Web Share API is missing.
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url });
    await page.evaluate(() => Object.defineProperty(navigator, "share", { value: undefined }));
    await page.getByRole("button", { name: "Jaa" }).click();
    await page.locator("#event-status", { hasText: MESSAGES.fi.linkCopied }).waitFor();
    await screenshot(page, { path: `${SHOTS}/event-desktop.png`, fullPage: true });

    await page.goto(`${site.url}/tapahtumat/${fx.cancelled}?lang=en`);
    await page.locator("article.event-page:not([data-ssr])").waitFor();
    expect(await page.locator(".status-banner").innerText()).toContain("This event has been cancelled.");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
  });

  it("serves title, date, place, JSON-LD and Open Graph tags in the HTML, without JavaScript", async () => {
    const res = await fetch(`${site.url}/tapahtumat/${fx.timed}?lang=sv`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<html lang="sv">/);
    expect(html).toContain("<title>Sommarkonsert i test – Nurmijärvi evenemangskalender</title>");
    expect(html).toContain(">Sommarkonsert i test</h1>");
    const when = formatEventTime(
      {
        start: fx.timedStart.toISOString(),
        end: new Date(fx.timedStart.getTime() + 4 * 3_600_000).toISOString(),
        all_day: false,
      },
      "sv",
      MESSAGES.sv,
    );
    expect(when).toMatch(/ kl\. 12–16$/);
    expect(html).toContain(when);
    expect(html).toContain("Kultursalen Kivi, Kuntalantie 3, 01900 Nurmijärvi");
    expect(html).toContain('<meta property="og:title" content="Sommarkonsert i test" />');
    expect(html).toContain(`<meta property="og:url" content="${site.url}/tapahtumat/${fx.timed}" />`);
    expect(html).toContain('<meta property="og:image" content="https://images.example.fi/konsertti.jpg" />');
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1];
    const json = JSON.parse(ld ?? "null") as Record<string, unknown>;
    expect(json["@type"]).toBe("Event");
    expect(json.name).toBe("Sommarkonsert i test");
    expect(json.startDate).toMatch(/T12:00:00\+0[23]:00$/);

    // In a browser with JavaScript off, the server-rendered basics are there.
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${site.url}/tapahtumat/${fx.timed}`);
    expect(await p.locator("h1").innerText()).toBe("Kesäkonsertti testissä");
    expect(await p.locator("main").innerText()).toContain("Kulttuurisali Kivi");
    await noJs.close();

    // Unknown, malformed and unpublished ids get the 404 page.
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id", "'%3Cscript%3E"]) {
      const r = await fetch(`${site.url}/tapahtumat/${id}`);
      expect(r.status, id).toBe(404);
      expect(await r.text()).toContain("<h1");
    }
  });

  it("escapes a hostile title everywhere: HTML, JSON-LD, and in the browser no script runs", async () => {
    const res = await fetch(`${site.url}/tapahtumat/${fx.hostile}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>lihava</b>");
    expect(html).toContain(
      "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    );
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    expect(blocks).toHaveLength(1);
    expect((JSON.parse(blocks[0]?.[1] ?? "null") as { name: string }).name).toBe(HOSTILE_TITLE);

    dialogs.length = 0;
    await page.goto(`${site.url}/tapahtumat/${fx.hostile}`);
    await page.locator("article.event-page:not([data-ssr])").waitFor();
    expect(await page.locator("h1").textContent()).toBe(HOSTILE_TITLE);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    await page.goto(`${site.url}/?q=alert`);
    await homeReady(page);
    await page.getByRole("link", { name: HOSTILE_TITLE }).waitFor();
    expect(await page.locator("#event-list img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("does the main flows with the keyboard alone", async () => {
    const kb = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await kb.newPage();
    p.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await p.goto(`${site.url}/`);
    await homeReady(p);
    await p.locator('#f-category option[value="liikunta"]').waitFor({ state: "attached" });

    // The skip link comes first and moves focus to the main content.
    await p.keyboard.press("Tab");
    expect(await p.evaluate(() => document.activeElement?.className)).toBe("skip-link");
    await p.keyboard.press("Enter");
    expect(await p.evaluate(() => document.activeElement?.id)).toBe("main");

    // Filter: a category from the select, then "today" → "this weekend" with the arrow keys.
    await tabTo(p, "#f-category");
    await p.keyboard.press("ArrowDown"); // the first category after "all"
    await p.waitForURL(/category=/);
    await tabTo(p, 'input[name="when"]');
    await p.keyboard.press("ArrowRight");
    await p.keyboard.press("ArrowRight");
    await p.waitForURL(/when=weekend/);
    // Back to all categories with the keyboard, then open the weekend event.
    await tabTo(p, "#f-category", 20, true);
    await p.keyboard.press("ArrowUp");
    await p.waitForURL((u) => !u.search.includes("category="));
    await homeReady(p);
    await tabTo(p, "#event-list a", 200);
    const first = await p.evaluate(() => (document.activeElement as HTMLAnchorElement).href);
    await p.keyboard.press("Enter");
    await p.waitForURL(first);
    await p.locator("article.event-page:not([data-ssr])").waitFor();
    await tabTo(p, "#ics-link");
    await p.goBack();
    await homeReady(p);

    // The subscribe dialog: opens on Enter with focus inside, closes on Escape, focus returns.
    await tabTo(p, "#open-subscribe", 200);
    await p.keyboard.press("Enter");
    expect(
      await p.evaluate(() => (document.getElementById("subscribe-dialog") as HTMLDialogElement).open),
    ).toBe(true);
    expect(await p.evaluate(() => Boolean(document.activeElement?.closest("dialog")))).toBe(true);
    for (let i = 0; i < 12; i++) {
      await p.keyboard.press("Tab");
      // Focus never leaves the modal dialog for the page behind it.
      expect(
        await p.evaluate(
          () =>
            !document.activeElement ||
            document.activeElement === document.body ||
            Boolean(document.activeElement.closest("dialog")),
        ),
      ).toBe(true);
    }
    const webcal = await p.inputValue("#sub-webcal");
    expect(webcal).toMatch(/^webcal:\/\/127\.0\.0\.1:\d+\/feeds\/events\.ics/);
    await p.keyboard.press("Escape");
    expect(
      await p.evaluate(() => (document.getElementById("subscribe-dialog") as HTMLDialogElement).open),
    ).toBe(false);
    expect(await p.evaluate(() => document.activeElement?.id)).toBe("open-subscribe");

    // Switch language: filters stay, <html lang> follows.
    await tabTo(p, 'a[data-lang="sv"]', 200, true);
    await p.keyboard.press("Enter");
    await p.waitForURL(/lang=sv/);
    await homeReady(p);
    expect(new URL(p.url()).searchParams.get("when")).toBe("weekend");
    expect(await p.evaluate(() => document.documentElement.lang)).toBe("sv");
    expect(await p.locator("h1").innerText()).toBe("Kommande evenemang");
    await kb.close();
  });

  it("builds the subscribe links from the current filters", async () => {
    await page.goto(`${site.url}/?category=kirjasto&when=weekend&free=1`);
    await homeReady(page);
    await page.click("#open-subscribe");
    const https = await page.inputValue("#sub-https");
    const url = new URL(https);
    expect(url.pathname).toBe("/feeds/events.ics");
    expect(url.searchParams.get("category")).toBe("kirjasto");
    expect(url.searchParams.get("is_free")).toBe("true");
    expect(await page.getAttribute("#sub-apple", "href")).toBe(https.replace(/^http:/, "webcal:"));
    expect(await page.getAttribute("#sub-google", "href")).toBe(
      `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(https.replace(/^http:/, "webcal:"))}`,
    );
    expect(await page.getAttribute("#sub-outlook", "href")).toContain(
      `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(https)}&name=`,
    );
    expect(await page.locator("#subscribe-dialog").innerText()).toContain("muutaman tunnin välein");
    await page.getByRole("button", { name: "Sulje" }).click();
  });

  it("shows the month view and opens a day from it", async () => {
    await page.goto(`${site.url}/?view=month`);
    await homeReady(page);
    expect(await page.locator(".month__table tbody td").count()).toBeGreaterThanOrEqual(28);
    const heading = await page.locator("#month-heading").innerText();
    await page.click("#month-next");
    await page.waitForURL(/month=\d{4}-\d{2}/);
    await homeReady(page);
    expect(await page.locator("#month-heading").innerText()).not.toBe(heading);
    await page.goBack();
    await homeReady(page);
    expect(await page.locator("#month-heading").innerText()).toBe(heading);
    const day = page.locator(".month__day--busy a[data-day]").first();
    const key = await day.getAttribute("data-day");
    await day.click();
    await page.waitForURL(new RegExp(`from=${key}&to=${key}`));
    await homeReady(page);
    expect(await page.locator("#event-list .day").count()).toBeGreaterThan(0);
  });

  it("renders the embed component on another site, and its link without JavaScript", async () => {
    // The host page is another origin (another port); both on loopback, as Chromium blocks
    // public-to-loopback requests (Private Network Access).
    const hostHtml = `<!doctype html><html lang="sv"><head><title>Bibliotek</title>
      <script src="${site.url}/embed.js" type="module"></script></head>
      <body><h1>Bibliotek</h1>
      <kuntakalenteri-events category="liikunta" limit="3" lang="sv">
        <a href="${site.url}/?category=liikunta&amp;lang=sv">Evenemang</a>
      </kuntakalenteri-events></body></html>`;
    const hostServer = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(hostHtml);
    });
    await new Promise<void>((resolve) => hostServer.listen(0, "127.0.0.1", resolve));
    const address = hostServer.address();
    const host = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
    try {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      await p.goto(host);
      await p.addStyleTag({ content: "body { font-family: Georgia, serif; }" });
      await p.waitForFunction(
        () =>
          (document.querySelector("kuntakalenteri-events")?.shadowRoot?.querySelectorAll("li").length ?? 0) >
          0,
      );
      const info = await p.evaluate(() => {
        const el = document.querySelector("kuntakalenteri-events");
        const li = el?.shadowRoot?.querySelector("li a") as HTMLElement;
        return {
          count: el?.shadowRoot?.querySelectorAll("li").length,
          font: getComputedStyle(li).fontFamily,
          href: li.getAttribute("href"),
        };
      });
      expect(info.count).toBeLessThanOrEqual(3);
      expect(info.font).toContain("Georgia");
      expect(info.href).toMatch(new RegExp(`^${site.url}/tapahtumat/[0-9a-f-]+\\?lang=sv$`));
      await ctx.close();

      const noJs = await browser.newContext({ javaScriptEnabled: false });
      const q = await noJs.newPage();
      await q.goto(host);
      expect(await q.getByRole("link", { name: "Evenemang" }).isVisible()).toBe(true);
      await noJs.close();
    } finally {
      hostServer.close();
    }
  });

  it("shows the main pages at desktop and mobile widths (and saves screenshots of them)", async () => {
    /** The text of the visible level-1 headings. */
    const visibleH1 = (p: Page) =>
      p
        .locator("h1")
        .evaluateAll((hs) =>
          hs.filter((h) => (h as HTMLElement).offsetParent !== null).map((h) => h.textContent?.trim()),
        );
    /** Nothing on the page scrolls sideways (wide content scrolls inside its own region). */
    const overflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const lang = (p: Page) => p.evaluate(() => document.documentElement.lang);
    /** The first page of events the home page asked the API for (not its count-only request). */
    const listResponse = (p: Page) =>
      p.waitForResponse(
        (r) => /\/api\/v1\/events\?/.test(r.url()) && !r.url().includes("total=true") && r.status() === 200,
      );

    for (const [name, width, height] of [
      ["desktop", 1280, 900],
      ["mobile", 390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });

      const listed = listResponse(page);
      await page.goto(`${site.url}/`);
      await homeReady(page);
      const first = (await (await listed).json()) as { data: unknown[] };
      await screenshot(page, { path: `${SHOTS}/home-${name}.png` });
      expect(await visibleH1(page), `home ${name}`).toEqual([MESSAGES.fi.heading]);
      expect(await lang(page)).toBe("fi");
      // One card per event of the first page, grouped under day headings, and a count above them.
      const cards = page.locator("#event-list li.event");
      expect(first.data.length).toBeGreaterThan(0);
      expect(await cards.count(), `home ${name}: cards`).toBe(first.data.length);
      expect(await page.locator("#event-list .day__heading").count()).toBeGreaterThan(0);
      expect(await cards.first().locator(".event__title a").isVisible()).toBe(true);
      expect(await page.locator("#events-status").innerText()).toMatch(/^\d+ tapahtumaa? löytyi\.$/);
      expect(await overflow(page), `home ${name}: horizontal overflow`).toBeLessThanOrEqual(0);

      await page.goto(`${site.url}/?view=month&lang=sv`);
      await homeReady(page);
      await screenshot(page, { path: `${SHOTS}/month-${name}.png`, fullPage: true });
      expect(await visibleH1(page), `month ${name}`).toEqual([MESSAGES.sv.heading]);
      expect(await lang(page)).toBe("sv");
      expect(await page.locator("#month-view").isVisible()).toBe(true);
      expect(await page.locator("#event-list").isVisible()).toBe(false);
      expect(await page.locator("#month-heading").innerText()).toMatch(/^\p{L}+ \d{4}$/u);
      expect(await page.locator(".month__table tbody td:not(.month__pad)").count()).toBeGreaterThanOrEqual(
        28,
      );
      expect(await page.locator(".month__day--busy").count()).toBeGreaterThan(0);
      expect(await overflow(page), `month ${name}: horizontal overflow`).toBeLessThanOrEqual(0);

      await page.click("#open-subscribe");
      await page.locator("#subscribe-dialog[open]").waitFor();
      await screenshot(page, { path: `${SHOTS}/subscribe-${name}.png` });
      expect(await page.locator("#subscribe-heading").isVisible()).toBe(true);
      expect(await page.locator("#subscribe-heading").innerText()).toBe(MESSAGES.sv.subscribeHeading);
      // The dialog fits the viewport.
      const box = await page.locator("#subscribe-dialog").boundingBox();
      expect(
        box && box.x >= 0 && box.x + box.width <= width,
        `subscribe ${name}: ${JSON.stringify(box)}`,
      ).toBe(true);
      await page.keyboard.press("Escape");
      expect(await page.locator("#subscribe-dialog[open]").count()).toBe(0);

      await page.goto(`${site.url}/tapahtumat/${fx.timed}?lang=en`);
      await page.locator("article.event-page:not([data-ssr])").waitFor();
      await screenshot(page, { path: `${SHOTS}/event-${name}.png`, fullPage: true });
      expect(await visibleH1(page), `event ${name}`).toEqual(["Test summer concert"]);
      expect(await lang(page)).toBe("en");
      const when = formatEventTime(
        {
          start: fx.timedStart.toISOString(),
          end: new Date(fx.timedStart.getTime() + 4 * 3_600_000).toISOString(),
          all_day: false,
        },
        "en",
        MESSAGES.en,
      );
      const main = await page.locator("main").innerText();
      for (const part of [when, "Kivi Culture Hall", "€10 / €5"]) expect(main).toContain(part);
      expect(await page.locator("article.event-page img").isVisible()).toBe(true);
      expect(await overflow(page), `event ${name}: horizontal overflow`).toBeLessThanOrEqual(0);

      await page.goto(`${site.url}/tapahtumat/${fx.cancelled}`);
      await page.locator("article.event-page:not([data-ssr])").waitFor();
      await screenshot(page, { path: `${SHOTS}/cancelled-${name}.png` });
      expect(await visibleH1(page), `cancelled ${name}`).toEqual(["Peruttu testiluento"]);
      expect(await page.locator(".status-banner").isVisible()).toBe(true);
      expect(await page.locator(".status-banner").innerText()).not.toBe("");
      expect(await overflow(page), `cancelled ${name}: horizontal overflow`).toBeLessThanOrEqual(0);

      await page.goto(`${site.url}/saavutettavuus?lang=sv`);
      await screenshot(page, { path: `${SHOTS}/accessibility-statement-${name}.png` });
      expect(await visibleH1(page), `statement ${name}`).toEqual(["Tillgänglighetsutlåtande"]);
      expect(await overflow(page), `statement ${name}: horizontal overflow`).toBeLessThanOrEqual(0);

      const missing = await page.goto(`${site.url}/no-such-page`);
      await screenshot(page, { path: `${SHOTS}/404-${name}.png` });
      expect(missing?.status()).toBe(404);
      expect(await visibleH1(page), `404 ${name}`).toEqual([MESSAGES.fi.notFoundTitle]);
      expect(await overflow(page), `404 ${name}: horizontal overflow`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(dialogs).toEqual([]);
  });
});
