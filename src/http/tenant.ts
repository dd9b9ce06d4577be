/**
 * Resolves the tenant (the municipality whose site a request is for, ADR 0006) once per
 * request: by host (municipality_hosts), else by a path prefix `/<slug>/…` when the first
 * segment is a municipality's slug (the prefix is stripped and the rest served as usual: API,
 * pages and feeds), else the default municipality (DEFAULT_MUNICIPALITY, or the only one, or
 * the one with slug "default"). A single-municipality installation keeps today's URLs.
 *
 * The municipalities are read from the database at most once per TTL per isolate.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Queryable } from "../db/client.ts";
import { DEFAULT_MUNICIPALITY_ID } from "../db/schema.ts";
import type { Tenant } from "../domain/context.ts";
import { loadTenantDirectory, type TenantDirectory } from "../domain/tenants.ts";
import { problem } from "./problem.ts";
import type { AppEnv } from "./types.ts";

/** How long the municipalities are kept in memory. */
export const TENANT_TTL_MS = 30_000;

/** The municipalities of one app instance (isolate), re-read after `ttlMs`. */
export interface TenantCache {
  get(db: Queryable): Promise<TenantDirectory>;
  /** The directory held now, if fresh (the Node fast path resolves synchronously). */
  peek(): TenantDirectory | undefined;
  invalidate(): void;
}

export function tenantCache(ttlMs = TENANT_TTL_MS, now: () => number = Date.now): TenantCache {
  let held: { directory: TenantDirectory; at: number } | undefined;
  let loading: Promise<TenantDirectory> | undefined;
  const fresh = () => (held && now() - held.at < ttlMs ? held.directory : undefined);
  return {
    async get(db) {
      const directory = fresh();
      if (directory) return directory;
      loading ??= loadTenantDirectory(db)
        .then((d) => {
          held = { directory: d, at: now() };
          return d;
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
    peek: fresh,
    invalidate() {
      held = undefined;
    },
  };
}

/** Lower-cased host name without the port. */
export function hostOf(host: string | undefined): string {
  return (host ?? "").toLowerCase().replace(/:\d+$/, "");
}

/**
 * The tenant when no host or prefix names one: DEFAULT_MUNICIPALITY, else the only one, else
 * the one with slug "default", else the installation's first (the fixed id migration 0008
 * gave it, which the demo region's Nurmijärvi keeps), else the first by slug; null when
 * DEFAULT_MUNICIPALITY names none.
 */
export function defaultTenant(directory: TenantDirectory, defaultSlug?: string): Tenant | null {
  if (defaultSlug) return directory.bySlug.get(defaultSlug) ?? null;
  if (directory.all.length === 1) return directory.all[0] ?? null;
  return (
    directory.bySlug.get("default") ??
    directory.all.find((m) => m.id === DEFAULT_MUNICIPALITY_ID) ??
    directory.all[0] ??
    null
  );
}

export type TenantMatch = { tenant: Tenant; prefix: string | null; byHost?: boolean } | null;

/** Host, else first path segment, else the default. */
export function matchTenant(
  directory: TenantDirectory,
  host: string,
  pathname: string,
  defaultSlug?: string,
): TenantMatch {
  const byHost = directory.byHost.get(host);
  if (byHost) return { tenant: byHost, prefix: null, byHost: true };
  const segment = /^\/([a-z0-9][a-z0-9-]*)(?:\/|$)/.exec(pathname)?.[1];
  const byPath = segment ? directory.bySlug.get(segment) : undefined;
  // A region of one has no prefixes: its URLs stay exactly as they were.
  if (byPath && directory.all.length > 1) return { tenant: byPath, prefix: `/${segment}` };
  const fallback = defaultTenant(directory, defaultSlug);
  return fallback ? { tenant: fallback, prefix: null } : null;
}

/**
 * The base URL of the site a request came to (#21): the municipality's public_url if set;
 * else, matched by host, that host with PUBLIC_URL's scheme and port; else PUBLIC_URL plus
 * the path prefix when matched by prefix; else PUBLIC_URL. The host comes from the directory
 * (never the raw Host header's port), so a forged port cannot get into cached links.
 */
export function siteBaseUrl(publicUrl: string, match: NonNullable<TenantMatch>, host: string): string {
  if (match.tenant.publicUrl) return match.tenant.publicUrl;
  if (match.byHost) {
    const own = new URL(publicUrl);
    return `${own.protocol}//${host}${own.port ? `:${own.port}` : ""}`;
  }
  if (match.prefix) return `${publicUrl}${match.prefix}`;
  return publicUrl;
}

interface Resolved {
  tenant: Tenant;
  prefix: string;
  directory: TenantDirectory;
}

/** Requests re-dispatched without their prefix, and the tenant already resolved for them. */
const resolved = new WeakMap<Request, Resolved>();

export interface TenantMiddlewareOptions {
  cache: TenantCache;
  db: (c: Context<AppEnv>) => Queryable;
  /** PUBLIC_URL (without a trailing slash): the base of the sites' URLs. */
  publicUrl: string;
  /** DEFAULT_MUNICIPALITY: the slug served when neither host nor path names one. */
  defaultSlug?: string | undefined;
  /** Serves a request again from the top (the app's fetch): used for prefixed paths. */
  redispatch: (request: Request, c: Context<AppEnv>) => Response | Promise<Response>;
}

/**
 * Sets `tenant` for the request. A prefixed path is served by dispatching the request again
 * without its prefix, so every route, page and feed answers under `/<slug>` unchanged.
 */
export function tenantMiddleware(opts: TenantMiddlewareOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // The health checks answer (503) even when the municipalities cannot be read.
    if (c.req.path === "/healthz" || c.req.path === "/readyz") return next();
    const known = resolved.get(c.req.raw);
    if (known) {
      setSite(c, known);
      return next();
    }
    const directory = await opts.cache.get(opts.db(c));
    const url = new URL(c.req.url);
    const host = hostOf(c.req.header("host") ?? url.host);
    const match = matchTenant(directory, host, url.pathname, opts.defaultSlug);
    if (!match) return problem(c, 404, "not-found", "No municipality is served at this address");
    const site: Resolved = {
      tenant: { ...match.tenant, baseUrl: siteBaseUrl(opts.publicUrl, match, host) },
      prefix: match.prefix ?? "",
      directory,
    };
    if (match.prefix) {
      url.pathname = url.pathname.slice(match.prefix.length) || "/";
      const raw = c.req.raw;
      const hasBody = raw.method !== "GET" && raw.method !== "HEAD" && raw.body !== null;
      const headers = new Headers(raw.headers);
      headers.set("x-request-id", c.get("requestId"));
      const inner = new Request(url, {
        method: raw.method,
        headers,
        signal: raw.signal,
        ...(hasBody ? { body: raw.body, duplex: "half" } : {}),
      } as RequestInit);
      resolved.set(inner, site);
      return opts.redispatch(inner, c);
    }
    setSite(c, site);
    return next();
  };
}

function setSite(c: Context<AppEnv>, site: Resolved): void {
  c.set("tenant", site.tenant);
  c.set("publicUrl", site.tenant.baseUrl ?? "");
  c.set("basePath", site.prefix);
  c.set("tenants", site.directory);
}
