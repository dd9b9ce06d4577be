import { copyFile, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { APP_PAGES } from "../src/contract/pages.ts";

/** Copies Swagger UI (for the interactive API reference at /api/docs) into dist/api-docs. */
function apiDocsAssets(): Plugin {
  return {
    name: "kuntakalenteri-api-docs-assets",
    apply: "build",
    async closeBundle() {
      const require = createRequire(import.meta.url);
      const src = dirname(require.resolve("swagger-ui-dist/package.json"));
      const out = fileURLToPath(new URL("./dist/api-docs", import.meta.url));
      await mkdir(out, { recursive: true });
      for (const f of ["swagger-ui-bundle.js", "swagger-ui.css"]) await copyFile(join(src, f), join(out, f));
    },
  };
}

/** Replaces <!--partial:NAME--> in the HTML pages with web/partials/NAME.html (shared header, footer). */
function partials(): Plugin {
  return {
    name: "kuntakalenteri-partials",
    transformIndexHtml: {
      order: "pre",
      async handler(html) {
        let out = html;
        for (const match of html.matchAll(/<!--partial:([\w-]+)-->/g)) {
          const file = fileURLToPath(new URL(`./partials/${match[1]}.html`, import.meta.url));
          const part = (await readFile(file, "utf8")).trimEnd();
          out = out.replace(match[0], () => part);
        }
        return out;
      },
    },
  };
}

// `vite build web` (npm run build:web) picks this file up because `web` is the root.
const root = fileURLToPath(new URL(".", import.meta.url));
const page = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export default defineConfig({
  root,
  publicDir: "public",
  plugins: [partials(), apiDocsAssets()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Every browser we target supports <link rel="modulepreload">; skip the polyfill to keep JS tiny.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs or inline <style>/<script>: the page runs under a strict CSP.
    assetsInlineLimit: 0,
    rollupOptions: {
      // One HTML shell per page; the server fills event.html and saavutettavuus.html (src/pages/event-page.ts).
      input: {
        index: page("index.html"),
        event: page("event.html"),
        saavutettavuus: page("saavutettavuus.html"),
        notfound: page("404.html"),
        ...Object.fromEntries(APP_PAGES.map((p) => [p.file.replace(/\.html$/, ""), page(p.file)])),
      },
      output: {
        // The entry of each page folder is its app.ts: name the chunk after the folder
        // ("organiser-app-….js" rather than three "app-….js").
        chunkFileNames: (chunk) => {
          const own = chunk.moduleIds.find((id) => id.endsWith(`/${chunk.name}.ts`)) ?? "";
          const folder = /\/web\/src\/([^/]+)\/[^/]+\.ts$/.exec(own)?.[1];
          return folder && chunk.name === "app"
            ? `assets/${folder}-[name]-[hash].js`
            : "assets/[name]-[hash].js";
        },
      },
    },
  },
  server: {
    // `vite web` dev server: forward API and feed requests to the local API (npm start).
    proxy: {
      "/api": "http://127.0.0.1:8787",
      "/feeds": "http://127.0.0.1:8787",
    },
  },
});
