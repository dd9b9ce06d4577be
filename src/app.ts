/**
 * createApp(deps) → the Hono app: API, feeds and (through deps.assets) the web
 * front-end. Reads no environment and imports nothing from node:*, so the same app
 * runs on Node and on Cloudflare Workers; entry points build the deps.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { matchedRoutes } from "hono/route";
import { publicResponseCache, type ResponseCache } from "./cache/response-cache.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import type { Clock, Ctx } from "./domain/context.ts";
import type { DataVersionTracker } from "./domain/data-version.ts";
import type { Outbox } from "./domain/notifications/outbox.ts";
import { dbRateLimiter, type RateLimiter } from "./domain/rate-limit.ts";
import type { FeedCache } from "./feeds/feed-cache.ts";
import { categoryAdminRoutes } from "./http/admin/categories.ts";
import { municipalityAdminRoutes } from "./http/admin/municipalities.ts";
import { adminRoutes } from "./http/admin/routes.ts";
import { authRoutes } from "./http/auth/routes.ts";
import { authContext } from "./http/auth-context.ts";
import type { ClientIpFn } from "./http/client-ip.ts";
import { accessLog, jsonBodies, openCors, requestIdFor, securityHeaders } from "./http/middleware.ts";
import { moderationRoutes } from "./http/moderation/routes.ts";
import { openApiDocument } from "./http/openapi.ts";
import { organiserRoutes } from "./http/organiser/events.ts";
import { organisationRoutes } from "./http/organiser/organisations.ts";
import { submissionRoutes } from "./http/organiser/submissions.ts";
import { errorToProblem, problem } from "./http/problem.ts";
import { docsRoutes } from "./http/public/docs.ts";
import { publicEventRoutes } from "./http/public/events.ts";
import { feedLinkRoutes, feedRoutes } from "./http/public/feeds.ts";
import { healthRoutes, type Readiness } from "./http/public/health.ts";
import { publicReferenceRoutes } from "./http/public/reference.ts";
import { siteRoutes } from "./http/public/site.ts";
import { documentSiteRoutes } from "./http/site-docs.ts";
import { type TenantCache, tenantCache, tenantMiddleware } from "./http/tenant.ts";
import type { AppEnv } from "./http/types.ts";
import { validationHook } from "./http/validation.ts";
import { unauthenticatedWriteLimit } from "./http/write-limit.ts";
import type { Logger } from "./logger.ts";
import { pageRoutes, type ShellLoader } from "./pages/event-page.ts";

export interface AppDeps {
  /**
   * The database: one for the process (Node), or a function that gives each request its own
   * (Workers, where a connection opened for one request cannot serve another, so the app is
   * built once per isolate and the database is opened per request).
   */
  db: Db | ((c: Context<AppEnv>) => Db);
  config: Config;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  /** Serves the built front-end (web/dist); called for paths no route claimed. */
  assets?: MiddlewareHandler<AppEnv>;
  /** The client's socket address (Node: getConnInfo); X-Forwarded-For only with TRUST_PROXY. */
  clientIp?: ClientIpFn;
  /** Rate limits on login, password reset and anonymous submission; default: DB-backed. */
  rateLimiter?: RateLimiter;
  /**
   * Reads a page shell of the built front-end (e.g. "event.html"); enables the
   * server-rendered pages /tapahtumat/{id} and /saavutettavuus.
   */
  shell?: ShellLoader;
  /**
   * Cache of public GET responses keyed by the data version (Node: in-memory LRU;
   * Workers: the Cache API). Without one, responses are built on every request.
   */
  responseCache?: ResponseCache;
  /** Cache of built feeds; default: an in-memory LRU of this app instance. */
  feedCache?: FeedCache;
  /**
   * The data version kept in memory (long-lived processes; fed by the database's
   * notifications and by `noteQuery` of every statement). Without one, the response
   * cache reads the version from the database on every request (Workers).
   */
  dataVersion?: DataVersionTracker;
  /** The municipalities held in memory (default: this app's own, re-read every 30 s). */
  tenants?: TenantCache;
  /** Starting / ready / draining, for GET /readyz (Node); without it the app is always ready. */
  readiness?: Readiness;
  /**
   * Told of every answered request: method, route pattern (never the raw path), status,
   * seconds, the response cache's verdict (Node metrics, src/runtime/node/metrics.ts).
   */
  observeRequest?: (o: {
    method: string;
    route: string;
    status: number;
    seconds: number;
    cache: string | null;
  }) => void;
}

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  /** What the routes read the database through: the domain's context and the rate limiter. */
  const scopeFor = (db: Db): { ctx: Omit<Ctx, "tenant">; limiter: RateLimiter } => ({
    ctx: { db, config: deps.config, clock: deps.clock, logger: deps.logger, outbox: deps.outbox },
    limiter: deps.rateLimiter ?? dbRateLimiter(db, deps.config.sessionSecret),
  });
  const { db } = deps;
  let scopeOf: (c: Context<AppEnv>) => { ctx: Omit<Ctx, "tenant">; limiter: RateLimiter };
  if (typeof db === "function") {
    scopeOf = (c) => scopeFor(db(c));
  } else {
    const shared = scopeFor(db);
    scopeOf = () => shared;
  }
  const tracker = deps.dataVersion;

  if (tracker) {
    // A request that wrote has committed by the time it is answered: forget the version
    // held in memory then, so that the next request reads the new one, even before the
    // database's notification arrives.
    app.use("*", async (_c, next) => {
      const writes = tracker.writes;
      try {
        await next();
      } finally {
        if (tracker.writes !== writes) tracker.invalidate();
      }
    });
  }

  app.use("*", async (c, next) => {
    const id = requestIdFor(c.req.header("X-Request-Id"));
    c.set("requestId", id);
    c.set("logger", deps.logger);
    c.header("X-Request-Id", id);
    await next();
  });
  // Which municipality the request is for (src/http/tenant.ts). A prefixed path is served
  // again from the top without its prefix, keeping the request id.
  const tenants = deps.tenants ?? tenantCache();
  app.use(
    "*",
    tenantMiddleware({
      cache: tenants,
      publicUrl: deps.config.publicUrl,
      db: (c) => scopeOf(c).ctx.db,
      defaultSlug: deps.config.defaultMunicipality,
      redispatch: (request, c) => app.fetch(request, c.env, executionCtxOf(c)),
    }),
  );
  const observe = deps.observeRequest;
  if (observe) {
    // After the tenant middleware: a prefixed request is counted once, by its inner route.
    app.use("*", async (c, next) => {
      const start = performance.now();
      await next();
      observe({
        method: c.req.method,
        // The route the request matched, even when a middleware answered it (a cache hit).
        route: matchedRoutes(c).findLast((r) => r.method !== "ALL")?.path ?? "/*",
        status: c.res.status,
        seconds: (performance.now() - start) / 1000,
        cache: c.res.headers.get("x-cache"),
      });
    });
  }
  app.use("*", async (c, next) => {
    const { ctx, limiter } = scopeOf(c);
    // Every path but /healthz and /readyz has its tenant by now (src/http/tenant.ts).
    c.set("ctx", { ...ctx, tenant: c.get("tenant") });
    c.set("logger", deps.logger);
    // The site's base URL, set by the tenant middleware (PUBLIC_URL only on /healthz).
    if (!c.get("publicUrl")) c.set("publicUrl", deps.config.publicUrl);
    c.set("limiter", limiter);
    c.set("tenantCache", tenants);
    await next();
  });
  app.use("*", accessLog());
  app.use("*", securityHeaders());
  const limitBody = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: (c) =>
      problem(
        c,
        413,
        "payload-too-large",
        `The request body may be at most ${deps.config.bodyLimitBytes} bytes`,
      ),
  });
  // Reads (whose bodies no route reads) skip it: looking at the body made @hono/node-server
  // build a full Request with an AbortController for every GET, a tenth of a 304's cost.
  app.use("/api/*", (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next),
  );
  app.use("/api/*", jsonBodies());
  // Who is calling (session, API token, magic link) and CSRF protection of cookie mutations.
  app.use("/api/v1/*", authContext(deps.clientIp));
  // Writes without an account (anonymous, magic link) are rate-limited per client address.
  app.use("/api/v1/*", unauthenticatedWriteLimit());
  // The public read API is open data: any site may call it from the browser.
  app.use("/api/v1/*", openCors());
  if (deps.responseCache) app.use("*", publicResponseCache(deps.responseCache, tracker?.get));

  app.route("/", healthRoutes(deps.readiness));
  app.route("/", docsRoutes());
  app.route("/api/v1", publicEventRoutes());
  app.route("/api/v1", publicReferenceRoutes());
  app.route("/api/v1", feedLinkRoutes());
  app.route("/api/v1", siteRoutes());
  app.route("/", feedRoutes(deps.feedCache ? { cache: deps.feedCache } : {}));
  app.route("/api/v1", authRoutes());
  app.route("/api/v1", organiserRoutes());
  app.route("/api/v1", submissionRoutes());
  app.route("/api/v1", moderationRoutes());
  app.route("/api/v1", organisationRoutes());
  app.route("/api/v1", adminRoutes());
  app.route("/api/v1", municipalityAdminRoutes());
  app.route("/api/v1", categoryAdminRoutes());

  documentSiteRoutes(app, { pages: Boolean(deps.shell) });
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get("/api/v1/openapi.json", (c) => {
    document ??= openApiDocument(app, deps.config.publicUrl);
    // The servers entry names the site the document was asked from (a municipality's own).
    return c.json({ ...document, servers: [{ url: c.get("publicUrl") }] });
  });

  if (deps.shell) app.route("/", pageRoutes(deps.shell));
  if (deps.assets) app.use("*", deps.assets);

  app.notFound((c) => problem(c, 404, "not-found", `No resource at ${new URL(c.req.url).pathname}`));
  app.onError((err, c) => errorToProblem(err, c));
  return app;
}

/** The request's ExecutionContext (Workers), or undefined where there is none (Node, tests). */
function executionCtxOf(c: Context<AppEnv>) {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

export type App = ReturnType<typeof createApp>;
