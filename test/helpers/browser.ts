/**
 * Real-browser tests: Debian's Chromium (/usr/bin/chromium) driven by playwright-core,
 * against the real Node server (test/helpers/server.ts) on a database prepared here
 * (demo data plus the test's own events). Without Chromium the browser tests are
 * skipped with a warning, except under CI=true, where a missing Chromium fails.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import type { Db } from "../../src/db/client.ts";
import { localDate } from "../../src/domain/time.ts";
import { openDatabase } from "../../src/runtime/node/database.ts";
import { migrateDatabase } from "../../src/runtime/node/migrate.ts";
import { seedDatabase } from "../../src/seed/load.ts";
import { createTestDatabase, onPostgres } from "./db.ts";
import { type RunningServer, startServer } from "./server.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const inCI = process.env.CI === "true" || process.env.CI === "1";

/** True when the browser tests must be skipped; warns loudly. In CI a missing Chromium is an error instead. */
export function skipBrowserTests(file: string): boolean {
  if (hasChromium) return false;
  if (inCI) return false; // run, and fail in beforeAll with a clear message
  console.warn(
    `\n⚠ SKIPPED browser tests in ${file}: ${CHROMIUM} not found. Install it with \`apt-get install -y chromium\` (CI=true makes this an error).\n`,
  );
  return true;
}

export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(
      `CI=true but Chromium is missing at ${CHROMIUM}: the browser tests must not be skipped in CI`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

export interface TestSite {
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

/**
 * Prepares a database with demo data and whatever `populate` inserts, then starts the real
 * server on it (PGlite in a temporary DATA_DIR, or a PostgreSQL test database).
 * `extraEnv` adds server settings (e.g. SMTP_URL of a test mail sink).
 */
export async function startSite(
  populate: (db: Db, now: Date) => Promise<void>,
  extraEnv: Record<string, string> = {},
  /** `region`: seed the demo region of three (src/seed/data-region.ts), as `npm start` does. */
  opts: { region?: boolean } = {},
): Promise<TestSite> {
  const now = new Date();
  const today = localDate(now, "Europe/Helsinki");
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (onPostgres) {
    const database = await createTestDatabase();
    await seedDatabase(database.db, {
      today,
      demoPassword: "browser-test-pw",
      now,
      events: 80,
      region: opts.region ?? false,
    });
    await populate(database.db, now);
    env = { DATABASE_URL: database.url ?? "" };
    cleanup = () => database.close();
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), "kk-browser-"));
    const database = await openDatabase({ dataDir });
    await migrateDatabase(database);
    await seedDatabase(database.db, {
      today,
      demoPassword: "browser-test-pw",
      now,
      events: 80,
      region: opts.region ?? false,
    });
    await populate(database.db, now);
    await database.close();
    env = { DATA_DIR: dataDir };
    cleanup = () => rm(dataDir, { recursive: true, force: true });
  }
  const server = await startServer({ ...env, ...extraEnv, DEMO_PASSWORD: "browser-test-pw" });
  return {
    server,
    url: server.url,
    close: async () => {
      await server.stop("SIGTERM");
      await cleanup();
    },
  };
}

/**
 * page.screenshot, tried again when headless Chromium answers "Unable to capture
 * screenshot" (a transient compositor failure, seen on full-page captures right after a
 * navigation on a busy machine). Any other error is thrown at once.
 */
export async function screenshot(page: Page, options: Parameters<Page["screenshot"]>[0]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot(options);
      return;
    } catch (err) {
      if (attempt >= 3 || !String(err).includes("Unable to capture screenshot")) throw err;
      await page.waitForTimeout(250);
    }
  }
}
