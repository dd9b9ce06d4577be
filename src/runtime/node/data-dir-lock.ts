/**
 * One process owns a PGlite data directory: PGlite is PostgreSQL in single-user mode, and a
 * second process opening the same files would corrupt them. The owner writes
 * `<DATA_DIR>/kuntakalenteri.pid` (its pid and host name, created exclusively) and removes
 * it on close. A second process finds the file and stops with a clear message. A file left
 * by a process that died is taken over when the pid no longer runs on this host (or is our
 * own pid: a container restarted as pid 1). A file written on another host is never taken
 * over automatically.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "kuntakalenteri.pid";

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
        "Only one process may open a PGlite data directory: stop that process first " +
        "(a backup of a running server is made by `npm run backup`, which asks the server). " +
        `If no such process runs any more, delete ${join(dataDir, LOCK_FILE)}.`,
    );
    this.name = "DataDirLockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Who holds the lock on `dataDir` (a live process), or undefined. */
export function lockHolder(dataDir: string): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
  if (holder.host === hostname() && (holder.pid === process.pid || !alive(holder.pid))) return undefined;
  return holder;
}

/** Takes the data directory (creating it); returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw err;
      const holder = lockHolder(dataDir);
      if (holder) throw new DataDirLockedError(dataDir, holder);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      const current = JSON.parse(readFileSync(file, "utf8")) as LockHolder;
      if (current.pid === me.pid && current.since === me.since) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}
