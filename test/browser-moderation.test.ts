/**
 * The moderator's pages in a real browser (Chromium via playwright-core) against the real
 * server: the access message for residents and organisers; the queue (counts, pending
 * events oldest first, duplicate marker); the review page with the diff of an edited
 * published event; approve (keyboard only) → public; reject with a required reason → the
 * organiser sees it; request changes; a 409 when the event changed meanwhile; bulk approve
 * with a confirmation dialog; the trusted flag; the log; axe-core (WCAG 2.1 A/AA) on every
 * page in fi, sv and en; screenshots at 1280 px and 390 px under test-results/screenshots/.
 * The events are created through the organiser API, as a real organiser would.
 */
import { mkdir } from "node:fs/promises";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGS } from "../src/contract/i18n/resident.ts";
import { launchBrowser, screenshot, skipBrowserTests, startSite, type TestSite } from "./helpers/browser.ts";

const SHOTS = "test-results/screenshots";
const PASSWORD = "browser-test-pw";
const skip = skipBrowserTests("test/browser-moderation.test.ts");

let site: TestSite;
let browser: Browser;
let modCtx: BrowserContext;
let orgCtx: BrowserContext;
let anonCtx: BrowserContext;
let page: Page;

const T = {
  approve: "Moderointitesti: kevätkonsertti kirjastossa",
  duplicate: "Moderointitesti: kevätkonsertti kirjastolla",
  reject: "Moderointitesti: mainos verkkokaupasta",
  request: "Moderointitesti: luento ilman aikaa",
  bulk1: "Moderointitesti: joukkohyväksyntä yksi",
  bulk2: "Moderointitesti: joukkohyväksyntä kaksi",
  stale1: "Moderointitesti: vedetään pois kesken",
  stale2: "Moderointitesti: jää jonoon",
  edited: "Moderointitesti: kesäteatteri",
  editedNew: "Moderointitesti: kesäteatteri (uusi ensi-ilta)",
};
const ids: Record<keyof typeof T, string> = {} as Record<keyof typeof T, string>;
/** A submitter-supplied image URL (.invalid never resolves; the test counts requests to it). */
const TRACKING_IMAGE = "https://seuranta.invalid/pikseli.png?moderaattori=1";
let orgId = "";
let orgName = "";

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

async function signIn(ctx: BrowserContext, email: string) {
  const r = await call(ctx, "POST", "/api/v1/auth/login", { email, password: PASSWORD });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const inDays = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
};

