/**
 * Cloudflare Workers entry: builds the deps from the bindings (PostgreSQL through
 * Hyperdrive, env validated with zod) and the app once per isolate, opens the database per
 * request, and exports { fetch, scheduled }. One script serves every municipality of the
 * region, by host or path prefix, with no configuration per municipality: the files shared by
 * every site are served by Workers static assets (wrangler.toml `assets`), everything else
 * passes the Worker, which reads web/dist through the ASSETS binding. Public GETs and built
 * feeds are cached in the data centre's Cache API, keyed by the data versions of the
 * municipalities a response may show, so every isolate shares them and a write invalidates
 * the ones that may show it (docs/deployment.md).
 */

import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { createApp } from "../../app.ts";
import { CACHE, cacheControl } from "../../cache/policy.ts";
import { loadConfig } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { openPostgres } from "../../db/postgres.ts";
import { systemClock } from "../../domain/context.ts";
import { extendRecurringOccurrences } from "../../domain/events/occurrences.ts";
import { createRenderer } from "../../domain/notifications/notifications.ts";
import { createOutbox, logMailer } from "../../domain/notifications/outbox.ts";
import { purgeExpired } from "../../domain/privacy/purge.ts";
import type { AppEnv } from "../../http/types.ts";
import { createLogger } from "../../logger.ts";
import { requestSite, siteShell } from "../../pages/site-shell.ts";
import { cacheApiFeedCache, cacheApiResponseCache } from "./cache-api.ts";

const Bindings = z.object({
  HYPERDRIVE: z.object({ connectionString: z.string().min(1) }),
  PUBLIC_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().optional(),
  DEFAULT_LOCALE: z.string().optional(),
  DEFAULT_MUNICIPALITY: z.string().optional(),
  TIMEZONE: z.string().optional(),
  LOG_LEVEL: z.string().optional(),
  NODE_ENV: z.string().optional(),
  RETENTION_SENT_MAIL_DAYS: z.string().optional(),
  RETENTION_AUDIT_DAYS: z.string().optional(),
  RETENTION_UNCONFIRMED_DAYS: z.string().optional(),
});

export interface Env {
  HYPERDRIVE: { connectionString: string };
  /** Workers static assets (web/dist); also the source of the server-rendered page shells. */
  ASSETS?: { fetch(request: Request): Promise<Response> };
  PUBLIC_URL?: string;
  SESSION_SECRET?: string;
  DEFAULT_LOCALE?: string;
  /** Slug of the municipality served when neither host nor path names one (src/http/tenant.ts). */
  DEFAULT_MUNICIPALITY?: string;
  TIMEZONE?: string;
  LOG_LEVEL?: string;
  NODE_ENV?: string;
  RETENTION_SENT_MAIL_DAYS?: string;
  RETENTION_AUDIT_DAYS?: string;
  RETENTION_UNCONFIRMED_DAYS?: string;
}

/** Loaded as modules from other sites' pages: served with CORS (as web/dist/_headers says). */
const CROSS_ORIGIN = /^\/(embed\.js$|assets\/)/;

/** The hourly cron (wrangler.toml `triggers.crons`): the purge; every other run sends mail. */
const PURGE_CRON = "17 * * * *";

function depsFrom(env: Env) {
  const bindings = Bindings.parse(env);
  const config = loadConfig({
    NODE_ENV: bindings.NODE_ENV ?? "production",
    PUBLIC_URL: bindings.PUBLIC_URL,
    SESSION_SECRET: bindings.SESSION_SECRET,
    DEFAULT_LOCALE: bindings.DEFAULT_LOCALE,
    DEFAULT_MUNICIPALITY: bindings.DEFAULT_MUNICIPALITY,
    TIMEZONE: bindings.TIMEZONE,
    LOG_LEVEL: bindings.LOG_LEVEL,
    DATABASE_URL: bindings.HYPERDRIVE.connectionString,
    RETENTION_SENT_MAIL_DAYS: bindings.RETENTION_SENT_MAIL_DAYS,
    RETENTION_AUDIT_DAYS: bindings.RETENTION_AUDIT_DAYS,
    RETENTION_UNCONFIRMED_DAYS: bindings.RETENTION_UNCONFIRMED_DAYS,
  });
  const logger = createLogger(config.logLevel, undefined, { redactionKey: config.sessionSecret });
  const outbox = createOutbox(
    logMailer(logger),
    logger,
    createRenderer({ publicUrl: config.publicUrl, siteName: config.siteName }),
  );
  // Hyperdrive pools connections itself; a small client per request is the recommended use
  // (and the only one possible: a connection opened for one request cannot serve another).
  const openDatabase = () => openPostgres(bindings.HYPERDRIVE.connectionString, { max: 5, prepare: false });
  return { config, logger, outbox, openDatabase };
}

/** What each request hands the app as Hono's `c.env`: the bindings and its own database. */
type RequestEnv = Env & { db: Db };

