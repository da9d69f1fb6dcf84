import type { EngineContext } from "./engine-context.ts";
import { DiskError, StorageError } from "./errors.ts";
import type { BucketRecord } from "./index-db.ts";
import { bucketFile } from "./paths.ts";

/**
 * Bucket records are small and replicated on every disk of every zone (like MinIO's .minio.sys), so a
 * bucket survives anything its objects survive. A write needs k disks in a quorum of zones.
 */
export async function writeBucketRecord(ctx: EngineContext, rec: BucketRecord): Promise<void> {
  const data = Buffer.from(JSON.stringify(rec));
  await onAllZones(ctx, (d) => d.writeFileAtomic(bucketFile(rec.name), data), "bucket record");
}

export async function deleteBucketRecord(ctx: EngineContext, name: string): Promise<void> {
  await onAllZones(ctx, (d) => d.remove(bucketFile(name)), "bucket deletion");
}

async function onAllZones(
  ctx: EngineContext,
  op: (d: import("./disk.ts").LocalDisk) => Promise<void>,
  what: string,
): Promise<void> {
  let zonesOk = 0;
  await Promise.all(
    ctx.topology.zones.map(async (z) => {
      const disks = z.racks.flatMap((r) => r.nodes.flatMap((n) => n.disks)).map((s) => ctx.disks.get(s.id)!);
      const oks = await Promise.all(
        disks.map((d) =>
          op(d).then(
            () => true,
            (e) => {
              if (e instanceof DiskError) return false;
              throw e;
            },
          ),
        ),
      );
      if (oks.filter(Boolean).length >= ctx.codec.dataShards) zonesOk++;
    }),
  );
  if (zonesOk < ctx.settings.zoneQuorum) {
    throw new StorageError("InsufficientWriteQuorum", `${what}: written in ${zonesOk} zones only`);
  }
}
