// Runs the suites against one target through vitest's Node API and collects one CheckRun per test.
// The target reaches the test workers through env; results come back through a small reporter.

import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import AllureReporter from "allure-vitest/reporter";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { startVitest } from "vitest/node";
import { CATALOG, catalogEntry } from "../catalog/catalog.ts";
import { score } from "../catalog/score.ts";
import { type CheckRun, type ReportedTest, toCheckRun } from "./results.ts";
import { publicTarget, type RuntimeTarget, SLOW_ENV, TARGET_ENV } from "./target.ts";

export interface RunOptions {
  /** Project root: suite globs and file names in results are relative to it. */
  readonly root: string;
  /** Globs of suite files, relative to root. */
  readonly include?: readonly string[];
  /** Run `slow` checks (conform: yes). */
  readonly slow?: boolean;
  /** Where allure-vitest writes; results are relabelled with the target so targets don't collide. */
  readonly allureDir?: string;
  /** Progress lines; defaults to stderr. */
  readonly progress?: (line: string, final: boolean, area: string) => void;
}

export interface SuiteRun {
  readonly runs: CheckRun[];
  readonly runErrors: string[];
  readonly durationMs: number;
}

export const DEFAULT_SUITES = ["suites/*/**/*.test.ts"];
// Harness and catalog tests are unit tests of the tooling, not checks of a target.
const NOT_SUITES = ["suites/harness/**", "suites/catalog/**", "**/node_modules/**"];

export function reportedTest(test: TestCase): ReportedTest {
  const result = test.result();
  const diagnostic = test.diagnostic();
  return {
    name: test.name,
    fullName: test.fullName,
    moduleId: test.module.moduleId,
    meta: test.meta(),
    state: result.state,
    errors: result.state === "failed" ? result.errors : [],
    ...(result.state === "skipped" && result.note ? { skipNote: result.note } : {}),
    durationMs: diagnostic?.duration ?? 0,
  };
}

// A terminal gets one line rewritten in place; a CI log gets a line when the area changes.
let lastArea = "";
function defaultProgress(line: string, final: boolean, area: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}${final ? "\n" : ""}`);
  else if (final || area !== lastArea) process.stderr.write(`${line}\n`);
  lastArea = area;
}

/** Collects check runs and prints the running score: the area under test and passing operations so far. */
class Collector implements Reporter {
  readonly runs: CheckRun[] = [];
  readonly errors: string[] = [];
  private readonly root: string;
  private readonly name: string;
  private readonly progress: (line: string, final: boolean, area: string) => void;
  private area = "starting";

  constructor(root: string, name: string, progress: (line: string, final: boolean, area: string) => void) {
    this.root = root;
    this.name = name;
    this.progress = progress;
  }

  line(area: string): string {
    const s = score(CATALOG, this.runs);
    const pass = this.runs.filter((r) => r.status === "pass").length;
    return (
      `parity ${this.name}: ${area.padEnd(12)} checks ${pass}/${this.runs.length} passed · ` +
      `operations ${s.operations.passed}/${s.operations.total} (${s.operations.percent.toFixed(1)}%)`
    );
  }

  onTestCaseReady(test: TestCase): void {
    const ref = test.meta().s3Check;
    this.area = (ref && catalogEntry(ref.operation)?.area) ?? this.area;
    this.progress(this.line(this.area), false, this.area);
  }

  onTestCaseResult(test: TestCase): void {
    this.runs.push(toCheckRun(reportedTest(test), this.root));
    this.progress(this.line(this.area), false, this.area);
  }

  onTestModuleEnd(module: TestModule): void {
    for (const e of module.errors()) this.errors.push(`${module.relativeModuleId}: ${e.message}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>): void {
    for (const e of unhandled) this.errors.push(`unhandled: ${e.message ?? String(e)}`);
    this.progress(this.line("done"), true, "done");
  }
}

export async function runSuites(target: RuntimeTarget, options: RunOptions): Promise<SuiteRun> {
  const started = performance.now();
  const collector = new Collector(options.root, target.name, options.progress ?? defaultProgress);
  const reporters: Reporter[] = [collector];
  let before = new Set<string>();
  if (options.allureDir) {
    await mkdir(options.allureDir, { recursive: true });
    before = new Set(await readdir(options.allureDir));
    reporters.push(new AllureReporter({ resultsDir: options.allureDir }) as unknown as Reporter);
  }
  const exitCode = process.exitCode;
  const vitest = await startVitest([], {
    root: options.root,
    config: false,
    watch: false,
    include: [...(options.include ?? DEFAULT_SUITES)],
    exclude: NOT_SUITES,
    reporters,
    passWithNoTests: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    env: {
      [TARGET_ENV]: JSON.stringify(target),
      [SLOW_ENV]: options.slow ? "1" : "0",
    },
  });
  await vitest.close();
  // A failing check is a result, not a crash of the harness: the exit code is conform's to decide.
  process.exitCode = exitCode;
  if (options.allureDir) await relabelAllure(options.allureDir, before, target);
  return { runs: collector.runs, runErrors: collector.errors, durationMs: performance.now() - started };
}

/** Gives this target's Allure results their own identity, so several targets show side by side. */
async function relabelAllure(dir: string, before: Set<string>, target: RuntimeTarget): Promise<void> {
  const label = publicTarget(target).name;
  for (const name of await readdir(dir)) {
    if (before.has(name) || !name.endsWith("-result.json")) continue;
    const path = join(dir, name);
    const doc = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown> & {
      labels?: { name: string; value: string }[];
    };
    const salt = (v: unknown) =>
      createHash("md5")
        .update(`${label}\0${String(v)}`)
        .digest("hex");
    doc.name = `${String(doc.name)} [${label}]`;
    doc.fullName = `${label}: ${String(doc.fullName)}`;
    doc.historyId = salt(doc.historyId);
    doc.testCaseId = salt(doc.testCaseId);
    doc.labels = [
      ...(doc.labels ?? []).filter((l) => l.name !== "parentSuite"),
      { name: "parentSuite", value: label },
    ];
    await writeFile(path, JSON.stringify(doc));
  }
}
