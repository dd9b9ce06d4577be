/** postgres.js driver: a real PostgreSQL server (production, CI, Workers via Hyperdrive). */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database, Db } from "./client.ts";
import { listenPostgres } from "./data-version-listener.ts";
import { countPostgres, DbStats } from "./db-stats.ts";
import { queryLogger } from "./query-logger.ts";
import * as schema from "./schema.ts";

export function openPostgres(
  url: string,
  opts: { max?: number; prepare?: boolean; onQuery?: (query: string, params: unknown[]) => void } = {},
): Database {
  const max = opts.max ?? 10;
  const client = postgres(url, {
    max,
    prepare: opts.prepare ?? true,
    onnotice: () => {},
    connection: { application_name: "kuntakalenteri", TimeZone: "UTC" },
  });
  // Drizzle talks to a counting stand-in; `$client` stays the real client.
  const stats = new DbStats(max);
  const db = drizzle(countPostgres(client, stats), { schema, ...queryLogger(opts.onQuery) });
  db.$client = client;
  return {
    db: db as unknown as Db,
    driver: "postgres",
    stats,
    close: () => client.end({ timeout: 5 }),
    listenDataVersion: (tracker) => listenPostgres(url, tracker),
  };
}
