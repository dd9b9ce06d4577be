/**
 * A fresh, migrated database for one test file: PGlite by default, or a database
 * cloned from the run's template on TEST_DATABASE_URL. Call `close()` in afterAll.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { inject } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import { openPglite } from "../../src/runtime/node/pglite.ts";

export interface TestDatabase extends Database {
  /** postgres:// URL of this test database, when on PostgreSQL. */
  url?: string;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabaseOptions {
  /** Called with the SQL text of every statement the Drizzle client runs. */
  onQuery?: (query: string, params: unknown[]) => void;
}

export async function createTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `kk_t_${inject("pgRunId")}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    // Cloning needs the template to be idle; retry briefly when another file clones it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${inject("pgTemplate")}"`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
    const dbUrl = withDatabase(url, name);
    const database = openPostgres(dbUrl, { max: 5, ...(opts.onQuery ? { onQuery: opts.onQuery } : {}) });
    return {
      ...database,
      url: dbUrl,
      close: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end({ timeout: 5 });
      },
    };
  }
  const dump = await readFile(inject("pgliteDump"));
  return openPglite(undefined, {
    loadDataDir: new Blob([dump]),
    ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
  });
}
