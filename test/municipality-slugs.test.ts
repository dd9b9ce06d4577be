/**
 * A municipality's slug is its path prefix (/<slug>/…), so it must never be a top-level path
 * the app serves. The reserved list (src/contract/municipality-slugs.ts) is checked against
 * every top-level segment the app's routes, its pages and the built front-end use: a new
 * route, page or static folder whose name is not reserved fails here.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { MUNICIPALITY_SLUG, RESERVED_SLUGS, slugProblem } from "../src/contract/municipality-slugs.ts";
import { APP_PAGES } from "../src/contract/pages.ts";
import type { Db } from "../src/db/client.ts";
import { createOutbox } from "../src/domain/notifications/outbox.ts";
import { createMemoryLogger } from "../src/logger.ts";
import { fixedClock, testConfig } from "./helpers/app.ts";

const firstSegment = (path: string) => /^\/([^/:*?]+)/.exec(path)?.[1] ?? null;

/** Every first path segment the app answers (its routes, pages and the built front-end). */
function servedSegments(): Set<string> {
  const logger = createMemoryLogger();
  const app = createApp({
    // The routes are only listed, never called: no database is needed.
    db: {} as Db,
    config: testConfig(),
    clock: fixedClock("2026-06-01T09:00:00Z"),
    logger,
    outbox: createOutbox({ send: async () => {} }, logger),
    shell: async () => null,
  });
  const out = new Set<string>();
  for (const r of app.routes) {
    const s = firstSegment(r.path);
    if (s) out.add(s);
  }
  for (const p of APP_PAGES) out.add(firstSegment(p.path) as string);
  for (const dir of ["../web/public", "../web/dist"]) {
    let names: string[] = [];
    try {
      names = readdirSync(fileURLToPath(new URL(dir, import.meta.url)));
    } catch {
      continue; // web/dist is there after `npm run build:web`
    }
    // A file with an extension (/embed.js, /tili.html) cannot be a slug (the static files are
    // served by their exact names); a folder or a bare name (/assets/…) could.
    for (const name of names) if (!name.includes(".")) out.add(name);
  }
  return out;
}

describe("municipality slugs", () => {
  it("reserve every top-level path the app serves that could be a slug", () => {
    const served = [...servedSegments()].filter((s) => MUNICIPALITY_SLUG.test(s));
    expect(served).toEqual(
      expect.arrayContaining(["api", "feeds", "healthz", "tapahtumat", "hallinta", "assets"]),
    );
    const uncovered = served.filter((s) => !RESERVED_SLUGS.includes(s));
    expect(uncovered).toEqual([]);
  });

  it("refuses reserved, malformed and over-long slugs, and accepts a municipality's name", () => {
    for (const slug of ["api", "moderointi", "Nurmijarvi", "-a", "a", "a_b", "x".repeat(41)]) {
      expect(slugProblem(slug), slug).not.toBeNull();
    }
    for (const slug of ["nurmijarvi", "hyvinkaa", "default", "ii", "mantsala-2"]) {
      expect(slugProblem(slug), slug).toBeNull();
    }
  });
});
