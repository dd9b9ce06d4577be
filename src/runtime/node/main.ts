/**
 * Node entry point: reads the configuration, opens PGlite (default) or PostgreSQL,
 * applies pending migrations, loads the demo data into an empty database, and serves
 * the API, feeds and web front-end. SIGINT/SIGTERM shut down cleanly.
 */
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PGlite } from "@electric-sql/pglite";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { createApp } from "../../app.ts";
import { createMemoryResponseCache } from "../../cache/response-cache.ts";
import { ConfigError, cacheBudget, loadConfig } from "../../config.ts";
import { systemClock } from "../../domain/context.ts";
import { createDataVersionTracker } from "../../domain/data-version.ts";
import { extendRecurringOccurrences } from "../../domain/events/occurrences.ts";
import { createRenderer } from "../../domain/notifications/notifications.ts";
import { createOutbox, logMailer, type Mailer } from "../../domain/notifications/outbox.ts";
import { purgeExpired } from "../../domain/privacy/purge.ts";
import { localDate } from "../../domain/time.ts";
import { createMemoryFeedCache } from "../../feeds/feed-cache.ts";
import { createReadiness } from "../../http/public/health.ts";
import { tenantCache } from "../../http/tenant.ts";
import { createLogger } from "../../logger.ts";
import { DEMO_ACCOUNTS, isDatabaseEmpty, seedDatabase } from "../../seed/load.ts";
import { nodeAssets, nodeShell } from "./assets.ts";
import { backupPglite, backupPostgres, serverBackups } from "./backup.ts";
import { DataDirLockedError } from "./data-dir-lock.ts";
import { openDatabase } from "./database.ts";
import { createNodeFastPath } from "./fast-path.ts";
import { batchedLogSink } from "./log-sink.ts";
import { createMetrics, metricsListener, metricsResponse } from "./metrics.ts";
import { migrateDatabase, UnknownMigrationsError } from "./migrate.ts";
import { projectPath } from "./paths.ts";
import { maintainAfterMigrations, schedulePgliteMaintenance } from "./pglite-maintenance.ts";

const say = (msg: string) => process.stderr.write(`${msg}\n`);

