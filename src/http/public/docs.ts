/**
 * GET /api/docs: the interactive API reference (Swagger UI, served from the site's own
 * assets under the strict CSP) and the documentation of every problem type, which the
 * `type` URIs of problem responses point to (#problem-<slug>).
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import { siteName } from "../../domain/site.ts";
import { PROBLEM_TYPES } from "../problem.ts";
import type { AppEnv } from "../types.ts";

export function docsRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/api/docs", (c) => {
    const ctx = c.get("ctx");
    const site = siteName(ctx, "en");
    const base = c.get("basePath") ?? "";
    c.header("Cache-Control", cacheControl(CACHE.staticPage));
    return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>API – ${site}</title>
    <link rel="stylesheet" href="/api-docs/swagger-ui.css" />
    <script src="/api-docs/swagger-ui-bundle.js" defer></script>
    <script src="/api-docs/init.js" defer></script>
  </head>
  <body>
    <main>
      <h1>${site}: open data API</h1>
      <p>
        The machine-readable description is at <a href="${base}/api/v1/openapi.json">${base}/api/v1/openapi.json</a> (OpenAPI 3.1).
        Public event data is licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>; images carry
        their own licence. iCal feeds: <a href="${base}/feeds/events.ics">${base}/feeds/events.ics</a>.
      </p>
      <div id="swagger-ui" data-url="${base}/api/v1/openapi.json"></div>
      <section aria-labelledby="problems">
        <h2 id="problems">Problem types</h2>
        <p>Errors are RFC 9457 <code>application/problem+json</code> responses. Their <code>type</code> links here.</p>
        <dl>
          ${Object.entries(PROBLEM_TYPES).map(
            ([slug, p]) => html`<dt id="problem-${slug}"><code>${slug}</code> (${p.status})</dt>
              <dd>${p.title}. ${p.help}</dd>`,
          )}
        </dl>
      </section>
    </main>
  </body>
</html>`);
  });
  return app;
}
