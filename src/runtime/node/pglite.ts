/** PGlite driver: the embedded default, PostgreSQL compiled to WebAssembly (Node only). */
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, Db } from "../../db/client.ts";
import { ALL_DATA_VERSIONS_SQL, DATA_VERSION_CHANNEL, parseVersionNotice } from "../../db/data-version.ts";
import { countPglite, DbStats } from "../../db/db-stats.ts";
import { queryLogger } from "../../db/query-logger.ts";
import * as schema from "../../db/schema.ts";
import { preparingPglite } from "./pglite-statements.ts";

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, or in memory when
 * `dataDir` is undefined. `loadDataDir` starts from a dump (used by tests).
 */
export async function openPglite(
  dataDir?: string,
  opts: {
    loadDataDir?: Blob | File;
    onQuery?: (query: string, params: unknown[]) => void;
    /** PostgreSQL shared_buffers inside PGlite, e.g. "32MB" (default 16MB). */
    sharedBuffers?: string;
  } = {},
): Promise<Database> {
  const client = new PGlite({
    // PostgreSQL's shared memory lives inside the WebAssembly heap and is all resident
    // from the start (Emscripten zero-fills it). 128 MB of shared buffers cost ~90 MB of
    // RSS; 16 MB is plenty for one municipality (the file system underneath still caches
    // pages). One backend needs no slots for 100 connections, 16 autovacuum workers or 10
    // WAL senders. shared_memory_size 42 -> 20 MB; measured at 10,000 events, 60 s of c=10
    // mixed load: wasm memory resident 50.6 -> 33 MB, peak RSS 309-335 -> 298-312 MB, same
    // req/s on the uncached list within noise (#15).
    startParams: [
      ...PGlite.defaultStartParams,
      "-c",
      `shared_buffers=${opts.sharedBuffers ?? "16MB"}`,
      "-c",
      "max_connections=5",
      "-c",
      "autovacuum_worker_slots=1",
      "-c",
      "max_wal_senders=0",
    ],
    ...(dataDir ? { dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  await client.waitReady;
  // standard_conforming_strings is PostgreSQL's default; the hot statements' parameters are
  // written as quoted literals (pglite-statements.ts), safe only while a backslash is an
  // ordinary character, so it is set here rather than assumed.
  await client.exec("SET TIME ZONE 'UTC'; SET standard_conforming_strings = on");
  // One connection, statements queue behind its lock. Drizzle talks to a counting stand-in;
  // `$client` stays the real PGlite (backups use it).
  const stats = new DbStats(1);
  const db = drizzle(countPglite(preparingPglite(client), stats), { schema, ...queryLogger(opts.onQuery) });
  db.$client = client;
  return {
    db: db as unknown as Db,
    driver: "pglite",
    stats,
    close: async () => {
      if (!client.closed) await client.close();
    },
    // One process owns the database, so every write passes this instance; the
    // notifications only add a second, independent path to the new version.
    listenDataVersion: (tracker) => {
      let unlisten: (() => Promise<void>) | undefined;
      const ready = (async () => {
        unlisten = await client.listen(DATA_VERSION_CHANNEL, (payload) => {
          const notice = parseVersionNotice(payload);
          if (notice) tracker.observe(notice.id, notice.version);
        });
        const { rows } = await client.query<{ id: string; version: string }>(ALL_DATA_VERSIONS_SQL);
        for (const row of rows) tracker.observe(row.id, row.version);
        tracker.setListening(true);
      })();
      ready.catch(() => tracker.setListening(false));
      return {
        ready,
        close: async () => {
          tracker.setListening(false);
          if (unlisten && !client.closed) await unlisten();
        },
      };
    },
  };
}

export { PGlite };
