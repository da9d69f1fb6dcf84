// The reference server in one call: keyring, storage engine, root credentials and the S3 listener.
// `parity serve` and the tests start it through here.

import { createCipheriv, createDecipheriv, randomBytes, randomInt } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Credentials } from "./auth/index.ts";
import { type Keyring, loadOrCreateKeyring } from "./crypto/master-key.ts";
import { hkdfSha256 } from "./crypto/primitives.ts";
import { createS3Server } from "./http/server.ts";
import { loadOrCreateCertificate, type TlsMaterial } from "./http/tls.ts";
import { AccountStore } from "./iam/accounts.ts";
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
  close(): Promise<void>;
}

interface RootFile {
  version: 1;
  accessKeyId: string;
  principal: string;
  /** Secret sealed under the master key: AES-256-GCM with a key derived for this file only. */
  sealed: { keyId: string; iv: string; data: string; tag: string };
}

const ROOT_FILE = "root-credentials.json";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomAccessKey(): string {
  let s = "PK";
  while (s.length < 20) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

function fileKey(keyring: Keyring, keyId: string): Buffer {
  return hkdfSha256(keyring.get(keyId), Buffer.alloc(0), Buffer.from("s3-parity root credentials v1"));
}

function seal(keyring: Keyring, secret: string, aad: string): RootFile["sealed"] {
  const { id } = keyring.current;
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", fileKey(keyring, id), iv);
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(secret, "utf8"), c.final()]);
  return {
    keyId: id,
    iv: iv.toString("base64"),
    data: data.toString("base64"),
    tag: c.getAuthTag().toString("base64"),
  };
}

function unseal(keyring: Keyring, s: RootFile["sealed"], aad: string): string {
  const d = createDecipheriv("aes-256-gcm", fileKey(keyring, s.keyId), Buffer.from(s.iv, "base64"));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(Buffer.from(s.tag, "base64"));
  return Buffer.concat([d.update(Buffer.from(s.data, "base64")), d.final()]).toString("utf8");
}

/**
 * Root credentials: given ones win (and are persisted, so the principal stays the same across
 * restarts); otherwise the stored pair; otherwise a new pair. The secret is never on disk in clear.
 */
async function rootCredentials(
  dataDir: string,
  keyring: Keyring,
  given: { accessKeyId?: string; secretAccessKey?: string },
): Promise<Credentials> {
  const file = join(dataDir, ROOT_FILE);
  let stored: RootFile | undefined;
  try {
    stored = JSON.parse(await readFile(file, "utf8")) as RootFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const principal = stored?.principal ?? randomBytes(32).toString("hex");
  if (given.accessKeyId && given.secretAccessKey) {
    const creds = { accessKeyId: given.accessKeyId, secretAccessKey: given.secretAccessKey, principal };
    if (
      !stored ||
      stored.accessKeyId !== creds.accessKeyId ||
      unseal(keyring, stored.sealed, stored.accessKeyId) !== creds.secretAccessKey
    )
      await writeRoot(file, keyring, creds);
    return creds;
  }
  if (stored) {
    return {
      accessKeyId: stored.accessKeyId,
      secretAccessKey: unseal(keyring, stored.sealed, stored.accessKeyId),
      principal,
    };
  }
  const creds = {
    accessKeyId: randomAccessKey(),
    secretAccessKey: randomBytes(30).toString("base64"),
    principal,
  };
  await writeRoot(file, keyring, creds);
  return creds;
}

async function writeRoot(file: string, keyring: Keyring, c: Credentials): Promise<void> {
  const rec: RootFile = {
    version: 1,
    accessKeyId: c.accessKeyId,
    principal: c.principal,
    sealed: seal(keyring, c.secretAccessKey, c.accessKeyId),
  };
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, JSON.stringify(rec, null, 2), { mode: 0o600 });
  await rename(tmp, file);
}

export async function startReferenceServer(opts: ReferenceServerOptions): Promise<ReferenceServer> {
  const env = opts.env ?? process.env;
  await mkdir(opts.dataDir, { recursive: true });
  const keyring = await loadOrCreateKeyring(join(opts.dataDir, "keys.json"), env);
  const root = await rootCredentials(opts.dataDir, keyring, {
    accessKeyId: opts.rootAccessKey ?? env.PARITY_ROOT_ACCESS_KEY,
    secretAccessKey: opts.rootSecretKey ?? env.PARITY_ROOT_SECRET_KEY,
  });
  const host = opts.host ?? "127.0.0.1";
  const tls = opts.tls === true ? await loadOrCreateCertificate(opts.dataDir, [host]) : opts.tls;
  const engine = await StorageEngine.open({ ...opts.engine, dataDir: opts.dataDir, keyring });
  // The account store adopts the root pair (same principal), so root and storage accounts authenticate alike.
  const accounts = await AccountStore.open({
    dataDir: opts.dataDir,
    keyring,
    root,
    env,
    durable: opts.engine?.durable,
  });
  const server = createS3Server({
    tls,
    engine,
    credentials: (id) => accounts.lookup(id),
    region: opts.region,
    regions: opts.regions,
    baseDomains: opts.baseDomains,
    maxBucketsPerOwner: opts.maxBucketsPerOwner,
    clock: opts.clock,
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
    close: () => {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Keep-alive connections that go idle after close() would hold it open; cut them after a grace.
        const grace = setTimeout(() => server.closeAllConnections(), 5_000);
        await done;
        clearTimeout(grace);
        await engine.close();
      })();
      return closed;
    },
  };
}
