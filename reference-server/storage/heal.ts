import { healAnnotations } from "./annotation-maintenance.ts";
import type { LocalDisk, ShardWriter } from "./disk.ts";
import { type EngineContext, zonesOf } from "./engine-context.ts";
import { DiskError, StorageError } from "./errors.ts";
import {
  decodeMetaRecord,
  encodeMetaRecord,
  type ObjectVersionRecord,
  type PartRecord,
} from "./meta-record.ts";
import { partReader } from "./object-read.ts";
import { retryPurges } from "./object-write.ts";
import { bucketFile, dataDir, metaFile, objectDir } from "./paths.ts";
import { recoverIntents } from "./recovery.ts";
import {
  blockChecksum,
  blockDataLength,
  blockLayout,
  shardBlockSpan,
  shardFileSize,
  shardLengthFor,
  verifyShardBlock,
} from "./shard-file.ts";

export interface HealReport {
  startedAt: string;
  finishedAt: string;
  deep: boolean;
  versionsScanned: number;
  versionsHealthy: number;
  repaired: { bucket: string; key: string; versionId: string; records: string[]; shards: string[] }[];
  unrecoverable: { bucket: string; key: string; versionId: string; error: string }[];
  skippedOffline: string[];
  bucketRecordsRepaired: number;
  garbageRemoved: number;
}

interface DiskSlot {
  zone: string;
  index: number;
  disk: LocalDisk;
}

const sameRecord = (a: ObjectVersionRecord, b: ObjectVersionRecord) =>
  JSON.stringify({ ...a, erasure: { ...a.erasure, index: 0 } }) ===
  JSON.stringify({ ...b, erasure: { ...b.erasure, index: 0 } });

/** Is this disk's copy of the version complete: record present and current, shard files intact? */
async function checkSlot(
  _ctx: EngineContext,
  rec: ObjectVersionRecord,
  slot: DiskSlot,
  deep: boolean,
): Promise<{ record: boolean; parts: PartRecord[] }> {
  const { disk, index } = slot;
  let recordOk = false;
  try {
    const { record, inline } = decodeMetaRecord(
      await disk.readFile(metaFile(rec.bucket, rec.key, rec.writeId)),
      disk.id,
    );
    recordOk = record.erasure?.index === index && sameRecord(record, rec);
    if (recordOk && rec.inline) {
      const part = rec.parts[0];
      const l = blockLayout(part.cipherSize, rec.erasure!.blockSize, rec.erasure!.dataShards);
      recordOk = verifyShardBlock(inline, shardLengthFor(blockDataLength(l, 0), l.dataShards)) !== null;
    }
  } catch (e) {
    if (!(e instanceof DiskError)) throw e;
  }
  const parts: PartRecord[] = [];
  if (rec.inline || rec.deleteMarker) return { record: recordOk, parts };
  for (const part of rec.parts) {
    const rel = `${dataDir(rec.bucket, rec.key, rec.writeId)}/${part.dataFile}`;
    const l = blockLayout(part.cipherSize, rec.erasure!.blockSize, rec.erasure!.dataShards);
    let ok = false;
    try {
      const r = await disk.openReader(rel);
      try {
        ok = (await r.size()) === shardFileSize(l);
        for (let b = 0; ok && deep && b < l.blocks; b++) {
          const span = shardBlockSpan(l, b);
          ok =
            verifyShardBlock(
              await r.read(span.offset, span.length),
              shardLengthFor(blockDataLength(l, b), l.dataShards),
            ) !== null;
        }
      } finally {
        await r.close();
      }
    } catch (e) {
      if (!(e instanceof DiskError)) throw e;
    }
    if (!ok) parts.push(part);
  }
  return { record: recordOk, parts };
}

/**
 * Rebuild whatever one version lacks on any disk of any zone: shard files are re-encoded block by block
 * from a zone that can still serve (memory stays at one block), written beside the target and renamed
 * into place, then the records are rewritten. Returns what was repaired.
 */
