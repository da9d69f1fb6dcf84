// The reference server in one call: keyring, storage engine, root credentials and the S3 listener.
// `parity serve` and the tests start it through here.

import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { loadOrCreateKeyring } from "./crypto/master-key.ts";
import { createS3Server } from "./http/server.ts";
import { loadOrCreateCertificate, type TlsMaterial } from "./http/tls.ts";
import { AccountStore } from "./iam/accounts.ts";
import type { RootInput } from "./iam/keys.ts";
import { type LifecycleOptions, type LifecycleReport, LifecycleScanner } from "./lifecycle/scanner.ts";
import { AccessLogging } from "./logging/access-logging.ts";
import type { DeliveryStats } from "./logging/delivery.ts";
import type { UsageSample } from "./metering/billing.ts";
import { UsageMeter } from "./metering/meter.ts";
import { registerMeter } from "./metering/registry.ts";
import { meterSource } from "./metering/usage.ts";
import { type EngineOptions, StorageEngine } from "./storage/engine.ts";

export interface ReferenceServerOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Fixed root credentials; else PARITY_ROOT_ACCESS_KEY / PARITY_ROOT_SECRET_KEY; else generated once. */
  rootAccessKey?: string;
  rootSecretKey?: string;
  region?: string;
  regions?: string[];
  baseDomains?: string[];
  maxBucketsPerOwner?: number;
  /** The clock of S3 semantics (retention, lifecycle); tests inject one to move time. Default Date.now. */
  clock?: () => number;
  /** HTTPS: a given certificate, or `true` for a self-signed one kept in `<dataDir>/tls/`. */
  tls?: true | TlsMaterial;
  /** Engine settings other than the data dir and keyring (tests use small blocks, no fsync). */
  engine?: Omit<Partial<EngineOptions>, "dataDir" | "keyring">;
  env?: NodeJS.ProcessEnv;
  /** The provider's networks: buckets with "private" network access answer only these (default loopback). */
  privateCidrs?: string[];
  /** Server access log delivery: every `flushIntervalMs` (60 s) or `maxRecords` (1000); 0 s: flushLogs() only. */
  accessLogs?: { flushIntervalMs?: number; maxRecords?: number; maxPending?: number };
  /** Usage meter: every `intervalMs` (1 h; 0: sampleUsage() only), and at start unless `sampleOnStart` is false. */
  metering?: { intervalMs?: number; sampleOnStart?: boolean };
  /** Lifecycle scanner: hourly by default (first run a minute after start), bounded work per run. */
  lifecycle?: LifecycleOptions;
}

export interface ReferenceServer {
  endpoint: string;
  /** The server certificate (PEM) when serving HTTPS, for clients to trust. */
  certificate?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Account id of the root credentials (bucket owner, ListBuckets Owner ID). */
  principal: string;
  engine: StorageEngine;
  /** Tenants and storage accounts; authentication looks keys up here. */
  accounts: AccountStore;
  /** Deliver waiting server access logs and append the platform log now, instead of at the next flush. */
  flushLogs(): Promise<DeliveryStats>;
  /** Sample every bucket's stored bytes now (the meter does it hourly), for the hour of the clock. */
  sampleUsage(): Promise<UsageSample>;
  /** Apply the buckets' lifecycle rules now, on the S3 clock, instead of at the next periodic run. */
  lifecycle: { runOnce(): Promise<LifecycleReport> };
  close(): Promise<void>;
}

export async function startReferenceServer(opts: ReferenceServerOptions): Promise<ReferenceServer> {
  const env = opts.env ?? process.env;
  await mkdir(opts.dataDir, { recursive: true });
  const keyring = await loadOrCreateKeyring(join(opts.dataDir, "keys.json"), env);
  const host = opts.host ?? "127.0.0.1";
  const tls = opts.tls === true ? await loadOrCreateCertificate(opts.dataDir, [host]) : opts.tls;
  // Versions are dated on the S3 clock, so lifecycle ages and Last-Modified agree with it.
  const engine = await StorageEngine.open({
    clock: opts.clock,
    ...opts.engine,
    dataDir: opts.dataDir,
    keyring,
  });
  // Root is an account of the store like any other (sealed secret, same lookup), generated on first start
  // unless given by options or PARITY_ROOT_ACCESS_KEY / PARITY_ROOT_SECRET_KEY.
  const given =
    opts.rootAccessKey !== undefined || opts.rootSecretKey !== undefined
      ? // Half a pair is refused by the store with a message naming both settings.
        ({ accessKeyId: opts.rootAccessKey, secretAccessKey: opts.rootSecretKey } as RootInput)
      : undefined;
  const accounts = await AccountStore.open({
    dataDir: opts.dataDir,
    keyring,
    root: given,
    env,
    durable: opts.engine?.durable,
  });
  const root = accounts.rootCredentials();
  const clock = opts.clock ?? Date.now;
  const logs = new AccessLogging({
    dataDir: opts.dataDir,
    engine,
    clock,
    baseDomains: opts.baseDomains,
    delivery: opts.accessLogs,
  });
  const meter = new UsageMeter({
    dataDir: opts.dataDir,
    clock,
    source: meterSource(engine, accounts),
    ...opts.metering,
  });
  // The management API finds the meter through the engine it is given.
  registerMeter(engine, meter);
  const server = createS3Server({
    tls,
    engine,
    credentials: (id) => accounts.lookup(id),
    region: opts.region,
    regions: opts.regions,
    baseDomains: opts.baseDomains,
    maxBucketsPerOwner: opts.maxBucketsPerOwner,
    clock: opts.clock,
    accounts,
    privateCidrs: opts.privateCidrs,
    onRequest: logs.observe,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 9000, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await engine.close();
    throw e;
  }
  logs.start();
  meter.start();
  const lifecycle = new LifecycleScanner(engine, clock, opts.lifecycle);
  lifecycle.start();
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    endpoint: `${tls ? "https" : "http"}://${urlHost}:${port}`,
    certificate: tls?.cert,
    accessKeyId: root.accessKeyId,
    secretAccessKey: root.secretAccessKey,
    principal: root.principal,
    engine,
    accounts,
    flushLogs: () => logs.flush(),
    sampleUsage: () => meter.sampleNow(),
    lifecycle: { runOnce: () => lifecycle.runOnce() },
    close: () => {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Keep-alive connections that go idle after close() would hold it open; cut them after a grace.
        const grace = setTimeout(() => server.closeAllConnections(), 5_000);
        await done;
        clearTimeout(grace);
        await lifecycle.stop();
        await meter.close();
        await logs.close();
        await engine.close();
      })();
      return closed;
    },
  };
}
