/**
 * One database factory, two drivers (Node): postgres.js when a URL is given, otherwise
 * PGlite (PostgreSQL in WebAssembly) stored in a directory. Both yield the same Drizzle
 * type, `Db` (src/db/client.ts), so every query runs on both. Workers open postgres.js
 * directly (src/runtime/worker/main.ts).
 */
import type { Database } from "../../db/client.ts";
import { lockDataDir } from "./data-dir-lock.ts";

export interface OpenOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; `undefined` or "memory://" keeps it in memory. */
  dataDir?: string | undefined;
  /** Pool size for postgres.js. */
  max?: number;
  /** Called with the SQL text of every statement (e.g. DataVersionTracker.noteQuery). */
  onQuery?: (query: string, params: unknown[]) => void;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const { openPostgres } = await import("../../db/postgres.ts");
    return openPostgres(opts.url, {
      max: opts.max ?? 10,
      ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
    });
  }
  const { openPglite } = await import("./pglite.ts");
  const dataDir = opts.dataDir === "memory://" ? undefined : opts.dataDir;
  // One process owns a data directory (data-dir-lock.ts): a second one stops here, clearly.
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const database = await openPglite(dataDir, opts.onQuery ? { onQuery: opts.onQuery } : {});
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