export async function healVersion(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  deep: boolean,
): Promise<{ records: string[]; shards: string[] } | null> {
  const slots: DiskSlot[] = [];
  for (const z of zonesOf(ctx, rec.erasure?.distribution ?? {})) {
    z.disks.forEach((d, index) => {
      if (d?.online) slots.push({ zone: z.zone, index, disk: d });
    });
  }
  const checks = await Promise.all(slots.map((s) => checkSlot(ctx, rec, s, deep)));
  const needRecord = slots.filter((_, i) => !checks[i].record || checks[i].parts.length > 0);
  // Annotation shards have their own files and generations; an annotation no zone serves is reported
  // once the rest of the version is repaired.
  const ann = await healAnnotations(ctx, rec);
  const lostAnnotations = () => {
    if (ann.unreadable.length === 0) return;
    throw new StorageError("InsufficientReadQuorum", `annotations unreadable: ${ann.unreadable.join(", ")}`);
  };
  if (needRecord.length === 0) {
    lostAnnotations();
    return ann.shards.length > 0 ? { records: [], shards: ann.shards } : null;
  }
  const repairedShards: string[] = [...ann.shards];
  // Data first: a record must never point at missing shards.
  let inline: Buffer[] | null = null;
  if (rec.inline) {
    const data = await partReader(ctx, rec, rec.parts[0], () => {}).readBlock(0);
    inline = ctx.codec.encodeBlock(data).map((s) => Buffer.concat([s, blockChecksum(s)]));
  } else if (!rec.deleteMarker) {
    for (const part of rec.parts) {
      const targets = slots.filter((_, i) => checks[i].parts.includes(part));
      if (targets.length === 0) continue;
      const rel = `${dataDir(rec.bucket, rec.key, rec.writeId)}/${part.dataFile}`;
      const tmp = `tmp/heal-${rec.writeId}-${part.number}`;
      const writers: (ShardWriter | null)[] = await Promise.all(
        targets.map((t) => t.disk.createWriter(tmp).catch(() => null)),
      );
      const reader = partReader(ctx, rec, part, () => {});
      try {
        for (let b = 0; b < reader.blocks; b++) {
          const shards = ctx.codec.encodeBlock(await reader.readBlock(b));
          await Promise.all(
            targets.map(async (t, i) => {
              const w = writers[i];
              if (!w) return;
              const s = shards[t.index];
              await w.writev([s, blockChecksum(s)]).catch(() => {
                writers[i] = null;
              });
            }),
          );
        }
      } finally {
        await reader.close();
      }
      await Promise.all(
        targets.map(async (t, i) => {
          const w = writers[i];
          if (!w) return;
          try {
            await w.close();
            await t.disk.rename(tmp, rel);
            repairedShards.push(`${t.disk.id}:${part.dataFile}`);
          } catch {
            await w.abort();
          }
        }),
      );
    }
  }
  const repairedRecords: string[] = [];
  const file = metaFile(rec.bucket, rec.key, rec.writeId);
  await Promise.all(
    needRecord.map(async (t) => {
      try {
        await t.disk.writeFileAtomic(
          file,
          encodeMetaRecord({ ...rec, erasure: { ...rec.erasure!, index: t.index } }, inline?.[t.index]),
        );
        await t.disk.syncDir(objectDir(rec.bucket, rec.key));
        repairedRecords.push(t.disk.id);
      } catch (e) {
        if (!(e instanceof DiskError)) throw e;
      }
    }),
  );
  lostAnnotations();
  return { records: repairedRecords, shards: repairedShards };
}

/** Full heal pass: replaced disks formatted, bucket records, every version, pending purges, garbage. */
export async function heal(ctx: EngineContext, opts: { deep?: boolean } = {}): Promise<HealReport> {
  const deep = opts.deep ?? true;
  const report: HealReport = {
    startedAt: new Date(ctx.clock()).toISOString(),
    finishedAt: "",
    deep,
    versionsScanned: 0,
    versionsHealthy: 0,
    repaired: [],
    unrecoverable: [],
    skippedOffline: [...ctx.disks.values()].filter((d) => !d.online).map((d) => d.id),
    bucketRecordsRepaired: 0,
    garbageRemoved: 0,
  };
  const online = [...ctx.disks.values()].filter((d) => d.online);
  await Promise.all(online.map((d) => d.format().catch(() => {})));
  // Commits a crash left undecided because too many disks were down: decide now if they are back.
  await recoverIntents(ctx, { skip: ctx.inflight });
  await retryPurges(ctx);
  for (const b of ctx.index.listBuckets()) {
    const data = JSON.stringify(b);
    await Promise.all(
      online.map(async (d) => {
        const cur = await d.readFile(bucketFile(b.name)).then(
          (x) => x.toString(),
          () => null,
        );
        if (cur !== data) {
          await d.writeFileAtomic(bucketFile(b.name), Buffer.from(data)).then(
            () => report.bucketRecordsRepaired++,
            () => {},
          );
        }
      }),
    );
  }
  const live = new Set<string>();
  for (const rec of ctx.index.allVersions()) {
    report.versionsScanned++;
    live.add(rec.writeId);
    try {
      const r = await healVersion(ctx, rec, deep);
      if (r) report.repaired.push({ bucket: rec.bucket, key: rec.key, versionId: rec.versionId, ...r });
      else report.versionsHealthy++;
      if (report.skippedOffline.length === 0) ctx.index.dequeueHeal(rec.bucket, rec.key, rec.writeId);
    } catch (e) {
      const msg = e instanceof StorageError || e instanceof DiskError ? `${e.code}: ${e.message}` : String(e);
      report.unrecoverable.push({ bucket: rec.bucket, key: rec.key, versionId: rec.versionId, error: msg });
    }
  }
  report.garbageRemoved = await collectGarbage(ctx, online, live);
  report.finishedAt = new Date(ctx.clock()).toISOString();
  return report;
}

/**
 * Remove records and data directories that no indexed version owns (superseded, rolled back, or left by
 * a crash). Writes in flight are protected: their ids are in ctx.inflight until they commit or fail.
 */
async function collectGarbage(ctx: EngineContext, disks: LocalDisk[], live: Set<string>): Promise<number> {
  let removed = 0;
  const pending = new Set(ctx.index.intents().map((i) => i.writeId));
  for (const d of disks) {
    try {
      for (const bucket of await d.list("objects")) {
        for (const h2 of await d.list(`objects/${bucket}`)) {
          for (const h of await d.list(`objects/${bucket}/${h2}`)) {
            const dir = `objects/${bucket}/${h2}/${h}`;
            for (const f of await d.list(dir)) {
              const writeId = f.endsWith(".meta") ? f.slice(0, -5) : f;
              // Checked against the index at deletion time: versions committed during this heal are live.
              if (
                live.has(writeId) ||
                pending.has(writeId) ||
                ctx.inflight.has(writeId) ||
                ctx.index.writeIsLive(writeId)
              )
                continue;
              await d.remove(`${dir}/${f}`);
              removed++;
            }
          }
        }
      }
      for (const f of await d.list("tmp")) {
        if ([...ctx.inflight].some((id) => f.includes(id))) continue;
        await d.remove(`tmp/${f}`);
      }
    } catch (e) {
      if (!(e instanceof DiskError)) throw e;
    }
  }
  return removed;
}
