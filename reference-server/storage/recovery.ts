import { type EngineContext, zonesOf } from "./engine-context.ts";
import { DiskError } from "./errors.ts";
import type { BucketRecord, UploadPartRecord, UploadRecord } from "./index-db.ts";
import { compareKeys } from "./listing.ts";
import { decodeMetaRecord, type ObjectVersionRecord } from "./meta-record.ts";
import { addPurgeIntent, removeEverywhere, retryPurges } from "./object-write.ts";
import { dataDir, metaFile } from "./paths.ts";
import { recordVerdict } from "./quorum.ts";

/** Per zone, whether a version's record is committed there (see recordVerdict). */
export async function countRecords(
  ctx: EngineContext,
  rec: Pick<ObjectVersionRecord, "bucket" | "key" | "writeId">,
  distribution: Record<string, string[]>,
): Promise<{ zonesWithQuorum: number; zonesUnknown: number; record?: ObjectVersionRecord }> {
  const file = metaFile(rec.bucket, rec.key, rec.writeId);
  let zonesWithQuorum = 0;
  let zonesUnknown = 0;
  let found: ObjectVersionRecord | undefined;
  for (const z of zonesOf(ctx, distribution)) {
    const results = await Promise.all(
      z.disks.map(async (d, i): Promise<DiskError | null> => {
        if (!d) return new DiskError("DiskOffline", `${z.zone}#${i}`);
        try {
          const { record } = decodeMetaRecord(await d.readFile(file), d.id);
          if (record.writeId !== rec.writeId) return new DiskError("FileCorrupt", d.id);
          found = record;
          return null;
        } catch (e) {
          if (e instanceof DiskError) return e;
          throw e;
        }
      }),
    );
    const verdict = recordVerdict(results, ctx.codec.dataShards);
    if (verdict === "present") zonesWithQuorum++;
    if (verdict === "unknown") zonesUnknown++;
  }
  return { zonesWithQuorum, zonesUnknown, record: found };
}

/**
 * Finish what a crash interrupted. A put whose records reached k disks in a quorum of zones is rolled
 * forward (it may or may not have been acknowledged: either answer is allowed); anything less was never
 * acknowledged and is rolled back. Deletions are redone.
 */
export async function recoverIntents(
  ctx: EngineContext,
  opts: { skip?: Set<string> } = {},
): Promise<{ rolledForward: number; rolledBack: number; deferred: number; purged: number }> {
  const out = { rolledForward: 0, rolledBack: 0, deferred: 0, purged: 0 };
  for (const intent of ctx.index.intents()) {
    const dist =
      (intent.payload.distribution as Record<string, string[]> | undefined) ??
      distributionFor(ctx, intent.bucket, intent.key);
    if (intent.kind === "delete") continue;
    if (opts.skip?.has(intent.writeId)) continue;
    const { zonesWithQuorum, zonesUnknown, record } = await countRecords(ctx, intent, dist);
    if (
      zonesWithQuorum < ctx.settings.zoneQuorum &&
      zonesWithQuorum + zonesUnknown >= ctx.settings.zoneQuorum
    ) {
      // Too many disks down to tell committed from absent: decide later (heal retries), never guess.
      out.deferred++;
      continue;
    }
    if (record && zonesWithQuorum >= ctx.settings.zoneQuorum) {
      const idx = { ...record, erasure: { ...record.erasure!, index: -1 } };
      const replaced =
        idx.versionId === "null" ? ctx.index.getVersion(idx.bucket, idx.key, "null") : undefined;
      ctx.index.transaction(() => {
        ctx.index.putVersion(idx);
        ctx.index.removeIntent(intent.id);
        if (replaced && replaced.writeId !== idx.writeId) addPurgeIntent(ctx, replaced);
      });
      out.rolledForward++;
    } else {
      const zones = zonesOf(ctx, dist);
      await removeEverywhere(zones, [metaFile(intent.bucket, intent.key, intent.writeId)]);
      if (intent.kind === "complete") await undoComplete(ctx, intent.payload, zones);
      else await removeEverywhere(zones, [dataDir(intent.bucket, intent.key, intent.writeId)]);
      ctx.index.removeIntent(intent.id);
      out.rolledBack++;
    }
  }
  // Purges logged before the crash, and those queued by roll-forwards.
  out.purged = await retryPurges(ctx);
  return out;
}

function distributionFor(ctx: EngineContext, bucket: string, key: string): Record<string, string[]> {
  // Imported lazily to keep recovery free of placement details when the payload has them.
  const zones: Record<string, string[]> = {};
  for (const z of ctx.topology.zones)
    zones[z.id] = z.racks.flatMap((r) => r.nodes.flatMap((n) => n.disks.map((d) => d.id)));
  void bucket;
  void key;
  return zones;
}

