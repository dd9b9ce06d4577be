/**
 * Where the project's files are on disk (Node only). Run from source, this module is
 * src/runtime/node/paths.ts, three levels below the project root; bundled, its code is in
 * dist/server.js (see `npm run build:server`), one level below. Its own URL tells which.
 */
import { fileURLToPath } from "node:url";

const ROOT = new URL(import.meta.url.endsWith(".ts") ? "../../../" : "../", import.meta.url);

/** An absolute path below the project root, e.g. `projectPath("migrations")`. */
export const projectPath = (relative: string): string => fileURLToPath(new URL(relative, ROOT));
