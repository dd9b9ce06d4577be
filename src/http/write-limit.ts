/**
 * Rate limit on every write by a caller without an account: anonymous requests and
 * submitters holding a magic link (X-Submitter-Token). Counted per client address before
 * the route reads the body, so a flood of edits or submissions costs one counter update
 * each. Organisers (session or API token) are not counted; the stricter per-purpose limits
 * (login, password reset, new submissions) still apply on top.
 *
 * Per municipality's site (#21): the budget is sized for one site's anonymous forms and
 * magic-link edits, which end up in that municipality's queue, so a busy or abused site
 * does not throttle residents of a neighbouring one sharing the deployment (or a shared
 * address, such as a library's, on another site).
 */
import type { MiddlewareHandler } from "hono";
import { perSite, RATE_RULES } from "../domain/rate-limit.ts";
import type { AppEnv } from "./types.ts";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export function unauthenticatedWriteLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const kind = c.get("actor")?.kind;
    if (!READS.has(c.req.method) && (kind === "anonymous" || kind === "submitter")) {
      const ctx = c.get("ctx");
      const key = perSite(ctx.tenant, c.get("clientIp"));
      await c.get("limiter").hit(RATE_RULES.unauthenticatedWrite, key, ctx.clock.now());
    }
    await next();
  };
}
