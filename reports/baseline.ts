// Comparing a run with a previous results.json: a check that failed nowhere before and fails now is a
// regression. Checks the baseline never ran (new checks, new targets) are reported but are not regressions.

import type { ResultsFile } from "../suites/harness/results.ts";

export interface CheckChange {
  readonly target: string;
  readonly operation: string;
  readonly check: string;
  readonly before: string;
  readonly after: string;
}

export interface Comparison {
  /** pass (or skipped) before → fail/error now. */
  readonly regressions: readonly CheckChange[];
  /** fail/error before → pass now. */
  readonly fixed: readonly CheckChange[];
  /** Targets present now but absent from the baseline. */
  readonly newTargets: readonly string[];
  readonly operationsDelta: Readonly<Record<string, { readonly before: number; readonly after: number }>>;
}

const FAILING = new Set(["fail", "error"]);

function statuses(results: ResultsFile, target: string): Map<string, { operation: string; status: string }> {
  const out = new Map<string, { operation: string; status: string }>();
  const t = results.targets.find((x) => x.target.name === target);
  for (const op of t?.operations ?? []) {
    for (const c of op.checks) out.set(c.check, { operation: op.operation, status: c.status });
  }
  return out;
}

export function compare(baseline: ResultsFile, current: ResultsFile): Comparison {
  const regressions: CheckChange[] = [];
  const fixed: CheckChange[] = [];
  const newTargets: string[] = [];
  const operationsDelta: Record<string, { before: number; after: number }> = {};
  for (const t of current.targets) {
    const name = t.target.name;
    const old = baseline.targets.find((x) => x.target.name === name);
    if (!old) {
      newTargets.push(name);
      continue;
    }
    operationsDelta[name] = { before: old.score.operations.passed, after: t.score.operations.passed };
    const before = statuses(baseline, name);
    for (const [check, now] of statuses(current, name)) {
      const was = before.get(check);
      if (!was) continue;
      // A check the baseline proved passing (or at least ran) and that now fails is a regression; an
      // unavailable target or a missing check now is one too, when it passed before.
      const nowBad = FAILING.has(now.status) || (was.status === "pass" && now.status === "missing");
      if (nowBad && !FAILING.has(was.status)) {
        regressions.push({
          target: name,
          operation: now.operation,
          check,
          before: was.status,
          after: now.status,
        });
      } else if (FAILING.has(was.status) && now.status === "pass") {
        fixed.push({ target: name, operation: now.operation, check, before: was.status, after: now.status });
      }
    }
  }
  return { regressions, fixed, newTargets, operationsDelta };
}

export function parseResults(text: string, source: string): ResultsFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`baseline ${source}: not JSON (${(error as Error).message})`);
  }
  const r = doc as Partial<ResultsFile>;
  if (r?.version !== 1 || !Array.isArray(r.targets)) {
    throw new Error(`baseline ${source}: not a parity results.json (version 1)`);
  }
  return r as ResultsFile;
}
