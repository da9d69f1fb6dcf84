// `parity conform`: start or load each target, run the suites against it, score, and write results.json,
// junit.xml, allure-results/ and index.html. Exit code: 0 done, 1 regression against --baseline or a
// target unavailable, 2 usage error.

// First: sizes libuv's thread pool before anything starts it (see io-threads.ts); this file is also the
// entry point of the reference server's own process.
import "../reference-server/storage/io-threads.ts";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Comparison, compare, parseResults } from "../reports/baseline.ts";
import { renderHtml } from "../reports/html.ts";
import { junitXml } from "../reports/junit.ts";
import { startChildServer, stopWithParent } from "../suites/harness/child-target.ts";
import {
  type CheckRun,
  catalogSize,
  RESULTS_VERSION,
  type ResultsFile,
  type TargetResults,
  targetResults,
} from "../suites/harness/results.ts";
import { DEFAULT_SUITES, runSuites } from "../suites/harness/runner.ts";
import { startS3rver } from "../suites/harness/s3rver.ts";
import { publicTarget, SLOW_ENV, TARGET_ENV } from "../suites/harness/target.ts";
import { type Launcher, resolveTarget, type StartedTarget } from "../suites/harness/targets.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

const USAGE = `usage: parity conform [--target NAME|FILE]... [--out DIR] [--baseline results.json] [--suite AREA]... [--no-slow]

  --target    reference (default, the embedded server), s3rver (npm fake S3, comparison peer), or a
              target file (JSON/YAML). Repeat for a matrix.
  --out       output directory (default ./parity-out)
  --baseline  a previous results.json: newly failing checks are regressions (exit code 1)
  --suite     run only these suite directories under suites/ (e.g. buckets, objects)
  --no-slow   skip checks tagged slow (on by default in conform)`;

interface ReferenceModule {
  startReferenceServer(opts: { dataDir: string; port: number; host: string; tls?: true }): Promise<{
    endpoint: string;
    certificate?: string;
    accessKeyId: string;
    secretAccessKey: string;
    accounts: {
      createTenant(name: string): Promise<unknown>;
      createAccount(tenant: string, name: string): Promise<{ accessKeyId: string; secretAccessKey: string }>;
    };
    close(): Promise<void>;
  }>;
}

/** Loaded lazily, so the harness works (and says why) while the reference server is missing or broken. */
async function loadReference(): Promise<ReferenceModule> {
  const url = new URL("../reference-server/server.ts", import.meta.url).href;
  let mod: ReferenceModule;
  try {
    mod = (await import(url)) as ReferenceModule;
  } catch (error) {
    throw new Error(`cannot load reference-server/server.ts (${(error as Error).message})`);
  }
  if (typeof mod.startReferenceServer !== "function") {
    throw new Error("reference-server/server.ts exports no startReferenceServer");
  }
  return mod;
}

// Hidden mode of this script: the reference server's own process (see suites/harness/child-target.ts).
const REFERENCE_CHILD = "--reference-server-process";

