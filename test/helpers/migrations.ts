/**
 * Migration folders for upgrade tests: a copy of migrations/ cut after the first `count`
 * migrations (the database an older release made), or with extra migrations appended (a
 * newer release, or a broken one). And a scratch database to migrate: a PostgreSQL database
 * on TEST_DATABASE_URL, or a PGlite one in a directory.
 */
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { Database } from "../../src/db/client.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import {
  MIGRATIONS_FOLDER,
  migratePgliteDatabase,
  migratePostgresUrl,
} from "../../src/runtime/node/migrate.ts";
import { openPglite } from "../../src/runtime/node/pglite.ts";

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

export const journalOf = async (folder: string): Promise<Journal> =>
  JSON.parse(await readFile(join(folder, "meta", "_journal.json"), "utf8")) as Journal;

/** A temporary copy of migrations/ with the first `count` migrations and then `extra` ones. */
export async function migrationsFolder(
  opts: { count?: number; extra?: { tag: string; sql: string }[] } = {},
): Promise<{ folder: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), "kk-migrations-"));
  await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journal = await journalOf(folder);
  if (opts.count !== undefined) journal.entries = journal.entries.slice(0, opts.count);
  let when = Math.max(...journal.entries.map((e) => e.when));
  for (const m of opts.extra ?? []) {
    when += 1000;
    journal.entries.push({ idx: journal.entries.length, version: "7", when, tag: m.tag, breakpoints: true });
    await writeFile(join(folder, `${m.tag}.sql`), m.sql);
  }
  await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify(journal));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

export interface ScratchDatabase {
  database: Database;
  /** postgres:// URL (PostgreSQL) or the data directory (PGlite). */
  url?: string;
  dataDir?: string;
  migrate(folder: string): Promise<unknown>;
  /** Closes the connection, keeping the database (to hand it to another process). */
  close(): Promise<void>;
  /** Closes and deletes it. */
  drop(): Promise<void>;
}

/** An empty database (no migrations): PostgreSQL with TEST_DATABASE_URL, else PGlite on disk or in memory. */
export async function scratchDatabase(opts: { onDisk?: boolean } = {}): Promise<ScratchDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const name = `kk_up_${randomBytes(4).toString("hex")}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    const url = u.toString();
    const database = openPostgres(url, { max: 2 });
    return {
      database,
      url,
      migrate: (folder) => migratePostgresUrl(url, folder),
      close: () => database.close(),
      drop: async () => {
        await database.close().catch(() => {});
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end({ timeout: 5 });
      },
    };
  }
  const dataDir = opts.onDisk ? await mkdtemp(join(tmpdir(), "kk-pgdata-")) : undefined;
  const database = await openPglite(dataDir);
  return {
    database,
    ...(dataDir ? { dataDir } : {}),
    migrate: (folder) => migratePgliteDatabase(database, folder),
    close: () => database.close(),
    drop: async () => {
      await database.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
