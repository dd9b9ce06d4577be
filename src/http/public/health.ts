/**
 * GET /healthz (liveness): 200 when the database answers within two seconds, 503 otherwise.
 * GET /readyz (readiness, for load balancers): 200 only once the process is ready — migrations
 * applied and warmed up (the municipalities loaded, a first query answered) — and the database
 * answers; 503 while starting and while draining after SIGTERM, so traffic moves elsewhere
 * before the process stops. Without a `Readiness` (Workers, tests) a process is always ready.
 */
import { sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import type { AppEnv } from "../types.ts";

const TIMEOUT_MS = 2000;

export type ReadinessPhase = "starting" | "ready" | "draining";

/** The process's lifecycle as the runtime sees it (src/runtime/node/main.ts). */
export interface Readiness {
  phase(): ReadinessPhase;
}

/** A settable readiness: "starting" until `ready()`, "draining" after `drain()`. */
export function createReadiness(): Readiness & { ready(): void; drain(): void } {
  let phase: ReadinessPhase = "starting";
  return {
    phase: () => phase,
    ready: () => {
      if (phase === "starting") phase = "ready";
    },
    drain: () => {
      phase = "draining";
    },
  };
}

async function pingDatabase(c: Context<AppEnv>): Promise<"ok" | "timeout" | "error"> {
  const ctx = c.get("ctx");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const db = await Promise.race([
    ctx.db.execute(sql`select 1`).then(() => "ok" as const),
    new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), TIMEOUT_MS);
    }),
  ]).catch((err: unknown) => {
    c.get("logger").warn("health check: database error", { err });
    return "error" as const;
  });
  if (timer !== undefined) clearTimeout(timer);
  return db;
}

export function healthRoutes(readiness?: Readiness) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", async (c) => {
    const db = await pingDatabase(c);
    c.header("Cache-Control", cacheControl(CACHE.private));
    if (db === "ok") return c.json({ status: "ok", db: "ok" }, 200);
    return c.json({ status: "unavailable", db }, 503);
  });
  app.get("/readyz", async (c) => {
    c.header("Cache-Control", cacheControl(CACHE.private));
    const phase = readiness?.phase() ?? "ready";
    if (phase !== "ready") return c.json({ status: phase }, 503);
    const db = await pingDatabase(c);
    if (db === "ok") return c.json({ status: "ready", db: "ok" }, 200);
    return c.json({ status: "unavailable", db }, 503);
  });
  return app;
}
