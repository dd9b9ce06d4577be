/**
 * Makes a built page shell (web/dist/*.html) the page of the municipality whose site the
 * request came to (#21), on Node and Workers alike:
 * - root-relative links, forms and scripts get the site's path prefix (`/<slug>`), except the
 *   shared hashed assets, so a site under a prefix never sends the browser to another site;
 * - `<html data-base>` and `<meta name="kk-site">` (the GET /api/v1/site descriptor) tell the
 *   front-end its base path, name, languages and look without another request;
 * - the header shows the site's name (or its logo, with the name as alt text), the language
 *   switcher only the site's languages, and a readable primary colour comes as a stylesheet
 *   (`/site.css`: the CSP allows no inline styles).
 */
import type { Context } from "hono";
import { CACHE, cacheControl } from "../cache/policy.ts";
import type { SiteDescriptor } from "../contract/api/site.ts";
import type { Locale } from "../contract/codes.ts";
import { darken } from "../contract/colour.ts";
import { siteDescriptor, siteLang } from "../domain/site.ts";
import type { AppEnv } from "../http/types.ts";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const esc = (v: string) => v.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** The request's site and UI language (the requested ?lang when the site offers it). */
export function requestSite(c: Context<AppEnv>): { site: SiteDescriptor; lang: Locale } {
  const ctx = c.get("ctx");
  const lang = siteLang(ctx, c.req.query("lang"));
  return { site: siteDescriptor(ctx, c.get("basePath") ?? "", lang), lang };
}

/** A path on the site: `/x` under the prefix. */
export function sitePath(base: string, path: string): string {
  return `${base}${path}`;
}

/** Rewrites a page shell for `site` in `lang` (see the module comment). */
export function siteShell(html: string, site: SiteDescriptor, lang: Locale): string {
  const base = site.base_path;
  let out = html;
  if (base) {
    // href="/x", src="/x", action="/x" → "/<slug>/x"; not "//host", not the shared /assets/.
    out = out.replace(
      /(\s(?:href|src|action)=")\/(?!\/|assets\/)/g,
      (_all, attr: string) => `${attr}${base}/`,
    );
  }
  const name = site.names[lang] ?? site.name;
  const logo = site.theme.logo_url;
  out = out.replace(/<a class="site-name"([^>]*)>[^<]*<\/a>/, (_all, attrs: string) =>
    logo
      ? `<a class="site-name site-name--logo"${attrs.replace(/\sdata-i18n="siteName"/, "")}><img class="site-logo" src="${esc(logo)}" alt="${esc(name)}" /></a>`
      : `<a class="site-name"${attrs}>${esc(name)}</a>`,
  );
  if (site.languages.length < 2) {
    out = out.replace(/\s*<nav class="lang-switch"[\s\S]*?<\/nav>/, "");
  } else {
    out = out.replace(/\s*<li><a [^>]*\bdata-lang="(\w+)"[^>]*>[^<]*<\/a><\/li>/g, (all, l: string) =>
      (site.languages as string[]).includes(l) ? all : "",
    );
  }
  const head = [
    `<meta name="kk-site" content="${esc(JSON.stringify(site))}" />`,
    ...(site.theme.primary_colour
      ? [`<link rel="stylesheet" href="${esc(base)}/site.css?c=${site.theme.primary_colour.slice(1)}" />`]
      : []),
  ].join("\n    ");
  out = out.replace(/<\/head>/, () => `  ${head}\n  </head>`);
  if (base) out = out.replace(/<html\b([^>]*)>/, (_all, attrs: string) => `<html${attrs} data-base="${esc(base)}">`);
  if (site.theme.primary_colour) {
    out = out.replace(
      /<meta name="theme-color" content="[^"]*"/,
      `<meta name="theme-color" content="${site.theme.primary_colour}"`,
    );
  }
  return out;
}

/** The stylesheet of a readable primary colour (the default palette when there is none). */
export function siteCss(primary: string | null): string {
  if (!primary) return "/* the default palette */\n";
  return [
    ":root {",
    `  --color-brand: ${primary};`,
    `  --color-brand-dark: ${darken(primary, 0.3)};`,
    `  --color-link: ${primary};`,
    "}",
    "",
  ].join("\n");
}

/** GET /site.css: the site's colours (linked from its pages when it has a primary colour). */
export function siteCssResponse(c: Context<AppEnv>): Response {
  const { site } = requestSite(c);
  c.header("Cache-Control", cacheControl(CACHE.site));
  c.header("Content-Type", "text/css; charset=utf-8");
  return c.body(siteCss(site.theme.primary_colour));
}
