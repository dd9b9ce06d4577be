import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The embeddable web component as one self-contained file with a stable name: web/dist/embed.js.
// Built after the pages (npm run build:web), into the same folder.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: false,
    target: "es2022",
    lib: {
      entry: fileURLToPath(new URL("./src/embed/embed.ts", import.meta.url)),
      formats: ["es"],
      fileName: () => "embed.js",
    },
  },
});
