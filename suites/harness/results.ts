// From vitest's per-test results to the results.json model: each check run mapped back to the catalog
// by the test's meta (or its name), scored with the catalog's own scoring.

import { CATALOG, catalogEntry } from "../catalog/catalog.ts";
import { parseCheckName } from "../catalog/check.ts";
import { type CheckStatus, type OperationStatus, type Ratio, type Score, score } from "../catalog/score.ts";
import type { Exchange } from "./evidence.ts";
import type { PublicTarget } from "./target.ts";

export const RESULTS_VERSION = 1;

/** One execution of a check (a check may run once per client variant). */
export interface CheckRun {
  readonly operation: string;
  readonly check: string;
  readonly variant?: string;
  readonly status: Exclude<CheckStatus, "missing">;
  readonly durationMs: number;
  readonly error?: string;
  readonly skipReason?: string;
  readonly evidence?: readonly Exchange[];
  readonly file: string;
}

export interface CheckResultEntry {
  readonly check: string;
  readonly status: CheckStatus;
  readonly durationMs: number;
  readonly runs: readonly CheckRun[];
}

export interface OperationResult {
  readonly operation: string;
  readonly scope: string;
  readonly area: string;
  readonly status: OperationStatus;
  readonly declaredOutOfScope: boolean;
  readonly checks: readonly CheckResultEntry[];
}

export interface TargetResults {
  readonly target: PublicTarget | { readonly name: string };
  /** Set when the target could not be started or reached; every check then counts as missing. */
  readonly unavailable?: string;
  readonly durationMs: number;
  readonly score: {
    readonly operations: Ratio;
    readonly checks: Ratio;
    readonly byScope: Score["byScope"];
  };
  readonly operations: readonly OperationResult[];
  /** Test results that name no catalog check, and errors outside any test (e.g. a suite failing to load). */
  readonly unknown: readonly CheckRun[];
  readonly runErrors: readonly string[];
}

export interface ResultsFile {
  readonly version: typeof RESULTS_VERSION;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly catalog: { readonly operations: number; readonly checks: number };
  readonly targets: readonly TargetResults[];
}

/** The slice of vitest's reported TestCase this module needs (a fake one is easy to build in tests). */
export interface ReportedTest {
  readonly name: string;
  readonly fullName: string;
  readonly moduleId: string;
  readonly meta: {
    readonly s3Check?: { operation: string; check: string; variant?: string };
    readonly s3Evidence?: Exchange[];
  };
  readonly state: "passed" | "failed" | "skipped" | "pending";
  readonly errors: ReadonlyArray<{
    readonly name?: string;
    readonly message?: string;
    readonly diff?: string;
  }>;
  readonly skipNote?: string;
  readonly durationMs: number;
}

// "error" is for an exchange that never produced an S3 answer (connection refused or reset, timeout) or a
// bug in the check itself; a target that answered wrongly — a failed assertion, or an S3 error the SDK threw
// where success was expected (NotImplemented, NoSuchKey, ...) — "fail"s the check.
const EXCHANGE_BROKEN =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|timed out|Timeout|other side closed|fetch failed/i;
const CHECK_BUG = new Set(["TypeError", "ReferenceError", "SyntaxError", "RangeError"]);

function isFailure(error: { name?: string; message?: string }): boolean {
  const name = error.name ?? "Error";
  if (name === "AssertionError" || name === "AssertionError [ERR_ASSERTION]") return true;
  if (CHECK_BUG.has(name) || /Timeout|Abort/.test(name)) return false;
  return !EXCHANGE_BROKEN.test(`${name} ${error.message ?? ""}`);
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

export function toCheckRun(test: ReportedTest, root = ""): CheckRun {
  const ref = test.meta.s3Check ?? parseCheckName(test.fullName) ?? { operation: "?", check: test.name };
  const file = root && test.moduleId.startsWith(root) ? test.moduleId.slice(root.length + 1) : test.moduleId;
  let status: CheckRun["status"];
  if (test.state === "passed") status = "pass";
  else if (test.state === "failed") status = test.errors.every(isFailure) ? "fail" : "error";
  else status = "skipped";
  const error = test.errors.length
    ? test.errors
        .map((e) =>
          `${e.name ?? "Error"}: ${e.message ?? ""}${e.diff ? `\n${stripAnsi(e.diff)}` : ""}`.trim(),
        )
        .join("\n")
    : undefined;
  return {
    operation: ref.operation,
    check: ref.check,
    ...(ref.variant ? { variant: ref.variant } : {}),
    status,
    durationMs: Math.round(test.durationMs),
    ...(error ? { error } : {}),
    ...(test.skipNote ? { skipReason: test.skipNote } : {}),
    ...(status !== "pass" && test.meta.s3Evidence?.length ? { evidence: test.meta.s3Evidence } : {}),
    file,
  };
}

/** Scores a target's runs against the whole catalog and groups them per operation and check. */
export function targetResults(
  target: TargetResults["target"],
  runs: readonly CheckRun[],
  options: {
    outOfScope?: readonly string[];
    durationMs?: number;
    runErrors?: readonly string[];
    unavailable?: string;
  } = {},
): TargetResults {
  const s = score(CATALOG, runs, { declaredOutOfScope: options.outOfScope ?? [] });
  const byCheck = new Map<string, CheckRun[]>();
  for (const run of runs) {
    if (catalogEntry(run.operation)?.checks.includes(run.check)) {
      byCheck.set(run.check, [...(byCheck.get(run.check) ?? []), run]);
    }
  }
  const operations = s.perOperation.map((op) => ({
    operation: op.operation,
    scope: op.scope,
    area: op.area,
    status: op.status,
    declaredOutOfScope: op.declaredOutOfScope,
    checks: op.checks.map((c) => {
      const checkRuns = byCheck.get(c.check) ?? [];
      return {
        check: c.check,
        status: c.status,
        durationMs: checkRuns.reduce((sum, r) => sum + r.durationMs, 0),
        runs: checkRuns,
      };
    }),
  }));
  const known = new Set(runs.filter((r) => byCheck.get(r.check)?.includes(r)));
  return {
    target,
    ...(options.unavailable ? { unavailable: options.unavailable } : {}),
    durationMs: Math.round(options.durationMs ?? 0),
    score: { operations: s.operations, checks: s.checks, byScope: s.byScope },
    operations,
    unknown: runs.filter((r) => !known.has(r)),
    runErrors: options.runErrors ?? [],
  };
}

export function catalogSize(): ResultsFile["catalog"] {
  return { operations: CATALOG.length, checks: CATALOG.reduce((n, e) => n + e.checks.length, 0) };
}

/** Every failing (fail or error) check of a target, for reports and baselines. */
export function failingChecks(t: TargetResults): { operation: string; check: string; status: CheckStatus }[] {
  return t.operations.flatMap((op) =>
    op.checks
      .filter((c) => c.status === "fail" || c.status === "error")
      .map((c) => ({ operation: op.operation, check: c.check, status: c.status })),
  );
}
