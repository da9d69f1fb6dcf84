import type { LocalDisk } from "./disk.ts";
import type { EngineContext } from "./engine-context.ts";
import { StorageError } from "./errors.ts";
import type { BucketRecord } from "./index-db.ts";
import { bucketFile } from "./paths.ts";
import { writeZones } from "./quorum.ts";

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
  op: (d: LocalDisk) => Promise<void>,
  what: string,
): Promise<void> {
  const zones = ctx.topology.zones.map((z) => ({
    zone: z.id,
    disks: z.racks.flatMap((r) => r.nodes.flatMap((n) => n.disks)).map((s) => ctx.disks.get(s.id)!),
  }));
  const { committed } = await writeZones(zones, ctx.codec.dataShards, op);
  if (committed < ctx.settings.zoneQuorum) {
    throw new StorageError("InsufficientWriteQuorum", `${what}: written in ${committed} zones only`);
  }
}