/** Creates an event as the organiser and submits it; returns its id and version. */
async function submitted(title: string, days: number, placeId: string, extra: Record<string, unknown> = {}) {
  const created = await call(orgCtx, "POST", "/api/v1/events", {
    organisation_id: orgId,
    title: { fi: title, sv: `${title} (sv)` },
    short_description: { fi: "Testitapahtuma moderoinnin selaintesteille." },
    start: inDays(days, 15),
    end: inDays(days, 17),
    place_id: placeId,
    categories: ["musiikki"],
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const sub = await call(orgCtx, "POST", `/api/v1/events/${created.body.id}/submit`, {
    version: created.body.version,
  });
  expect(sub.status, JSON.stringify(sub.body)).toBe(200);
  expect(sub.body.state).toBe("pending");
  return { id: created.body.id as string, version: sub.body.version as number };
}

const queueReady = (p: Page) => p.locator("#queue-list, #queue-empty").first().waitFor();
const reviewReady = (p: Page) => p.locator("#status-h").waitFor({ state: "attached" });

/**
 * Screenshots of one page at 1280 px and 390 px (full page), plus, on the phone, the named
 * parts on their own so that they can be read at full size.
 */
async function shots(name: string, path: string, ready: (p: Page) => Promise<unknown>, parts: string[] = []) {
  for (const [size, width, height] of [
    ["desktop", 1280, 900],
    ["mobile", 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${site.url}${path}`);
    await ready(page);
    await screenshot(page, { path: `${SHOTS}/moderation-${name}-${size}.png`, fullPage: true });
    // Nothing scrolls sideways on the page itself (wide tables scroll inside their own region).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow, `${name} ${size}`).toBe(false);
    if (size === "mobile") {
      for (const part of parts) {
        await page
          .locator(part)
          .screenshot({ path: `${SHOTS}/moderation-${name}-mobile-${part.replace(/\W/g, "")}.png` });
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Presses Tab until the focused element matches the selector (keyboard-only navigation). */
async function tabTo(p: Page, selector: string, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press("Tab");
    if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe.skipIf(skip)("moderation pages in Chromium", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    site = await startSite(async () => {});
    modCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    orgCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    anonCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(modCtx, "moderaattori@example.fi");
    await signIn(orgCtx, "jarjestaja@example.fi");
    const me = await call(orgCtx, "GET", "/api/v1/me");
    orgId = me.body.memberships[0].organisation.id;
    orgName = me.body.memberships[0].organisation.name;
    expect(me.body.memberships[0].organisation.trusted).toBe(false);
    const places = await call(anonCtx, "GET", "/api/v1/places");
    const [placeA, placeB] = places.body.data as { id: string }[];

    // In submission order, so the queue order can be checked (oldest first).
    ids.approve = (await submitted(T.approve, 20, placeA!.id)).id;
    ids.duplicate = (await submitted(T.duplicate, 20, placeA!.id)).id;
    // With an image on the submitter's server: a moderator's browser must not fetch it.
    ids.reject = (
      await submitted(T.reject, 21, placeB!.id, {
        image: { url: TRACKING_IMAGE, alt: { fi: "Mainoskuva" }, licence: "CC BY 4.0" },
      })
    ).id;
    ids.request = (await submitted(T.request, 22, placeB!.id)).id;
    ids.bulk1 = (await submitted(T.bulk1, 23, placeB!.id)).id;
    ids.bulk2 = (await submitted(T.bulk2, 24, placeB!.id)).id;
    ids.stale1 = (await submitted(T.stale1, 26, placeB!.id)).id;
    ids.stale2 = (await submitted(T.stale2, 27, placeB!.id)).id;
    // A published event, then edited by the organiser: a pending revision with a diff.
    const ed = await submitted(T.edited, 25, placeB!.id);
    ids.edited = ed.id;
    const ok = await call(modCtx, "POST", `/api/v1/moderation/events/${ed.id}/approve`, {
      version: ed.version,
    });
    expect(ok.status).toBe(200);
    const patched = await call(orgCtx, "PATCH", `/api/v1/events/${ed.id}`, {
      version: ok.body.version,
      title: { fi: T.editedNew, sv: `${T.edited} (sv)` },
      end: inDays(25, 18),
      is_free: false,
      price: { fi: "12 € / 6 €" },
      short_description: {},
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    page = await modCtx.newPage();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it("shows residents a sign-in link back to the page, and organisers a no-access message", async () => {
    const anon = await anonCtx.newPage();
    await anon.goto(`${site.url}/moderointi/tapahtumat/${ids.approve}`);
    const link = anon.locator("#sign-in-link");
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe(
      `/kirjaudu?next=${encodeURIComponent(`/moderointi/tapahtumat/${ids.approve}`)}`,
    );
    expect(await anon.locator("#app").textContent()).not.toContain(T.approve);
    await screenshot(anon, { path: `${SHOTS}/moderation-sign-in-desktop.png` });
    await anon.goto(`${site.url}/moderointi/loki?lang=sv`);
    await anon.locator("#sign-in-link").waitFor();
    expect(await anon.locator("#sign-in-link").getAttribute("href")).toBe(
      `/kirjaudu?lang=sv&next=${encodeURIComponent("/moderointi/loki?lang=sv")}`,
    );
    await anon.close();

    const org = await orgCtx.newPage();
    await org.goto(`${site.url}/moderointi`);
    const alert = org.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Ei käyttöoikeutta");
    await screenshot(org, { path: `${SHOTS}/moderation-no-access-desktop.png` });
    expect(await org.locator("#queue-list").count()).toBe(0);
    // The header now shows the organiser as signed in; the moderation tabs are hidden.
    await org.locator("#user-nav a", { hasText: "Oma tili" }).waitFor();
    expect(await org.locator(".mod-nav").isHidden()).toBe(true);
    await org.close();
  });

  it("lists the queue with counts, oldest first, with kinds and a duplicate marker", async () => {
    await page.goto(`${site.url}/moderointi`);
    await queueReady(page);
    const api = await call(modCtx, "GET", "/api/v1/moderation/queue?limit=1");
    const counts = await page.locator("#queue-counts").innerText();
    expect(counts).toContain(`${api.body.counts.total}\nYhteensä odottaa`);
    expect(counts).toContain(`${api.body.counts.submissions}\nUusia ilmoituksia`);
    expect(counts).toContain(`${api.body.counts.revisions}\nMuutoksia julkaistuihin`);
    expect(api.body.counts.revisions).toBeGreaterThanOrEqual(1);

    const titles = await page.locator(".queue-item__title").allInnerTexts();
    const at = (title: string) => titles.indexOf(title);
    expect(at(T.approve)).toBeGreaterThanOrEqual(0);
    expect(at(T.approve)).toBeLessThan(at(T.reject));
    expect(at(T.reject)).toBeLessThan(at(T.bulk2));
    expect(at(T.bulk2)).toBeLessThan(at(T.stale1));
    expect(at(T.stale2)).toBeLessThan(at(T.edited));

    const approveItem = page.locator(`.queue-item[data-id="${ids.approve}"]`);
    expect(await approveItem.innerText()).toContain("Mahdollinen kaksoiskappale");
    expect(await approveItem.innerText()).toContain(orgName);
    expect(await approveItem.innerText()).toContain("Uusi ilmoitus");
    const editedItem = page.locator(`.queue-item[data-id="${ids.edited}"]`);
    expect(await editedItem.innerText()).toContain("Muutos julkaistuun");
    expect(await page.locator(`.queue-item[data-id="${ids.reject}"]`).innerText()).not.toContain(
      "kaksoiskappale",
    );
    // Row checkboxes are labelled with the event's title.
    await page.getByRole("checkbox", { name: `Valitse: ${T.approve}` }).waitFor();
    await shots("queue", "/moderointi", queueReady, ["#queue-counts", "#queue-list", "#bulk-form"]);
  });

  it("shows an edited published event with every detail and the field-by-field diff", async () => {
    await page.goto(`${site.url}/moderointi/tapahtumat/${ids.edited}`);
    await reviewReady(page);
    const diff = page.locator("#diff-table");
    await diff.waitFor();
    const rowFor = (label: string) =>
      diff.locator("tbody tr", { has: page.locator("th", { hasText: label }) });
    const title = rowFor("Otsikko (suomi)");
    expect(await title.innerText()).toContain("Muutettu");
    expect(await title.locator(".diff__before").innerText()).toBe(T.edited);
    expect(await title.locator(".diff__after").innerText()).toBe(T.editedNew);
    expect(await rowFor("Hinta (suomi)").innerText()).toContain("Lisätty");
    expect(await rowFor("Lyhyt kuvaus (suomi)").innerText()).toContain("Poistettu");
    expect(await rowFor("Maksuton").locator(".diff__after").innerText()).toBe("ei");
    expect(await rowFor("Päättyy").innerText()).toContain("Muutettu");
    // The preview shows the proposed version; the submitter's contact is there for moderators.
    expect(await page.locator("#preview-title").innerText()).toBe(T.editedNew);
    expect(await page.locator(".mod-private").innerText()).toContain("jarjestaja@example.fi");
    expect(await page.locator("#approve").innerText()).toBe("Hyväksy muutokset");
    // None of it is public.
    const pub = await call(anonCtx, "GET", `/api/v1/events/${ids.edited}`);
    expect(JSON.stringify(pub.body)).not.toContain("jarjestaja@example.fi");
    expect(pub.body.title.text).toBe(T.edited);
    await shots("review", `/moderointi/tapahtumat/${ids.edited}`, (p) => p.locator("#diff-table").waitFor(), [
      "#diff",
      "#decision",
    ]);
  });

  it("shows a submitter's image as a link only, never loading it, until the event is approved", async () => {
    const requested: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (r.url().includes("seuranta.invalid")) requested.push(r.url());
    };
    page.on("request", onRequest);
    try {
      await page.goto(`${site.url}/moderointi/tapahtumat/${ids.reject}`);
      await reviewReady(page);
      const figure = page.locator(".mod-preview__figure");
      await figure.waitFor();
      expect(await figure.locator("img").count()).toBe(0);
      const link = figure.locator(`a[href="${TRACKING_IMAGE}"]`);
      expect(await link.count()).toBe(1);
      expect((await link.getAttribute("rel"))?.split(/\s+/).sort()).toEqual(["noopener", "noreferrer"]);
      expect(await figure.innerText()).toContain("Ilmoittajan kuvaa ei ladata ennen hyväksyntää");
      expect(await page.locator("#preview-h ~ article img").count()).toBe(0);
      expect(requested).toEqual([]);
    } finally {
      page.off("request", onRequest);
    }
  });

  it("requires a reason to reject, shown next to the field; the organiser then sees the reason", async () => {
    await page.goto(`${site.url}/moderointi/tapahtumat/${ids.reject}`);
    await reviewReady(page);
    await page.click("#reject");
    const error = page.locator("#reject-form .field-error");
    await error.waitFor();
    expect(await error.innerText()).toContain("Kirjoita hylkäyksen syy.");
    expect(await page.getAttribute("#reason", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#reason", "aria-describedby")).toContain(await error.getAttribute("id"));
    expect((await call(orgCtx, "GET", `/api/v1/me/events/${ids.reject}`)).body.state).toBe("pending");

    const reason = "Kaupallinen mainos, ei tapahtuma.";
    await page.fill("#reason", reason);
    await page.click("#reject");
    await page.waitForURL(`${site.url}/moderointi`);
    const result = page.locator('.mod-results [role="status"]');
    await result.waitFor();
    expect(await result.innerText()).toBe(`Hylätty: ${T.reject}.`);
    await queueReady(page);
    expect(await page.locator(`.queue-item[data-id="${ids.reject}"]`).count()).toBe(0);

    const mine = await call(orgCtx, "GET", `/api/v1/me/events/${ids.reject}`);
    expect(mine.body.state).toBe("rejected");
    expect(mine.body.decisions[0]).toMatchObject({ action: "reject", reason });
  });

  it("returns an event to the organiser with a required comment", async () => {
    await page.goto(`${site.url}/moderointi/tapahtumat/${ids.request}?lang=en`);
    await reviewReady(page);
    await page.click("#request-changes");
    await page.locator("#request-form .field-error").waitFor();
    expect(await page.locator("#request-form .field-error").innerText()).toContain(
      "Tell the submitter what needs correcting.",
    );
    const comment = "Lisää luennoitsijan nimi ja tarkka alkamisaika.";
    await page.getByLabel("What needs correcting?").fill(comment);
    await page.click("#request-changes");
    await page.waitForURL(`${site.url}/moderointi?lang=en`);
    await page.locator('.mod-results [role="status"]').waitFor();
    expect(await page.locator('.mod-results [role="status"]').innerText()).toBe(
      `Returned for corrections: ${T.request}.`,
    );
    const mine = await call(orgCtx, "GET", `/api/v1/me/events/${ids.request}`);
    expect(mine.body.state).toBe("draft");
    expect(mine.body.decisions[0]).toMatchObject({ action: "request_changes", reason: comment });
  });

  it("says when the event changed meanwhile (409) and offers a reload", async () => {
    await page.goto(`${site.url}/moderointi/tapahtumat/${ids.duplicate}`);
    await reviewReady(page);
    // The duplicate warning links to the other event.
    const dup = page.locator("#duplicates");
    await dup.waitFor();
    expect(await dup.locator(`a[href="/moderointi/tapahtumat/${ids.approve}"]`).innerText()).toBe(T.approve);
    // The organiser withdraws it while the moderator is looking.
    const current = await call(orgCtx, "GET", `/api/v1/me/events/${ids.duplicate}`);
    const w = await call(orgCtx, "POST", `/api/v1/events/${ids.duplicate}/withdraw`, {
      version: current.body.version,
    });
    expect(w.status).toBe(200);
    await page.click("#approve");
    const alert = page.locator('#decision-status [role="alert"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain("Lataa sivu uudelleen");
    await page.locator("#decision").screenshot({ path: `${SHOTS}/moderation-review-conflict-desktop.png` });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("decision-status");
    expect(page.url()).toContain(`/moderointi/tapahtumat/${ids.duplicate}`);
    await page.click("#reload");
    await reviewReady(page);
    await page.locator("#not-in-queue").waitFor();
  });

  it("opens and approves an event with the keyboard alone; it becomes public", async () => {
    const kb = await modCtx.newPage();
    await kb.goto(`${site.url}/moderointi`);
    await queueReady(kb);
    await tabTo(kb, `.queue-item[data-id="${ids.approve}"] h3 a`);
    await kb.keyboard.press("Enter");
    await kb.waitForURL(`${site.url}/moderointi/tapahtumat/${ids.approve}`);
    await reviewReady(kb);
    await tabTo(kb, "#approve");
    // Visible focus on the button.
    const outline = await kb.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe("none");
    await kb.keyboard.press("Enter");
    await kb.waitForURL(`${site.url}/moderointi`);
    await kb.locator('.mod-results [role="status"]').waitFor();
    expect(await kb.locator('.mod-results [role="status"]').innerText()).toBe(
      `Hyväksytty ja julkaistu: ${T.approve}.`,
    );
    const pub = await call(anonCtx, "GET", `/api/v1/events/${ids.approve}`);
    expect(pub.status).toBe(200);
    expect(pub.body.title.text).toBe(T.approve);
    await kb.goto(`${site.url}/tapahtumat/${ids.approve}`);
    expect(await kb.locator("h1").first().innerText()).toBe(T.approve);
    await kb.close();
  });

  it("approves two events at once after a keyboard-operable confirmation", async () => {
    await page.goto(`${site.url}/moderointi`);
    await queueReady(page);
    // Nothing selected: the bulk action says so.
    await page.click("#bulk-approve");
    await page.locator('#bulk-form [role="alert"]').waitFor();
    expect(await page.locator('#bulk-form [role="alert"]').innerText()).toContain("Valitse ensin");

    await page.getByRole("checkbox", { name: `Valitse: ${T.bulk1}` }).check();
    await page.getByRole("checkbox", { name: `Valitse: ${T.bulk2}` }).check();
    expect(await page.locator("#bulk-count").innerText()).toBe("2 tapahtumaa valittu.");
    await page.click("#bulk-approve");
    const dialog = page.getByRole("dialog", { name: "Hyväksytäänkö 2 tapahtumaa?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(T.bulk1);
    // Focus starts on the safe choice; Escape cancels and focus returns to the button.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Peruuta");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("bulk-approve");
    expect((await call(anonCtx, "GET", `/api/v1/events/${ids.bulk1}`)).status).toBe(404);

    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.press("Shift+Tab"); // from Cancel back to the confirm button
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Hyväksy valitut");
    await page.keyboard.press("Enter");
    const result = page.locator('.mod-results [role="status"]');
    await result.waitFor();
    expect(await result.innerText()).toBe("2 tapahtumaa hyväksyttiin.");
    expect(await page.locator(`.queue-item[data-id="${ids.bulk1}"]`).count()).toBe(0);
    for (const id of [ids.bulk1, ids.bulk2]) {
      expect((await call(anonCtx, "GET", `/api/v1/events/${id}`)).status).toBe(200);
    }
  });

  it("rejects in bulk only with a reason, and names the events that changed meanwhile", async () => {
    await page.goto(`${site.url}/moderointi`);
    await queueReady(page);
    await page.getByRole("checkbox", { name: `Valitse: ${T.stale1}` }).check();
    await page.getByRole("checkbox", { name: `Valitse: ${T.stale2}` }).check();
    await page.click("#bulk-reject");
    await page.locator("#bulk-form .field-error").waitFor();
    expect(await page.getAttribute("#bulk-reason", "aria-invalid")).toBe("true");
    expect(await page.getByRole("dialog").count()).toBe(0);

    // One of them is withdrawn by its organiser before the moderator confirms.
    const current = await call(orgCtx, "GET", `/api/v1/me/events/${ids.stale1}`);
    expect(
      (await call(orgCtx, "POST", `/api/v1/events/${ids.stale1}/withdraw`, { version: current.body.version }))
        .status,
    ).toBe(200);
    await page.fill("#bulk-reason", "Päällekkäinen ilmoitus.");
    await page.click("#bulk-reject");
    const dialog = page.getByRole("dialog", { name: "Hylätäänkö 2 tapahtumaa?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain("Päällekkäinen ilmoitus.");
    await dialog.getByRole("button", { name: "Hylkää valitut" }).click();
    const failure = page.locator("#bulk-failure");
    await failure.waitFor();
    expect(await failure.getAttribute("role")).toBe("alert");
    expect(await failure.locator("li").allInnerTexts()).toEqual([T.stale1]);
    // All or nothing: the other one is still waiting, and still selected for another try.
    expect((await call(orgCtx, "GET", `/api/v1/me/events/${ids.stale2}`)).body.state).toBe("pending");
    expect(await page.getByRole("checkbox", { name: `Valitse: ${T.stale2}` }).isChecked()).toBe(true);
    expect(await page.locator(`.queue-item[data-id="${ids.stale1}"]`).count()).toBe(0);
    expect(await page.locator("#bulk-count").innerText()).toBe("1 tapahtuma valittu.");
  });

  it("marks an organisation trusted and back, explaining what it means", async () => {
    await page.goto(`${site.url}/moderointi/organisaatiot`);
    await page.locator("#org-table").waitFor();
    expect(await page.locator("#trust-explain").innerText()).toContain("ilman moderointia");
    const row = page.locator(`#org-table tr[data-id="${orgId}"]`);
    expect(await row.innerText()).toContain("Ei luotettu");
    const button = page.getByRole("button", { name: `Merkitse luotetuksi: ${orgName}` });
    await button.click();
    await page.getByRole("dialog").getByRole("button", { name: "Merkitse luotetuksi" }).click();
    await page.locator('.mod-results [role="status"]').waitFor();
    expect(await page.locator('.mod-results [role="status"]').innerText()).toContain(
      `${orgName} on nyt luotettu`,
    );
    expect(await row.innerText()).toContain("Luotettu");
    let me = await call(orgCtx, "GET", "/api/v1/me");
    expect(me.body.memberships[0].organisation.trusted).toBe(true);

    await page.getByRole("button", { name: `Poista luotettu-merkintä: ${orgName}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Poista luotettu-merkintä" }).click();
    await page.locator('.mod-results [role="status"]', { hasText: "ei ole enää luotettu" }).waitFor();
    expect(await row.innerText()).toContain("Ei luotettu");
    me = await call(orgCtx, "GET", "/api/v1/me");
    expect(me.body.memberships[0].organisation.trusted).toBe(false);
  });

  it("shows who did what and why in the log, filterable by action and event", async () => {
    await page.goto(`${site.url}/moderointi/loki`);
    const table = page.locator("#log-table");
    await table.waitFor();
    const text = await table.innerText();
    for (const expected of [
      "Hylkäsi",
      "Kaupallinen mainos, ei tapahtuma.",
      "Pyysi muutoksia",
      "Lisää luennoitsijan nimi",
      "Hyväksyi",
      T.approve,
      T.bulk1,
      "Merkitsi luotetuksi",
      "Poisti luotetun merkinnän",
      orgName,
      "Moderaattori (demo)",
    ]) {
      expect(text, expected).toContain(expected);
    }
    await page.selectOption("#log-action", "reject");
    await page.click(".mod-filters button[type=submit]");
    await page.waitForURL(/action=reject/);
    await table.waitFor();
    const actions = await page
      .locator("#log-table tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    expect(actions.length).toBeGreaterThanOrEqual(1);
    expect(new Set(actions)).toEqual(new Set(["reject"]));

    // From a review page to that event's log.
    await page.goto(`${site.url}/moderointi/tapahtumat/${ids.reject}`);
    await reviewReady(page);
    await page.getByRole("link", { name: "Näytä tapahtuman loki" }).click();
    await page.waitForURL(/event=/);
    await page.locator("#log-event-filter").waitFor();
    await page.locator("#log-table").waitFor();
    const rows = await page
      .locator("#log-table tbody tr")
      .evaluateAll((r) => r.map((x) => x.getAttribute("data-action")));
    expect(rows).toEqual(["reject", "submit"]);
  });

  it("takes screenshots of the log and the organisations at 1280 px and 390 px", async () => {
    await shots("log", "/moderointi/loki", (p) => p.locator("#log-table").waitFor());
    await shots("organisations", "/moderointi/organisaatiot", (p) => p.locator("#org-table").waitFor());
  });

  for (const lang of LANGS) {
    it(`has no serious or critical axe violations on the moderation pages in ${lang}`, async () => {
      const q = lang === "fi" ? "" : `?lang=${lang}`;
      const anon = await anonCtx.newPage();
      const cases: [string, Page, string, (p: Page) => Promise<unknown>][] = [
        ["queue", page, `/moderointi${q}`, queueReady],
        [
          "review with diff",
          page,
          `/moderointi/tapahtumat/${ids.edited}${q}`,
          (p) => p.locator("#diff-table").waitFor(),
        ],
        ["log", page, `/moderointi/loki${q}`, (p) => p.locator("#log-table").waitFor()],
        ["organisations", page, `/moderointi/organisaatiot${q}`, (p) => p.locator("#org-table").waitFor()],
        ["sign-in message", anon, `/moderointi${q}`, (p) => p.locator("#sign-in-link").waitFor()],
      ];
      const problems: string[] = [];
      const check = async (p: Page, name: string) => {
        const result = await new AxeBuilder({ page: p })
          .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
          .analyze();
        for (const v of result.violations) {
          if (v.impact === "serious" || v.impact === "critical") {
            problems.push(
              `${lang} ${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
                .map((n) => n.target.join(" "))
                .slice(0, 3)
                .join(" | ")}`,
            );
          }
        }
      };
      for (const [name, p, path, ready] of cases) {
        await p.goto(`${site.url}${path}`);
        await ready(p);
        expect(await p.evaluate(() => document.documentElement.lang), name).toBe(lang);
        await check(p, name);
      }
      await anon.close();
      expect(problems).toEqual([]);
      if (lang !== "fi") return;
      // With a validation error shown and with the confirmation dialog open.
      await page.goto(`${site.url}/moderointi/tapahtumat/${ids.edited}${q}`);
      await reviewReady(page);
      await page.click("#reject");
      await page.locator("#reject-form .field-error").waitFor();
      await check(page, "review with error");
      await page.goto(`${site.url}/moderointi/organisaatiot${q}`);
      await page.locator(`#trust-${orgId}`).click();
      await page.getByRole("dialog").waitFor();
      await check(page, "confirmation dialog");
      await page.keyboard.press("Escape");
      expect(problems).toEqual([]);
    });
  }
});
