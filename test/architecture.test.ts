/**
 * The app and domain stay runtime-neutral so that the same code runs on Node and on
 * Workers: only the Node entry, Node-only drivers and scripts may import node:* modules.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));
const NODE_ONLY = new Set([
  "node.ts",
  "node-assets.ts",
  "node-fast-path.ts",
  "paths.ts",
  "db/migrate.ts",
  "db/pglite.ts",
]);

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
  it("imports no node:* module outside the Node entry, Node-only drivers and scripts", async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const rel = relative(SRC, file).replaceAll("\\", "/");
      if (NODE_ONLY.has(rel) || rel.startsWith("scripts/")) continue;
      const text = await readFile(file, "utf8");
      const imports = [...text.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)].map(
        (m) => m[1] as string,
      );
      for (const spec of imports) {
        if (
          spec.startsWith("node:") ||
          ["fs", "path", "os", "child_process", "crypto", "url"].includes(spec)
        ) {
          offenders.push(`${rel} imports ${spec}`);
        }
      }
      if (/\bprocess\.env\b/.test(text) && rel !== "config.ts") offenders.push(`${rel} reads process.env`);
    }
    expect(offenders).toEqual([]);
  });

  it("keeps createApp free of environment access", async () => {
    const app = await readFile(join(SRC, "app.ts"), "utf8");
    expect(app).not.toMatch(/process\.env|from\s+["']node:/);
  });
});
