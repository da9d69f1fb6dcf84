import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{reference-server,suites,fault-injector,load,reports,scripts}/**/*.test.ts"],
    // The conformance suites run against an embedded reference server (slow checks off), so the server
    // and the suites prove each other on every commit.
    // First: every temporary file of the run goes under one directory, removed at the end.
    globalSetup: ["scripts/test-tmpdir.ts", "scripts/conform.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more forks only add contention.
    maxWorkers: 2,
  },
});
