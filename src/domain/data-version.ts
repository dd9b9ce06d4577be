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

/** The current global data version, as a decimal string (a bigint). */
export async function getDataVersion(db: Queryable): Promise<string> {
  const [row] = await queryRows<{ version: string | number | bigint }>(
    db,
    sql`select version::text as version from data_version where id`,
  );
  if (!row) throw new Error("data_version has no row: run the migrations");
  return String(row.version);
}

/** Where a response cache gets the data version from: the database, or memory kept fresh. */
export type DataVersionSource = (db: Queryable) => Promise<string>;

/** The channel migration 0003 notifies with each new version (the payload). */
export const DATA_VERSION_CHANNEL = "kk_data_version";

/** Statements that may change data (a conservative test: anything that is not a plain read). */
const READ_ONLY = /^\s*(select|with)\b/i;
const WRITES = /\b(insert|update|delete|truncate|merge|call|do)\b/i;
export const mayWrite = (query: string) => !READ_ONLY.test(query) || WRITES.test(query);

/**
 * The data version kept in memory by a long-lived process (Node), so that cache hits and
 * 304s need no query. It is trusted only while a listener receives the version
 * notifications (migration 0003) — on PostgreSQL a LISTEN connection, on PGlite its
 * listen() — and otherwise read from the database as before.
 *
 * Correctness rules:
 * - The value only moves forward (versions grow in commit order), whatever reports it.
 * - A write made by this process invalidates the value after it commits (`afterWrite`,
 *   called by the app when a request that wrote has finished, and by background jobs),
 *   so the next request re-reads it: a request that follows a write on the same instance
 *   never sees the old version, even before the notification arrives.
 * - A read that raced with an invalidation or a (re)connection does not make the value
 *   trusted again; only a read that started after them does.
 * - Losing the listener (error, reconnection) drops back to reading the database.
 */
export interface DataVersionTracker {
  /** The current version: from memory when trusted, otherwise from `db`. */
  get: DataVersionSource;
  /**
   * The version when it may be trusted from memory, without reading anything; otherwise
   * undefined (then only `get` can tell). Not counted in `stats`.
   */
  peek(): string | undefined;
  /** A version reported by a notification or a poll. */
  observe(version: string | number | bigint): void;
  /** Forget the trusted value: the next `get` reads the database. */
  invalidate(): void;
  /** Whether notifications are being received; `false` also invalidates. */
  setListening(on: boolean): void;
  /** Feed every statement text (Drizzle's logger): counts the ones that may write. */
  noteQuery(query: string): void;
  /** How many statements that may write have been seen (compare before and after a request). */
  readonly writes: number;
  /** Whether notifications are being received (the value may be trusted). */
  readonly listening: boolean;
  readonly stats: { reads: number; memory: number };
}

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
