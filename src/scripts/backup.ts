/**
 * `npm run backup [-- --dir DIR] [-- --portable]`: a dated, compressed backup with a SHA-256
 * checksum file beside it (src/runtime/node/backup.ts), into BACKUP_DIR (default ./backups).
 *
 * - PostgreSQL (DATABASE_URL): pg_dump -Fc; `--portable` makes plain SQL that PGlite restores.
 * - PGlite (DATA_DIR): when no server runs, the data directory is opened here. When the server
 *   owns it, the server is asked (SIGUSR2) to make the backup into its BACKUP_DIR without
 *   stopping, and this waits for its report (BACKUP_DIR/last-backup.json).
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { type BackupResult, backupPglite, backupPostgres } from "../runtime/node/backup.ts";
import { lockHolder } from "../runtime/node/data-dir-lock.ts";
import { openDatabase } from "../runtime/node/database.ts";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    portable: { type: "boolean", default: false },
    "timeout-seconds": { type: "string", default: "600" },
  },
});
const config = loadConfig(process.env);
const dir = values.dir ?? config.backup.dir;
const report = (r: BackupResult) =>
  process.stdout.write(
    `Backup written: ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.format}, ${r.ms} ms${r.heldMs !== undefined ? `, database held ${r.heldMs} ms` : ""})\n` +
      `Checksum:       ${r.checksumFile} (sha256 ${r.sha256})\nSnapshot at:    ${r.snapshotAt}\n`,
  );

async function askServer(pid: number): Promise<BackupResult> {
  if (values.dir && values.dir !== config.backup.dir) {
    throw new Error(
      "The running server writes into its own BACKUP_DIR; --dir cannot change that while it runs",
    );
  }
  const status = join(config.backup.dir, "last-backup.json");
  const before = await stat(status).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  process.stderr.write(`The server (pid ${pid}) owns ${config.dataDir}: asking it for a backup…\n`);
  process.kill(pid, "SIGUSR2");
  const deadline = Date.now() + Number(values["timeout-seconds"]) * 1000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const mtime = await stat(status).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (mtime <= before) continue;
    const last = JSON.parse(await readFile(status, "utf8")) as {
      ok: boolean;
      error?: string;
      result?: BackupResult;
    };
    if (!last.ok || !last.result) throw new Error(`The server's backup failed: ${last.error}`);
    return last.result;
  }
  throw new Error(`No answer from the server within ${values["timeout-seconds"]} s (see its log)`);
}

try {
  if (config.databaseUrl) {
    report(await backupPostgres(config.databaseUrl, dir, { portable: values.portable }));
  } else {
    const holder = lockHolder(config.dataDir);
    if (holder) {
      report(await askServer(holder.pid));
    } else {
      const database = await openDatabase({ dataDir: config.dataDir });
      try {
        const client = (database.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
        report(await backupPglite(client, dir));
      } finally {
        await database.close();
      }
    }
  }
} catch (err) {
  process.stderr.write(`Backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
