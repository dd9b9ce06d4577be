/**
 * Backups and restores (#22). A backup is one dated, compressed file and a SHA-256 checksum
 * file beside it (`sha256sum -c` reads it):
 *
 * - PGlite: `kuntakalenteri-<UTC time>.pglite.sql.gz`, a plain SQL dump (pg_dump's WASM build,
 *   @electric-sql/pglite-tools) that restores into PGlite and into PostgreSQL. Made from the
 *   running database without stopping it: the data directory is snapshotted under PGlite's
 *   query lock (between two statements, so it holds every transaction committed before that
 *   point and nothing after: in-flight ones are rolled back when the snapshot opens) into a
 *   temporary copy of its files, and pg_dump reads the copy in a worker thread. pg_dump is not
 *   run on the live database: it leaves that connection in its read-only transaction (every
 *   later write fails).
 * - PostgreSQL: `kuntakalenteri-<UTC time>.pg.dump`, `pg_dump -Fc` (compressed custom format,
 *   consistent by pg_dump's own snapshot); `--portable` makes a `.pg.sql.gz` plain SQL dump with
 *   INSERTs instead, which PGlite can restore (moving back to the embedded database).
 *
 * Restores go into an empty target only (a missing or empty data directory; a database with no
 * tables) unless forced, and check the checksum first.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { gunzipSync, gzipSync } from "node:zlib";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { LOCK_FILE, lockDataDir } from "./data-dir-lock.ts";

export type BackupFormat = "pglite-sql" | "pg-custom" | "pg-sql";

export interface BackupResult {
  file: string;
  checksumFile: string;
  sha256: string;
  bytes: number;
  format: BackupFormat;
  /** Wall time of the whole backup, and how long the database itself was held (PGlite). */
  ms: number;
  heldMs?: number;
  /** When the snapshot was taken: the backup holds what was committed before this instant. */
  snapshotAt: string;
}

const SUFFIX: Record<BackupFormat, string> = {
  "pglite-sql": ".pglite.sql.gz",
  "pg-custom": ".pg.dump",
  "pg-sql": ".pg.sql.gz",
};

export function formatOf(file: string): BackupFormat {
  for (const [format, suffix] of Object.entries(SUFFIX))
    if (file.endsWith(suffix)) return format as BackupFormat;
  throw new Error(
    `${file}: not a Kuntakalenteri backup (expected a name ending in ${Object.values(SUFFIX).join(", ")})`,
  );
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

/** Where the PostgreSQL client programs are (PG_BIN, else the PATH). */
const pgBin = (name: string) => (process.env.PG_BIN ? join(process.env.PG_BIN, name) : name);

async function writeWithChecksum(
  dir: string,
  name: string,
  data: Uint8Array,
): Promise<{ file: string; checksumFile: string; sha256: string }> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  const sha256 = createHash("sha256").update(data).digest("hex");
  // Written under a temporary name first: a half-written file never looks like a backup.
  await writeFile(`${file}.partial`, data);
  await rename(`${file}.partial`, file);
  const checksumFile = `${file}.sha256`;
  await writeFile(checksumFile, `${sha256}  ${name}\n`);
  return { file, checksumFile, sha256 };
}

