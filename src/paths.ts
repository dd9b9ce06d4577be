/**
 * Where the project's files are on disk (Node only). This module sits one level below
 * the project root, like the bundled server (dist/server.js, see `npm run build:server`),
 * so the same relative URL is right whether the server runs from source or from the bundle.
 */
import { fileURLToPath } from "node:url";

/** An absolute path below the project root, e.g. `projectPath("migrations")`. */
export const projectPath = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));
