/**
 * The global data version: one row in `data_version` (migration 0002), bumped by
 * statement-level triggers in the same transaction as every change to events,
 * occurrences, event categories, places, organisations and categories. Caches key
 * public responses by it, so a write invalidates them all at once, with no purge.
 *
 * Read it BEFORE reading the data a response is built from: under read committed the
 * data then reflects at least this version, so a cache entry can only ever hold data
 * newer than its key, never older. (The table is not in schema.ts: it is maintained by
 * triggers only, and drizzle-kit need not know it.)
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/client.ts";
import type { DataVersionTracker } from "../db/data-version.ts";

// The channel and the tracker's interface live with the drivers that use them (src/db), so
// that src/db never imports src/domain; re-exported here for the app and the runtimes.
export { DATA_VERSION_CHANNEL, type DataVersionSource, type DataVersionTracker } from "../db/data-version.ts";

/** The current global data version, as a decimal string (a bigint). */
export async function getDataVersion(db: Queryable): Promise<string> {
  const [row] = await queryRows<{ version: string | number | bigint }>(
    db,
    sql`select version::text as version from data_version where id`,
  );
  if (!row) throw new Error("data_version has no row: run the migrations");
  return String(row.version);
}

/** Statements that may change data (a conservative test: anything that is not a plain read). */
const READ_ONLY = /^\s*(select|with)\b/i;
const WRITES = /\b(insert|update|delete|truncate|merge|call|do)\b/i;
export const mayWrite = (query: string) => !READ_ONLY.test(query) || WRITES.test(query);

/** The tracker (its contract and correctness rules: src/db/data-version.ts). */
export function createDataVersionTracker(): DataVersionTracker {
  let latest = -1n;
  let latestText = "-1";
  let trusted = false;
  let listening = false;
  // Bumped on every invalidation: a read started under an older generation may be stale.
  let generation = 0;
  let writes = 0;
  const stats = { reads: 0, memory: 0 };
  const observe = (v: string | number | bigint) => {
    const n = BigInt(v);
    if (n > latest) {
      latest = n;
      latestText = String(n);
    }
  };
  const invalidate = () => {
    trusted = false;
    generation++;
  };
  return {
    stats,
    get writes() {
      return writes;
    },
    get listening() {
      return listening;
    },
    async get(db) {
      if (trusted && listening) {
        stats.memory++;
        return latestText;
      }
      const started = generation;
      stats.reads++;
      observe(await getDataVersion(db));
      if (started === generation && listening) trusted = true;
      return latestText;
    },
    peek: () => (trusted && listening ? latestText : undefined),
    observe,
    invalidate,
    setListening(on) {
      // Either way, a read made before this moment cannot be trusted.
      invalidate();
      listening = on;
    },
    noteQuery(query) {
      if (mayWrite(query)) {
        writes++;
        invalidate();
      }
    },
  };
}