/** Backs up a running PGlite database into `dir`. */
export async function backupPglite(
  client: PGlite,
  dir: string,
  now = new Date(),
  /** Told when the copy of the files could not be dumped and PGlite's own tarball was used. */
  onFallback: (err: unknown) => void = () => {},
): Promise<BackupResult> {
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), "kk-backup-"));
  try {
    let snapshotAt = new Date();
    let held = performance.now();
    let heldMs = 0;
    let data: Uint8Array;
    let copied = false;
    try {
      const source = await snapshotPglite(client, work);
      heldMs = performance.now() - held;
      copied = "dataDir" in source;
      data = await dumpInWorker(source);
    } catch (err) {
      // Not seen to fail but once, in a CI run under load, without its message: then the
      // tarball PGlite itself makes (more memory, the way backups were made before) still
      // gives the backup, and the first error is reported.
      const live = client.dataDir;
      if (!copied && !(live && !live.includes("://"))) throw err;
      onFallback(err);
      snapshotAt = new Date();
      held = performance.now();
      const tarball = await snapshotPglite(client, work, { tarball: true });
      heldMs = performance.now() - held;
      data = await dumpInWorker(tarball);
    }
    const written = await writeWithChecksum(dir, `kuntakalenteri-${stamp(now)}${SUFFIX["pglite-sql"]}`, data);
    return {
      ...written,
      bytes: data.byteLength,
      format: "pglite-sql",
      ms: Math.round(performance.now() - started),
      heldMs: Math.round(heldMs),
      snapshotAt: snapshotAt.toISOString(),
    };
  } finally {
    // Retried: PGlite's file system may still be finishing a write in the snapshot when the
    // dump is done, and a single rm then failed with ENOTEMPTY (seen once in CI, under load),
    // failing a backup whose file was already written.
    await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/**
 * The database as of now, under PGlite's query lock (between two statements), into `work`:
 * a copy of its data directory's files when it lives on disk, else (in memory) its tarball.
 * A file copy taken between statements is what a crash would leave; opening it replays the
 * write-ahead log. The server's own lock file stays behind.
 */
async function snapshotPglite(
  client: PGlite,
  work: string,
  opts: { tarball?: boolean } = {},
): Promise<PgliteSnapshot> {
  const live = client.dataDir;
  if (!opts.tarball && live && !live.includes("://") && existsSync(join(live, "PG_VERSION"))) {
    const copy = join(work, "pgdata");
    await client._runExclusiveQuery(() =>
      cp(live, copy, { recursive: true, filter: (src) => basename(src) !== LOCK_FILE }),
    );
    return { dataDir: copy };
  }
  const tarball = join(work, "pgdata.tar");
  await writeFile(tarball, new Uint8Array(await (await client.dumpDataDir("none")).arrayBuffer()));
  return { tarball };
}

type PgliteSnapshot = { dataDir: string } | { tarball: string };

/**
 * pg_dump (its WebAssembly build) over a snapshot opened by a second PGlite, both in a worker
 * thread: their WebAssembly memories (the snapshot's database and pg_dump's own, with the dump
 * text) are freed with the thread, and the server's event loop keeps answering meanwhile. In
 * the server's thread (and with the snapshot loaded into memory) a backup of 10,000 events
 * raised the server's resident memory from 264 MB to a peak of 1.29 GB, and it stayed at
 * 1.11 GB after; the event loop stood still for most of the 7 s (#15).
 */
function dumpInWorker(source: PgliteSnapshot): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const workerData = {
    ...source,
    pglite: require.resolve("@electric-sql/pglite"),
    pgDump: require.resolve("@electric-sql/pglite-tools/pg_dump"),
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(DUMP_WORKER, { eval: true, workerData });
    let done = false;
    worker.once("message", (m: { gz?: Uint8Array; error?: string }) => {
      done = true;
      if (m.gz) resolve(m.gz);
      else reject(new Error(`backup: ${m.error ?? "pg_dump failed"}`));
    });
    worker.once("error", (err) => {
      done = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!done) reject(new Error(`backup: the dump's worker exited with ${code}`));
    });
  });
}

