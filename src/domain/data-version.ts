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
