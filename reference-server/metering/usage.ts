// Usage per bucket, live from the engine's index: current objects and their bytes (as the admin API's
// bucket list counts them), every stored version's bytes (what storage is billed on: noncurrent versions
// occupy disks too), and the tenant the bucket bills to: its owner's account's tenant.

import type { AccountStore } from "../iam/accounts.ts";
import type { StorageEngine } from "../storage/engine.ts";
import type { SampledBucket } from "./billing.ts";

export interface BucketUsage {
  bucket: string;
  /** Account id of the owner. */
  owner: string;
  /** The owner's tenant ("system" for the root account); null when the account no longer exists. */
  tenant: string | null;
  /** Current objects (delete markers aside) and their bytes. */
  objects: number;
  bytes: number;
  /** Every stored version, noncurrent ones and delete markers included, and all their bytes. */
  versions: number;
  storedBytes: number;
}

/** Bytes of every version of a bucket, read from the index (delete markers weigh nothing). */
function storedBytes(engine: StorageEngine, bucket: string): number {
  const row = engine.ctx.index.db
    .prepare("SELECT COALESCE(SUM(size), 0) AS bytes FROM versions WHERE bucket = ?")
    .get(bucket) as { bytes: number };
  return Number(row.bytes);
}

export function bucketUsage(engine: StorageEngine, accounts: AccountStore): BucketUsage[] {
  return engine.listBuckets().map((b) => {
    const u = engine.usage(b.name);
    return {
      bucket: b.name,
      owner: b.owner,
      tenant: accounts.findAccount(b.owner)?.tenant ?? null,
      objects: u.objects,
      bytes: u.bytes,
      versions: u.versions,
      storedBytes: storedBytes(engine, b.name),
    };
  });
}

/** What the meter samples each hour: every bucket's stored bytes (all versions) and its tenant. */
export function meterSource(engine: StorageEngine, accounts: AccountStore): () => SampledBucket[] {
  return () =>
    bucketUsage(engine, accounts).map((b) => ({
      bucket: b.bucket,
      owner: b.owner,
      tenant: b.tenant,
      objects: b.objects,
      bytes: b.storedBytes,
    }));
}
