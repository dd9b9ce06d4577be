/** Hono environment types shared by the route modules. */
import type { Actor } from "../domain/accounts/access.ts";
import type { Ctx, Tenant } from "../domain/context.ts";
import type { RateLimiter } from "../domain/rate-limit.ts";
import type { TenantDirectory } from "../domain/tenants.ts";
import type { Logger } from "../logger.ts";
import type { TenantCache } from "./tenant.ts";

/** The session cookie (HttpOnly; the response cache treats a request carrying it as personal). */
export const SESSION_COOKIE = "kk_session";

export interface AppVariables {
  requestId: string;
  ctx: Ctx;
  /** The municipality the request is for (src/http/tenant.ts); also `ctx.tenant`. */
  tenant: Tenant;
  logger: Logger;
  /** The base URL of the request's site (src/http/tenant.ts siteBaseUrl); links start with it. */
  publicUrl: string;
  /** The path prefix the browser sees ("/<slug>" or ""): the front-end prefixes its own URLs with it. */
  basePath: string;
  /** Every municipality of the region (src/http/tenant.ts): `municipality=` (src/http/scope.ts), allowed origins. */
  tenants: TenantDirectory;
  /** Who is calling; set by the auth middleware on /api/v1. */
  actor: Actor;
  /** The client's address for rate limits (see client-ip.ts). */
  clientIp: string;
  limiter: RateLimiter;
  /** The municipalities this instance holds (src/http/tenant.ts): invalidated after an edit. */
  tenantCache: TenantCache;
  /** A stricter Referrer-Policy for this response (pages whose URL carries a token). */
  referrerPolicy?: "no-referrer";
  /** Set by the public response cache when it gives the response an ETag of its own key. */
  keyEtag?: string;
}

export interface AppEnv {
  Variables: AppVariables;
}
