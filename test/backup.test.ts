/**
 * Backup and restore (#22), the drill: seed, keep writing while the backup is taken, restore
 * into a fresh target, compare every table row by row.
 *
 * The snapshot point: the writer commits steps 1, 2, 3, … each in one transaction (a new row
 * `drill-<n>` in rate_limits and the counter row `drill-counter` set to n). A consistent backup
 * holds exactly steps 1..K for one K and the counter at K. Rows written after the snapshot
 * (steps K+1…, and the counter's newer value) are the only allowed differences; every other
 * row of every table is identical.
 *
 * On PGlite: a backup of a PGlite database in use, restored into a fresh data directory; the
 * refusals (non-empty target, damaged file). With TEST_DATABASE_URL also: a PGlite backup
 * restored into PostgreSQL and back (a portable PostgreSQL backup into PGlite), and pg_dump's
 * custom format into PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { appendFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.ts";
import { queryRows } from "../src/db/client.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { backupPglite, backupPostgres, pruneBackups, restoreBackup } from "../src/runtime/node/backup.ts";
import { openDatabase } from "../src/runtime/node/database.ts";
import { migratePgliteDatabase } from "../src/runtime/node/migrate.ts";
import { openPglite } from "../src/runtime/node/pglite.ts";
import { seedDatabase } from "../src/seed/load.ts";
import { onPostgres } from "./helpers/db.ts";
import { allRows, fillEmptyTables, missingRows } from "./helpers/table-data.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});
const tmp = async (name: string) => {
  const dir = await mkdtemp(join(tmpdir(), `kk-${name}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

let source: Database;
let sourceDir: string;
let backupDir: string;
let baseline: Record<string, string[]>;

beforeAll(async () => {
  sourceDir = join(await tmp("src"), "data");
  backupDir = await tmp("backups");
  source = await openDatabase({ dataDir: sourceDir });
  cleanups.push(() => source.close());
  await migratePgliteDatabase(source);
  const now = new Date("2026-11-02T10:00:00Z");
  await seedDatabase(source.db, { today: "2026-11-02", events: 30, demoPassword: "demo-password-1", now });
  await queryRows(
    source.db,
    sql`insert into municipalities (slug, name) values ('naapuri', '{"fi":"Naapuri"}')`,
  );
  await fillEmptyTables(source.db);
  await queryRows(
    source.db,
    sql`insert into rate_limits (key, window_start, count) values ('drill-counter', now(), 0)`,
  );
}, 240_000);

/** Writes steps until `stop()`; returns how many committed. */
function writer(db: Database) {
  let n = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const step = n + 1;
      await db.db.transaction(async (tx) => {
        await queryRows(
          tx,
          sql`insert into rate_limits (key, window_start, count) values (${`drill-${step}`}, now(), ${step})`,
        );
        await queryRows(tx, sql`update rate_limits set count = ${step} where key = 'drill-counter'`);
      });
      n = step;
      await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      return n;
    },
  };
}

const isDrillRow = (row: string) => /"key": "drill-(\d+|counter)"/.test(row);

/** Checks `restored` against `full` (the source after writing stopped); returns K. */
async function compare(full: Record<string, string[]>, restored: Database, written: number): Promise<number> {
  const got = await allRows(restored.db);
  const [counter] = await queryRows(
    restored.db,
    sql`select count from rate_limits where key = 'drill-counter'`,
  );
  const k = Number(counter?.count);
  const steps = await queryRows(
    restored.db,
    sql`select count(*)::int as n, coalesce(max(count), 0) as m from rate_limits where key like 'drill-%' and key <> 'drill-counter'`,
  );
  // Exactly steps 1..K: no gap, nothing half-written.
  expect(Number(steps[0]?.n)).toBe(k);
  expect(Number(steps[0]?.m)).toBe(k);
  expect(k).toBeLessThanOrEqual(written);
  const missing = missingRows(full, got);
  const extra = missingRows(got, full);
  // Only rows written after the snapshot point differ.
  expect(Object.keys(missing).filter((t) => t !== "rate_limits")).toEqual([]);
  expect(Object.keys(extra).filter((t) => t !== "rate_limits")).toEqual([]);
  expect((missing.rate_limits ?? []).filter((r) => !isDrillRow(r))).toEqual([]);
  expect((extra.rate_limits ?? []).filter((r) => !r.includes('"drill-counter"'))).toEqual([]);
  expect(missing.rate_limits?.length ?? 0).toBe(written - k + (k === written ? 0 : 1));
  expect(Object.values(got).every((rows) => rows.length > 0)).toBe(true);
  return k;
}

