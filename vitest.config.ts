import { defineConfig } from "vitest/config";

/**
 * Drills whose verdict depends on timing (kill -9 while writing, a 60 s soak measuring memory
 * growth) run with `npm run drills` (vitest.drills.config.ts), not in `npm test`: on a shared
 * two-core CI machine they measure the machine as much as the code. The other drills (fuzz,
 * hostile content, limits) are not timing-sensitive and stay in `npm test`.
 */
export const TIMING_DRILLS = ["test/drills/crash.drill.test.ts", "test/drills/soak.drill.test.ts"];

// Each test file gets its own freshly migrated database (PGlite by default, or a database on
// TEST_DATABASE_URL); see test/helpers/db.ts and test/global-setup.ts.
export const shared = {
  globalSetup: ["test/global-setup.ts"],
  pool: "forks" as const,
  maxWorkers: 2,
  testTimeout: 60_000,
  hookTimeout: 120_000,
  teardownTimeout: 30_000,
};

export default defineConfig({
  test: {
    ...shared,
    include: ["test/**/*.test.ts", "src/**/*.test.ts", "web/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...TIMING_DRILLS],
  },
});