/** Sends mail through SMTP (nodemailer); only used when SMTP_URL is set. */
function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      say(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, batchedLogSink().write, {
    redactionKey: config.sessionSecret,
  });
  const started = performance.now();

  const embedded = !config.databaseUrl;
  if (embedded) {
    const fresh = !existsSync(`${config.dataDir}/PG_VERSION`);
    say(
      fresh
        ? `Creating the embedded database in ${config.dataDir} (first start only, about 10 s)…`
        : `Opening the embedded database in ${config.dataDir}…`,
    );
  } else {
    say("Connecting to PostgreSQL…");
  }
  // The data version in memory: every statement is shown to it (writes invalidate it).
  const dataVersion = createDataVersionTracker();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    onQuery: dataVersion.noteQuery,
  });
  say("Applying migrations…");
  const migrated = await migrateDatabase(database, config.databaseUrl);
  if (database.driver === "pglite") {
    // No autovacuum in PGlite: what the migrations rewrote is vacuumed before serving.
    const client = (database.db as unknown as { $client: PGlite }).$client;
    if (migrated.pending.length > 0) say("Vacuuming after the migrations…");
    const ms = await maintainAfterMigrations(client, migrated.pending.length);
    if (ms !== null) say(`Vacuumed in ${ms} ms.`);
  }
  // Notifications keep it fresh; until (and whenever not) listening, it is read per request.
  const versionListener = database.listenDataVersion?.(dataVersion);
  await versionListener?.ready.catch((err: unknown) =>
    logger.warn("data version listener failed; reading the version per request until it recovers", { err }),
  );

  let seeded = false;
  if (config.seed === "demo" && (await isDatabaseEmpty(database.db))) {
    if (config.env === "production") {
      say("Not loading demo data: NODE_ENV=production (demo accounts never go into a production database).");
    } else {
      say("Loading demo data…");
      const now = systemClock.now();
      const result = await seedDatabase(database.db, {
        today: localDate(now, config.timezone),
        demoPassword: config.demoPassword,
        now,
        region: true,
        onProgress: (m) => say(`  ${m}`),
      });
      say(`  ${result.events} events, ${result.occurrences} occurrences`);
      if (result.municipalities)
        say(
          `  a region of ${result.municipalities.length}: ${result.municipalities.map((s) => `/${s}`).join(", ")} (the default address shows ${result.municipalities[0]})`,
        );
      seeded = true;
    }
  }

  const queue = createOutbox(
    config.smtpUrl
      ? smtpMailer(config.smtpUrl, config.mailFrom)
      : logMailer(logger, { withText: config.env !== "production" }),
    logger,
    createRenderer({ publicUrl: config.publicUrl, siteName: config.siteName }),
  );
  // Send soon after a change queues a notification (a confirmation link should not wait for
  // the next 30-second round); the enqueueing transaction has committed by then, or the
  // regular round picks the message up.
  let nudge: ReturnType<typeof setTimeout> | null = null;
  const dispatchNow = () =>
    database.db
      .transaction((tx) => queue.dispatch(tx, systemClock.now()))
      .catch((err: unknown) => logger.warn("outbox dispatch failed", { err }))
      .finally(() => dataVersion.invalidate());
  const outbox: typeof queue = {
    dispatch: queue.dispatch,
    async enqueue(db, n, now) {
      await queue.enqueue(db, n, now);
      nudge ??= setTimeout(() => {
        nudge = null;
        void dispatchNow();
      }, 500);
      nudge.unref?.();
    },
  };
  const webRoot = projectPath("web/dist");
  if (!existsSync(`${webRoot}/index.html`)) {
    say("Note: web/dist is missing; run `npm run build:web` to build the front-end.");
  }
  const shell = nodeShell(webRoot);
  // Per process, but keyed by the data version, so several processes never disagree.
  const budget = cacheBudget(config, database.driver);
  const responseCache = createMemoryResponseCache(budget.responseBytes);
  // The municipalities, shared by the app and the fast path (both resolve the tenant).
  const tenants = tenantCache();
  // GET /readyz: "starting" until warmed up below, "draining" from SIGTERM on.
  const readiness = createReadiness();
  // Prometheus metrics (metrics.ts): only when a token or an internal port is configured.
  const metricsOn = Boolean(config.metrics.token || config.metrics.port);
  const fastPathStats = { ok: 0, notModified: 0 };
  const metrics = metricsOn
    ? createMetrics({ db: database.db, driver: database.driver, fastPathStats, dbStats: database.stats })
    : undefined;
  const app = createApp({
    readiness,
    ...(metrics ? { observeRequest: metrics.observeRequest } : {}),
    db: database.db,
    config,
    clock: systemClock,
    logger,
    outbox,
    assets: nodeAssets(webRoot, shell),
    shell,
    clientIp: (c) => getConnInfo(c).remote.address,
    responseCache,
    feedCache: createMemoryFeedCache(budget.feedBytes),
    dataVersion,
    tenants,
  });
  // Cache hits and 304s answered before Hono, with the headers Hono gave them (fast-path.ts).
  const fast = createNodeFastPath({
    cache: responseCache,
    dataVersion,
    clock: systemClock,
    timezone: config.timezone,
    tenants,
    defaultSlug: config.defaultMunicipality,
    logger,
    logLevel: config.logLevel,
  });

  if (metrics) {
    // The fast path's own counts, read at each scrape.
    Object.defineProperties(fastPathStats, {
      ok: { get: () => fast.stats.ok },
      notModified: { get: () => fast.stats.notModified },
    });
  }
  const appFetch = fast.fetch(app.fetch);
  const fetchWithMetrics: typeof appFetch = metrics
    ? async (request, env) =>
        (await metricsResponse(request, metrics, config.metrics.token)) ?? appFetch(request, env)
    : appFetch;
  const metricsServer =
    metrics && config.metrics.port
      ? await metricsListener(metrics, config.metrics.host, config.metrics.port)
      : undefined;
  if (metricsServer)
    say(`Metrics at http://${config.metrics.host}:${config.metrics.port}/metrics (internal listener)`);
  const serveOptions = { fetch: fetchWithMetrics, createServer: fast.createServer };
  const server = serve({ ...serveOptions, port: config.port, hostname: config.host }, (info) => {
    const ms = Math.round(performance.now() - started);
    logger.info("listening", { port: info.port, host: config.host, startup_ms: ms, db: database.driver });
    say(
      `\nKuntakalenteri is running at ${config.publicUrl}  (ready in ${ms} ms, database: ${database.driver})`,
    );
    if (seeded || config.seed === "demo") {
      say(`Demo logins (password "${config.demoPassword}"): ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")}`);
    }
    say("Press Ctrl+C to stop.");
  });
  // Warm-up before /readyz says ready: the municipalities in memory, a first query answered.
  void tenants
    .get(database.db)
    .then(() => database.db.execute(sql`select 1`))
    .then(() => readiness.ready())
    .catch((err: unknown) => logger.error("warm-up failed; /readyz stays 503", { err }));

  // Background work: send queued notifications; keep recurring series materialised ahead.
  // Both write outside any request: forget the in-memory version once they commit.
  const dispatchTimer = setInterval(() => void dispatchNow(), 30_000);
  dispatchTimer.unref();
  const extend = () =>
    database.db
      .transaction((tx) => extendRecurringOccurrences(tx, systemClock.now()))
      .then((n) => n > 0 && logger.info("extended recurring series", { events: n }))
      .catch((err: unknown) => logger.warn("occurrence extension failed", { err }))
      .finally(() => dataVersion.invalidate());
  const extendTimer = setInterval(extend, 6 * 3_600_000);
  extendTimer.unref();
  setTimeout(extend, 5_000).unref();
  // Personal data past its retention: hourly, and once soon after start.
  const purge = () =>
    purgeExpired({ db: database.db, config, clock: systemClock, logger, outbox })
      .then((report) => logger.info("purged expired data", { ...report }))
      .catch((err: unknown) => logger.warn("purge failed", { err }))
      .finally(() => dataVersion.invalidate());
  const purgeTimer = setInterval(purge, 3_600_000);
  purgeTimer.unref();
  setTimeout(purge, 10_000).unref();

  // Backups: on request (SIGUSR2, sent by `npm run backup`) and on a schedule (BACKUP_INTERVAL).
  const backups = serverBackups({
    dir: config.backup.dir,
    keep: config.backup.keep,
    make: (dir) =>
      config.databaseUrl
        ? backupPostgres(config.databaseUrl, dir)
        : backupPglite((database.db as unknown as { $client: PGlite }).$client, dir, new Date(), (err) =>
            logger.warn("backup: the copied files could not be dumped; dumping PGlite's tarball", { err }),
          ),
    log: (level, msg, fields) => logger[level](msg, fields),
  });
  process.on("SIGUSR2", () => void backups.run("requested"));
  const backupTimer = config.backup.intervalMs
    ? setInterval(() => void backups.run("scheduled"), config.backup.intervalMs)
    : undefined;
  backupTimer?.unref();

  // PGlite has no autovacuum: the server vacuums and analyzes what PostgreSQL's would.
  const maintenance = embedded
    ? schedulePgliteMaintenance((database.db as unknown as { $client: PGlite }).$client, (round) => {
        if (round instanceof Error) logger.warn("database maintenance failed", { err: round });
        else if (round.vacuumed.length || round.analyzed.length)
          logger.info("database maintenance", { ...round });
      })
    : undefined;

  // Responses in progress: on shutdown each one closes its keep-alive connection when sent,
  // so clients that keep writing cannot hold the server open until the timeout (which
  // would cut off requests in flight).
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  server.on("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) {
      res.shouldKeepAlive = false;
      return;
    }
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
  });
  /** How long a stopping server still reads requests (answering each with Connection: close). */
  const SHUTDOWN_GRACE_MS = 1_000;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    readiness.drain();
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    say(`${signal} received: finishing requests and closing the database…`);
    clearInterval(dispatchTimer);
    clearInterval(extendTimer);
    clearInterval(purgeTimer);
    if (backupTimer) clearInterval(backupTimer);
    maintenance?.stop();
    metricsServer?.close();
    const force = setTimeout(() => {
      logger.warn("shutdown timeout: closing open connections");
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }, config.shutdownTimeoutMs);
    force.unref();
    // Keep listening for a moment: a request already written on a keep-alive connection but
    // not yet read would otherwise count as idle and be reset. Meanwhile every response
    // closes its connection, so clients move off this process; then stop listening.
    setTimeout(() => closeServer(), SHUTDOWN_GRACE_MS).unref();
  };
  const closeServer = () => {
    server.close(async () => {
      try {
        await versionListener?.close();
        await database.close();
        say("Stopped cleanly.");
        process.exit(0);
      } catch (err) {
        logger.error("error while closing the database", { err });
        process.exit(1);
      }
    });
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  // Refusals the operator must act on: the message says what to do, a stack would hide it.
  if (err instanceof UnknownMigrationsError || err instanceof DataDirLockedError) {
    say(`Startup refused: ${err.message}`);
    process.exit(3);
  }
  say(`Startup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
