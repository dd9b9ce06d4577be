/**
 * The municipality's site this page belongs to (#21), as the server put it into the page:
 * `<html data-base="/<slug>">` and `<meta name="kk-site">` (the GET /api/v1/site descriptor).
 * Every URL of our own the front-end builds goes through `sitePath`, so a site served under a
 * path prefix keeps its API calls, feed links and in-app links under that prefix.
 */
import type { SiteDescriptor } from "../../../src/contract/api/site.ts";
import { DEFAULT_LANG, isLang, type Lang } from "../../../src/contract/i18n/resident.ts";

function readSite(): SiteDescriptor | null {
  // Unit tests import the browser modules under Node, where there is no document.
  if (typeof document === "undefined") return null;
  try {
    const raw = document.querySelector<HTMLMetaElement>('meta[name="kk-site"]')?.content;
    return raw ? (JSON.parse(raw) as SiteDescriptor) : null;
  } catch {
    return null;
  }
}

/** The descriptor, or null on a page the server did not fill (the dictionaries' defaults then). */
export const SITE: SiteDescriptor | null = readSite();

/** The path prefix of this site ("" or "/<slug>"). */
export const BASE_PATH: string =
  SITE?.base_path ?? (typeof document === "undefined" ? "" : document.documentElement.dataset.base) ?? "";

/** The site's default UI language: a page URL without ?lang is in it. */
export const SITE_DEFAULT_LANG: Lang =
  SITE && isLang(SITE.default_locale) ? SITE.default_locale : DEFAULT_LANG;

/** The languages the site offers. */
export const SITE_LANGS: readonly Lang[] = (SITE?.languages ?? ["fi", "sv", "en"]).filter(isLang);

/** `lang` if the site offers it, else the site's default language. */
export function siteLang(lang: string | null | undefined): Lang {
  return isLang(lang) && SITE_LANGS.includes(lang) ? lang : SITE_DEFAULT_LANG;
}

/** The site's name in `lang`, or null (use the dictionary's) on an unfilled page. */
export function siteNameIn(lang: Lang): string | null {
  return SITE ? (SITE.names[lang] ?? SITE.name) : null;
}

/**
 * A root-relative path of this site ("/api/v1/events", "/tapahtumat/…") under its prefix.
 * Absolute URLs, "?…" and "#…" are left alone, and so is a path already under the prefix.
 */
export function sitePath(path: string): string {
  if (!BASE_PATH || !path.startsWith("/") || path.startsWith("//")) return path;
  if (path === BASE_PATH || path.startsWith(`${BASE_PATH}/`) || path.startsWith(`${BASE_PATH}?`)) return path;
  return `${BASE_PATH}${path}`;
}

/** This page's path without the site's prefix ("/b/tapahtumat/x" → "/tapahtumat/x"). */
export function appPathname(pathname: string = location.pathname): string {
  if (BASE_PATH && (pathname === BASE_PATH || pathname.startsWith(`${BASE_PATH}/`))) {
    return pathname.slice(BASE_PATH.length) || "/";
  }
  return pathname;
}