/** The worker's code (CommonJS, evaluated): the packages' paths come in `workerData`. */
const DUMP_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { gzipSync } = require("node:zlib");
(async () => {
  const { PGlite } = require(workerData.pglite);
  const { pgDump } = require(workerData.pgDump);
  const startParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];
  const pg = workerData.dataDir
    ? new PGlite(workerData.dataDir, { startParams })
    : new PGlite({ startParams, loadDataDir: new Blob([readFileSync(workerData.tarball)]) });
  try {
    await pg.waitReady;
    const text = await (await pgDump({ pg, args: ["--no-owner", "--no-privileges"] })).text();
    const gz = gzipSync(Buffer.from(text, "utf8"));
    const out = new Uint8Array(gz); // its own buffer (a Buffer may share a pooled one)
    parentPort.postMessage({ gz: out }, [out.buffer]);
  } finally {
    await pg.close();
  }
})().catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));
`;

function run(cmd: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(new Error(`${cmd}: ${e.message} (is it installed? set PG_BIN)`)));
    child.on("close", (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new Error(`${cmd} exited with ${code}: ${err.trim()}`)),
    );
    child.stdin.end(input);
  });
}

/** Backs up the PostgreSQL database at `url` with pg_dump into `dir`. */
export async function backupPostgres(
  url: string,
  dir: string,
  opts: { portable?: boolean; now?: Date } = {},
): Promise<BackupResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const format: BackupFormat = opts.portable ? "pg-sql" : "pg-custom";
  const snapshotAt = new Date();
  const base = ["--no-owner", "--no-privileges", `--dbname=${url}`];
  const data = opts.portable
    ? gzipSync(await run(pgBin("pg_dump"), [...base, "--format=plain", "--inserts"]))
    : await run(pgBin("pg_dump"), [...base, "--format=custom", "--compress=6"]);
  const written = await writeWithChecksum(dir, `kuntakalenteri-${stamp(now)}${SUFFIX[format]}`, data);
  return {
    ...written,
    bytes: data.byteLength,
    format,
    ms: Math.round(performance.now() - started),
    snapshotAt: snapshotAt.toISOString(),
  };
}

/** Checks `file` against `file.sha256`; throws when it is missing or does not match. */
export async function verifyChecksum(file: string): Promise<string> {
  const checksumFile = `${file}.sha256`;
  if (!existsSync(checksumFile)) throw new Error(`${checksumFile} is missing: cannot verify the backup`);
  const expected = (await readFile(checksumFile, "utf8")).trim().split(/\s+/)[0];
  const actual = createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
  if (actual !== expected) {
    throw new Error(
      `${basename(file)} does not match its checksum (${expected}): the file is damaged, do not restore it`,
    );
  }
  return actual;
}

export interface RestoreTarget {
  /** postgres:// URL; otherwise a PGlite data directory. */
  url?: string | undefined;
  dataDir?: string | undefined;
}

export interface RestoreResult {
  format: BackupFormat;
  target: string;
  ms: number;
  /** Where a non-empty PGlite directory was moved with --force. */
  movedAside?: string;
}

/**
 * The SQL of a plain dump, made executable without psql: recent pg_dump releases (17.6, 16.10,
 * 15.14 …) frame the dump in psql's `\restrict KEY` / `\unrestrict KEY` meta-commands.
 */
const withoutPsqlCommands = (text: string) => text.replace(/^\\(?:un)?restrict\b.*$/gm, "");

/** PostgreSQL settings newer servers print that older ones reject (a PGlite 17 dump into 15). */
function forServer(sqlText: string, serverVersion: number): string {
  if (serverVersion >= 170000) return sqlText;
  return sqlText.replace(/^SET transaction_timeout = .*$/m, "");
}

/** Restores `file` into an empty target (or any, with `force`). */
export async function restoreBackup(
  file: string,
  target: RestoreTarget,
  opts: { force?: boolean } = {},
): Promise<RestoreResult> {
  const started = performance.now();
  const format = formatOf(file);
  await verifyChecksum(file);
  if (target.url) {
    const sql = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = (await sql`
        select count(*)::int as n from information_schema.tables
        where table_schema in ('public', 'drizzle')`) as unknown as [{ n: number }];
      if (n > 0 && !opts.force) {
        throw new Error(
          `The target database is not empty (${n} tables): refusing to restore into it (use --force to replace it)`,
        );
      }
      if (n > 0)
        await sql.unsafe(
          "drop schema if exists drizzle cascade; drop schema public cascade; create schema public",
        );
      if (format === "pg-custom") {
        await sql.end({ timeout: 5 });
        await run(pgBin("pg_restore"), [
          "--no-owner",
          "--no-privileges",
          "--exit-on-error",
          "--single-transaction",
          `--dbname=${target.url}`,
          file,
        ]);
      } else {
        const [{ v }] = (await sql`select current_setting('server_version_num')::int as v`) as unknown as [
          { v: number },
        ];
        const text = forServer(withoutPsqlCommands(gunzipSync(await readFile(file)).toString("utf8")), v);
        await sql.begin((tx) => tx.unsafe(text));
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
    return { format, target: "PostgreSQL", ms: Math.round(performance.now() - started) };
  }

  const dataDir = target.dataDir;
  if (!dataDir) throw new Error("restore needs DATABASE_URL or DATA_DIR");
  if (format === "pg-custom") {
    throw new Error(
      "A pg_dump custom-format backup restores into PostgreSQL only. To move to PGlite, make a portable backup on PostgreSQL (npm run backup -- --portable) and restore that.",
    );
  }
  let movedAside: string | undefined;
  const entries = existsSync(dataDir) ? await readdir(dataDir) : [];
  if (entries.length > 0) {
    if (!opts.force) {
      throw new Error(
        `${dataDir} is not empty: refusing to restore into it (use --force to move it aside and restore)`,
      );
    }
    // Never delete: the old directory stays beside the new one until the operator removes it.
    movedAside = `${dataDir.replace(/\/+$/, "")}.before-restore-${stamp(new Date())}`;
    const release = lockDataDir(dataDir); // not while a server owns it
    release();
    await rename(dataDir, movedAside);
  }
  await mkdir(dirname(dataDir), { recursive: true });
  const release = lockDataDir(dataDir);
  const { PGlite: PGliteClass } = await import("@electric-sql/pglite");
  const db = new PGliteClass({ dataDir });
  try {
    await db.waitReady;
    await db.exec(withoutPsqlCommands(gunzipSync(await readFile(file)).toString("utf8")));
  } catch (err) {
    await db.close().catch(() => {});
    release();
    // A half-restored directory must not be mistaken for a good one.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    if (movedAside) await rename(movedAside, dataDir);
    throw err;
  }
  await db.close();
  release();
  return {
    format,
    target: `PGlite, ${dataDir}`,
    ms: Math.round(performance.now() - started),
    ...(movedAside ? { movedAside } : {}),
  };
}

/** Keeps the newest `keep` backups (and their checksum files) in `dir`, deletes the rest. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter(
    (n) => n.startsWith("kuntakalenteri-") && Object.values(SUFFIX).some((s) => n.endsWith(s)),
  );
  names.sort(); // the UTC stamp sorts by time
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const n of old) {
    await rm(join(dir, n), { force: true });
    await rm(join(dir, `${n}.sha256`), { force: true });
  }
  return old;
}

/** Size of a file, for reports. */
export const sizeOf = async (file: string) => (await stat(file)).size;

/**
 * Backups from the running Node server: on SIGUSR2 (`npm run backup` sends it when the server
 * owns the PGlite directory) and every `intervalMs` when configured (BACKUP_INTERVAL), keeping
 * the newest `keep`. One at a time; each result goes to `<dir>/last-backup.json` (and the log).
 */
export function serverBackups(opts: {
  dir: string;
  keep: number;
  make: (dir: string) => Promise<BackupResult>;
  log: (level: "info" | "error", msg: string, fields: Record<string, unknown>) => void;
}): { run(reason: string): Promise<void> } {
  let running: Promise<void> | undefined;
  const once = async (reason: string) => {
    let status: Record<string, unknown>;
    try {
      const result = await opts.make(opts.dir);
      const pruned = reason === "scheduled" ? await pruneBackups(opts.dir, opts.keep) : [];
      opts.log("info", "backup written", {
        reason,
        file: result.file,
        bytes: result.bytes,
        ms: result.ms,
        pruned: pruned.length,
      });
      status = { ok: true, reason, at: new Date().toISOString(), result };
    } catch (err) {
      opts.log("error", "backup failed", { reason, err });
      status = {
        ok: false,
        reason,
        at: new Date().toISOString(),
        error: err instanceof Error ? err.message : String(err),
      };
    }
    await mkdir(opts.dir, { recursive: true });
    await writeFile(join(opts.dir, "last-backup.json"), `${JSON.stringify(status, null, 2)}\n`);
  };
  return {
    run(reason) {
      running = (running ?? Promise.resolve()).then(() => once(reason));
      return running;
    },
  };
}
