// `parity serve`: the reference server and its management API, until SIGINT / SIGTERM.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { startAdminServer } from "../reference-server/admin/server.ts";
import { startReferenceServer } from "../reference-server/server.ts";
import type { TopologyConfig } from "../reference-server/storage/topology.ts";

/** What a `--config` file (YAML or JSON) may set; command-line flags win. */
export interface ServeConfig {
  dataDir?: string;
  host?: string;
  port?: number;
  adminPort?: number;
  tls?: boolean;
  region?: string;
  regions?: string[];
  baseDomains?: string[];
  adminToken?: string;
  rootAccessKey?: string;
  rootSecretKey?: string;
  preferredZone?: string;
  topology?: TopologyConfig;
  maxBucketsPerOwner?: number;
  /** The provider's networks: buckets with "private" network access answer only these (default loopback). */
  privateCidrs?: string[];
}

const KNOWN = new Set([
  "dataDir",
  "host",
  "port",
  "adminPort",
  "tls",
  "region",
  "regions",
  "baseDomains",
  "adminToken",
  "rootAccessKey",
  "rootSecretKey",
  "preferredZone",
  "topology",
  "maxBucketsPerOwner",
  "privateCidrs",
]);

export async function loadServeConfig(file: string): Promise<ServeConfig> {
  const text = await readFile(file, "utf8");
  const doc = (file.endsWith(".json") ? JSON.parse(text) : YAML.parse(text)) ?? {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new Error(`${file}: the config must be a mapping`);
  const unknown = Object.keys(doc).filter((k) => !KNOWN.has(k));
  if (unknown.length)
    throw new Error(`${file}: unknown setting(s) ${unknown.join(", ")}; known: ${[...KNOWN].join(", ")}`);
  return doc as ServeConfig;
}

function port(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number (0-65535), got ${v}`);
  return n;
}

export async function runServe(argv: string[]): Promise<number> {
  // Installed first: a signal during start-up still stops cleanly once the servers are up.
  const stopped = new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      console.error(`parity serve: ${sig}, finishing in-flight requests`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  const { values } = parseArgs({
    args: argv,
    options: {
      "data-dir": { type: "string" },
      port: { type: "string" },
      "admin-port": { type: "string" },
      host: { type: "string" },
      tls: { type: "boolean" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: parity serve [--data-dir DIR] [--port 9000] [--admin-port 9001] [--host 127.0.0.1] [--tls] [--config FILE]",
    );
    return 0;
  }
  const cfg = values.config ? await loadServeConfig(values.config) : {};
  const dataDir = path.resolve(values["data-dir"] ?? cfg.dataDir ?? "parity-data");
  const host = values.host ?? cfg.host ?? "127.0.0.1";
  const s3 = await startReferenceServer({
    dataDir,
    host,
    port: port(values.port, cfg.port ?? 9000, "--port"),
    tls: values.tls || cfg.tls ? true : undefined,
    region: cfg.region,
    regions: cfg.regions,
    baseDomains: cfg.baseDomains,
    maxBucketsPerOwner: cfg.maxBucketsPerOwner,
    privateCidrs: cfg.privateCidrs,
    rootAccessKey: cfg.rootAccessKey,
    rootSecretKey: cfg.rootSecretKey,
    engine: { topology: cfg.topology, preferredZone: cfg.preferredZone },
  });
  const admin = await startAdminServer({
    engine: s3.engine,
    accounts: s3.accounts,
    token: cfg.adminToken ?? process.env.PARITY_ADMIN_TOKEN,
    host,
    port: port(values["admin-port"], cfg.adminPort ?? 9001, "--admin-port"),
  });
  // Lines a script can `eval`.
  const lines = [
    `S3_ENDPOINT=${s3.endpoint}`,
    `ADMIN_ENDPOINT=${admin.endpoint}`,
    `ADMIN_TOKEN=${admin.token}`,
    `AWS_ACCESS_KEY_ID=${s3.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}`,
  ];
  if (s3.certificate) lines.push(`AWS_CA_BUNDLE=${path.join(dataDir, "tls", "cert.pem")}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  console.error(`parity serve: data in ${dataDir}; Ctrl-C stops cleanly`);
  await stopped;
  await admin.close();
  await s3.close();
  return 0;
}
