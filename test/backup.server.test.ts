/**
 * Backups of a running server (#22): `npm run backup` asks the server that owns the PGlite
 * directory (SIGUSR2) and reports the file it wrote, without stopping it; BACKUP_INTERVAL makes
 * scheduled backups and BACKUP_KEEP prunes them. On PostgreSQL the command runs pg_dump itself.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { verifyChecksum } from "../src/runtime/node/backup.ts";
import { createTestDatabase, onPostgres } from "./helpers/db.ts";
import { startServer } from "./helpers/server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe(`backups of a running server (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("npm run backup while the server runs; scheduled backups, the newest BACKUP_KEEP kept", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kk-srvbackup-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    let dbEnv: Record<string, string>;
    if (onPostgres) {
      const pg = await createTestDatabase();
      cleanups.push(() => pg.close());
      dbEnv = { DATABASE_URL: pg.url as string };
    } else {
      dbEnv = { DATA_DIR: join(dir, "data") };
    }
    const env = {
      ...dbEnv,
      SEED: "none",
      BACKUP_DIR: join(dir, "backups"),
      BACKUP_INTERVAL: "15s",
      BACKUP_KEEP: "1",
    };
    const server = await startServer(env);
    cleanups.push(() => server.stop("SIGKILL"));

    const cli = spawnSync(process.execPath, ["--import", "tsx", "src/scripts/backup.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    if (!onPostgres) expect(cli.stderr).toMatch(/The server \(pid \d+\) owns/);
    const file = /Backup written: (\S+)/.exec(cli.stdout)?.[1] as string;
    expect(file).toMatch(onPostgres ? /\.pg\.dump$/ : /\.pglite\.sql\.gz$/);
    await verifyChecksum(file);
    // The server still answers.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    // A scheduled backup follows; with BACKUP_KEEP=1 only it stays.
    const status = join(dir, "backups", "last-backup.json");
    for (let i = 0; i < 300; i++) {
      // On PostgreSQL the command ran pg_dump itself: the file appears with the first scheduled backup.
      const last = JSON.parse(await readFile(status, "utf8").catch(() => "{}")) as {
        reason?: string;
        ok?: boolean;
      };
      if (last.reason === "scheduled") {
        expect(last.ok, JSON.stringify(last)).toBe(true);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const files = (await readdir(join(dir, "backups"))).filter((n) => n.startsWith("kuntakalenteri-"));
    expect(files.length).toBe(2); // one backup and its checksum
    expect(await server.stop()).toBe(0);
  }, 240_000);
});
