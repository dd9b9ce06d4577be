/**
 * What the database drivers need to know about the data versions (src/domain/data-version.ts):
 * one version per municipality (migration 0010), the channel the version triggers notify, the
 * notification payload, and the interface of the in-memory tracker that the listeners
 * (data-version-listener.ts, src/runtime/node/pglite.ts) keep fresh. Here rather than in
 * src/domain so that src/db depends on nothing above it.
 */
import type { Queryable } from "./client.ts";

/**
 * Where a response cache gets the data version of a response from: the database, or memory
 * kept fresh. `ids` are the municipalities whose rows the response may include; the answer
 * is their versions as one string (a "stamp", see formatStamp in src/domain/data-version.ts),
 * which changes whenever any of them changes.
 */
export type DataVersionSource = (db: Queryable, ids: readonly string[]) => Promise<string>;

/** The channel the version triggers notify (migrations 0003, 0010). */
export const DATA_VERSION_CHANNEL = "kk_data_version";

/** Every municipality's version, as text (the table is small: one row per municipality). */
export const ALL_DATA_VERSIONS_SQL =
  "select municipality_id::text as id, version::text as version from municipality_data_versions";

const NOTICE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(\d+)$/;

/** A notification's payload, "<municipality id>:<version>" (migration 0010), or undefined. */
export function parseVersionNotice(payload: string): { id: string; version: string } | undefined {
  const m = NOTICE.exec(payload);
  return m ? { id: m[1] as string, version: m[2] as string } : undefined;
}

/**
 * The data versions kept in memory by a long-lived process (Node), so that cache hits and
 * 304s need no query. They are trusted only while a listener receives the version
 * notifications (migration 0010) — on PostgreSQL a LISTEN connection, on PGlite its
 * listen() — and otherwise read from the database as before.
 *
 * Correctness rules:
 * - A municipality's version only moves forward (its versions grow in commit order),
 *   whatever reports it.
 * - A write made by this process invalidates every version after it commits (`afterWrite`,
 *   called by the app when a request that wrote has finished, and by background jobs),
 *   so the next request re-reads them: a request that follows a write on the same instance
 *   never sees an old version, even before the notification arrives. (Which municipalities a
 *   statement touched is not known from its text, so all are re-read: one small query.)
 * - A read that raced with an invalidation or a (re)connection does not make the values
 *   trusted again; only a read that started after them does.
 * - A municipality not held in memory (created since the last read) is read from the database.
 * - Losing the listener (error, reconnection) drops back to reading the database.
 */
export interface DataVersionTracker {
  /** The version stamp of `ids`: from memory when trusted, otherwise from `db`. */
  get: DataVersionSource;
  /**
   * The stamp of `ids` when it may be trusted from memory, without reading anything;
   * otherwise undefined (then only `get` can tell). Not counted in `stats`.
   */
  peek(ids: readonly string[]): string | undefined;
  /** A municipality's version reported by a notification or a poll. */
  observe(id: string, version: string | number | bigint): void;
  /** Forget the trusted values: the next `get` reads the database. */
  invalidate(): void;
  /** Whether notifications are being received; `false` also invalidates. */
  setListening(on: boolean): void;
  /** Feed every statement text (Drizzle's logger): counts the ones that may write. */
  noteQuery(query: string): void;
  /** How many statements that may write have been seen (compare before and after a request). */
  readonly writes: number;
  /** Whether notifications are being received (the values may be trusted). */
  readonly listening: boolean;
  readonly stats: { reads: number; memory: number };
}
