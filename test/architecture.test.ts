/**
 * The app and domain stay runtime-neutral so that the same code runs on Node and on
 * Workers: only src/runtime/node/ (the Node entry and what only it uses) and src/scripts/
 * may import node:* modules; only the scripts (and tests) import src/runtime from outside it.
 *
 * Imports read in one direction (docs/architecture.md, #14): src/contract imports nothing of
 * ours, src/db only src/contract, src/domain nothing above it, src/ never web/, and web/ only
 * src/contract (plus a shrinking allow-list); inside web/src, lib/ serves the page folders
 * (resident/, account/, organiser/, moderation/, embed/), which do not import one another.
 */
import { readdir, readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));
/** The folders whose files may import node:* (and read process.env). */
const NODE_ONLY = ["src/runtime/node", "src/scripts"];

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

describe("runtime neutrality", () => {
  it("imports no node:* module outside src/runtime/node/ and src/scripts/", async () => {
    const nodeOnly = (file: string) => NODE_ONLY.some((folder) => under(file, folder));
    const offenders = (await importsUnder(SRC))
      .filter((i) => !nodeOnly(i.file) && !i.ours && isBuiltin(i.spec))
      .map(show);
    for (const path of await sourceFiles(SRC)) {
      const file = relative(ROOT, path).replaceAll("\\", "/");
      if (nodeOnly(file) || file === "src/config.ts") continue;
      if (/\bprocess\.env\b/.test(await readFile(path, "utf8"))) offenders.push(`${file} reads process.env`);
    }
    expect(offenders).toEqual([]);
  });

  it("src/runtime/worker imports no Node built-in and nothing from src/runtime/node", async () => {
    const offenders = (await importsUnder(join(SRC, "runtime/worker")))
      .filter((i) => (i.ours ? under(i.target, "src/runtime/node") : isBuiltin(i.spec)))
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("nothing outside src/runtime imports it, except src/scripts", async () => {
    const offenders = (await importsUnder(SRC))
      .filter((i) => !under(i.file, "src/runtime") && !under(i.file, "src/scripts"))
      .filter((i) => i.ours && under(i.target, "src/runtime"))
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("keeps createApp free of environment access", async () => {
    const app = await readFile(join(SRC, "app.ts"), "utf8");
    expect(app).not.toMatch(/process\.env|from\s+["']node:/);
  });
});

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEB = join(ROOT, "web");

/** One import of one file: `target` is the repository path of a relative import, else the bare specifier. */
interface Import {
  file: string;
  spec: string;
  target: string;
  ours: boolean;
}

/**
 * Every import of every .ts file below `dir` (static, `export … from`, `import type`, dynamic
 * `import()`), parsed by TypeScript rather than matched by a regular expression, with relative
 * specifiers resolved to paths from the repository root ("src/contract/codes.ts").
 */
async function importsUnder(dir: string): Promise<Import[]> {
  const out: Import[] = [];
  for (const path of await sourceFiles(dir)) {
    if (path.startsWith(join(WEB, "dist"))) continue;
    const file = relative(ROOT, path).replaceAll("\\", "/");
    const { importedFiles } = ts.preProcessFile(await readFile(path, "utf8"), true, true);
    for (const { fileName: spec } of importedFiles) {
      const ours = spec.startsWith(".");
      const target = ours ? relative(ROOT, resolve(dirname(path), spec)).replaceAll("\\", "/") : spec;
      out.push({ file, spec, target, ours });
    }
  }
  return out;
}

const show = (i: Import) => `${i.file} imports ${i.spec}`;
/** The npm package of a bare specifier: "drizzle-orm/pg-core" → "drizzle-orm", "@a/b/c" → "@a/b". */
const packageOf = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");
const under = (target: string, folder: string) => target.startsWith(`${folder}/`);

/**
 * Today's imports of server modules by the browser, beyond src/contract: the API types and
 * schemas that step 2 of #14 (API schemas into src/contract) moves, emptying this list.
 * Keys are "importing file -> imported file"; anything else outside src/contract fails.
 */
const WEB_TO_SERVER_ALLOWED = new Set([
  "web/src/lib/api.ts -> src/domain/events/detail.ts", // type PublicEvent
  "web/src/lib/api-client.ts -> src/domain/accounts/accounts.ts", // type describeMe (the /auth/me answer)
  "web/src/organiser/event-form/kit.ts -> src/domain/events/input.ts", // type EventInput
]);

/** The npm packages src/db may import (with their subpaths): the ORM and the two drivers; no node:*. */
const DB_PACKAGES = new Set(["drizzle-orm", "postgres", "@electric-sql/pglite"]);

/** What src/domain must never import: the layers above it (folders, and today's files at src/). */
const ABOVE_DOMAIN = [/^src\/(http|feeds|pages|cache|runtime)\//, /^src\/cache[^/]*\.ts$/, /^src\/app\.ts$/];

describe("import direction", () => {
  it("src/contract imports nothing of ours outside it, no node:* and no npm package but zod", async () => {
    const offenders = (await importsUnder(join(SRC, "contract")))
      .filter((i) => (i.ours ? !under(i.target, "src/contract") : packageOf(i.spec) !== "zod"))
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("src/db imports of ours only src/contract, and of npm only drizzle-orm, postgres and PGlite", async () => {
    const offenders = (await importsUnder(join(SRC, "db")))
      .filter((i) =>
        i.ours
          ? !under(i.target, "src/db") && !under(i.target, "src/contract")
          : !DB_PACKAGES.has(packageOf(i.spec)),
      )
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("src/domain never imports http, feeds, pages, cache, runtime, the app or the entries", async () => {
    const offenders = (await importsUnder(join(SRC, "domain")))
      .filter((i) => i.ours && ABOVE_DOMAIN.some((re) => re.test(i.target)))
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("src/cache and src/feeds import no route module, page, entry or the app (only http/types.ts)", async () => {
    const offenders = [
      ...(await importsUnder(join(SRC, "cache"))),
      ...(await importsUnder(join(SRC, "feeds"))),
    ]
      .filter((i) => i.ours)
      .filter(
        (i) =>
          (under(i.target, "src/http") && i.target !== "src/http/types.ts") ||
          /^src\/(pages|runtime)\//.test(i.target) ||
          i.target === "src/app.ts" ||
          (under(i.file, "src/cache") && under(i.target, "src/feeds")),
      )
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("src/pages imports no route module, entry or the app", async () => {
    const offenders = (await importsUnder(join(SRC, "pages")))
      .filter((i) => i.ours)
      .filter(
        (i) =>
          (under(i.target, "src/http") && i.target !== "src/http/types.ts") ||
          under(i.target, "src/runtime") ||
          i.target === "src/app.ts",
      )
      .map(show);
    expect(offenders).toEqual([]);
  });

  it("nothing under src/ imports web/", async () => {
    const offenders = (await importsUnder(SRC)).filter((i) => i.ours && under(i.target, "web")).map(show);
    expect(offenders).toEqual([]);
  });

  it("web/ imports of src/ only src/contract, apart from the allow-list", async () => {
    const imports = (await importsUnder(WEB)).filter((i) => i.ours && under(i.target, "src"));
    const offenders = imports
      .filter((i) => !under(i.target, "src/contract"))
      .filter((i) => !WEB_TO_SERVER_ALLOWED.has(`${i.file} -> ${i.target}`))
      .map(show);
    expect(offenders).toEqual([]);
    // An entry that no longer happens is removed from the list, so that it cannot come back.
    const seen = new Set(imports.map((i) => `${i.file} -> ${i.target}`));
    expect([...WEB_TO_SERVER_ALLOWED].filter((entry) => !seen.has(entry))).toEqual([]);
  });

  it("web/src: lib/ imports no page folder; a page folder imports lib/, styles/ and itself, no other page folder", async () => {
    const folderOf = (file: string) => /^web\/src\/([^/]+)\//.exec(file)?.[1] ?? null;
    const offenders = (await importsUnder(join(WEB, "src")))
      .filter((i) => i.ours && under(i.target, "web/src"))
      .filter((i) => {
        const from = folderOf(i.file);
        const to = folderOf(i.target);
        if (to === null || from === null) return true; // nothing loose at web/src/ any more
        if (from === "lib") return to !== "lib";
        return to !== from && to !== "lib" && to !== "styles";
      })
      .map(show);
    expect(offenders).toEqual([]);
  });
});

/** The projects of the solution tsconfig.json, each with its own globals (#14). */
const PROJECTS = {
  worker: "tsconfig.worker.json", // src/ but runtime/node and scripts: web-standard globals only
  web: "tsconfig.web.json", // the browser: DOM, no Node
  node: "tsconfig.node.json", // runtime/node, scripts, tool configs: Node, no DOM
  test: "tsconfig.test.json", // tests and benchmarks: Node, and DOM for page.evaluate
} as const;

function projectFiles(config: string): string[] {
  const path = join(ROOT, config);
  const { config: json, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(json, ts.sys, ROOT, undefined, path);
  return parsed.fileNames.map((f) => relative(ROOT, f).replaceAll("\\", "/"));
}

describe("type environments", () => {
  it("type-checks every .ts file in exactly one project, in the environment its folder runs in", async () => {
    const owner = new Map<string, string[]>();
    for (const [name, config] of Object.entries(PROJECTS)) {
      for (const file of projectFiles(config)) owner.set(file, [...(owner.get(file) ?? []), name]);
    }
    const expected = (file: string) => {
      if (/\.test\.ts$/.test(file) || /^(test|bench)\//.test(file)) return "test";
      if (/^web\/vite[^/]*\.ts$/.test(file) || !file.includes("/")) return "node";
      if (NODE_ONLY.some((folder) => under(file, folder))) return "node";
      if (under(file, "src")) return "worker";
      return "web";
    };
    const files = [
      ...(await readdir(ROOT)).filter((f) => f.endsWith(".ts")),
      ...(await Promise.all(["src", "web", "test", "bench"].map((d) => sourceFiles(join(ROOT, d)))))
        .flat()
        .filter((path) => !path.startsWith(join(WEB, "dist")))
        .map((path) => relative(ROOT, path).replaceAll("\\", "/")),
    ];
    expect(files.length).toBeGreaterThan(100);
    const wrong = files
      .map((file) => ({ file, projects: owner.get(file) ?? [] }))
      .filter(({ file, projects }) => projects.length !== 1 || projects[0] !== expected(file))
      .map(
        ({ file, projects }) => `${file}: ${projects.join(", ") || "no project"}, expected ${expected(file)}`,
      );
    expect(wrong).toEqual([]);
  });
});
