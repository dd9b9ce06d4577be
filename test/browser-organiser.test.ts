/**
 * The organiser's flows in a real browser (Chromium via playwright-core) against the real
 * server: submit an event signed in (tabs, date, place, topics, preview) → not public until a
 * moderator approves it → on the home page and in the iCal feed; submit without an account and
 * confirm through the emailed link (read from the server log); field errors (client and API)
 * next to their fields, and the duplicate warning; My events with a moderator's comment, edit,
 * resubmit, conflict and cancel; axe on every organiser page in fi, sv and en; the submit flow
 * with the keyboard alone; screenshots at 1280 px and 390 px under test-results/screenshots/.
 */
import { mkdir } from "node:fs/promises";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDate, localDateTime } from "../src/domain/time.ts";
import { launchBrowser, screenshot, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";
import { insertEvent } from "./helpers/events.ts";

const SHOTS = "test-results/screenshots";
const TZ = "Europe/Helsinki";
const PASSWORD = "browser-test-pw";
const ORGANISER = "jarjestaja@example.fi";
const MODERATOR = "moderaattori@example.fi";
const DUPLICATE_OF = "Kirjaston satutunti testissä";

let site: TestSite;
let browser: Browser;
let orgContext: BrowserContext;
let page: Page;
let day: string;
let dupDay: string;
let moderatorCookie = "";
/** The event sent in the workflow test (published by the moderator there). */
let publishedId = "";

const skip = skipBrowserTests("test/browser-organiser.test.ts");

/** Calls the API from Node with a session cookie (and this site's Origin, as a browser would). */
async function apiAs<T = Record<string, unknown>>(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${site.url}${path}`, {
    method,
    headers: {
      Cookie: cookie,
      Origin: site.url,
      Accept: "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function nodeLogin(email: string): Promise<string> {
  const res = await fetch(`${site.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: site.url },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

/** Signs in from the page itself (the login page is another engineer's). */
async function pageLogin(p: Page, email: string): Promise<void> {
  await p.goto(`${site.url}/healthz`);
  const status = await p.evaluate(
    async ([e, pw]) => {
      const r = await fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: e, password: pw }),
      });
      return r.status;
    },
    [email, PASSWORD] as const,
  );
  expect(status).toBe(200);
}

/** Calls the API from the page (its session cookie and Origin). */
async function pageApi<T = Record<string, unknown>>(
  p: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return p.evaluate(
    async ([m, u, b]) => {
      const r = await fetch(u, {
        method: m,
        headers: b === undefined ? {} : { "Content-Type": "application/json" },
        ...(b === undefined ? {} : { body: JSON.stringify(b) }),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body] as const,
  );
}

/** Waits for the submit form to be drawn. */
async function formReady(p: Page): Promise<void> {
  await p.locator('form.event-form [data-field="title.fi"]').waitFor({ state: "attached", timeout: 30_000 });
}

async function fillBasics(
  p: Page,
  o: {
    title: string;
    date: string;
    start?: string;
    end?: string;
    place?: string;
    category?: string;
    lang?: string;
  },
): Promise<void> {
  await p.locator(`[data-field="title.${o.lang ?? "fi"}"]`).fill(o.title);
  await p.locator('[data-field="start"]').fill(o.date);
  await p.locator('[data-field="start_time"]').fill(o.start ?? "17:00");
  await p.locator('[data-field="end"]').fill(o.date);
  await p.locator('[data-field="end_time"]').fill(o.end ?? "18:30");
  await p.locator('[data-field="place_filter"]').fill(o.place ?? "pääkirjasto");
  const option = p.locator('select[data-field="place_id"] option').first();
  await option.waitFor({ state: "attached" });
  await p.locator('select[data-field="place_id"]').selectOption((await option.getAttribute("value")) ?? "");
  await p.getByRole("checkbox", { name: o.category ?? "Kirjasto", exact: true }).check();
}

/** axe (WCAG 2.1 A/AA): no serious or critical violations. */
async function axe(p: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page: p })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
  expect(bad).toEqual([]);
}

