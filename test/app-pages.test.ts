/**
 * The account, organiser and moderation pages (src/contract/pages.ts): each is served at its
 * clean URL from its shell with <html lang>, the title and the UI texts in the chosen
 * language, never cached by shared caches or indexed; token pages send no Referer; every
 * email link of the workflow API leads to one of them; Workers runs the app first for each.
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MUNICIPALITY_SLUG, RESERVED_SLUGS } from "../src/contract/municipality-slugs.ts";
import { APP_PAGES } from "../src/contract/pages.ts";
import { buildTestApp } from "./helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

const shellOf = (file: string, titleKey: string) =>
  `<!doctype html><html lang="fi"><head><title>x</title></head><body data-page="${file}"><h1 data-i18n="${titleKey}">x</h1></body></html>`;

let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  const shells = new Map(APP_PAGES.map((p) => [p.file, shellOf(p.file, p.titleKey)]));
  t = buildTestApp(database, { shell: async (file) => shells.get(file) ?? null });
});
afterAll(async () => database?.close());

const ID = "0b5e1a56-8f0e-4c49-9d0a-3f1f2a4b5c6d";
const concrete = (path: string) => path.replace(":id", ID);

describe("app pages", () => {
  it.each(APP_PAGES.map((p) => [p.path, p] as const))("serves %s in each language", async (_path, page) => {
    for (const [lang, siteName] of [
      ["fi", "Nurmijärven tapahtumakalenteri"],
      ["sv", "Nurmijärvi evenemangskalender"],
      ["en", "Nurmijärvi event calendar"],
    ] as const) {
      const res = await t.app.request(`${concrete(page.path)}${lang === "fi" ? "" : `?lang=${lang}`}`);
      expect(res.status, `${page.path} ${lang}`).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("x-robots-tag")).toBe("noindex");
      expect(res.headers.get("referrer-policy") === "no-referrer").toBe(page.token === true);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toContain(`data-page="${page.file}"`);
      const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
      const h1 = /<h1 data-i18n="\w+">([^<]*)<\/h1>/.exec(html)?.[1] ?? "";
      expect(h1).not.toBe("x");
      expect(title).toBe(`${h1} – ${siteName}`);
    }
  });

  it("answers a malformed id with the 404 page", async () => {
    const res = await t.app.request("/omat/tapahtumat/not-a-uuid");
    expect(res.status).toBe(404);
  });

  it("has a page for every link the workflow emails", async () => {
    const paths = new Set<string>();
    for (const file of [
      "accounts/accounts.ts",
      "organisations/organisations.ts",
      "organisations/invitations.ts",
      "workflow/submissions.ts",
      "notifications/notifications.ts",
    ]) {
      const text = await readFile(new URL(`../src/domain/${file}`, import.meta.url), "utf8");
      for (const m of text.matchAll(/path:[^`"]*[`"](\/[^`"?$]*)/g)) paths.add(m[1] as string);
    }
    expect(paths.size).toBeGreaterThanOrEqual(6);
    const routes = APP_PAGES.map((p) => new RegExp(`^${p.path.replace(":id", "[^/]+")}$`));
    for (const path of paths)
      expect(
        routes.some((r) => r.test(path.replace(/\/$/, "/x"))),
        path,
      ).toBe(true);
  });

  it("lets the Worker answer every route and page of every site before the static assets", async () => {
    // Cloudflare's rule (wrangler.toml `run_worker_first`): a path matching a "!" pattern is
    // answered by the assets layer, else one matching a pattern goes to the Worker; "*" is any
    // run of characters, "/" included.
    const toml = await readFile(new URL("../wrangler.toml", import.meta.url), "utf8");
    const list = /^run_worker_first = \[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
    const patterns = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    const glob = (p: string) =>
      new RegExp(
        `^${p
          .split("*")
          .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
          .join(".*")}$`,
      );
    const assetRules = patterns.filter((p) => p.startsWith("!")).map((p) => glob(p.slice(1)));
    const workerRules = patterns.filter((p) => !p.startsWith("!")).map(glob);
    const toWorker = (path: string) =>
      !assetRules.some((r) => r.test(path)) && workerRules.some((r) => r.test(path));
    // No configuration per municipality: every path of the app, unprefixed and under any
    // municipality's prefix, reaches the Worker.
    const routes = t.app.routes
      .map((r) => r.path)
      .filter((p) => p.startsWith("/"))
      .map((p) => p.replace(/:[^/]+/g, ID).replace(/\*/g, "x"));
    const paths = ["/", ...APP_PAGES.map((p) => concrete(p.path)), ...routes];
    expect(paths).toEqual(expect.arrayContaining(["/api/v1/events", "/feeds/events.ics", "/site.css"]));
    for (const path of paths) {
      expect(toWorker(path), path).toBe(true);
      for (const slug of ["hyvinkaa", "tuusula", "any-new-municipality"])
        expect(toWorker(`/${slug}${path === "/" ? "/" : path}`), `/${slug}${path}`).toBe(true);
    }
    // Under a prefix the shared files pass the Worker too (it strips the prefix).
    expect(toWorker("/hyvinkaa/assets/index-abc.js")).toBe(true);
    expect(toWorker("/hyvinkaa/embed.js")).toBe(true);
    // What skips the Worker is a shared static file: never a page shell (those carry the
    // site), and only under top-level names no municipality can take as its slug.
    expect(toWorker("/assets/index-abc.js")).toBe(false);
    for (const pattern of patterns.filter((p) => p.startsWith("!"))) {
      expect(pattern, "an assets-first rule").not.toMatch(/html/);
      const segment = /^!\/([^/*]+)/.exec(pattern)?.[1] ?? "";
      expect(MUNICIPALITY_SLUG.test(segment) ? RESERVED_SLUGS.includes(segment) : true, pattern).toBe(true);
    }
    const dist = fileURLToPath(new URL("../web/dist", import.meta.url));
    const files = existsSync(dist) ? readdirSync(dist, { recursive: true, encoding: "utf8" }) : [];
    for (const file of files.map((f) => `/${f.replaceAll("\\", "/")}`))
      if (file.endsWith(".html")) expect(toWorker(file.replace(/\.html$/, "")), file).toBe(true);
  });
});
