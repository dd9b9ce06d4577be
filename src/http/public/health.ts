/** GET /healthz: 200 when the database answers within two seconds, 503 otherwise. */
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import type { AppEnv } from "../types.ts";

const TIMEOUT_MS = 2000;

export function healthRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/healthz", async (c) => {
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
    c.header("Cache-Control", cacheControl(CACHE.private));
    if (db === "ok") return c.json({ status: "ok", db: "ok" }, 200);
    return c.json({ status: "unavailable", db }, 503);
  });
  return app;
}
