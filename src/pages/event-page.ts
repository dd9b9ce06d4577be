/**
 * Server-rendered pages of the front-end: the event page /tapahtumat/{id} and the
 * accessibility statement /saavutettavuus. The static shells come from the built
 * front-end (web/dist) through the injected `shell` dependency; this module fills in
 * what must work without JavaScript — <html lang>, <title>, Open Graph tags, schema.org
 * JSON-LD, and the event's title, time and place — so search engines and link previews
 * see the event. Unknown or unpublished events get the 404 page with status 404.
 * Runtime-neutral: no node:*, the same on Node and Workers.
 */
import { type Context, Hono } from "hono";
import { CACHE, cacheControl } from "../cache/policy.ts";
import type { SiteDescriptor } from "../contract/api/site.ts";
import { LOCALES, type Locale, UUID_RE } from "../contract/codes.ts";
import { formatEventTime } from "../contract/format.ts";
import { ACCOUNT_MESSAGES } from "../contract/i18n/account.ts";
import { ADMIN_MESSAGES } from "../contract/i18n/admin.ts";
import { MODERATION_MESSAGES } from "../contract/i18n/moderation.ts";
import { ORGANISER_MESSAGES } from "../contract/i18n/organiser.ts";
import { MESSAGES, statusBanner } from "../contract/i18n/resident.ts";
import { APP_PAGES } from "../contract/pages.ts";
import { NotFound } from "../domain/errors.ts";
import { getPublicEvent, type PublicEvent } from "../domain/events/detail.ts";
import { eventJsonLd } from "../domain/events/jsonld.ts";
import type { AppEnv } from "../http/types.ts";
import { requestSite, siteCssResponse, siteShell } from "./site-shell.ts";

/** Reads a file of the built front-end ("event.html"); null when it does not exist. */
export type ShellLoader = (file: string) => Promise<string | null>;

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * JSON for a <script type="application/ld+json"> block: `<`, `>` and `&` are written as
 * \u escapes (still the same JSON), so "</script>" in a title cannot end the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Translates the shell's UI texts on the server, as the front-end's script does in the
 * browser: elements marked data-i18n="key" (text only) and data-i18n-label="key"
 * (aria-label), so a page without JavaScript is in one language throughout.
 */
function translateShell(html: string, lang: Locale): string {
  const t = uiText(lang);
  const text = (key: string) => (typeof t[key] === "string" ? (t[key] as string) : null);
  return html
    .replace(/(<(\w+)\b[^>]*\sdata-i18n="(\w+)"[^>]*>)[^<]*(<\/\2>)/g, (all, open, _tag, key, close) => {
      const value = text(key);
      return value === null ? all : `${open}${escapeHtml(value)}${close}`;
    })
    .replace(/aria-label="[^"]*"(\s+data-i18n-label="(\w+)")/g, (all, rest, key) => {
      const value = text(key);
      return value === null ? all : `aria-label="${escapeHtml(value)}"${rest}`;
    });
}

/** Every UI text of the front-end in one language: the resident pages and the app areas (merged once). */
const UI_TEXT = Object.fromEntries(
  LOCALES.map((lang) => [
    lang,
    {
      ...MESSAGES[lang],
      ...ACCOUNT_MESSAGES[lang],
      ...ORGANISER_MESSAGES[lang],
      ...MODERATION_MESSAGES[lang],
      ...ADMIN_MESSAGES[lang],
    },
  ]),
) as Partial<Record<Locale, Record<string, unknown>>>;

function uiText(lang: Locale): Record<string, unknown> {
  return UI_TEXT[lang] ?? {};
}

/**
 * Sets <html lang> and <title>, translates the UI texts, fills the <!--ssr:…--> markers of a
 * shell, and makes it the page of the request's site (src/pages/site-shell.ts).
 */
