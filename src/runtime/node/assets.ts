/**
 * Serves the built front-end (web/dist) on Node. Files are served as they are; a GET
 * for a page path without a file or a route (e.g. /no-such-page) gets the 404 page
 * with status 404. Paths cannot leave web/dist. `nodeShell` reads page shells for the
 * server-rendered pages (src/pages/event-page.ts) once and keeps them in memory.
 */
import { readFile } from "node:fs/promises";
import { serveStatic } from "@hono/node-server/serve-static";
import type { MiddlewareHandler } from "hono";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import type { AppEnv } from "../../http/types.ts";
import type { ShellLoader } from "../../pages/event-page.ts";
import { requestSite, siteShell } from "../../pages/site-shell.ts";

/** Page shells of web/dist by file name, read once (the build does not change while serving). */
export function nodeShell(root: string): ShellLoader {
  const cache = new Map<string, Promise<string | null>>();
  return (file) => {
    if (!/^[\w-]+\.html$/.test(file)) return Promise.resolve(null);
    let text = cache.get(file);
    if (!text) {
      text = readFile(`${root}/${file}`, "utf8").catch(() => null);
      cache.set(file, text);
    }
    return text;
  };
}

/** The embed script and its chunks are loaded as modules from other sites' pages: allow CORS. */
const CROSS_ORIGIN = /^\/(embed\.js$|assets\/)/;

export function nodeAssets(root: string, shell: ShellLoader = nodeShell(root)): MiddlewareHandler<AppEnv> {
  const files = serveStatic({
    root,
    onFound: (path, c) => {
      // Hashed build assets never change; the HTML shell and embed.js are revalidated.
      c.header("Cache-Control", cacheControl(path.includes("/assets/") ? CACHE.hashedAsset : CACHE.shell));
      if (CROSS_ORIGIN.test(new URL(c.req.url).pathname)) c.header("Access-Control-Allow-Origin", "*");
    },
  });
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const path = new URL(c.req.url).pathname;
    if (path.startsWith("/api/") || path.startsWith("/feeds/")) return next();
    // HTML pages become the page of the request's site (name, languages, look, path prefix).
    const htmlFile = path === "/" ? "index.html" : /^\/[\w-]+\.html$/.test(path) ? path.slice(1) : null;
    const html = htmlFile && htmlFile !== "404.html" ? await shell(htmlFile) : null;
    if (html !== null) {
      const { site, lang } = requestSite(c);
      c.header("Cache-Control", cacheControl(CACHE.shell));
      return c.html(siteShell(html, site, lang));
    }
    const file = await files(c, async () => {});
    if (file) return file;
    const accept = c.req.header("accept") ?? "";
    const isPage = !/\.[a-z0-9]{1,8}$/i.test(path) && accept.includes("text/html");
    if (!isPage) return next();
    const page = await shell("404.html");
    if (!page) return next();
    c.header("Cache-Control", cacheControl(CACHE.revalidate));
    const { site, lang } = requestSite(c);
    return c.html(siteShell(page, site, lang), 404);
  };
}
