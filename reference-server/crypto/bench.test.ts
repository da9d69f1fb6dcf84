import { expect, test } from "vitest";
import { benchCrypto } from "./bench.ts";

// Smoke test only: the benchmark runs and reports numbers (their size is never asserted).
test.each(["stream", "generator", "core"] as const)("benchCrypto runs (%s)", async (mode) => {
  const r = await benchCrypto({ bytes: 300_000, chunkSize: 10_000, mode });
  for (const v of [r.encryptMBps, r.decryptMBps]) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
  }
});