/** A multipart completion that did not commit: move the part files back into the upload. */
async function undoComplete(
  ctx: EngineContext,
  payload: Record<string, unknown>,
  zones: ReturnType<typeof zonesOf>,
): Promise<void> {
  const moves = (payload.moves as [string, string][] | undefined) ?? [];
  await Promise.all(
    zones.flatMap((z) =>
      z.disks.map(async (d) => {
        if (!d) return;
        for (const [from, to] of moves) {
          if (await d.exists(to).catch(() => false)) await d.rename(to, from).catch(() => {});
        }
      }),
    ),
  );
  void ctx;
}

/**
 * Reconstruct the index from the disks alone: bucket records (newest copy wins), every version record
 * that reached k disks in at least one zone, open multipart uploads and their parts. The result is the
 * same listing as before (tested by deleting the index).
 */
export async function rebuildIndex(
  ctx: EngineContext,
): Promise<{ buckets: number; versions: number; uploads: number }> {
  const buckets = new Map<string, BucketRecord>();
  // writeId -> { record, copies per zone }
  const versions = new Map<string, { record: ObjectVersionRecord; perZone: Map<string, number> }>();
  const uploads = new Map<string, UploadRecord>();
  const parts = new Map<string, UploadPartRecord>();
  for (const disk of ctx.disks.values()) {
    if (!disk.online) continue;
    try {
      for (const f of await disk.list("buckets")) {
        if (!f.endsWith(".json")) continue;
        try {
          const b = JSON.parse((await disk.readFile(`buckets/${f}`)).toString()) as BucketRecord;
          const cur = buckets.get(b.name);
          if (!cur || cur.updatedAt < b.updatedAt) buckets.set(b.name, b);
        } catch {
          // a torn or unreadable copy: other disks have it
        }
      }
      for (const bucket of await disk.list("objects")) {
        for (const h2 of await disk.list(`objects/${bucket}`)) {
          for (const h of await disk.list(`objects/${bucket}/${h2}`)) {
            const dir = `objects/${bucket}/${h2}/${h}`;
            for (const f of await disk.list(dir)) {
              if (!f.endsWith(".meta")) continue;
              try {
                const { record } = decodeMetaRecord(await disk.readFile(`${dir}/${f}`), disk.id);
                const e = versions.get(record.writeId) ?? { record, perZone: new Map<string, number>() };
                e.perZone.set(disk.spec.zone, (e.perZone.get(disk.spec.zone) ?? 0) + 1);
                versions.set(record.writeId, e);
              } catch {
                // corrupt copy: ignored, heal rewrites it
              }
            }
          }
        }
      }
      for (const bucket of await disk.list("uploads")) {
        for (const uploadId of await disk.list(`uploads/${bucket}`)) {
          const dir = `uploads/${bucket}/${uploadId}`;
          for (const f of await disk.list(dir)) {
            try {
              if (f === "upload.json") {
                const u = JSON.parse((await disk.readFile(`${dir}/${f}`)).toString()) as UploadRecord;
                uploads.set(u.uploadId, u);
              } else if (f.endsWith(".json")) {
                const p = JSON.parse((await disk.readFile(`${dir}/${f}`)).toString()) as UploadPartRecord;
                const id = `${p.uploadId}/${p.number}`;
                const cur = parts.get(id);
                if (!cur || cur.lastModified < p.lastModified) parts.set(id, p);
              }
            } catch {
              // torn copy
            }
          }
        }
      }
    } catch (e) {
      if (!(e instanceof DiskError)) throw e;
    }
  }
  // Keep versions with a readable quorum somewhere; of two null versions of a key, the newer wins.
  const chosen = new Map<string, ObjectVersionRecord>();
  for (const { record, perZone } of versions.values()) {
    if (![...perZone.values()].some((n) => n >= ctx.codec.dataShards)) continue;
    if (!buckets.has(record.bucket)) continue;
    const id = `${record.bucket}\u0000${record.key}\u0000${record.versionId}`;
    const cur = chosen.get(id);
    if (!cur || cur.modTime < record.modTime)
      chosen.set(id, { ...record, erasure: { ...record.erasure!, index: -1 } });
  }
  const db = ctx.index;
  db.transaction(() => {
    db.clearDerived();
    for (const b of buckets.values()) db.putBucket(b);
    const sorted = [...chosen.values()].sort((a, b) => compareKeys(a.key, b.key) || a.modTime - b.modTime);
    for (const r of sorted) db.putVersion(r);
    for (const u of uploads.values()) if (buckets.has(u.bucket)) db.putUpload(u);
    for (const p of parts.values()) if (uploads.has(p.uploadId)) db.putPart(p);
  });
  return { buckets: buckets.size, versions: chosen.size, uploads: uploads.size };
}
