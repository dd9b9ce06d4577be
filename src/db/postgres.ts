/** postgres.js driver: a real PostgreSQL server (production, CI, Workers via Hyperdrive). */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database, Db } from "./client.ts";
import { listenPostgres } from "./data-version-listener.ts";
import { queryLogger } from "./query-logger.ts";
import * as schema from "./schema.ts";

export function openPostgres(
  url: string,
  opts: { max?: number; prepare?: boolean; onQuery?: (query: string, params: unknown[]) => void } = {},
): Database {
  const client = postgres(url, {
    max: opts.max ?? 10,
    prepare: opts.prepare ?? true,
    onnotice: () => {},
    connection: { application_name: "kuntakalenteri", TimeZone: "UTC" },
  });
  const db = drizzle(client, { schema, ...queryLogger(opts.onQuery) }) as unknown as Db;
  return {
    db,
    driver: "postgres",
    close: () => client.end({ timeout: 5 }),
    listenDataVersion: (tracker) => listenPostgres(url, tracker),
  };
}
