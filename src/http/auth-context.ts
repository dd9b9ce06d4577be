/**
 * Resolves who is calling (session cookie, API token or submitter magic link) and
 * protects cookie-authenticated mutations against CSRF: their Origin (or Referer) must
 * be the site's own. Bearer-token calls carry no ambient credentials and are exempt.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { type Actor, ANONYMOUS } from "../domain/accounts/access.ts";
import { SESSION_TTL_SECONDS, userFromSession } from "../domain/accounts/accounts.ts";
import { Forbidden, Unauthorized } from "../domain/errors.ts";
import { actorFromApiToken } from "../domain/organisations/organisations.ts";
import type { TenantDirectory } from "../domain/tenants.ts";
import { submitterFromToken } from "../domain/workflow/submissions.ts";
import { type ClientIpFn, resolveClientIp } from "./client-ip.ts";
import { type AppEnv, SESSION_COOKIE } from "./types.ts";

export { SESSION_COOKIE };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The origin a mutation claims to come from: its Origin header, else its Referer's origin.
 * "null" (an opaque origin: sandboxed frames, data: URLs, some redirects) stays "null" even
 * when a Referer names this site, since a Referer can be the site's own while the request
 * is not; null means neither header was sent.
 */
function requestOrigin(c: Context): string | null {
  const origin = c.req.header("origin");
  if (origin) return origin;
  const referer = c.req.header("referer");
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

/**
 * The origins whose pages may send cookie-authenticated mutations: PUBLIC_URL's; every
 * municipality host (https, and http too when PUBLIC_URL is http, with PUBLIC_URL's port);
 * every municipality's public_url origin; and when PUBLIC_URL is not set (so it is only a
 * localhost guess), also the origin the request came to (its Host header), so that
 * http://127.0.0.1:8787 or a LAN address work out of the box.
 */
function ownOrigins(c: Context<AppEnv>): Set<string> {
  const config = c.get("ctx").config;
  const origins = regionOrigins(config.publicUrl, c.get("tenants"));
  if (config.publicUrlExplicit) return origins;
  try {
    return new Set([...origins, new URL(c.req.url).origin]);
  } catch {
    return origins;
  }
}

/** The region's origins, computed once per directory (the directory is re-read every 30 s). */
const originsOf = new WeakMap<TenantDirectory, Set<string>>();

export function regionOrigins(publicUrl: string, directory: TenantDirectory | undefined): Set<string> {
  const own = new URL(publicUrl);
  if (!directory) return new Set([own.origin]);
  let origins = originsOf.get(directory);
  if (origins) return origins;
  origins = new Set([own.origin]);
  const port = own.port ? `:${own.port}` : "";
  const schemes = own.protocol === "http:" ? ["https:", "http:"] : ["https:"];
  for (const host of directory.byHost.keys()) {
    for (const scheme of schemes) {
      origins.add(`${scheme}//${host}`);
      // PUBLIC_URL's port too (a site run on a port, e.g. in development).
      if (port) origins.add(`${scheme}//${host}${port}`);
    }
  }
  for (const tenant of directory.all) {
    if (!tenant.publicUrl) continue;
    try {
      origins.add(new URL(tenant.publicUrl).origin);
    } catch {
      // A malformed public_url allows nothing.
    }
  }
  originsOf.set(directory, origins);
  return origins;
}

export function authContext(clientIp?: ClientIpFn): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ctx = c.get("ctx");
    c.set("clientIp", resolveClientIp(c, ctx.config.trustProxy, clientIp?.(c)));
    let actor: Actor = ANONYMOUS;
    const authorization = c.req.header("authorization");
    const cookie = getCookie(c, SESSION_COOKIE);
    if (authorization) {
      const m = /^Bearer\s+(\S{10,200})$/i.exec(authorization);
      const token = m ? await actorFromApiToken(ctx, m[1] as string) : null;
      if (!token) throw new Unauthorized("Unknown or revoked API token (send Authorization: Bearer <token>)");
      actor = token;
    } else {
      if (MUTATING.has(c.req.method)) {
        const origin = requestOrigin(c);
        if ((origin !== null && !ownOrigins(c).has(origin)) || (origin === null && cookie)) {
          throw new Forbidden("Cross-site request rejected: the Origin header does not match this site");
        }
      }
      // The magic-link token is an explicit credential, sent only by the submitter's page, so it
      // wins over an ambient session cookie: someone signed in can still open their link.
      const magic = c.req.header("x-submitter-token");
      if (magic) {
        const submitter = await submitterFromToken(ctx, magic.slice(0, 200));
        if (!submitter) throw new Unauthorized("The link has expired; ask for a new one");
        actor = submitter;
      } else if (cookie) {
        actor = (await userFromSession(ctx, cookie)) ?? ANONYMOUS;
      }
    }
    c.set("actor", actor);
    await next();
  };
}

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: c.get("publicUrl").startsWith("https://"),
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}
