/**
 * Municipality slugs. A slug is also the path prefix of the municipality's site
 * (`/<slug>/…`, src/http/tenant.ts), so it must never be a top-level path the app itself
 * serves: the API, feeds, pages, static files. test/municipality-slugs.test.ts derives every
 * top-level path from the app's routes, the page list and the built front-end and checks
 * that this list covers them.
 */

/** Lower-case letters, digits and dashes, starting with a letter or digit; 2–40 characters. */
export const MUNICIPALITY_SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;

export const RESERVED_SLUGS: readonly string[] = [
  // API, documentation, feeds, health and metrics
  "api",
  "api-docs",
  "docs",
  "feeds",
  "healthz",
  "readyz",
  "metrics",
  "openapi",
  // Pages (src/contract/pages.ts, src/pages/event-page.ts)
  "tapahtumat",
  "saavutettavuus",
  "kirjaudu",
  "rekisteroidy",
  "tili",
  "ilmoita",
  "omat",
  "moderointi",
  "hallinta",
  "admin",
  // Static files and embedding (web/dist)
  "assets",
  "static",
  "embed",
  "media",
  "favicon",
  "robots",
  "sitemap",
  "index",
  "event",
  "404",
  // Language codes, kept free for language prefixes
  "fi",
  "sv",
  "en",
];

const reserved = new Set(RESERVED_SLUGS);

/** Why `slug` cannot name a municipality, or null when it can. */
export function slugProblem(slug: string): string | null {
  if (!MUNICIPALITY_SLUG.test(slug)) {
    return "must be 2–40 lower-case letters, digits and dashes, starting with a letter or digit";
  }
  if (reserved.has(slug)) return "is reserved: the site already serves this path";
  return null;
}
