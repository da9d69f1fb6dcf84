import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{reference-server,suites,fault-injector,load,reports,scripts}/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more forks only add contention.
    maxWorkers: 2,
  },
});
