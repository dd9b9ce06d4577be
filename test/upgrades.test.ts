/**
 * Upgrades (#22): all pending migrations run in one transaction; PostgreSQL starters migrate
 * one at a time (advisory lock) and a PGlite data directory has one owner (a pid file);
 * `npm run migrate -- --dry-run` lists what would run; the server and `npm run migrate` refuse
 * a database made by a newer release, naming the migrations they do not know.
 * On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import { DataDirLockedError, LOCK_FILE, lockDataDir } from "../src/runtime/node/data-dir-lock.ts";
import { openDatabase } from "../src/runtime/node/database.ts";
import {
  MIGRATIONS_FOLDER,
  migrationStatus,
  readKnownMigrations,
  UnknownMigrationsError,
} from "../src/runtime/node/migrate.ts";
import { onPostgres } from "./helpers/db.ts";
import { migrationsFolder, type ScratchDatabase, scratchDatabase } from "./helpers/migrations.ts";
import { startArgs } from "./helpers/server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const KNOWN = readKnownMigrations();
const LAST = KNOWN[KNOWN.length - 1];
const DB = onPostgres ? "PostgreSQL" : "PGlite";
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const env = (db: ScratchDatabase): Record<string, string> => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  LOG_LEVEL: "warn",
  SEED: "none",
  PORT: "0",
  HOST: "127.0.0.1",
  ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: db.dataDir ?? "" }),
});
const runMigrate = (db: ScratchDatabase, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/scripts/migrate.ts", ...args], {
    cwd: ROOT,
    env: env(db),
    encoding: "utf8",
    timeout: 120_000,
  });
const applied = async (db: ScratchDatabase) =>
  Number(
    (await queryRows(db.database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]?.n,
  );
const tables = async (db: ScratchDatabase) =>
  (
    await queryRows(
      db.database.db,
      sql`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
    )
  ).map((r) => r.t);

describe(`upgrades (${DB})`, () => {
  it("runs every pending migration in one transaction: a failing one leaves nothing applied", async () => {
    const db = await scratchDatabase();
    cleanups.push(() => db.drop());
    const old = await migrationsFolder({ count: KNOWN.length - 2 });
    const broken = await migrationsFolder({ extra: [{ tag: "0099_broken", sql: "select 1/0;" }] });
    cleanups.push(old.remove, broken.remove);
    await db.migrate(old.folder);
    expect(await applied(db)).toBe(KNOWN.length - 2);
    const before = await tables(db);
    await expect(db.migrate(broken.folder)).rejects.toThrow(/select 1\/0/);
    // Neither of the two good pending migrations stayed behind.
    expect(await applied(db)).toBe(KNOWN.length - 2);
    expect(await tables(db)).toEqual(before);
    await db.migrate(MIGRATIONS_FOLDER);
    expect(await applied(db)).toBe(KNOWN.length);
  });

  it("--dry-run lists the pending migrations with their comment, changes nothing; a newer database is refused by migrate and by the server", async () => {
    const db = await scratchDatabase({ onDisk: true });
    cleanups.push(() => db.drop());
    const old = await migrationsFolder({ count: KNOWN.length - 1 });
    const newer = await migrationsFolder({
      extra: [
        {
          tag: "0099_from_the_future",
          sql: "-- A feature from the future.\nCREATE TABLE future_thing (id int);",
        },
      ],
    });
    cleanups.push(old.remove, newer.remove);
    await db.migrate(old.folder);
    expect((await migrationStatus(db.database.db)).pending.map((m) => m.tag)).toEqual([LAST?.tag]);
    await db.close(); // hand it to the child processes

    const dry = runMigrate(db, "--dry-run");
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${KNOWN.length - 1} migration(s) applied; 1 pending`);
    expect(dry.stdout).toContain(`${LAST?.tag}  ${LAST?.summary}`);
    expect(LAST?.summary.length).toBeGreaterThan(10);
    const again = runMigrate(db, "--dry-run");
    expect(again.stdout).toContain("1 pending"); // nothing was applied

    // A newer release migrated it.
    const reopened = await reopen(db);
    await reopened.migrate(newer.folder);
    const status = await migrationStatus(reopened.database.db);
    expect(status.unknown.map((m) => m.name)).toEqual(["0099_from_the_future"]);
    await expect(reopened.migrate(MIGRATIONS_FOLDER)).rejects.toThrow(UnknownMigrationsError);
    await reopened.close();

    const migrate = runMigrate(db);
    expect(migrate.status).toBe(3);
    expect(migrate.stderr).toMatch(/newer release.*0099_from_the_future/s);
    const server = await runServerUntilExit(db);
    expect(server.code, server.out).toBe(3);
    expect(server.out).toMatch(/Startup refused: .*newer release.*0099_from_the_future, applied at 20/s);
  }, 300_000);

  it.skipIf(!onPostgres)(
    "PostgreSQL: two instances starting at once migrate one after the other",
    async () => {
      const db = await scratchDatabase();
      cleanups.push(() => db.drop());
      const results = await Promise.all([db.migrate(MIGRATIONS_FOLDER), db.migrate(MIGRATIONS_FOLDER)]);
      const pending = results.map((r) => (r as { pending: unknown[] }).pending.length).sort();
      expect(pending).toEqual([0, KNOWN.length]);
      expect(await applied(db)).toBe(KNOWN.length);
    },
  );
});

describe("PGlite: one process owns a data directory", () => {
  it("a second process is refused with the holder's pid; a lock left by a dead process is taken over", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kk-lock-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    cleanups.push(async () => holder.kill("SIGKILL"));
    const file = join(dir, LOCK_FILE);
    await writeFile(
      file,
      JSON.stringify({ pid: holder.pid, host: hostname(), since: "2026-12-07T03:00:00Z" }),
    );
    const err = await openDatabase({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect(String((err as Error).message)).toContain(`pid ${holder.pid}`);

    holder.kill("SIGKILL");
    await new Promise((r) => holder.once("exit", r));
    const release = lockDataDir(dir); // stale: taken over
    expect(() => lockDataDir(join(dir))).not.toThrow(); // our own pid counts as stale too
    release();
  });
});

async function reopen(db: ScratchDatabase): Promise<ScratchDatabase> {
  if (db.url)
    return { ...db, database: (await import("../src/db/postgres.ts")).openPostgres(db.url, { max: 2 }) };
  const { openPglite } = await import("../src/runtime/node/pglite.ts");
  const { migratePgliteDatabase } = await import("../src/runtime/node/migrate.ts");
  const database = await openPglite(db.dataDir);
  return {
    ...db,
    database,
    migrate: (f) => migratePgliteDatabase(database, f),
    close: () => database.close(),
  };
}

async function runServerUntilExit(db: ScratchDatabase): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, startArgs(), {
    cwd: ROOT,
    env: env(db),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => proc.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, out };
}
