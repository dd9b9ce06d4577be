import { defineConfig } from "vitest/config";
import { shared } from "./vitest.config.ts";

/** `npm run drills`: every robustness drill (test/drills), the timing-sensitive ones included. */
export default defineConfig({
  test: {
    ...shared,
    include: ["test/drills/**/*.drill.test.ts"],
    testTimeout: 300_000,
  },
});
