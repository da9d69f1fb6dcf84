// One line per check: `check("PutObject", "put-object.roundtrip", async () => { ... })`.
// The test name encodes the operation and check id so any reporter (JUnit, Allure, results.json) can map a
// result back to the catalog; the same pair also travels in the test's `meta` for reporters that read it.

import { type TestFunction, type TestOptions, test } from "vitest";
import { slowEnabled } from "../harness/target.ts";
import { type CheckIdOf, catalogEntry, type OperationName, operationOfCheck } from "./catalog.ts";

export interface CheckRef {
  readonly operation: string;
  readonly check: string;
  /** Distinguishes runs of the same check through different clients, e.g. `minio`. */
  readonly variant?: string;
}

declare module "vitest" {
  interface TaskMeta {
    s3Check?: CheckRef;
  }
}

export interface CheckOptions extends TestOptions {
  readonly variant?: string;
  /**
   * A check too long for every commit (999 buckets, 1001 keys, 40 MB bodies): it runs in `parity conform`
   * and is skipped, with that reason in the report, under `--no-slow` and in `npm test`.
   */
  readonly slow?: boolean;
}

const slowRuns = slowEnabled();
export const SLOW_SKIP_NOTE = "slow check: runs in `parity conform` without --no-slow";

const VARIANT = /^[^()\n>[\]]+$/;
// The last ` > ` segment is the test's own name when a reporter gives the full describe path.
const NAME = /(?:^| > )\[([A-Za-z0-9]+)\] ([a-z0-9][a-z0-9.-]*)(?: \(([^()\n>[\]]+)\))?$/;

/** Throws unless `check` is a catalog check id of `operation`. */
export function assertCatalogCheck(operation: string, check: string): void {
  if (catalogEntry(operation) === undefined) {
    throw new Error(`check(): "${operation}" is not an operation of the catalog (suites/catalog/catalog.ts)`);
  }
  const owner = operationOfCheck(check);
  if (owner === undefined) {
    throw new Error(`check(): "${check}" is not a check id of the catalog; add it under ${operation} first`);
  }
  if (owner !== operation) {
    throw new Error(`check(): "${check}" belongs to ${owner}, not ${operation}`);
  }
}

/** `[PutObject] put-object.roundtrip`, or `[PutObject] put-object.roundtrip (minio)` with a variant. */
export function checkName(operation: string, check: string, variant?: string): string {
  assertCatalogCheck(operation, check);
  if (variant === undefined) return `[${operation}] ${check}`;
  if (!VARIANT.test(variant)) {
    throw new Error(`check(): variant "${variant}" must not contain brackets, parentheses, ">" or newlines`);
  }
  return `[${operation}] ${check} (${variant})`;
}

/** The inverse of checkName; also accepts a full `describe > ... > test` name. Undefined if not a check. */
export function parseCheckName(name: string): CheckRef | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  const [, operation, check, variant] = match;
  return variant === undefined ? { operation, check } : { operation, check, variant };
}

type DefineTest = (name: string, options: TestOptions, fn: TestFunction) => unknown;

/** Builds `check` over a test-defining function; the catalog's own tests pass a recorder. */
export function checkWith(defineTest: DefineTest) {
  return function check<Op extends OperationName>(
    operation: Op,
    checkId: CheckIdOf<Op>,
    fn: TestFunction,
    options: CheckOptions = {},
  ): void {
    const { variant, slow, ...testOptions } = options;
    // checkName validates at run time too: the literal types are erased, and ids may be computed.
    const name = checkName(operation, checkId, variant);
    const ref: CheckRef =
      variant === undefined ? { operation, check: checkId } : { operation, check: checkId, variant };
    // A skipped slow check says why in results.json, rather than appearing as an unexplained skip.
    const body: TestFunction = slow && !slowRuns ? (ctx) => ctx.skip(SLOW_SKIP_NOTE) : fn;
    defineTest(name, { ...testOptions, meta: { ...testOptions.meta, s3Check: ref } }, body);
  };
}

/** Declares a vitest test proving one catalog check; refuses, at definition time, ids the catalog lacks. */
export const check = checkWith(test);
