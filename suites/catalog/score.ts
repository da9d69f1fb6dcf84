// Pure scoring: catalog + per-check results → compatibility. Whatever is not proven passing counts
// against the target, and the denominator is always the whole catalog.

import { type CatalogEntry, SCOPES, type Scope } from "./catalog.ts";

export type CheckStatus = "pass" | "fail" | "error" | "skipped" | "missing";

export interface CheckResult {
  readonly operation: string;
  readonly check: string;
  readonly status: CheckStatus;
}

/** `unproven`: no check failed or errored, but at least one was skipped or never reported. */
export type OperationStatus = "pass" | "fail" | "error" | "unproven";

export interface Ratio {
  readonly passed: number;
  readonly total: number;
  /** 0–100; 0 when total is 0 (nothing proven is never a perfect score). */
  readonly percent: number;
}

export interface OperationScore {
  readonly operation: string;
  readonly scope: Scope;
  readonly area: CatalogEntry["area"];
  readonly status: OperationStatus;
  /** Declared out of scope by the operator: reported as such, still in every denominator. */
  readonly declaredOutOfScope: boolean;
  readonly checks: ReadonlyArray<{ readonly check: string; readonly status: CheckStatus }>;
}

export interface Score {
  readonly operations: Ratio;
  readonly checks: Ratio;
  readonly byScope: Readonly<Record<Scope, { readonly operations: Ratio; readonly checks: Ratio }>>;
  readonly perOperation: readonly OperationScore[];
  readonly declaredOutOfScope: readonly string[];
  /** Results naming a check the catalog does not have (or under the wrong operation): shown, not scored. */
  readonly unknown: readonly CheckResult[];
}

export interface ScoreOptions {
  /** Operation names or areas the operator declares out of scope for the target. */
  readonly declaredOutOfScope?: Iterable<string>;
}

// When a check reports several times (two clients, a retry), the worst outcome stands.
const SEVERITY: Record<CheckStatus, number> = { pass: 0, skipped: 1, missing: 2, error: 3, fail: 4 };

export function ratio(passed: number, total: number): Ratio {
  return { passed, total, percent: total === 0 ? 0 : (passed / total) * 100 };
}

/** An operation passes only when every one of its checks passes. */
export function operationStatus(statuses: readonly CheckStatus[]): OperationStatus {
  if (statuses.length === 0) return "unproven";
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("error")) return "error";
  if (statuses.every((s) => s === "pass")) return "pass";
  return "unproven";
}

export function score(
  catalog: readonly CatalogEntry[],
  results: Iterable<CheckResult>,
  options: ScoreOptions = {},
): Score {
  const owner = new Map<string, string>();
  for (const entry of catalog) for (const id of entry.checks) owner.set(id, entry.operation);

  const outOfScope = new Set(options.declaredOutOfScope ?? []);
  for (const name of outOfScope) {
    if (!catalog.some((entry) => entry.operation === name || entry.area === name)) {
      throw new Error(`declared out of scope: "${name}" is neither a catalog operation nor an area`);
    }
  }

  const reported = new Map<string, CheckStatus>();
  const unknown: CheckResult[] = [];
  for (const result of results) {
    if (owner.get(result.check) !== result.operation) {
      unknown.push(result);
      continue;
    }
    const previous = reported.get(result.check);
    if (previous === undefined || SEVERITY[result.status] > SEVERITY[previous]) {
      reported.set(result.check, result.status);
    }
  }

  const perOperation: OperationScore[] = catalog.map((entry) => {
    const checks = entry.checks.map((check) => ({ check, status: reported.get(check) ?? "missing" }));
    return {
      operation: entry.operation,
      scope: entry.scope,
      area: entry.area,
      status: operationStatus(checks.map((c) => c.status)),
      declaredOutOfScope: outOfScope.has(entry.operation) || outOfScope.has(entry.area),
      checks,
    };
  });

  const tally = (ops: readonly OperationScore[]) => {
    const allChecks = ops.flatMap((op) => op.checks);
    return {
      operations: ratio(ops.filter((op) => op.status === "pass").length, ops.length),
      checks: ratio(allChecks.filter((c) => c.status === "pass").length, allChecks.length),
    };
  };

  const byScope = Object.fromEntries(
    SCOPES.map((scope) => [scope, tally(perOperation.filter((op) => op.scope === scope))]),
  ) as Record<Scope, ReturnType<typeof tally>>;

  return {
    ...tally(perOperation),
    byScope,
    perOperation,
    declaredOutOfScope: perOperation.filter((op) => op.declaredOutOfScope).map((op) => op.operation),
    unknown,
  };
}
