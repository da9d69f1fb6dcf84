// Resolving `--target` values: a built-in name (started by a launcher) or a target file (credentials
// read from the environment variables it names). A target that cannot be had is reported unavailable
// with the reason, and the run goes on with the others.

import { readFile } from "node:fs/promises";
import type { Credentials, RuntimeTarget } from "./target.ts";
import { type CredentialEnv, loadTargetFile, type TargetFile } from "./target-file.ts";

export interface StartedTarget {
  readonly target: RuntimeTarget;
  /** For servers the harness started: why the server died during the run, if it did. */
  problems?(): string | undefined;
  close(): Promise<void>;
}

export type Launcher = () => Promise<StartedTarget>;

export type TargetOutcome =
  | { readonly spec: string; readonly name: string; readonly started: StartedTarget }
  | { readonly spec: string; readonly name: string; readonly unavailable: string };

function credentialsFrom(names: CredentialEnv, env: NodeJS.ProcessEnv, which: string): Credentials {
  const accessKeyId = env[names.accessKeyIdEnv];
  const secretAccessKey = env[names.secretAccessKeyEnv];
  const missing = [names.accessKeyIdEnv, names.secretAccessKeyEnv].filter((n) => !env[n]);
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(`${which} credentials: environment variable(s) ${missing.join(", ")} not set`);
  }
  return { accessKeyId, secretAccessKey };
}

export async function runtimeFromFile(file: TargetFile, env: NodeJS.ProcessEnv): Promise<RuntimeTarget> {
  const main = credentialsFrom(file.credentials.main, env, "main");
  const alternate = file.credentials.alternate
    ? credentialsFrom(file.credentials.alternate, env, "alternate")
    : undefined;
  const ca = file.tls.caFile ? await readFile(file.tls.caFile, "utf8") : undefined;
  return {
    name: file.name,
    kind: "file",
    endpoint: file.endpoint,
    region: file.region,
    addressing: file.addressing,
    tls: { ...(ca ? { ca } : {}), insecure: file.tls.insecure },
    main,
    ...(alternate ? { alternate } : {}),
    outOfScope: file.outOfScope,
  };
}

/** Starts or loads one target; never throws: failures become `unavailable` with the reason. */
export async function resolveTarget(
  spec: string,
  launchers: Readonly<Record<string, Launcher>>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TargetOutcome> {
  const launcher = Object.hasOwn(launchers, spec) ? launchers[spec] : undefined;
  if (launcher) {
    try {
      return { spec, name: spec, started: await launcher() };
    } catch (error) {
      return { spec, name: spec, unavailable: (error as Error).message ?? String(error) };
    }
  }
  if (!/[./\\]/.test(spec)) {
    const known = Object.keys(launchers).join(", ");
    return { spec, name: spec, unavailable: `unknown target "${spec}" (built-ins: ${known}; or a file)` };
  }
  let file: TargetFile;
  try {
    file = await loadTargetFile(spec);
  } catch (error) {
    return { spec, name: spec, unavailable: (error as Error).message };
  }
  try {
    const target = await runtimeFromFile(file, env);
    return { spec, name: file.name, started: { target, close: async () => {} } };
  } catch (error) {
    return { spec, name: file.name, unavailable: (error as Error).message };
  }
}
