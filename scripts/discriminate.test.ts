// The proof that the score means something: one `parity conform` run against the reference server and
// s3rver (the npm fake), in a child process as in conform.test.ts, then the results must tell them apart —
// the reference passes more, every area s3rver is known to lack shows s3rver wrong there while the
// reference passes the same checks, and the reference's own failures are reported, never hidden as skips.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CheckResultEntry, ResultsFile, TargetResults } from "../suites/harness/results.ts";

const SCRIPT = fileURLToPath(new URL("./conform.ts", import.meta.url));

/**
 * Areas s3rver 3.7 does not implement, each with what shows it (from its own answers in this run):
 * - versioning: PUT ?versioning is taken for CreateBucket (409 BucketAlreadyExists), ListObjectVersions is
 *   405 MethodNotAllowed; no version ids, no delete markers.
 * - tagging: DeleteObjectTagging is 501 NotImplemented, x-amz-tagging on PutObject is ignored, AWS's tag
 *   limits are not enforced.
 * - checksums (GetObjectAttributes and the x-amz-checksum-* values it reports): s3rver predates both
 *   (2022); it answers GetObjectAttributes with something that is not its XML, and stores no checksums.
 * - object-lock, lifecycle, policy, encryption (bucket default, SSE-S3 reporting, SSE-C refusals), acl,
 *   ownership, public-access-block, logging, configuration (accelerate, notification, replication, the
 *   analytics/inventory/metrics families, ...), select, restore: no such sub-resources — their requests are
 *   taken for bucket or object reads and writes, or answered with a fixed stub, so round trips and refusals
 *   come out wrong (in one run: every check of object-lock, lifecycle, ownership, public-access-block,
 *   select and restore wrong; most of the others).
 * - metadata: object annotations — PUT/GET ?annotation are taken for PutObject/GetObject (the payload
 *   overwrites the object), so NoSuchAnnotation, listing, limits and If-Match come out wrong.
 * s3rver implements buckets, objects, listing, multipart, copy, CORS and website (with gaps the checks
 * show); those are not asserted here, only counted by the score.
 */
const S3RVER_LACKS = [
  "versioning",
  "tagging",
  "checksums",
  "object-lock",
  "lifecycle",
  "policy",
  "encryption",
  "acl",
  "ownership",
  "public-access-block",
  "logging",
  "configuration",
  "select",
  "restore",
  "metadata",
] as const;

/** Checks of other areas that only a versioned bucket can prove (their slugs name the version id). */
const VERSION_CHECK = /\.(version-id|versioned-)/;