describe("backup and restore (PGlite)", () => {
  it("the drill: a backup taken while writing restores into a fresh directory with every row of every table", async () => {
    const w = writer(source);
    await new Promise((r) => setTimeout(r, 300));
    const client = (source.db as unknown as { $client: PGlite }).$client;
    const backup = await backupPglite(client, backupDir);
    await new Promise((r) => setTimeout(r, 300));
    const written = await w.stop();
    baseline = await allRows(source.db);
    expect(backup.file).toMatch(/kuntakalenteri-\d{8}T\d{6}Z\.pglite\.sql\.gz$/);

    const target = join(await tmp("restore"), "data");
    const restore = await restoreBackup(backup.file, { dataDir: target });
    const restored = await openPglite(target);
    cleanups.push(() => restored.close());
    const k = await compare(baseline, restored, written);
    const tables = Object.keys(baseline).length;
    const rows = Object.values(baseline).reduce((n, r) => n + r.length, 0);
    console.info(
      `backup drill (PGlite): ${tables} tables, ${rows} rows; ${written} write steps, snapshot at step ${k}; ` +
        `backup ${backup.ms} ms (database held ${backup.heldMs} ms), ${backup.bytes} bytes; restore ${restore.ms} ms; 0 differences before the snapshot point`,
    );
    // The source keeps working after a backup (pg_dump on the live connection would not).
    await queryRows(
      source.db,
      sql`insert into rate_limits (key, window_start) values ('after-backup', now())`,
    );
  }, 240_000);

  it("refuses a non-empty directory unless forced (then moves it aside), and a damaged file", async () => {
    const client = (source.db as unknown as { $client: PGlite }).$client;
    const backup = await backupPglite(client, await tmp("b2"));
    const target = await tmp("nonempty");
    await writeFile(join(target, "something"), "x");
    await expect(restoreBackup(backup.file, { dataDir: target })).rejects.toThrow(/not empty.*--force/);
    const forced = await restoreBackup(backup.file, { dataDir: target }, { force: true });
    expect(forced.movedAside).toMatch(/before-restore-/);
    cleanups.push(() => rm(forced.movedAside as string, { recursive: true, force: true }));
    expect(await readdir(forced.movedAside as string)).toEqual(["something"]);

    await appendFile(backup.file, "x");
    await expect(restoreBackup(backup.file, { dataDir: join(await tmp("dmg"), "d") })).rejects.toThrow(
      /does not match its checksum/,
    );
    await rm(`${backup.file}.sha256`);
    await expect(restoreBackup(backup.file, { dataDir: join(await tmp("dmg"), "d") })).rejects.toThrow(
      /missing/,
    );
  }, 240_000);

  it("keeps the newest BACKUP_KEEP backups", async () => {
    const dir = await tmp("prune");
    for (const s of ["20261201T000000Z", "20261202T000000Z", "20261203T000000Z"]) {
      await writeFile(join(dir, `kuntakalenteri-${s}.pglite.sql.gz`), "x");
      await writeFile(join(dir, `kuntakalenteri-${s}.pglite.sql.gz.sha256`), "x");
    }
    await writeFile(join(dir, "last-backup.json"), "{}");
    expect(await pruneBackups(dir, 2)).toEqual(["kuntakalenteri-20261201T000000Z.pglite.sql.gz"]);
    expect((await readdir(dir)).sort()).toEqual([
      "kuntakalenteri-20261202T000000Z.pglite.sql.gz",
      "kuntakalenteri-20261202T000000Z.pglite.sql.gz.sha256",
      "kuntakalenteri-20261203T000000Z.pglite.sql.gz",
      "kuntakalenteri-20261203T000000Z.pglite.sql.gz.sha256",
      "last-backup.json",
    ]);
  });
});

describe.skipIf(!onPostgres)("moving between PGlite and PostgreSQL", () => {
  const base = process.env.TEST_DATABASE_URL as string;
  const freshPostgres = async () => {
    const name = `kk_restore_${randomBytes(4).toString("hex")}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    });
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  };

  it("a PGlite backup restores into PostgreSQL, and a portable PostgreSQL backup of that back into PGlite, row for row", async () => {
    const client = (source.db as unknown as { $client: PGlite }).$client;
    const fromPglite = await backupPglite(client, await tmp("p2pg"));
    const expected = await allRows(source.db);
    const url = await freshPostgres();
    await restoreBackup(fromPglite.file, { url });
    const pg = openPostgres(url, { max: 2 });
    cleanups.push(() => pg.close());
    expect(missingRows(expected, await allRows(pg.db))).toEqual({});
    expect(missingRows(await allRows(pg.db), expected)).toEqual({});
    await expect(restoreBackup(fromPglite.file, { url })).rejects.toThrow(/not empty/);

    const portable = await backupPostgres(url, await tmp("pg2p"), { portable: true });
    expect(portable.file).toMatch(/\.pg\.sql\.gz$/);
    const back = join(await tmp("back"), "data");
    await restoreBackup(portable.file, { dataDir: back });
    const again = await openPglite(back);
    cleanups.push(() => again.close());
    expect(missingRows(expected, await allRows(again.db))).toEqual({});
    expect(missingRows(await allRows(again.db), expected)).toEqual({});

    const custom = await backupPostgres(url, await tmp("pgc"));
    expect(custom.file).toMatch(/\.pg\.dump$/);
    const url2 = await freshPostgres();
    await restoreBackup(custom.file, { url: url2 });
    const pg2 = openPostgres(url2, { max: 2 });
    cleanups.push(() => pg2.close());
    expect(missingRows(expected, await allRows(pg2.db))).toEqual({});
    await expect(restoreBackup(custom.file, { dataDir: join(await tmp("x"), "d") })).rejects.toThrow(
      /--portable/,
    );
    await restoreBackup(custom.file, { url: url2 }, { force: true });
    expect(missingRows(expected, await allRows(pg2.db))).toEqual({});
  }, 300_000);
});