async function referenceProcess(dataDir: string): Promise<void> {
  try {
    const server = await (await loadReference()).startReferenceServer({
      dataDir,
      port: 0,
      host: "127.0.0.1",
      // The reference is encrypted in transit, as the service it specifies: suites talk HTTPS to it with
      // its generated certificate as the only trusted CA, and the TLS checks run instead of skipping.
      tls: true,
    });
    const { endpoint, accessKeyId, secretAccessKey, certificate: ca } = server;
    // Cross-account checks (ACLs, policies, expected bucket owner) need a second, unrelated account.
    await server.accounts.createTenant("parity-alternate");
    const alt = await server.accounts.createAccount("parity-alternate", "alternate");
    const alternate = { accessKeyId: alt.accessKeyId, secretAccessKey: alt.secretAccessKey };
    process.stdout.write(`${JSON.stringify({ endpoint, accessKeyId, secretAccessKey, alternate, ca })}\n`);
    stopWithParent(() => server.close());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

/** The embedded reference server on a temporary data dir, port 0, in its own process. */
async function startReference(): Promise<StartedTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), "parity-reference-"));
  let server: Awaited<ReturnType<typeof startChildServer>>;
  try {
    server = await startChildServer(
      fileURLToPath(import.meta.url),
      [REFERENCE_CHILD, dataDir],
      "reference server",
    );
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    target: {
      name: "reference",
      kind: "reference",
      endpoint: server.endpoint,
      region: "us-east-1",
      addressing: "path",
      tls: { insecure: false, ...(server.ca ? { ca: server.ca } : {}) },
      main: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      ...(server.alternate ? { alternate: server.alternate } : {}),
      outOfScope: [],
    },
    problems: () => server.death(),
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const LAUNCHERS: Readonly<Record<string, Launcher>> = {
  reference: startReference,
  s3rver: startS3rver,
};

export interface ConformOutputs {
  readonly results: ResultsFile;
  readonly comparison?: Comparison;
}

export async function runConform(argv: string[]): Promise<number> {
  let values: {
    target?: string[];
    out?: string;
    baseline?: string;
    suite?: string[];
    "no-slow"?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: "string", multiple: true },
        out: { type: "string" },
        baseline: { type: "string" },
        suite: { type: "string", multiple: true },
        "no-slow": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`parity conform: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const out = resolve(values.out ?? "parity-out");
  const specs = values.target?.length ? values.target : ["reference"];
  if (new Set(specs).size !== specs.length) {
    console.error("parity conform: a target is given twice");
    return 2;
  }
  for (const s of values.suite ?? []) {
    if (!/^[a-z0-9-]+$/.test(s)) {
      console.error(`parity conform: --suite "${s}" must be a directory name under suites/`);
      return 2;
    }
  }
  const include = values.suite?.length ? values.suite.map((s) => `suites/${s}/**/*.test.ts`) : DEFAULT_SUITES;

  // Read the baseline first: a bad baseline should fail before minutes of suites, not after.
  let baseline: ResultsFile | undefined;
  if (values.baseline) {
    try {
      baseline = parseResults(await readFile(values.baseline, "utf8"), values.baseline);
    } catch (error) {
      console.error(`parity conform: ${(error as Error).message}`);
      return 2;
    }
  }

  await mkdir(out, { recursive: true });
  const allureDir = join(out, "allure-results");
  await rm(allureDir, { recursive: true, force: true });
  const startedAt = new Date().toISOString();
  const targets: TargetResults[] = [];
  let unavailable = 0;
  for (const spec of specs) {
    const outcome = await resolveTarget(spec, LAUNCHERS);
    if ("unavailable" in outcome) {
      unavailable += 1;
      console.error(`parity conform: target ${outcome.name} unavailable: ${outcome.unavailable}`);
      targets.push(targetResults({ name: outcome.name }, [], { unavailable: outcome.unavailable }));
      continue;
    }
    // Two files may name their target alike: the matrix needs distinct columns.
    const taken = new Set(targets.map((t) => t.target.name));
    let name = outcome.started.target.name;
    for (let i = 2; taken.has(name); i++) name = `${outcome.started.target.name}-${i}`;
    const target = { ...outcome.started.target, name };
    let runs: CheckRun[] = [];
    let runErrors: string[] = [];
    let durationMs = 0;
    try {
      ({ runs, runErrors, durationMs } = await runSuites(target, {
        root: ROOT,
        include,
        slow: !values["no-slow"],
        allureDir,
      }));
    } catch (error) {
      runErrors = [`the suites could not run: ${(error as Error).stack ?? String(error)}`];
    } finally {
      const died = outcome.started.problems?.();
      if (died) runErrors.push(died);
      await outcome.started.close().catch((e: Error) => runErrors.push(`closing the target: ${e.message}`));
    }
    for (const e of runErrors) console.error(`parity conform: ${target.name}: ${e}`);
    targets.push(
      targetResults(publicTarget(target), runs, { outOfScope: target.outOfScope, durationMs, runErrors }),
    );
  }

  const results: ResultsFile = {
    version: RESULTS_VERSION,
    startedAt,
    finishedAt: new Date().toISOString(),
    catalog: catalogSize(),
    targets,
  };
  const comparison = baseline ? compare(baseline, results) : undefined;
  await writeFile(join(out, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(out, "junit.xml"), junitXml(results));
  await writeFile(join(out, "index.html"), renderHtml(results, comparison));

  for (const t of targets) {
    const s = t.score;
    console.error(
      `parity conform: ${t.target.name}: ${s.operations.percent.toFixed(1)}% of operations ` +
        `(${s.operations.passed}/${s.operations.total}), checks ${s.checks.passed}/${s.checks.total}` +
        (t.unavailable ? " — UNAVAILABLE" : ""),
    );
  }
  if (comparison) {
    for (const r of comparison.regressions) {
      console.error(
        `parity conform: REGRESSION ${r.target} [${r.operation}] ${r.check}: ${r.before} → ${r.after}`,
      );
    }
  }
  console.error(`parity conform: report in ${join(out, "index.html")}`);
  return (comparison?.regressions.length ?? 0) > 0 || unavailable > 0 ? 1 : 0;
}

/**
 * vitest globalSetup hook: with `globalSetup: ["scripts/conform.ts"]` in vitest.config.ts, `npm test` runs
 * the suites against an embedded reference server (slow checks off). A target given in the environment
 * wins, so `PARITY_TARGET_JSON=... npx vitest` can aim the suites elsewhere.
 */
export async function setup(): Promise<() => Promise<void>> {
  if (process.env[TARGET_ENV]) return async () => {};
  const started = await startReference();
  process.env[TARGET_ENV] = JSON.stringify(started.target);
  process.env[SLOW_ENV] ??= "0";
  return async () => {
    delete process.env[TARGET_ENV];
    await started.close();
  };
}

// Run directly (`node scripts/conform.ts ...`): exit explicitly, as vitest's workers can leave handles.
if (import.meta.main) {
  if (process.argv[2] === REFERENCE_CHILD) await referenceProcess(process.argv[3]);
  else process.exit(await runConform(process.argv.slice(2)));
}
