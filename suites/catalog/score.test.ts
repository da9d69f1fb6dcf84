import { describe, expect, test } from "vitest";
import { CATALOG, type CatalogEntry } from "./catalog.ts";
import { type CheckResult, type CheckStatus, operationStatus, score } from "./score.ts";

// A small catalog keeps the arithmetic readable.
const MINI: readonly CatalogEntry[] = [
  { operation: "PutObject", scope: "core", area: "objects", reason: "r", checks: ["put.a", "put.b"] },
  { operation: "GetObject", scope: "core", area: "objects", reason: "r", checks: ["get.a"] },
  { operation: "PutBucketCors", scope: "extended", area: "cors", reason: "r", checks: ["cors.a", "cors.b"] },
  { operation: "CreateSession", scope: "aws-only", area: "sigv4", reason: "r", checks: ["session.a"] },
];

function results(statuses: Record<string, CheckStatus>, catalog = MINI): CheckResult[] {
  return Object.entries(statuses).map(([check, status]) => {
    const operation = catalog.find((e) => e.checks.includes(check))?.operation ?? "Unknown";
    return { operation, check, status };
  });
}

const allPass = (catalog: readonly CatalogEntry[]) =>
  catalog.flatMap((e) =>
    e.checks.map((check) => ({ operation: e.operation, check, status: "pass" as const })),
  );

describe("score", () => {
  test("all checks passing is 100 %, overall and per scope", () => {
    const s = score(MINI, allPass(MINI));
    expect(s.operations).toEqual({ passed: 4, total: 4, percent: 100 });
    expect(s.checks).toEqual({ passed: 6, total: 6, percent: 100 });
    for (const scope of ["core", "extended", "aws-only"] as const) {
      expect(s.byScope[scope].operations.percent).toBe(100);
    }
  });

  test("the real catalog scores 100 % when everything passes and 0 % when nothing reports", () => {
    const ops = CATALOG.length;
    const checks = CATALOG.reduce((n, e) => n + e.checks.length, 0);
    expect(score(CATALOG, allPass(CATALOG)).operations).toEqual({ passed: ops, total: ops, percent: 100 });
    const empty = score(CATALOG, []);
    expect(empty.operations).toEqual({ passed: 0, total: ops, percent: 0 });
    expect(empty.checks).toEqual({ passed: 0, total: checks, percent: 0 });
    expect(empty.perOperation.every((op) => op.status === "unproven")).toBe(true);
  });

  test("one failing check fails its operation, and only that one", () => {
    const s = score(
      MINI,
      results({
        "put.a": "pass",
        "put.b": "fail",
        "get.a": "pass",
        "cors.a": "pass",
        "cors.b": "pass",
        "session.a": "pass",
      }),
    );
    expect(s.operations).toEqual({ passed: 3, total: 4, percent: 75 });
    expect(s.checks.passed).toBe(5);
    expect(s.perOperation.find((op) => op.operation === "PutObject")?.status).toBe("fail");
    expect(s.perOperation.find((op) => op.operation === "GetObject")?.status).toBe("pass");
  });

  test("missing, skipped and erroring checks count against the score", () => {
    const s = score(
      MINI,
      results({ "put.a": "pass", "get.a": "error", "cors.a": "pass", "cors.b": "skipped" }),
    );
    expect(s.operations.passed).toBe(0);
    expect(s.operations.total).toBe(4);
    expect(s.checks).toEqual({ passed: 2, total: 6, percent: (2 / 6) * 100 });
    const status = Object.fromEntries(s.perOperation.map((op) => [op.operation, op.status]));
    expect(status).toEqual({
      PutObject: "unproven",
      GetObject: "error",
      PutBucketCors: "unproven",
      CreateSession: "unproven",
    });
    const put = s.perOperation.find((op) => op.operation === "PutObject");
    expect(put?.checks).toEqual([
      { check: "put.a", status: "pass" },
      { check: "put.b", status: "missing" },
    ]);
  });

  test("per-scope numbers", () => {
    const s = score(
      MINI,
      results({ "put.a": "pass", "put.b": "pass", "get.a": "fail", "cors.a": "pass", "cors.b": "pass" }),
    );
    expect(s.byScope.core.operations).toEqual({ passed: 1, total: 2, percent: 50 });
    expect(s.byScope.core.checks).toEqual({ passed: 2, total: 3, percent: (2 / 3) * 100 });
    expect(s.byScope.extended.operations).toEqual({ passed: 1, total: 1, percent: 100 });
    expect(s.byScope["aws-only"].operations).toEqual({ passed: 0, total: 1, percent: 0 });
    expect(s.byScope["aws-only"].checks).toEqual({ passed: 0, total: 1, percent: 0 });
    expect(s.operations).toEqual({ passed: 2, total: 4, percent: 50 });
  });

  test("declared out of scope stays in the denominator and is reported", () => {
    const r = results({ "put.a": "pass", "put.b": "pass", "get.a": "pass" });
    const s = score(MINI, r, { declaredOutOfScope: ["cors", "CreateSession"] });
    expect(s.declaredOutOfScope).toEqual(["PutBucketCors", "CreateSession"]);
    expect(s.operations).toEqual({ passed: 2, total: 4, percent: 50 });
    expect(s.byScope.extended.operations.total).toBe(1);
    expect(s.perOperation.find((op) => op.operation === "PutBucketCors")).toMatchObject({
      declaredOutOfScope: true,
      status: "unproven",
    });
    const plain = score(MINI, r);
    expect([s.operations, s.checks, s.byScope]).toEqual([plain.operations, plain.checks, plain.byScope]);
  });

  test("an unknown out-of-scope name is refused rather than silently ignored", () => {
    expect(() => score(MINI, [], { declaredOutOfScope: ["Versioning"] })).toThrow(/neither/);
  });

  test("a check reported twice keeps its worst outcome", () => {
    const s = score(MINI, [
      { operation: "GetObject", check: "get.a", status: "pass" },
      { operation: "GetObject", check: "get.a", status: "fail" },
      { operation: "GetObject", check: "get.a", status: "pass" },
    ]);
    expect(s.perOperation.find((op) => op.operation === "GetObject")?.status).toBe("fail");
  });

  test("results for unknown checks or the wrong operation are set aside, not scored", () => {
    const stray: CheckResult[] = [
      { operation: "GetObject", check: "put.a", status: "pass" },
      { operation: "Nope", check: "nope.a", status: "pass" },
    ];
    const s = score(MINI, stray);
    expect(s.unknown).toEqual(stray);
    expect(s.checks.passed).toBe(0);
  });
});

test("operationStatus precedence: fail over error over unproven", () => {
  expect(operationStatus(["pass", "pass"])).toBe("pass");
  expect(operationStatus(["pass", "error", "fail"])).toBe("fail");
  expect(operationStatus(["missing", "error"])).toBe("error");
  expect(operationStatus(["pass", "skipped"])).toBe("unproven");
  expect(operationStatus([])).toBe("unproven");
});
