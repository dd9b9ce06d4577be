import { defineConfig } from "vitest/config";

// Each test file gets its own freshly migrated database (PGlite by default, or a
// database on TEST_DATABASE_URL); see test/helpers/db.ts and test/global-setup.ts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts", "web/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