function conform(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    // ~2 min alone here, but twice that when the rest of `npm test` shares the two cores: the child gets
    // most of the hook's 600 s before it is given up.
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 540_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

interface Row {
  readonly area: string;
  readonly operation: string;
  readonly entry: CheckResultEntry;
}

function rows(t: TargetResults): Row[] {
  return t.operations.flatMap((o) =>
    o.checks.map((entry) => ({ area: o.area, operation: o.operation, entry })),
  );
}

const ran = (r: Row) => r.entry.status !== "missing";
/** Errors of the exchange, not answers: s3rver crashing (it is restarted) proves nothing about an area. */
const NOT_AN_ANSWER = /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|TimeoutError/;
/** s3rver answered, and wrongly: an assertion failure, or an S3 error where AWS succeeds. */
const answeredWrong = (r: Row) =>
  r.entry.status === "fail" ||
  (r.entry.status === "error" && r.entry.runs.some((x) => x.error && !NOT_AN_ANSWER.test(x.error)));
const wrong = (r: Row) => r.entry.status === "fail" || r.entry.status === "error";

describe("the score discriminates: reference versus s3rver in one run", () => {
  let dir = "";
  let run: { code: number; stderr: string };
  let results: ResultsFile;
  let reference: TargetResults;
  let s3rver: TargetResults;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parity-discriminate-"));
    // Every check but the slow ones (999 buckets, 1001 keys, 40 MB bodies): they skip with that reason,
    // which keeps `npm test` within minutes; `parity conform` runs them.
    run = await conform(["--target", "reference", "--target", "s3rver", "--out", dir, "--no-slow"]);
    results = JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as ResultsFile;
    const byName = (name: string) => results.targets.find((t) => t.target.name === name)!;
    reference = byName("reference");
    s3rver = byName("s3rver");
  }, 600_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("both targets ran the same catalog, and the reference passes strictly more checks", () => {
    // No baseline was given, so the exit code only reflects an unavailable target.
    expect(run.code, run.stderr).toBe(0);
    expect(results.targets.map((t) => t.target.name)).toEqual(["reference", "s3rver"]);
    for (const t of [reference, s3rver]) {
      expect(t.unavailable).toBeUndefined();
      expect(t.score.checks.total).toBe(results.catalog.checks);
      expect(t.score.operations.total).toBe(results.catalog.operations);
      // The score is exactly the passing checks: nothing but `pass` counts.
      expect(t.score.checks.passed).toBe(rows(t).filter((r) => r.entry.status === "pass").length);
    }
    expect(reference.runErrors).toEqual([]);
    expect(reference.score.checks.passed).toBeGreaterThan(s3rver.score.checks.passed);
    expect(reference.score.operations.passed).toBeGreaterThan(s3rver.score.operations.passed);
  });

  test.each(S3RVER_LACKS)("area %s: s3rver is wrong there, the reference passes the same checks", (area) => {
    const both = new Set(
      rows(reference)
        .filter((r) => r.area === area && ran(r))
        .map((r) => r.entry.check),
    );
    const s3rverRows = rows(s3rver).filter((r) => r.area === area && ran(r) && both.has(r.entry.check));
    // The area has results on both targets (its suite exists and ran).
    expect(s3rverRows.length, `no check of ${area} ran on both targets`).toBeGreaterThan(0);
    const s3rverWrong = s3rverRows.filter(wrong).map((r) => r.entry.check);
    // At least one wrong *answer*, not only connection errors: those may be s3rver having crashed (on a
    // hostile key of another suite), which would prove nothing about the area.
    expect(s3rverRows.filter(answeredWrong).length, area).toBeGreaterThan(0);
    const refStatus = new Map(rows(reference).map((r) => [r.entry.check, r.entry.status]));
    expect(s3rverWrong.map((c) => [c, refStatus.get(c)])).toEqual(s3rverWrong.map((c) => [c, "pass"]));
  });

  test("version-id checks of other areas: s3rver fails them, the reference passes them", () => {
    const versionRows = (t: TargetResults) =>
      rows(t).filter((r) => VERSION_CHECK.test(r.entry.check) && ran(r));
    const s3rverByCheck = new Map(versionRows(s3rver).map((r) => [r.entry.check, r.entry.status]));
    const onBoth = versionRows(reference).filter((r) => s3rverByCheck.has(r.entry.check));
    expect(onBoth.map((r) => r.area)).toEqual(expect.arrayContaining(["objects", "tagging"]));
    expect(
      onBoth.map((r) => [r.entry.check, r.entry.status, s3rverByCheck.get(r.entry.check) !== "pass"]),
    ).toEqual(onBoth.map((r) => [r.entry.check, "pass", true]));
  });

  test("the reference's failures are listed with their error; its skips name a target limitation", () => {
    for (const r of rows(reference)) {
      if (wrong(r)) {
        // Listed, with its verdict and why: every failing run carries its error.
        expect(r.entry.runs.length, r.entry.check).toBeGreaterThan(0);
        for (const run of r.entry.runs.filter((x) => x.status === "fail" || x.status === "error")) {
          expect(run.error, r.entry.check).toBeTruthy();
        }
      }
      if (r.entry.status === "skipped") {
        // A skip is only ever the target lacking what the check needs (a second account, TLS) or a slow
        // check under --no-slow, said so.
        // (A check may also have runs that ran: a fast variant beside a slow one skipped under --no-slow.)
        for (const run of r.entry.runs.filter((x) => x.status === "skipped")) {
          expect(run.skipReason ?? "", r.entry.check).toMatch(
            /^(the target (declares no|endpoint is)|slow check:)/,
          );
        }
      }
    }
    // Every check the reference ran is in results.json under a catalog operation, none outside it.
    expect(reference.unknown).toEqual([]);
  });
});
