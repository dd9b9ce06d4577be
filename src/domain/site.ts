/**
 * A municipality's own site (#21): its base URL, its name in the resident's language, the
 * languages it offers and its look, read from the tenant resolved for the request. Every
 * link (lists, feeds, pages, JSON-LD, mail) and every site name goes through these.
 *
 * The name rule: the municipality's name in the requested language, else in its default
 * locale, else fi → sv → en. SITE_NAME (config) is used only while the municipality is the
 * default one (migration 0008's) and still has its placeholder name {"fi":"Kuntakalenteri"}
 * (tenant.unedited), so an installation upgraded from a single-site release keeps its name —
 * also after it adds a second municipality — until someone edits the municipality (the shipped default SITE_NAME,
 * the Finnish dictionary's name, reads as the dictionary's name in sv and en, as the pages
 * always did). Such an unedited site also
 * keeps offering fi, sv and en with DEFAULT_LOCALE as its default, as it did before.
 */

import type { Config } from "../config.ts";
import type { SiteDescriptor } from "../contract/api/site.ts";
import { LOCALES, type Locale } from "../contract/codes.ts";
import { readableWithWhite } from "../contract/colour.ts";
import { MESSAGES } from "../contract/i18n/resident.ts";
import type { Tenant } from "./context.ts";

type SiteCtx = {
  tenant?: Tenant | undefined;
  config: Pick<Config, "publicUrl" | "siteName" | "defaultLocale">;
};

/** The base URL links start with: the request's site (tenant.baseUrl), else PUBLIC_URL. */
export function siteUrl(ctx: SiteCtx): string {
  return ctx.tenant?.baseUrl ?? ctx.tenant?.publicUrl ?? ctx.config.publicUrl;
}

const isLocale = (l: string | null | undefined): l is Locale =>
  (LOCALES as readonly string[]).includes(l ?? "");

/** The languages the site offers, in the order stored (at least one). */
export function siteLanguages(
  tenant: Pick<Tenant, "languages" | "defaultLocale" | "unedited"> | undefined,
): Locale[] {
  if (!tenant || tenant.unedited) return [...LOCALES];
  const langs = (tenant?.languages ?? []).filter(isLocale);
  if (langs.length > 0) return langs;
  return [isLocale(tenant?.defaultLocale) ? tenant.defaultLocale : "fi"];
}

/** The site's default locale (one of its languages). */
export function siteDefaultLocale(ctx: SiteCtx): Locale {
  const langs = siteLanguages(ctx.tenant);
  const wanted = ctx.tenant && !ctx.tenant.unedited ? ctx.tenant.defaultLocale : ctx.config.defaultLocale;
  return isLocale(wanted) && langs.includes(wanted) ? wanted : (langs[0] as Locale);
}

/** The UI language of a page: the requested one when the site offers it, else its default. */
export function siteLang(ctx: SiteCtx, requested: string | null | undefined): Locale {
  if (isLocale(requested) && siteLanguages(ctx.tenant).includes(requested)) return requested;
  return siteDefaultLocale(ctx);
}

/** The site's name in `lang` (see the rule above). */
export function siteName(ctx: SiteCtx, lang: string): string {
  const tenant = ctx.tenant;
  if (!tenant || tenant.unedited) {
    // The shipped SITE_NAME (the Finnish dictionary's) reads in the dictionary's language.
    const shipped = ctx.config.siteName === MESSAGES.fi.siteName && isLocale(lang);
    return shipped ? MESSAGES[lang].siteName : ctx.config.siteName;
  }
  const name = tenant.name ?? {};
  const order = [lang, tenant.defaultLocale, ...LOCALES];
  for (const l of order) {
    const text = isLocale(l) ? name[l]?.trim() : undefined;
    if (text) return text;
  }
  return ctx.config.siteName;
}

/** The look as the pages use it: a logo URL (https or site-relative) and a readable primary colour. */
export interface SiteTheme {
  logo_url: string | null;
  /** `#rrggbb` with at least 4.5:1 against white, or null for the default palette. */
  primary: string | null;
}

/**
 * The stored theme, made safe on read: a primary colour that is not `#rrggbb` or fails 4.5:1
 * against white text is dropped (the default palette stays), and a logo must be an https URL
 * or a path on the site.
 */
export function siteTheme(tenant: Pick<Tenant, "theme"> | undefined): SiteTheme {
  const theme = tenant?.theme ?? {};
  const colour = theme.colours?.primary;
  const logo = typeof theme.logo_url === "string" ? theme.logo_url.trim() : "";
  const safeLogo = /^https:\/\/[^\s"'<>]+$/i.test(logo) || /^\/(?!\/)[^\s"'<>]*$/.test(logo) ? logo : null;
  return {
    logo_url: safeLogo,
    primary: typeof colour === "string" && readableWithWhite(colour) ? colour.toLowerCase() : null,
  };
}

/** The public descriptor of the request's site (GET /api/v1/site and the pages' <meta name="kk-site">). */
export function siteDescriptor(
  ctx: SiteCtx & { tenant: Tenant },
  basePath: string,
  lang: string | null | undefined,
): SiteDescriptor {
  const languages = siteLanguages(ctx.tenant);
  const names: Partial<Record<Locale, string>> = {};
  for (const l of languages) names[l] = siteName(ctx, l);
  const theme = siteTheme(ctx.tenant);
  return {
    slug: ctx.tenant.slug,
    name: siteName(ctx, siteLang(ctx, lang)),
    names,
    languages,
    default_locale: siteDefaultLocale(ctx),
    theme: { logo_url: theme.logo_url, primary_colour: theme.primary },
    base_url: siteUrl(ctx),
    base_path: basePath,
  };
}
