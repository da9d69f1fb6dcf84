import { describe, expect, test } from "vitest";
import type { CheckRun, ResultsFile } from "../suites/harness/results.ts";
import { catalogSize, targetResults } from "../suites/harness/results.ts";
import { compare, parseResults } from "./baseline.ts";

const run = (check: string, status: CheckRun["status"], operation = "GetObject"): CheckRun => ({
  operation,
  check,
  status,
  durationMs: 1,
  file: "f",
});

function results(targets: Record<string, CheckRun[] | string>): ResultsFile {
  return {
    version: 1,
    startedAt: "",
    finishedAt: "",
    catalog: catalogSize(),
    targets: Object.entries(targets).map(([name, runs]) =>
      typeof runs === "string"
        ? targetResults({ name }, [], { unavailable: runs })
        : targetResults({ name }, runs),
    ),
  };
}

describe("baseline comparison", () => {
  test("pass → fail or error is a regression; fail → pass is a fix; never-run checks are neither", () => {
    const before = results({
      a: [
        run("get-object.roundtrip", "pass"),
        run("get-object.no-such-key", "pass"),
        run("get-object.range-forms", "fail"),
      ],
    });
    const after = results({
      a: [
        run("get-object.roundtrip", "fail"),
        run("get-object.no-such-key", "error"),
        run("get-object.range-forms", "pass"),
        run("get-object.presigned", "fail"),
      ],
      b: [],
    });
    const c = compare(before, after);
    expect(c.regressions.map((r) => `${r.check}:${r.before}→${r.after}`)).toEqual([
      "get-object.roundtrip:pass→fail",
      "get-object.no-such-key:pass→error",
      "get-object.presigned:missing→fail",
    ]);
    expect(c.fixed.map((r) => r.check)).toEqual(["get-object.range-forms"]);
    expect(c.newTargets).toEqual(["b"]);
  });

  test("a target that passed before and is unavailable now regresses every check it passed", () => {
    const c = compare(
      results({ a: [run("get-object.roundtrip", "pass")] }),
      results({ a: "connection refused" }),
    );
    expect(c.regressions).toEqual([
      {
        target: "a",
        operation: "GetObject",
        check: "get-object.roundtrip",
        before: "pass",
        after: "missing",
      },
    ]);
  });

  test("a file that is not a results.json is refused with the reason", () => {
    expect(() => parseResults("{", "old.json")).toThrow(/old.json: not JSON/);
    expect(() => parseResults('{"version":2}', "old.json")).toThrow(/not a parity results.json/);
  });
});