function fill(
  site: SiteDescriptor,
  shell: string,
  lang: Locale,
  title: string,
  parts: Record<string, string>,
): string {
  let html = translateShell(shell, lang)
    .replace(/<html lang="[^"]*"/, `<html lang="${lang}"`)
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(title)}</title>`);
  for (const [name, markup] of Object.entries(parts)) {
    // A function replacement, so "$&" or "$1" in event text is not interpreted.
    html = html.replace(`<!--ssr:${name}-->`, () => markup);
  }
  return siteShell(html, site, lang);
}

const placeLine = (e: PublicEvent): string =>
  e.place
    ? [
        e.place.name.text,
        e.place.street_address,
        [e.place.postal_code, e.place.locality ?? e.place.municipality].filter(Boolean).join(" "),
      ]
        .filter((x) => x && x.trim() !== "")
        .join(", ")
    : "";

function eventHead(e: PublicEvent, lang: Locale, site: SiteDescriptor, when: string): string {
  const siteName = site.names[lang] ?? site.name;
  const description = [when, placeLine(e), e.short_description?.text].filter(Boolean).join(" · ");
  const meta = (property: string, content: string) =>
    `<meta property="${property}" content="${escapeHtml(content)}" />`;
  const ogLocale = { fi: "fi_FI", sv: "sv_FI", en: "en_GB" }[lang];
  return [
    `<meta name="description" content="${escapeHtml(description)}" />`,
    `<link rel="canonical" href="${escapeHtml(e.url)}" />`,
    // The same page in the site's other languages (only those it offers).
    ...(site.languages.length > 1
      ? site.languages.map((l) => {
          const href = l === site.default_locale ? e.url : `${e.url}?lang=${l}`;
          return `<link rel="alternate" hreflang="${l}" href="${escapeHtml(href)}" />`;
        })
      : []),
    meta("og:type", "website"),
    meta("og:site_name", siteName),
    meta("og:title", e.title.text),
    meta("og:description", description),
    meta("og:url", e.url),
    meta("og:locale", ogLocale),
    ...(e.image ? [meta("og:image", e.image.url)] : []),
    ...(e.image?.alt ? [meta("og:image:alt", e.image.alt.text)] : []),
    `<meta name="twitter:card" content="${e.image ? "summary_large_image" : "summary"}" />`,
    `<link rel="alternate" type="text/calendar" href="${escapeHtml(e.ical_url)}" />`,
    `<script type="application/ld+json">${jsonForScript(eventJsonLd(e, lang))}</script>`,
  ].join("\n    ");
}

/** The no-JS content of the event page; the front-end script re-renders it with every detail. */
function eventMain(e: PublicEvent, lang: Locale, when: string): string {
  const t = MESSAGES[lang];
  const langAttr = (l: string) => (l !== lang ? ` lang="${escapeHtml(l)}"` : "");
  const banner = statusBanner(e.event_status, t);
  return [
    `<article class="event-page" data-ssr="1">`,
    banner
      ? `<p class="status-banner status-banner--${e.event_status}" role="status"><strong>${escapeHtml(banner)}</strong></p>`
      : "",
    `<h1 id="event-title"${langAttr(e.title.lang)}>${escapeHtml(e.title.text)}</h1>`,
    `<dl class="event-facts">`,
    `<div><dt>${escapeHtml(t.timeLabel)}</dt><dd><time datetime="${escapeHtml(e.start)}">${escapeHtml(when)}</time></dd></div>`,
    e.place
      ? `<div><dt>${escapeHtml(t.placeLabel)}</dt><dd${langAttr(e.place.name.lang)}>${escapeHtml(placeLine(e))}</dd></div>`
      : "",
    // A neighbour's event says whose it is (its canonical page is on that municipality's site).
    e.municipality.own_site
      ? ""
      : `<div><dt>${escapeHtml(t.municipalityLabel)}</dt><dd${langAttr(e.municipality.name.lang)}>${escapeHtml(e.municipality.name.text)}</dd></div>`,
    `</dl>`,
    e.short_description
      ? `<p class="event-page__lead"${langAttr(e.short_description.lang)}>${escapeHtml(e.short_description.text)}</p>`
      : "",
    `<p><a href="${escapeHtml(`/feeds/events/${e.id}.ics`)}">${escapeHtml(t.downloadIcs)}</a></p>`,
    `</article>`,
  ]
    .filter(Boolean)
    .join("\n");
}

export function pageRoutes(shell: ShellLoader) {
  const app = new Hono<AppEnv>();

  const notFound = async (c: Context<AppEnv>) => {
    const { site, lang } = requestSite(c);
    const page = await shell("404.html");
    c.header("Cache-Control", cacheControl(CACHE.revalidate));
    if (!page) return c.text("Not found", 404);
    return c.html(fill(site, page, lang, `${MESSAGES[lang].notFoundTitle} – ${site.name}`, {}), 404);
  };

  app.get("/site.css", (c) => siteCssResponse(c));

  app.get("/tapahtumat/:id", async (c) => {
    const ctx = c.get("ctx");
    const { site, lang } = requestSite(c);
    const id = c.req.param("id");
    if (!UUID_RE.test(id)) return notFound(c);
    let event: PublicEvent;
    try {
      event = await getPublicEvent(ctx, id.toLowerCase(), lang);
    } catch (err) {
      if (err instanceof NotFound) return notFound(c);
      throw err;
    }
    const page = await shell("event.html");
    if (!page) return c.notFound();
    const t = MESSAGES[lang];
    const when = formatEventTime(event, lang, t);
    c.header("Cache-Control", cacheControl(CACHE.eventPage));
    return c.html(
      fill(site, page, lang, `${event.title.text} – ${site.name}`, {
        head: eventHead(event, lang, site, when),
        main: eventMain(event, lang, when),
      }),
    );
  });

  app.get("/saavutettavuus", async (c) => {
    const { site, lang } = requestSite(c);
    const page = await shell("saavutettavuus.html");
    if (!page) return c.notFound();
    c.header("Cache-Control", cacheControl(CACHE.staticPage));
    return c.html(fill(site, page, lang, `${MESSAGES[lang].navAccessibility} – ${site.name}`, {}));
  });

  // The account, organiser and moderation pages: static shells whose data the page script
  // loads from the API with the visitor's session. Never cached by shared caches, never indexed.
  for (const page of APP_PAGES) {
    app.get(page.path, async (c) => {
      const { site, lang } = requestSite(c);
      const id = c.req.param("id");
      if (id !== undefined && !UUID_RE.test(id)) return notFound(c);
      const html = await shell(page.file);
      if (!html) return c.notFound();
      const t = uiText(lang);
      c.header("Cache-Control", cacheControl(CACHE.revalidate));
      c.header("X-Robots-Tag", "noindex");
      // A token in the URL must not leak to other sites through the Referer header.
      if (page.token) c.set("referrerPolicy", "no-referrer");
      return c.html(fill(site, html, lang, `${String(t[page.titleKey] ?? "")} – ${site.name}`, {}));
    });
  }

  return app;
}
