// The target as the suites see it: resolved endpoint and credentials, handed from the runner to the vitest
// workers through one environment variable (workers are separate processes; env is the channel they share).

import type { Addressing } from "./target-file.ts";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface RuntimeTarget {
  readonly name: string;
  /** `reference`, `s3rver` or `file`: how the harness obtained the endpoint. */
  readonly kind: "reference" | "s3rver" | "file";
  readonly endpoint: string;
  readonly region: string;
  readonly addressing: Addressing;
  /** `ca` holds PEM text (read by the runner) so workers need no file access. */
  readonly tls: { readonly ca?: string; readonly insecure: boolean };
  readonly main: Credentials;
  readonly alternate?: Credentials;
  readonly outOfScope: readonly string[];
}

/** What may be written to results and reports: no credentials. */
export interface PublicTarget {
  readonly name: string;
  readonly kind: RuntimeTarget["kind"];
  readonly endpoint: string;
  readonly region: string;
  readonly addressing: Addressing;
  readonly alternateAccount: boolean;
  readonly outOfScope: readonly string[];
}

export const TARGET_ENV = "PARITY_TARGET_JSON";
/** Set to `1` to run `slow` checks (conform does; `npm test` does not). */
export const SLOW_ENV = "PARITY_SLOW";

export function publicTarget(t: RuntimeTarget): PublicTarget {
  return {
    name: t.name,
    kind: t.kind,
    endpoint: t.endpoint,
    region: t.region,
    addressing: t.addressing,
    alternateAccount: t.alternate !== undefined,
    outOfScope: t.outOfScope,
  };
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeTarget | undefined {
  const raw = env[TARGET_ENV];
  if (raw === undefined || raw === "") return undefined;
  const parsed = JSON.parse(raw) as RuntimeTarget;
  if (typeof parsed.endpoint !== "string" || typeof parsed.main?.accessKeyId !== "string") {
    throw new Error(`${TARGET_ENV} does not describe a target`);
  }
  return parsed;
}

export function slowEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SLOW_ENV] === "1";
}
