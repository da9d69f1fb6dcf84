// End to end: `parity conform` against s3rver in a child process (vitest inside vitest would share this
// worker's state), then a baseline that makes it exit non-zero.

import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ResultsFile } from "../suites/harness/results.ts";

const SCRIPT = fileURLToPath(new URL("./conform.ts", import.meta.url));

function conform(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 240_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe("parity conform", () => {
  let dir = "";
  let first: { code: number; stderr: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parity-conform-"));
    first = await conform(["--target", "s3rver", "--out", join(dir, "run1")]);
  }, 240_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("against s3rver writes results.json, junit.xml, allure-results/ and index.html", async () => {
    expect(first.code, first.stderr).toBe(0);
    const out = join(dir, "run1");
    expect((await readdir(out)).sort()).toEqual([
      "allure-results",
      "index.html",
      "junit.xml",
      "results.json",
    ]);
    const results = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as ResultsFile;
    expect(results.targets.map((t) => t.target.name)).toEqual(["s3rver"]);
    const s3rver = results.targets[0];
    expect(s3rver.unavailable).toBeUndefined();
    // s3rver's crash is reported as a run error of the target, with its own words.
    expect(s3rver.runErrors.join("\n")).toMatch(/^(s3rver process exited[\s\S]*ENAMETOOLONG[\s\S]*)?$/);
    expect(s3rver.score.operations.total).toBe(results.catalog.operations);
    // s3rver passes some checks and visibly fails others. (It also crashes on a 1025-byte key, so only
    // checks that run before that in the objects file are asserted here.)
    expect(s3rver.score.checks.passed).toBeGreaterThan(5);
    const put = s3rver.operations.find((o) => o.operation === "PutObject")!;
    const md5 = put.checks.find((c) => c.check === "put-object.content-md5-mismatch")!;
    expect(md5.status).toBe("fail");
    const evidence = md5.runs[0].evidence ?? [];
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.at(-1)?.request.headers.authorization).toContain("Signature=<redacted>");
    expect(evidence.at(-1)?.response?.status).toBe(200);
    // Slow checks run in conform.
    expect(put.checks.find((c) => c.check === "put-object.large-single-upload")?.status).toBe("pass");

    const allure = await readdir(join(out, "allure-results"));
    expect(allure.filter((f) => f.endsWith("-result.json")).length).toBeGreaterThan(10);
    const html = await readFile(join(out, "index.html"), "utf8");
    expect(html).toContain("S3 compatibility report");
    expect(html).toContain("<th>s3rver</th>");
    const junit = await readFile(join(out, "junit.xml"), "utf8");
    expect(junit).toContain('<testsuite name="s3rver"');
    // s3rver's key and secret are both "S3RVER": nothing written may contain them.
    for (const text of [JSON.stringify(results), html, junit]) expect(text).not.toContain("S3RVER");
    expect(first.stderr).toMatch(/parity s3rver: .*operations \d+\/\d+/);
  });

  test("a check newly failing against --baseline is a regression: non-zero exit, shown in the report", async () => {
    const baseline = JSON.parse(await readFile(join(dir, "run1", "results.json"), "utf8")) as ResultsFile;
    const op = baseline.targets[0].operations.find((o) => o.operation === "CreateBucket")!;
    (op.checks.find((c) => c.check === "create-bucket.invalid-name") as { status: string }).status = "pass";
    const path = join(dir, "baseline.json");
    await writeFile(path, JSON.stringify(baseline));
    const second = await conform([
      "--target",
      "s3rver",
      "--suite",
      "buckets",
      "--out",
      join(dir, "run2"),
      "--baseline",
      path,
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      "REGRESSION s3rver [CreateBucket] create-bucket.invalid-name: pass → fail",
    );
    const html = await readFile(join(dir, "run2", "index.html"), "utf8");
    expect(html).toContain("regression(s) against the baseline");
  }, 240_000);

  test("usage errors exit 2 before running anything", async () => {
    expect((await conform(["--bogus"])).code).toBe(2);
    expect((await conform(["--baseline", join(dir, "absent.json"), "--out", join(dir, "run3")])).code).toBe(
      2,
    );
  });
});
