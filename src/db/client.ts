/**
 * The database as every layer sees it, whichever driver opened it: postgres.js (src/db/postgres.ts,
 * on Node and on Workers) or PGlite (src/runtime/node/pglite.ts, Node only). Both yield the same
 * Drizzle type, `Db`, so every query runs on both. Node's factory that picks one is
 * src/runtime/node/database.ts.
 */

import { type ExtractTablesWithRelations, type SQL, sql } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import { UUID_RE } from "../contract/codes.ts";
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
 * The start of a statement that should stay prepared: postgres.js keeps every statement
 * prepared anyway; PGlite's driver prepares only the statements marked so
 * (src/runtime/node/pglite-statements.ts). An SQL comment: the statement means the same.
 */
export const PREPARED_MARK = "/* prepared */ ";

/**
 * Runs raw SQL and returns its rows, whichever driver answers. With `prepare`, the statement
 * is kept prepared, parsed and (when its generic plan is as good) planned once: by postgres.js
 * on each connection, by PGlite's driver for its one session (PREPARED_MARK). Only for hot
 * statements whose text takes few distinct forms, since every form stays on the server for
 * the connection's lifetime.
 */
export async function queryRows<T = Record<string, unknown>>(
  db: Queryable,
  query: SQL,
  opts: { prepare?: boolean } = {},
): Promise<T[]> {
  let result: unknown;
  if (opts.prepare) {
    const q = dialect.sqlToQuery(query);
    result = await db._.session
      .prepareQuery({ sql: PREPARED_MARK + q.sql, params: q.params }, undefined, "prepared", false)
      .execute();
  } else {
    result = await db.execute(query);
  }
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A whole number written into a statement's text instead of passed as a parameter: for a
 * LIMIT that the planner must know when it plans a prepared statement once for every
 * execution (with `limit $n` it guesses a tenth of the rows, and keeps planning anew; #15).
 * Only for numbers from a small validated range (a page size), since each value is a statement
 * of its own on every connection. Anything but a safe integer throws.
 */
export function intLiteral(n: number): SQL {
  if (!Number.isSafeInteger(n)) throw new TypeError(`not an integer: ${n}`);
  return sql.raw(String(n));
}

/**
 * A uuid written into the statement's text, for a condition a partial index is chosen by
 * (`municipality_id = '…'`, migration 0012): the planner picks such an index only for a value
 * it sees, so with a parameter a prepared statement's generic plan could not use it and every
 * execution was planned anew (#15). Only for the few ids of a site's scope: each value is a
 * statement of its own. Anything but a uuid throws.
 */
export function uuidLiteral(id: string): SQL {
  if (!UUID_RE.test(id)) throw new TypeError(`not a uuid: ${id}`);
  return sql.raw(`'${id.toLowerCase()}'::uuid`);
}
