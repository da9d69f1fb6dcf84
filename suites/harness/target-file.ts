// Target files: the operator's description of an endpoint. Secrets never live here, only the names of
// the environment variables holding them, so a target file can be committed next to a CI job.

import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { AREAS, CATALOG } from "../catalog/catalog.ts";

export type Addressing = "path" | "virtual";

export interface CredentialEnv {
  readonly accessKeyIdEnv: string;
  readonly secretAccessKeyEnv: string;
}

export interface TargetFile {
  readonly name: string;
  readonly endpoint: string;
  readonly region: string;
  readonly addressing: Addressing;
  readonly tls: { readonly caFile?: string; readonly insecure: boolean };
  readonly credentials: { readonly main: CredentialEnv; readonly alternate?: CredentialEnv };
  /** Operations or areas the operator declares out of scope: reported as such, still scored. */
  readonly outOfScope: readonly string[];
}

export class TargetFileError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`invalid target ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "TargetFileError";
    this.problems = problems;
  }
}

const TOP_KEYS = ["name", "endpoint", "region", "addressing", "tls", "credentials", "outOfScope"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KNOWN_SCOPE = new Set<string>([...AREAS, ...CATALOG.map((e) => e.operation)]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], at: string, out: string[]) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) out.push(`${at}${key}: unknown field (allowed: ${allowed.join(", ")})`);
  }
}

function credentialEnv(value: unknown, at: string, out: string[]): CredentialEnv | undefined {
  if (!isRecord(value)) {
    out.push(`${at}: must be an object { accessKeyIdEnv, secretAccessKeyEnv }`);
    return undefined;
  }
  unknownKeys(value, ["accessKeyIdEnv", "secretAccessKeyEnv"], `${at}.`, out);
  const names: string[] = [];
  for (const key of ["accessKeyIdEnv", "secretAccessKeyEnv"]) {
    const v = value[key];
    if (typeof v !== "string" || !ENV_NAME.test(v)) {
      out.push(`${at}.${key}: must be the NAME of an environment variable (secrets never go in the file)`);
    } else names.push(v);
  }
  return names.length === 2 ? { accessKeyIdEnv: names[0], secretAccessKeyEnv: names[1] } : undefined;
}

/** Validates a parsed target document; collects every problem instead of stopping at the first. */
export function validateTarget(doc: unknown, source: string, fallbackName: string): TargetFile {
  const out: string[] = [];
  if (!isRecord(doc)) throw new TargetFileError(source, ["the document must be an object"]);
  unknownKeys(doc, TOP_KEYS, "", out);

  const name = doc.name ?? fallbackName;
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    out.push("name: letters, digits, '.', '_' or '-', at most 64 characters");
  }

  let endpoint = "";
  if (typeof doc.endpoint !== "string") out.push("endpoint: required, an http:// or https:// URL");
  else {
    try {
      const url = new URL(doc.endpoint);
      if (url.protocol !== "http:" && url.protocol !== "https:")
        out.push("endpoint: must be http:// or https://");
      else if (url.pathname !== "/" || url.search || url.hash)
        out.push("endpoint: no path, query or fragment");
      else if (url.username || url.password) out.push("endpoint: credentials do not belong in the URL");
      else endpoint = url.origin;
    } catch {
      out.push(`endpoint: "${doc.endpoint}" is not a URL`);
    }
  }

  const region = doc.region ?? "us-east-1";
  if (typeof region !== "string" || !/^[a-z0-9-]{1,64}$/.test(region)) {
    out.push("region: lowercase letters, digits and '-' (e.g. us-east-1)");
  }

  const addressing = doc.addressing ?? "path";
  if (addressing !== "path" && addressing !== "virtual") out.push('addressing: "path" or "virtual"');

  let tls: TargetFile["tls"] = { insecure: false };
  if (doc.tls !== undefined) {
    if (!isRecord(doc.tls)) out.push("tls: must be an object { caFile?, insecure? }");
    else {
      unknownKeys(doc.tls, ["caFile", "insecure"], "tls.", out);
      const { caFile, insecure = false } = doc.tls;
      if (caFile !== undefined && (typeof caFile !== "string" || caFile === "")) {
        out.push("tls.caFile: a path to a PEM file");
      }
      if (typeof insecure !== "boolean") out.push("tls.insecure: true or false");
      tls = { ...(typeof caFile === "string" ? { caFile } : {}), insecure: insecure === true };
    }
  }

  let credentials: TargetFile["credentials"] | undefined;
  if (!isRecord(doc.credentials)) out.push("credentials: required, { main: {...}, alternate?: {...} }");
  else {
    unknownKeys(doc.credentials, ["main", "alternate"], "credentials.", out);
    const main = credentialEnv(doc.credentials.main, "credentials.main", out);
    const alternate =
      doc.credentials.alternate === undefined
        ? undefined
        : credentialEnv(doc.credentials.alternate, "credentials.alternate", out);
    if (main) credentials = alternate ? { main, alternate } : { main };
  }

  const outOfScope: string[] = [];
  if (doc.outOfScope !== undefined) {
    if (!Array.isArray(doc.outOfScope)) out.push("outOfScope: a list of operation or area names");
    else {
      for (const item of doc.outOfScope) {
        if (typeof item !== "string" || !KNOWN_SCOPE.has(item)) {
          out.push(`outOfScope: "${String(item)}" is neither a catalog operation nor an area`);
        } else outOfScope.push(item);
      }
    }
  }

  if (out.length > 0 || credentials === undefined) throw new TargetFileError(source, out);
  return {
    name: name as string,
    endpoint,
    region: region as string,
    addressing: addressing as Addressing,
    tls,
    credentials,
    outOfScope,
  };
}

/** Parses JSON (`.json`) or YAML (anything else; YAML is a superset of JSON) text. */
export function parseTarget(text: string, source: string, fallbackName: string): TargetFile {
  let doc: unknown;
  try {
    doc = extname(source) === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new TargetFileError(source, [
      `not valid ${extname(source) === ".json" ? "JSON" : "YAML"}: ${String(error)}`,
    ]);
  }
  return validateTarget(doc, source, fallbackName);
}

export async function loadTargetFile(path: string): Promise<TargetFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new TargetFileError(path, [`cannot read: ${(error as Error).message}`]);
  }
  const base = path.replace(/^.*[\\/]/, "").replace(/\.(json|ya?ml)$/i, "");
  return parseTarget(text, path, base.replace(/[^A-Za-z0-9._-]/g, "-") || "target");
}
