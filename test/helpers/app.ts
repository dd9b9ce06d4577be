/** Builds the app in-process on a test database, with a fixed clock and a memory logger. */
import { createApp } from "../../src/app.ts";
import type { ResponseCache } from "../../src/cache/response-cache.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/domain/context.ts";
import type { DataVersionTracker } from "../../src/domain/data-version.ts";
import { createRenderer } from "../../src/domain/notifications/notifications.ts";
import { createOutbox, type MailMessage } from "../../src/domain/notifications/outbox.ts";
import type { Readiness } from "../../src/http/public/health.ts";
import type { TenantCache } from "../../src/http/tenant.ts";
import { createMemoryLogger } from "../../src/logger.ts";
import type { ShellLoader } from "../../src/pages/event-page.ts";
import type { TestDatabase } from "./db.ts";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    PUBLIC_URL: "http://kalenteri.test",
    LOG_LEVEL: "debug",
    ...overrides,
  });
}

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (v) => (now = new Date(v)) };
}

export function buildTestApp(
  database: TestDatabase,
  opts: {
    clock?: Clock;
    config?: Config;
    clientIp?: string;
    shell?: ShellLoader;
    responseCache?: ResponseCache;
    dataVersion?: DataVersionTracker;
    tenants?: TenantCache;
    readiness?: Readiness;
    observeRequest?: Parameters<typeof createApp>[0]["observeRequest"];
  } = {},
) {
  const logger = createMemoryLogger();
  const sent: MailMessage[] = [];
  const config = opts.config ?? testConfig();
  const outbox = createOutbox(
    { send: async (m) => void sent.push(m) },
    logger,
    createRenderer({ publicUrl: config.publicUrl, siteName: config.siteName }),
  );
  const clock = opts.clock ?? fixedClock("2026-06-01T09:00:00Z");
  const clientIp = opts.clientIp ?? "192.0.2.10";
  const app = createApp({
    db: database.db,
    config,
    clock,
    logger,
    outbox,
    clientIp: () => clientIp,
    ...(opts.shell ? { shell: opts.shell } : {}),
    ...(opts.responseCache ? { responseCache: opts.responseCache } : {}),
    ...(opts.dataVersion ? { dataVersion: opts.dataVersion } : {}),
    ...(opts.tenants ? { tenants: opts.tenants } : {}),
    ...(opts.readiness ? { readiness: opts.readiness } : {}),
    ...(opts.observeRequest ? { observeRequest: opts.observeRequest } : {}),
  });
  return { app, logger, sent, outbox, config, clock };
}
