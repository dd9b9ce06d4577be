/**
 * What the database drivers need to know about the global data version (src/domain/data-version.ts):
 * the channel the version trigger notifies (migration 0003) and the interface of the in-memory
 * tracker that the listeners (data-version-listener.ts, src/runtime/node/pglite.ts) keep fresh. Here rather than
 * in src/domain so that src/db depends on nothing above it.
 */
import type { Queryable } from "./client.ts";

/** Where a response cache gets the data version from: the database, or memory kept fresh. */
export type DataVersionSource = (db: Queryable) => Promise<string>;

/** The channel migration 0003 notifies with each new version (the payload). */
export const DATA_VERSION_CHANNEL = "kk_data_version";

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
