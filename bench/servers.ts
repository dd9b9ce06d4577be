/**
 * Pieces the benchmarks share: the bare node:http baseline server (bench/baseline.mjs, in its
 * own process) and a process's peak RSS.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Peak resident set size of a process (VmHWM), in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/**
 * A bare node:http server answering every request with the same status, headers and bytes,
 * in its own process like the real server (in the load generator's process it would share
 * its event loop: no wake-ups between processes at one connection, one core for both at more).
 * Its files go to `work` under `name`.
 */
export async function baselineServer(
  work: string,
  name: string,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ url: string; stop(): Promise<void> }> {
  const bodyFile = join(work, `${name}-body`);
  const specFile = join(work, `${name}.json`);
  await writeFile(bodyFile, body);
  await writeFile(specFile, JSON.stringify({ status, headers, bodyFile }));
  const proc = spawn(process.execPath, [join(ROOT, "bench/baseline.mjs"), specFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`baseline server exited ${code}`)));
    proc.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.removeAllListeners("exit");
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}
