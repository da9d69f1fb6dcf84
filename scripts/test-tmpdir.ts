// vitest globalSetup: the whole test run writes its temporary files under one directory, removed when
// the run ends. Engines, crash children and servers in the tests make data dirs under os.tmpdir() and
// most are never removed (a failed test must not take its evidence with it mid-run); before this, every
// `npm test` left ~80 dirs of ~10 MB each in /tmp. Workers and child processes inherit TMPDIR, which
// os.tmpdir() reads on every call. PARITY_KEEP_TEST_TMP=1 keeps the directory for a post-mortem.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "parity-test-run-"));
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.PARITY_KEEP_TEST_TMP === "1") {
      console.log(`test temporary files kept in ${dir}`);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
