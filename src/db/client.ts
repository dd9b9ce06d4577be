/**
 * The database as every layer sees it, whichever driver opened it: postgres.js (src/db/postgres.ts,
 * on Node and on Workers) or PGlite (src/runtime/node/pglite.ts, Node only). Both yield the same
 * Drizzle type, `Db`, so every query runs on both. Node's factory that picks one is
 * src/runtime/node/database.ts.
 */

import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import type { DataVersionTracker } from "./data-version.ts";
import type { DbStats } from "./db-stats.ts";
import type * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: domain queries accept both. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  /** Pool size, statements in flight and sent (db-stats.ts): read by /metrics and the bench. */
  stats: DbStats;
  /** Closes the connection pool or the embedded database cleanly. */
  close(): Promise<void>;
  /**
   * Keeps `tracker` fresh from the version notifications (migration 0003): LISTEN on
   * PostgreSQL, listen() on PGlite. For long-lived processes; `ready` settles once the
   * first subscription succeeded or failed (a PostgreSQL listener keeps retrying).
   */
  listenDataVersion?(tracker: DataVersionTracker): { ready: Promise<void>; close(): Promise<void> };
}

const dialect = new PgDialect();

/**
 * Runs raw SQL and returns its rows, whichever driver answers. With `prepare`, postgres.js
 * keeps the statement prepared on each connection (parsed once; PGlite ignores it): only
 * for hot statements whose text takes few distinct forms, since every form stays on the
 * server for the connection's lifetime.
 */
export async function queryRows<T = Record<string, unknown>>(
  db: Queryable,
  query: SQL,
  opts: { prepare?: boolean } = {},
): Promise<T[]> {
  const result = (
    opts.prepare
      ? await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, "prepared", false).execute()
      : await db.execute(query)
  ) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
