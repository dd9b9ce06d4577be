/**
 * Shared page chrome: picks the UI language from ?lang, sets <html lang>, translates
 * every element marked data-i18n / data-i18n-label / data-i18n-placeholder, points the
 * language links at the current page in each language, and keeps ?lang on internal links.
 */

import { DEFAULT_LANG, type Lang, langFromSearch, MESSAGES, type Messages } from "./i18n.ts";

export interface PageLang {
  lang: Lang;
  t: Messages;
}

/** Adds ?lang to an internal path unless it is the default language. */
export function withLang(path: string, lang: Lang): string {
  if (lang === DEFAULT_LANG) return path;
  const url = new URL(path, location.origin);
  url.searchParams.set("lang", lang);
  return `${url.pathname}${url.search}${url.hash}`;
}

export function applyChrome(lang: Lang = langFromSearch(location.search)): PageLang {
  const t = MESSAGES[lang];
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
    const target = link.dataset.lang ?? DEFAULT_LANG;
    if (target === DEFAULT_LANG) url.searchParams.delete("lang");
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
