/**
 * Shared page chrome: picks the UI language from ?lang, sets <html lang>, translates
 * every element marked data-i18n / data-i18n-label / data-i18n-placeholder, points the
 * language links at the current page in each language, and keeps ?lang on internal links.
 */

import { type Lang, MESSAGES, type Messages } from "../../../src/contract/i18n/resident.ts";
import { appPathname, SITE_DEFAULT_LANG, siteLang, siteNameIn, sitePath } from "./site.ts";

export interface PageLang {
  lang: Lang;
  t: Messages;
}

/** An internal path under the site's prefix, with ?lang unless it is the site's default language. */
export function withLang(path: string, lang: Lang): string {
  path = sitePath(path);
  if (lang === SITE_DEFAULT_LANG) return path;
  const url = new URL(path, location.origin);
  url.searchParams.set("lang", lang);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Sets the page language and translates the chrome. `extra` is an area's own dictionary
 * (src/contract/i18n/account.ts, …) for the data-i18n keys of its pages.
 */
export function applyChrome(
  requested: Lang | null = new URLSearchParams(location.search).get("lang") as Lang | null,
  extra?: Record<Lang, Record<string, unknown>>,
): PageLang {
  // A language the site does not offer falls back to its default one.
  const lang = siteLang(requested);
  const name = siteNameIn(lang);
  const t = {
    ...MESSAGES[lang],
    ...(extra ? extra[lang] : {}),
    ...(name ? { siteName: name } : {}),
  } as Messages;
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const value = t[el.dataset.i18n as keyof Messages];
    if (typeof value === "string") el.textContent = value;
  }
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n-label]")) {
    const value = t[el.dataset.i18nLabel as keyof Messages];
    if (typeof value === "string") el.setAttribute("aria-label", value);
  }
  for (const el of document.querySelectorAll<HTMLInputElement>("[data-i18n-placeholder]")) {
    const value = t[el.dataset.i18nPlaceholder as keyof Messages];
    if (typeof value === "string") el.placeholder = value;
  }
  updateLangLinks(lang);
  renderUserNav(lang);
  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[data-keep-lang]")) {
    const base = a.dataset.href ?? a.getAttribute("href") ?? "/";
    a.dataset.href = base;
    a.href = withLang(base, lang);
  }
  return { lang, t };
}

/** Language links lead to the current URL (with its filters) in that language. */
export function updateLangLinks(lang: Lang): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-lang]")) {
    const url = new URL(location.href);
    const target = link.dataset.lang ?? SITE_DEFAULT_LANG;
    if (target === SITE_DEFAULT_LANG) url.searchParams.delete("lang");
    else url.searchParams.set("lang", target);
    link.href = `${url.pathname}${url.search}`;
    if (target === lang) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

/** Marks a translated text with its language when the API fell back to another one. */
export function langAttr(text: { lang?: string } | null | undefined, lang: Lang): Record<string, string> {
  return text?.lang && text.lang !== lang ? { lang: text.lang } : {};
}

/**
 * What the header's user menu shows, remembered from the last sign-in so that every page can
 * draw the right links without asking the API (the session cookie itself is HttpOnly).
 * Pages that need a session still ask GET /api/v1/me, and clear this when it says 401.
 */
export interface SignedInHint {
  name: string;
  /** May moderate on this site (GET /me `here`). */
  moderator: boolean;
  /** Administers this site's municipality, or the region. */
  admin?: boolean;
}

const HINT_KEY = "kuntakalenteri.user";

export function signedInHint(): SignedInHint | null {
  try {
    const raw = localStorage.getItem(HINT_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<SignedInHint>;
    return typeof v.name === "string"
      ? { name: v.name, moderator: v.moderator === true, admin: v.admin === true }
      : null;
  } catch {
    return null;
  }
}

export function setSignedInHint(hint: SignedInHint | null): void {
  try {
    if (hint) localStorage.setItem(HINT_KEY, JSON.stringify(hint));
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // Storage may be disabled; the menu then shows the signed-out links.
  }
}

/** Fills <ul id="user-nav"> of the header: submit, and log in or the signed-in links. */
export function renderUserNav(lang: Lang): void {
  const list = document.getElementById("user-nav");
  if (!list) return;
  const t = MESSAGES[lang];
  const hint = signedInHint();
  const links: [string, string][] = [["/ilmoita", t.navSubmit]];
  if (hint) {
    links.push(["/omat", t.navMyEvents]);
    if (hint.moderator) links.push(["/moderointi", t.navModeration]);
    if (hint.admin) links.push(["/hallinta", t.navAdmin]);
    links.push(["/tili", t.navAccount]);
  } else {
    links.push(["/kirjaudu", t.navLogin]);
  }
  const here = appPathname();
  list.replaceChildren(
    ...links.map(([path, label]) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = withLang(path, lang);
      a.textContent = label;
      if (here === path || (path !== "/" && here.startsWith(`${path}/`)))
        a.setAttribute("aria-current", "page");
      li.appendChild(a);
      return li;
    }),
  );
}
