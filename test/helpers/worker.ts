/**
 * Starts the Cloudflare Workers build locally (`wrangler dev`, workerd from npm) on a
 * free loopback port against a PostgreSQL database, for smoke tests. The whole process
 * group (wrangler and workerd) is stopped afterwards.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./server.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningWorker {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Hyperdrive's local mode wants a password in the URL; trust auth ignores it. */
export function withPassword(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = "local";
  return u.toString();
}

export async function startWorker(databaseUrl: string, timeoutMs = 120_000): Promise<RunningWorker> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // A fresh local state (Cache API entries) per run: nothing cached by an earlier run is served.
  const state = mkdtempSync(join(tmpdir(), "kk-wrangler-state-"));
  const proc = spawn(
    process.execPath,
    [
      "node_modules/wrangler/bin/wrangler.js",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(await freePort()),
      "--var",
      `PUBLIC_URL:${url}`,
      "--var",
      "SESSION_SECRET:worker-smoke-test-secret-0123456789abcdef",
      "--var",
      "LOG_LEVEL:warn",
      "--persist-to",
      state,
    ],
    {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword(databaseUrl),
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_LOG_PATH: "/tmp/kk-wrangler-logs",
        CI: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.pid) {
      try {
        process.kill(-proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (proc.pid) process.kill(-proc.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`wrangler exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the worker did not become healthy in ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, proc, output: () => out, stop };
}