function appFrom(env: Env, { config, logger, outbox }: Deps) {
  const assets = env.ASSETS;
  const origin = new URL(config.publicUrl).origin;
  // Page shells for /tapahtumat/{id} and /saavutettavuus ("event.html" is served as /event).
  const shell = assets
    ? async (file: string) => {
        const res = await assets.fetch(new Request(new URL(`/${file.replace(/\.html$/, "")}`, origin)));
        return res.ok || file === "404.html" ? res.text() : null;
      }
    : undefined;
  // Every request but the shared static files (wrangler.toml `run_worker_first`) reaches the
  // Worker, which serves every municipality (#21). After the app's routes, the files of
  // web/dist are answered from the ASSETS binding as they are (under a prefix the tenant
  // middleware has stripped it), HTML shells become the request's site's page, and a miss is
  // the site's 404 page for a browser's page request or a 404 problem otherwise (as on Node,
  // src/runtime/node/assets.ts).
  const siteAssets: MiddlewareHandler<AppEnv> | undefined =
    assets && shell
      ? async (c, next) => {
          if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
          const path = new URL(c.req.url).pathname;
          if (path.startsWith("/api/") || path.startsWith("/feeds/")) return next();
          const { site, lang } = requestSite(c);
          if (path === "/" || path === "/index.html") {
            const html = await shell("index.html");
            if (html !== null) {
              c.header("Cache-Control", cacheControl(CACHE.shell));
              return c.html(siteShell(html, site, lang));
            }
          }
          const res = await assets.fetch(new Request(new URL(path, origin), { method: c.req.method }));
          if (res.status === 404) {
            await res.body?.cancel();
            const isPage =
              !/\.[a-z0-9]{1,8}$/i.test(path) && (c.req.header("accept") ?? "").includes("text/html");
            const page = isPage ? await shell("404.html") : null;
            if (page === null) return next();
            c.header("Cache-Control", cacheControl(CACHE.revalidate));
            return c.html(siteShell(page, site, lang), 404);
          }
          if (res.status >= 300 && res.status < 400) {
            // The assets layer's own redirects (e.g. /x.html → /x) stay on the request's site.
            const location = res.headers.get("location");
            if (!location?.startsWith("/") || location.startsWith("//")) return res;
            await res.body?.cancel();
            return c.redirect(`${site.base_path}${location}`, res.status as 301 | 302 | 307 | 308);
          }
          if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) {
            // A fetched response's headers are immutable; the app's middlewares add theirs.
            const headers = new Headers(res.headers);
            // The embed script and its chunks load as modules on other sites, also under a
            // prefix (web/dist/_headers covers only the unprefixed files the assets layer serves).
            if (CROSS_ORIGIN.test(path)) headers.set("Access-Control-Allow-Origin", "*");
            return new Response(res.body, { status: res.status, headers });
          }
          return c.html(siteShell(await res.text(), site, lang), res.status as 200);
        }
      : undefined;
  // workers-types' CacheStorage has `default`; the DOM lib's (also loaded) does not.
  const edgeCache = (caches as unknown as { default: Cache }).default;
  return createApp({
    db: (c) => (c.env as RequestEnv).db,
    config,
    clock: systemClock,
    logger,
    outbox,
    shell,
    ...(siteAssets ? { assets: siteAssets } : {}),
    // Set by Cloudflare's edge; clients cannot forge it.
    clientIp: (c) => c.req.header("cf-connecting-ip"),
    // Shared by all isolates of the data centre; keys carry the data version.
    responseCache: cacheApiResponseCache(edgeCache, origin),
    feedCache: cacheApiFeedCache(edgeCache, origin),
  });
}

type Deps = ReturnType<typeof depsFrom>;

/**
 * Built on first use and kept for the isolate's lifetime: the bindings do not change within
 * one isolate. Nothing tied to one request (its database, its `ctx.waitUntil`) is kept here.
 */
let deps: Deps | undefined;
let app: ReturnType<typeof createApp> | undefined;

export default {
  async fetch(request, env, ctx) {
    deps ??= depsFrom(env);
    app ??= appFrom(env, deps);
    const database = deps.openDatabase();
    const response = await app.fetch(request, { ...env, db: database.db } satisfies RequestEnv, ctx);
    ctx.waitUntil(database.close());
    return response;
  },
  async scheduled(controller, env, ctx) {
    deps ??= depsFrom(env);
    const { config, logger, outbox } = deps;
    const database = deps.openDatabase();
    const now = systemClock.now();
    if (controller.cron === PURGE_CRON) {
      ctx.waitUntil(
        purgeExpired({ db: database.db, config, clock: systemClock, logger, outbox })
          .then((report) => logger.info("purged expired data", { ...report }))
          .catch((err: unknown) => logger.error("scheduled purge failed", { err }))
          .finally(() => database.close()),
      );
      return;
    }
    ctx.waitUntil(
      database.db
        .transaction((tx) => outbox.dispatch(tx, now))
        .catch((err: unknown) => logger.error("scheduled dispatch failed", { err }))
        .then(() => database.db.transaction((tx) => extendRecurringOccurrences(tx, now)))
        .catch((err: unknown) => logger.error("scheduled occurrence extension failed", { err }))
        .finally(() => database.close()),
    );
  },
} satisfies ExportedHandler<Env>;