async function shot(p: Page, name: string): Promise<void> {
  for (const [w, suffix] of [
    [1280, "desktop"],
    [390, "mobile"],
  ] as const) {
    await p.setViewportSize({ width: w, height: 900 });
    await screenshot(p, { path: `${SHOTS}/organiser-${name}-${suffix}.png`, fullPage: true });
    if (w === 390) {
      await p.evaluate(() => window.scrollTo(0, 0));
      await screenshot(p, { path: `${SHOTS}/organiser-${name}-${suffix}-top.png` });
    }
  }
  await p.setViewportSize({ width: 1280, height: 900 });
}

/** Waits until the server log shows an email link of this kind; returns its path and query. */
async function emailedLink(prefix: string, after = 0): Promise<string> {
  const re = new RegExp(`https?://[^\\s"\\\\]+(${prefix.replace(/[/?]/g, "\\$&")}[^\\s"\\\\]+)`, "g");
  const deadline = Date.now() + 45_000;
  for (;;) {
    const hits = [...site.server.output().slice(after).matchAll(re)];
    if (hits.length > 0) return hits[hits.length - 1]![1]!;
    if (Date.now() > deadline)
      throw new Error(`no ${prefix} link in the server log:\n${site.server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(skip)("organiser flows in Chromium", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    site = await startSite(async (db, now) => {
      const today = localDate(now, TZ);
      day = addDays(today, 20);
      dupDay = addDays(today, 12);
      const start = localDateTime(dupDay, "17:00", TZ);
      await insertEvent(
        db,
        {
          title: { fi: DUPLICATE_OF },
          startsAt: start,
          endsAt: new Date(start.getTime() + 3_600_000),
          placeSlug: "paakirjasto",
          organisationSlug: "kirjasto",
          categorySlugs: ["kirjasto"],
        },
        now,
      );
    });
    moderatorCookie = await nodeLogin(MODERATOR);
    orgContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fi-FI" });
    page = await orgContext.newPage();
    await pageLogin(page, ORGANISER);
    await mkdir(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await orgContext?.close();
    await browser?.close();
    await site?.close();
  });

  it("submits an event signed in; it is public only after a moderator approves it", async () => {
    await page.goto(`${site.url}/ilmoita`);
    await formReady(page);
    // Texts in three languages behind tabs; arrow keys move between the tabs.
    await page.locator('[data-field="title.fi"]').fill("Lukupiiri testissä");
    await page.locator('[data-field="short_description.fi"]').fill("Keskustelemme kuukauden kirjasta.");
    await page.getByRole("tab", { name: "Ruotsi" }).click();
    await expect(page.getByRole("tab", { name: "Ruotsi" }).getAttribute("aria-selected")).resolves.toBe(
      "true",
    );
    await page.locator('[data-field="title.sv"]').fill("Läsecirkel i test");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("ArrowRight");
    const en = page.getByRole("tab", { name: "Englanti" });
    await expect(en.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(en.getAttribute("aria-selected")).resolves.toBe("true");
    await expect(page.locator('[data-field="title.sv"]').isVisible()).resolves.toBe(false);
    await page.locator('[data-field="title.en"]').fill("Reading circle in test");
    await page.getByRole("tab", { name: "Suomi" }).click();
    await fillBasics(page, { title: "Lukupiiri testissä", date: day, start: "18:00", end: "19:30" });
    await page.getByRole("checkbox", { name: "Esteetön pyörätuolilla" }).check();
    await shot(page, "form");
    await page.getByRole("button", { name: "Esikatsele" }).click();

    // The preview looks like the public event page.
    const preview = page.locator("#preview");
    await preview.getByRole("heading", { name: "Esikatselu" }).waitFor();
    await expect(preview.locator(".event-preview__title").textContent()).resolves.toBe("Lukupiiri testissä");
    await expect(preview.locator(".event-facts").textContent()).resolves.toContain("Nurmijärven pääkirjasto");
    await expect(preview.locator(".event-facts").textContent()).resolves.toContain("klo 18–19.30");
    await expect(preview.locator(".event-facts").textContent()).resolves.toContain("Esteetön pyörätuolilla");
    await axe(page, "preview fi");
    await shot(page, "preview");
    await preview.getByRole("button", { name: "Lähetä tarkistettavaksi" }).click();
    await page.getByRole("heading", { name: "Ilmoitus on lähetetty tarkistettavaksi" }).waitFor();
    const href = await page.getByRole("link", { name: "Avaa tapahtuman tiedot" }).getAttribute("href");
    const id = /\/omat\/tapahtumat\/([0-9a-f-]{36})/.exec(href ?? "")?.[1] ?? "";
    expect(id).not.toBe("");
    publishedId = id;

    // Not public while pending.
    expect((await fetch(`${site.url}/api/v1/events/${id}`)).status).toBe(404);
    const list = (await (await fetch(`${site.url}/api/v1/events?q=Lukupiiri`)).json()) as {
      data: { event_id: string }[];
    };
    expect(list.data.map((e) => e.event_id)).not.toContain(id);

    // The moderator approves it (through the API: the moderation UI is another engineer's).
    const queue = await apiAs<{ data: { id: string; version: number }[] }>(
      moderatorCookie,
      "GET",
      "/api/v1/moderation/queue",
    );
    const item = queue.body.data.find((q) => q.id === id);
    expect(item).toBeDefined();
    const approved = await apiAs(moderatorCookie, "POST", `/api/v1/moderation/events/${id}/approve`, {
      version: item?.version,
    });
    expect(approved.status).toBe(200);

    // Now on the home page and in the iCal feed.
    expect((await fetch(`${site.url}/api/v1/events/${id}`)).status).toBe(200);
    const home = await browser.newPage();
    await home.goto(`${site.url}/?q=Lukupiiri`);
    await home.getByRole("link", { name: "Lukupiiri testissä" }).waitFor({ timeout: 30_000 });
    await home.close();
    const ics = await (await fetch(`${site.url}/feeds/events.ics?q=Lukupiiri`)).text();
    const ICAL = (await import("ical.js")).default;
    const cal = new ICAL.Component(ICAL.parse(ics));
    const summaries = cal.getAllSubcomponents("vevent").map((v) => v.getFirstPropertyValue("summary"));
    expect(summaries).toContain("Lukupiiri testissä");
  }, 180_000);

  it("submits without an account and confirms through the emailed link", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fi-FI" });
    const anon = await ctx.newPage();
    try {
      await anon.goto(`${site.url}/ilmoita`);
      await formReady(anon);
      // The honeypot is there for bots only: out of sight, tab order and the accessibility tree.
      const hp = anon.locator("#website");
      await expect(hp.getAttribute("tabindex")).resolves.toBe("-1");
      await expect(anon.locator(".hp").getAttribute("aria-hidden")).resolves.toBe("true");
      await expect(anon.getByRole("textbox", { name: "Jätä tämä kenttä tyhjäksi" }).count()).resolves.toBe(0);
      await anon.getByLabel("Nimesi").fill("Maija Meikäläinen");
      await anon.getByLabel("Sähköpostiosoitteesi").fill("maija@example.org");
      await fillBasics(anon, {
        title: "Kyläillan testi",
        date: day,
        place: "kulttuurisali",
        category: "Kulttuuri",
      });
      // A place that is not on the list yet.
      await anon.getByLabel("Uusi paikka").check();
      await anon.getByLabel("Paikan nimi").fill("Lepsämän nuorisoseurantalo");
      await anon.getByLabel("Katuosoite").fill("Lepsämäntie 100");
      await anon.getByLabel("Postinumero").fill("01800");
      await anon.getByLabel("Postitoimipaikka").fill("Klaukkala");
      await axe(anon, "anonymous form fi");
      const before = site.server.output().length;
      await anon.getByRole("button", { name: "Esikatsele" }).click();
      await expect(anon.locator("#preview .event-facts").textContent()).resolves.toContain(
        "Lepsämän nuorisoseurantalo",
      );
      await anon.getByRole("button", { name: "Lähetä tarkistettavaksi" }).click();
      await anon.getByRole("heading", { name: "Tarkista sähköpostisi" }).waitFor();
      await expect(anon.locator("#result").textContent()).resolves.toContain("maija@example.org");

      const link = await emailedLink("/ilmoita/vahvista?token=", before);
      await anon.goto(`${site.url}${link}`);
      await anon.getByRole("heading", { name: "Kiitos! Ilmoitus on vahvistettu" }).waitFor();
      expect(new URL(anon.url()).search).toBe(""); // the token left the address bar
      await axe(anon, "confirmed fi");

      const queue = await apiAs<{ data: { title: { fi?: string }; submitter: { name: string } | null }[] }>(
        moderatorCookie,
        "GET",
        "/api/v1/moderation/queue",
      );
      const item = queue.body.data.find((q) => q.title.fi === "Kyläillan testi");
      expect(item?.submitter?.name).toBe("Maija Meikäläinen");

      // The magic link from the confirmation lists the submission.
      await anon.getByRole("link", { name: "Katso ja muokkaa ilmoittamiasi tapahtumia" }).click();
      await anon.getByRole("heading", { name: "Kyläillan testi" }).waitFor();
      await expect(anon.locator(".my-event").first().textContent()).resolves.toContain("Odottaa tarkistusta");
      await axe(anon, "own submissions fi");

      // Edit with the same form, then cancel (a pending submission is removed).
      await anon.getByRole("button", { name: "Muokkaa: Kyläillan testi" }).click();
      await formReady(anon);
      await expect(anon.locator('[data-field="title.fi"]').inputValue()).resolves.toBe("Kyläillan testi");
      await anon.locator('[data-field="title.fi"]').fill("Kyläillan testi, korjattu");
      await anon.getByRole("button", { name: "Tallenna muutokset" }).click();
      await anon.getByText("Muutokset on tallennettu.").waitFor();
      await anon.getByRole("heading", { name: "Kyläillan testi, korjattu" }).waitFor();
      await anon.getByRole("button", { name: "Peru ilmoitus: Kyläillan testi, korjattu" }).click();
      await anon.getByRole("dialog").getByRole("button", { name: "Kyllä" }).click();
      await anon.getByText("Ilmoitus on peruttu.").waitFor();
      await anon.getByText("Sinulla ei ole ilmoitettuja tapahtumia.").waitFor();
    } finally {
      await ctx.close();
    }
  }, 180_000);

  it("shows field errors next to their fields, from the browser and from the API, and warns of duplicates", async () => {
    await page.goto(`${site.url}/ilmoita`);
    await formReady(page);
    await fillBasics(page, { title: "x".repeat(201), date: day, start: "18:00", end: "17:00" });
    await page.getByRole("button", { name: "Esikatsele" }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    await expect(summary.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(summary.textContent()).resolves.toContain("Enintään 200 merkkiä.");
    await expect(summary.textContent()).resolves.toContain("Tapahtuma ei voi päättyä ennen kuin se alkaa.");
    const titleField = page.locator('.field:has([data-field="title.fi"])');
    await expect(titleField.locator(".field-error").textContent()).resolves.toContain(
      "Enintään 200 merkkiä.",
    );
    await expect(page.locator('[data-field="title.fi"]').getAttribute("aria-invalid")).resolves.toBe("true");
    const endField = page.locator('.field:has([data-field="end"])');
    await expect(endField.locator(".field-error").textContent()).resolves.toContain("päättyä ennen");
    await axe(page, "form with errors fi");
    await shot(page, "form-errors");

    // A summary link takes focus to its field.
    await summary.getByRole("link", { name: /Tapahtuman nimi/ }).click();
    await expect(
      page.locator('[data-field="title.fi"]').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);

    // An error only the API knows (a weekly series longer than it allows) appears next to its field.
    await page.locator('[data-field="title.fi"]').fill("Päivittäinen testijumppa");
    await page.locator('[data-field="end_time"]').fill("19:00");
    await page.getByLabel("Toistuu viikoittain").check();
    for (const d of [
      "maanantai",
      "tiistai",
      "keskiviikko",
      "torstai",
      "perjantai",
      "lauantai",
      "sunnuntai",
    ]) {
      await page.getByRole("checkbox", { name: d, exact: true }).check();
    }
    await page.locator('[data-field="rrule"]').fill(addDays(day, 4 * 365));
    await page.getByRole("button", { name: "Esikatsele" }).click();
    await page.getByRole("button", { name: "Lähetä tarkistettavaksi" }).click();
    await page.locator('.field:has([data-field="rrule"]) .field-error').waitFor();
    await expect(
      page.locator('.field:has([data-field="rrule"]) .field-error').textContent(),
    ).resolves.toContain("Sarjassa voi olla enintään 1000 kertaa.");
    await expect(page.locator(".error-summary").textContent()).resolves.toContain("Viimeinen toistopäivä");
    await page.locator('[data-field="rrule"]').scrollIntoViewIfNeeded();
    await screenshot(page, { path: `${SHOTS}/organiser-repeat-error-desktop.png` });

    // A near-copy of an existing event: warned before it is sent; "send anyway" sends it.
    await page.goto(`${site.url}/ilmoita`);
    await formReady(page);
    await fillBasics(page, {
      title: "Kirjaston satutunti testissä!",
      date: dupDay,
      start: "17:00",
      end: "18:00",
    });
    await page.getByRole("button", { name: "Esikatsele" }).click();
    await page.getByRole("button", { name: "Lähetä tarkistettavaksi" }).click();
    const warning = page.locator(".notice--warning");
    await warning.getByRole("heading", { name: "Tämä voi olla jo kalenterissa" }).waitFor();
    await expect(warning.textContent()).resolves.toContain(DUPLICATE_OF);
    await expect(warning.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await axe(page, "duplicate warning fi");
    await page.getByRole("button", { name: "Lähetä silti" }).click();
    await page.getByRole("heading", { name: "Ilmoitus on lähetetty tarkistettavaksi" }).waitFor();
  }, 180_000);

  it("My events: state, the moderator's comment, edit and resubmit, conflict, cancel", async () => {
    // A submitted event for which the moderator asks for changes.
    await page.goto(`${site.url}/omat`);
    const created = await pageApi<{ id: string; version: number }>(page, "POST", "/api/v1/events", {
      title: { fi: "Muokattava testitapahtuma" },
      start: `${day}T10:00:00+02:00`,
      end: `${day}T12:00:00+02:00`,
      online_url: "https://example.fi/striimi",
      categories: ["luennot"],
    });
    expect(created.status).toBe(201);
    const { id } = created.body;
    const sent = await pageApi<{ version: number }>(page, "POST", `/api/v1/events/${id}/submit`, {
      version: created.body.version,
    });
    const asked = await apiAs(moderatorCookie, "POST", `/api/v1/moderation/events/${id}/request-changes`, {
      version: sent.body.version,
      comment: "Lisää tapahtumalle kuvaus, kiitos.",
    });
    expect(asked.status).toBe(200);

    await page.goto(`${site.url}/omat`);
    const card = page.locator(".my-event", { hasText: "Muokattava testitapahtuma" });
    await card.waitFor();
    await expect(card.locator(".state").textContent()).resolves.toBe("Luonnos");
    await expect(card.textContent()).resolves.toContain("Lisää tapahtumalle kuvaus, kiitos.");
    await expect(card.textContent()).resolves.toContain("Muutoksia pyydetty");
    await axe(page, "my events fi");
    await shot(page, "my-events");

    await card.getByRole("link", { name: "Muokattava testitapahtuma" }).click();
    await page.waitForURL(new RegExp(`/omat/tapahtumat/${id}$`));
    await page.locator("#event-state").waitFor();
    await expect(page.locator("#event-state").textContent()).resolves.toBe("Luonnos");
    await expect(page.locator(".comment").textContent()).resolves.toContain("Lisää tapahtumalle kuvaus");
    await axe(page, "my event fi");
    await shot(page, "my-event");

    // Edit (the same form, prefilled) and resubmit.
    await page.getByRole("button", { name: "Muokkaa tietoja" }).click();
    await formReady(page);
    await expect(page.locator('[data-field="title.fi"]').inputValue()).resolves.toBe(
      "Muokattava testitapahtuma",
    );
    await expect(page.locator('[data-field="online_url"]').inputValue()).resolves.toBe(
      "https://example.fi/striimi",
    );
    await expect(page.locator('[data-field="start_time"]').inputValue()).resolves.toBe("10:00");
    await page.locator('[data-field="description.fi"]').fill("Luento kirjaston historiasta.");
    await page.getByRole("button", { name: "Tallenna muutokset" }).click();
    await page.getByText("Muutokset on tallennettu.").waitFor();
    await page.getByRole("button", { name: "Lähetä tarkistettavaksi" }).click();
    await page.getByText("Tapahtuma on lähetetty tarkistettavaksi.").waitFor();
    await expect(page.locator("#event-state").textContent()).resolves.toBe("Odottaa tarkistusta");
    await expect(page.locator("#event-body").textContent()).resolves.toContain(
      "Luento kirjaston historiasta.",
    );

    // Someone else edits meanwhile: saving gives the conflict message and offers to reload.
    await page.getByRole("button", { name: "Muokkaa tietoja" }).click();
    await formReady(page);
    const mine = await pageApi<{ version: number }>(page, "GET", `/api/v1/me/events/${id}`);
    const other = await pageApi(page, "PATCH", `/api/v1/events/${id}`, {
      version: mine.body.version,
      title: { fi: "Toisen muokkaama otsikko" },
    });
    expect(other.status).toBe(200);
    await page.locator('[data-field="title.fi"]').fill("Minun otsikkoni");
    await page.getByRole("button", { name: "Tallenna muutokset" }).click();
    const conflict = page.locator(".conflict");
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toContain("Tapahtumaa on muutettu sillä aikaa");
    await conflict.getByRole("button", { name: "Lataa uusin versio" }).click();
    await page.locator("#event-heading", { hasText: "Toisen muokkaama otsikko" }).waitFor();
    await expect(page.locator('[data-field="title.fi"]').count()).resolves.toBe(0);

    // The form gives back exactly what it was given: saving a published event unchanged
    // proposes no revision; a real change waits for moderation while the live version stays.
    await page.goto(`${site.url}/omat/tapahtumat/${publishedId}`);
    await page.getByRole("button", { name: "Muokkaa tietoja" }).click();
    await formReady(page);
    await expect(page.locator('[data-field="title.sv"]').inputValue()).resolves.toBe("Läsecirkel i test");
    await page.getByRole("button", { name: "Tallenna muutokset" }).click();
    await page.getByText("Muutokset on tallennettu.").waitFor();
    const unchanged = await pageApi<{ pending_revision: unknown }>(
      page,
      "GET",
      `/api/v1/me/events/${publishedId}`,
    );
    expect(unchanged.body.pending_revision).toBeNull();
    await page.getByRole("button", { name: "Muokkaa tietoja" }).click();
    await formReady(page);
    await page.locator('[data-field="short_description.fi"]').fill("Keskustelemme joulukuun kirjasta.");
    await page.getByRole("button", { name: "Tallenna muutokset" }).click();
    await page.getByText("Muutokset on lähetetty tarkistettavaksi.").waitFor();
    await expect(page.locator("#app").textContent()).resolves.toContain("Muutokset odottavat tarkistusta");

    // Cancel the published event from the first test, with a confirmation dialog.
    await page.getByRole("button", { name: "Peru tapahtuma" }).click();
    const dialog = page.getByRole("dialog", { name: "Perutaanko tapahtuma?" });
    await dialog.waitFor();
    await axe(page, "cancel dialog fi");
    await dialog.getByLabel("Syy (näkyy moderaattoreille)").fill("Esiintyjä sairastui.");
    await dialog.getByRole("button", { name: "Kyllä" }).click();
    await page.getByText("Tapahtuma on peruttu.").waitFor();
    await expect(page.locator("#event-state").textContent()).resolves.toBe("Julkaistu – Peruttu");
    const pub = (await (await fetch(`${site.url}/api/v1/events/${publishedId}`)).json()) as {
      event_status: string;
    };
    expect(pub.event_status).toBe("cancelled");

    // Delete a draft: only after confirming; "no" keeps it.
    const draft = await pageApi<{ id: string }>(page, "POST", "/api/v1/events", {
      title: { fi: "Poistettava luonnos" },
      start: day,
      end: day,
      online_url: "https://example.fi/",
    });
    await page.goto(`${site.url}/omat/tapahtumat/${draft.body.id}`);
    await page.getByRole("button", { name: "Poista luonnos" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Ei, palaa takaisin" }).click();
    await expect(
      page.getByRole("button", { name: "Poista luonnos" }).evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await page.getByRole("button", { name: "Poista luonnos" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Kyllä" }).click();
    await page.getByText("Tapahtuma on poistettu.").waitFor();
    expect((await pageApi(page, "GET", `/api/v1/me/events/${draft.body.id}`)).status).toBe(404);
  }, 180_000);

  it("has no serious axe violations on any organiser page in fi, sv and en", async () => {
    const anonCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const words = {
      fi: { preview: "Esikatsele", topic: "Kirjasto", heading: "Esikatselu" },
      sv: { preview: "Förhandsgranska", topic: "Bibliotek", heading: "Förhandsgranskning" },
      en: { preview: "Preview", topic: "Library", heading: "Preview" },
    };
    // The three languages side by side (each in its own pages), to keep the run short.
    const check = async (lang: "fi" | "sv" | "en") => {
      const q = lang === "fi" ? "" : `?lang=${lang}`;
      const amp = lang === "fi" ? "?" : `?lang=${lang}&`;
      const w = words[lang];
      const own = await orgContext.newPage();
      const anon = await anonCtx.newPage();
      try {
        await own.goto(`${site.url}/ilmoita${q}`);
        await formReady(own);
        await expect(own.locator("html").getAttribute("lang")).resolves.toBe(lang);
        // The signed-in form with its errors shown, then its preview.
        await own.getByRole("button", { name: w.preview }).click();
        await own.locator(".error-summary").waitFor();
        await axe(own, `${lang} /ilmoita with errors`);
        await fillBasics(own, {
          title: `Axe ${lang}`,
          date: day,
          category: w.topic,
          lang,
          place: "Keskustie 2",
        });
        await own.getByRole("button", { name: w.preview }).click();
        await own.getByRole("heading", { name: w.heading, exact: true }).waitFor();
        await axe(own, `${lang} /ilmoita preview`);
        await own.goto(`${site.url}/omat${q}`);
        await own.locator(".my-event").first().waitFor();
        await axe(own, `${lang} /omat`);
        await own.goto(`${site.url}/omat/tapahtumat/${publishedId}${q}`);
        await own.locator("#event-state").waitFor();
        await axe(own, `${lang} /omat/tapahtumat/:id`);

        await anon.goto(`${site.url}/ilmoita${q}`);
        await formReady(anon);
        await axe(anon, `${lang} /ilmoita anonymous`);
        await anon.goto(`${site.url}/ilmoita/vahvista${amp}token=not-a-valid-token-at-all`);
        await anon.locator("#app .notice").waitFor();
        await axe(anon, `${lang} /ilmoita/vahvista`);
        await anon.goto(`${site.url}/ilmoita/omat${q}`);
        await anon.locator(".access-form").waitFor();
        await axe(anon, `${lang} /ilmoita/omat`);
        await anon.goto(`${site.url}/omat${q}`);
        await anon.locator("#app .notice").waitFor();
        await expect(anon.locator("#app a").first().getAttribute("href")).resolves.toContain(
          "/kirjaudu?next=%2Fomat",
        );
        await axe(anon, `${lang} /omat signed out`);
      } finally {
        await own.close();
        await anon.close();
      }
    };
    try {
      await Promise.all([check("fi"), check("sv"), check("en")]);
    } finally {
      await anonCtx.close();
    }
  }, 240_000);

  it("submits an event with the keyboard alone", async () => {
    await page.goto(`${site.url}/ilmoita`);
    await formReady(page);
    const focusOn = async (selector: string, max = 120) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    await focusOn('[data-field="title.fi"]');
    await page.keyboard.type("Näppäimistötesti");
    await focusOn('[data-field="start"]');
    // The segments of a date input follow the browser's locale: month first (en-US) or day first.
    const [y, m, d] = day.split("-");
    await page.keyboard.type(`${m}${d}${y}`);
    if ((await page.locator('[data-field="start"]').inputValue()) !== day) {
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.type(`${d}${m}${y}`);
    }
    await expect(page.locator('[data-field="start"]').inputValue()).resolves.toBe(day);
    await focusOn('[data-field="start_time"]');
    await page.keyboard.type("1400");
    await focusOn('[data-field="end_time"]');
    await page.keyboard.type("1500");
    await focusOn('[data-field="place_filter"]');
    await page.keyboard.type("uimahalli");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowDown");
    await focusOn('input[name="categories"][value="liikunta"]');
    await page.keyboard.press("Space");
    await focusOn("#preview-button");
    await page.keyboard.press("Enter");
    await page.locator("#preview-h").waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("preview-h");
    const facts = await page.locator(".event-facts").textContent();
    expect(facts).toContain("uimahalli");
    expect(facts).toContain(`${Number(d)}.${Number(m)}.${y} klo 14–15`);
    await focusOn("#send-button", 10);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Ilmoitus on lähetetty tarkistettavaksi" }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("done-h");
  }, 180_000);

  it("stores a time in the spring-forward gap as the API does: 03:30 on 28 March 2027 is 04:30+03:00", async () => {
    // Helsinki skips 03:00–04:00 that night; src/contract/time.ts moves a time in the gap forward
    // by the gap, in the form as on the server (the form's own arithmetic once sent 02:30+02:00).
    const gapDay = "2027-03-28";
    await page.goto(`${site.url}/ilmoita`);
    await formReady(page);
    await fillBasics(page, {
      title: "Yöretki kesäaikaan testissä",
      date: gapDay,
      start: "03:30",
      end: "05:00",
    });
    await page.getByRole("button", { name: "Esikatsele" }).click();
    const preview = page.locator("#preview");
    await preview.getByRole("heading", { name: "Esikatselu" }).waitFor();
    await expect(preview.locator(".event-facts").textContent()).resolves.toContain("28.3.2027 klo 4.30–5");
    await preview.getByRole("button", { name: "Lähetä tarkistettavaksi" }).click();
    await page.getByRole("heading", { name: "Ilmoitus on lähetetty tarkistettavaksi" }).waitFor();
    const href = await page.getByRole("link", { name: "Avaa tapahtuman tiedot" }).getAttribute("href");
    const id = /\/omat\/tapahtumat\/([0-9a-f-]{36})/.exec(href ?? "")?.[1] ?? "";
    const mine = await pageApi<{ event: { start: string; end: string } }>(
      page,
      "GET",
      `/api/v1/me/events/${id}`,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.event.start).toBe("2027-03-28T04:30:00+03:00");
    expect(mine.body.event.end).toBe("2027-03-28T05:00:00+03:00");
    // The server reads that wall time the same way (src/domain/time.ts delegates to the contract).
    expect(localDateTime(gapDay, "03:30", TZ).toISOString()).toBe("2027-03-28T01:30:00.000Z");
  }, 180_000);
});
