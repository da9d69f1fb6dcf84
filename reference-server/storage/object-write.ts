import { generateObjectKey } from "../crypto/object-key.ts";
import { ciphertextLength } from "../crypto/package-format.ts";
import { BodyDigests } from "./body-digests.ts";
import { encryptPart, sealFor } from "./encryption.ts";
import { distributionOf, type EngineContext, newId, zonesOf, zoneTargets } from "./engine-context.ts";
import type { DeleteObjectResult, PutObjectInput, WriteConditions } from "./engine-types.ts";
import { DiskError, StorageError } from "./errors.ts";
import type { BucketRecord } from "./index-db.ts";
import {
  decodeMetaRecord,
  META_FORMAT_VERSION,
  metaRecordEncoder,
  type ObjectVersionRecord,
} from "./meta-record.ts";
import { dataDir, metaFile, objectDir } from "./paths.ts";
import { writeZones } from "./quorum.ts";
import { type StripeResult, StripeWriter, type ZoneTarget } from "./stripe-writer.ts";

export function requireBucket(ctx: EngineContext, bucket: string): BucketRecord {
  const b = ctx.index.getBucket(bucket);
  if (!b) throw new StorageError("NoSuchBucket", `bucket ${bucket} does not exist`, { bucket });
  return b;
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, "$1");

/** Conditional writes (If-None-Match: *, If-Match) against the current version. */
export function checkWriteConditions(
  ctx: EngineContext,
  bucket: string,
  key: string,
  c?: WriteConditions,
): void {
  if (!c || (c.ifMatch === undefined && c.ifNoneMatch === undefined)) return;
  const cur = ctx.index.getLatest(bucket, key);
  const exists = cur !== undefined && !cur.deleteMarker;
  if (c.ifNoneMatch !== undefined && exists) {
    if (c.ifNoneMatch.trim() === "*" || unquote(c.ifNoneMatch) === cur.etag) {
      throw new StorageError(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
      );
    }
  }
  if (c.ifMatch !== undefined) {
    if (!exists) throw new StorageError("NoSuchKey", "The specified key does not exist.", { key });
    const tags = c.ifMatch.split(",").map(unquote);
    if (!tags.includes("*") && !tags.includes(cur.etag)) {
      throw new StorageError(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
      );
    }
  }
}

export async function putObject(ctx: EngineContext, input: PutObjectInput): Promise<ObjectVersionRecord> {
  requireBucket(ctx, input.bucket);
  checkWriteConditions(ctx, input.bucket, input.key, input.conditions);
  const targets = zoneTargets(ctx, input.bucket, input.key);
  const writeId = newId();
  const objectKey = generateObjectKey();
  const encryption = sealFor(ctx, input.sse, input.bucket, input.key, objectKey);
  const digests = new BodyDigests(input.checksumAlgorithm, input.size);
  const stripe = new StripeWriter({
    targets,
    codec: ctx.codec,
    blockSize: ctx.settings.blockSize,
    relPath: `${dataDir(input.bucket, input.key, writeId)}/part.1`,
    inlineThreshold: ctx.settings.inlineThreshold,
    zoneQuorum: ctx.settings.zoneQuorum,
    sizeHint: input.size === undefined ? undefined : ciphertextLength(input.size),
  });
  ctx.inflight.add(writeId);
  try {
    const [{ etag, checksum }, result] = await writeBody(input, digests, stripe, objectKey, 0);
    const record: ObjectVersionRecord = {
      format: META_FORMAT_VERSION,
      bucket: input.bucket,
      key: input.key,
      versionId: "",
      writeId,
      modTime: 0,
      size: digests.size,
      etag,
      headers: input.headers ?? {},
      userMeta: input.userMeta ?? {},
      checksum: { algorithm: digests.storedAlgorithm, value: checksum, type: "FULL_OBJECT" },
      storageClass: input.storageClass ?? "STANDARD",
      multipart: false,
      parts: [{ number: 1, size: digests.size, cipherSize: result.cipherSize, etag, dataFile: "part.1" }],
      erasure: erasureRecord(ctx, targets),
      encryption,
      inline: result.inline !== null,
      attrs: input.attrs ?? {},
    };
    return await commitWrite(ctx, record, targets, result, input.conditions);
  } catch (e) {
    await stripe.abort();
    await removeEverywhere(targets, [dataDir(input.bucket, input.key, writeId)]);
    throw e;
  } finally {
    ctx.inflight.delete(writeId);
  }
}

/**
 * Streams a part's body through its digests and encryption into the stripe; then checks the digests
 * while the shard files take their last flush, since both wait on other threads (the hash worker, the
 * disks). When both fail, the digests' error is the one thrown, as when they ran one after the other.
 */
export async function writeBody(
  input: Pick<PutObjectInput, "body" | "size" | "expected">,
  digests: BodyDigests,
  stripe: StripeWriter,
  objectKey: Buffer,
  streamPart: number,
): Promise<[Awaited<ReturnType<BodyDigests["verify"]>>, StripeResult]> {
  for await (const c of encryptPart(objectKey, streamPart, digests.tap(input.body))) await stripe.write(c);
  const [verified, finished] = await Promise.allSettled([digests.verify(input), stripe.finish()]);
  if (verified.status === "rejected") throw verified.reason;
  if (finished.status === "rejected") throw finished.reason;
  return [verified.value, finished.value];
}

export function erasureRecord(ctx: EngineContext, targets: ZoneTarget[]): ObjectVersionRecord["erasure"] {
  return {
    algorithm: "reed-solomon-vandermonde-gf256",
    dataShards: ctx.codec.dataShards,
    parityShards: ctx.codec.parityShards,
    blockSize: ctx.settings.blockSize,
    checksum: "crc32",
    distribution: distributionOf(targets),
    index: -1,
  };
}

/**
 * The commit step, serialised per key: re-check conditions, assign the version id and time, log the
 * intent, write the metadata records (the commit markers), index, then retire a replaced null version.
 */
export async function commitWrite(
  ctx: EngineContext,
  record: ObjectVersionRecord,
  targets: ZoneTarget[],
  stripe: StripeResult | null,
  conditions?: WriteConditions,
  opts: { intent?: number } = {},
): Promise<ObjectVersionRecord> {
  return ctx.locks.run(record.bucket, record.key, async () => {
    // In flight until indexed: heal must neither collect its files nor resolve its intent.
    const alreadyInflight = ctx.inflight.has(record.writeId);
    ctx.inflight.add(record.writeId);
    try {
      return await commitLocked(ctx, record, targets, stripe, conditions, opts);
    } finally {
      if (!alreadyInflight) ctx.inflight.delete(record.writeId);
    }
  });
}

async function commitLocked(
  ctx: EngineContext,
  record: ObjectVersionRecord,
  targets: ZoneTarget[],
  stripe: StripeResult | null,
  conditions: WriteConditions | undefined,
  opts: { intent?: number },
): Promise<ObjectVersionRecord> {
  {
    const bucket = requireBucket(ctx, record.bucket);
    checkWriteConditions(ctx, record.bucket, record.key, conditions);
    const latest = ctx.index.getLatest(record.bucket, record.key);
    record.versionId = bucket.versioning === "Enabled" ? newId() : "null";
    record.modTime = Math.max(ctx.clock(), (latest?.modTime ?? 0) + 1);
    const replaced =
      record.versionId === "null" ? ctx.index.getVersion(record.bucket, record.key, "null") : undefined;
    const intent =
      opts.intent ??
      ctx.index.addIntent({
        kind: "put",
        bucket: record.bucket,
        key: record.key,
        writeId: record.writeId,
        payload: { distribution: record.erasure?.distribution },
      });
    try {
      await writeMetas(ctx, record, targets, stripe);
    } catch (e) {
      ctx.index.removeIntent(intent);
      throw e;
    }
    let purgeIntent = 0;
    ctx.index.transaction(() => {
      ctx.index.putVersion(record);
      ctx.index.removeIntent(intent);
      if (replaced) purgeIntent = addPurgeIntent(ctx, replaced);
    });
    // Nobody waits for the replaced version to go: its tombstones ride with later writes (lazy).
    if (replaced) ctx.background(purgeVersion(ctx, replaced, purgeIntent, true));
    return record;
  }
}

export function addPurgeIntent(ctx: EngineContext, rec: ObjectVersionRecord): number {
  return ctx.index.addIntent({
    kind: "delete",
    bucket: rec.bucket,
    key: rec.key,
    writeId: rec.writeId,
    payload: { distribution: rec.erasure?.distribution ?? {} },
  });
}

/**
 * Write one metadata record per disk that holds a shard; a zone counts when k records landed. Below the
 * zone quorum everything is rolled back and the write fails; anything short of full redundancy is
 * queued for heal.
 */
export async function writeMetas(
  ctx: EngineContext,
  record: ObjectVersionRecord,
  targets: ZoneTarget[],
  stripe: StripeResult | null,
): Promise<void> {
  const k = ctx.codec.dataShards;
  const file = metaFile(record.bucket, record.key, record.writeId);
  const dir = objectDir(record.bucket, record.key);
  let committedZones = 0;
  let degraded = false;
  const encode = metaRecordEncoder(record);
  // The record is durable in the disk's record log; shard files need their directory synced.
  const syncDir = !record.inline && !record.deleteMarker;
  const lost = (e: unknown) => {
    if (e instanceof DiskError) return false;
    throw e;
  };
  await Promise.all(
    targets.map(async (t) => {
      const errs = stripe?.diskErrors.get(t.zone);
      const okData = errs ? errs.filter((e) => e === null).length : t.disks.length;
      if (okData < k) {
        degraded = true;
        return;
      }
      // Plain promise chains, not an async function a disk: a small PUT writes 48 records.
      const results = await Promise.all(
        t.disks.map((d, i) => {
          if (errs?.[i]) return false;
          const wrote = d.writeFile(file, encode(i, stripe?.inline?.[i]));
          return (syncDir ? wrote.then(() => d.syncDir(dir)) : wrote).then(() => true, lost);
        }),
      );
      const ok = results.filter(Boolean).length;
      if (ok < t.disks.length) degraded = true;
      if (ok >= k) committedZones++;
    }),
  );
  if (committedZones < ctx.settings.zoneQuorum) {
    await removeEverywhere(targets, [file]);
    throw new StorageError(
      "InsufficientWriteQuorum",
      `committed in ${committedZones} zones, ${ctx.settings.zoneQuorum} required`,
    );
  }
  if (degraded) ctx.index.queueHeal(record.bucket, record.key, record.writeId, "write degraded");
}

/** Remove files on every disk of the targets, best effort (offline disks are cleaned by heal). */
export async function removeEverywhere(
  targets: { disks: ({ remove(rel: string, lazy?: boolean): Promise<void> } | undefined)[] }[],
  rels: string[],
  lazy = false,
): Promise<boolean> {
  let all = true;
  const failed = () => {
    all = false;
  };
  // A disk's removals one after another, disks in parallel; retiring a small version is one removal on
  // each of 48 disks, so that case makes one promise a disk.
  const removeAll = async (d: { remove(rel: string, lazy?: boolean): Promise<void> }) => {
    for (const rel of rels) await d.remove(rel, lazy).catch(failed);
  };
  const removals: Promise<void>[] = [];
  for (const t of targets)
    for (const d of t.disks)
      if (d) removals.push(rels.length === 1 ? d.remove(rels[0], lazy).catch(failed) : removeAll(d));
  await Promise.all(removals);
  return all;
}

/** Delete a version's records (first, so nothing half-deleted stays visible) and data on every disk. */
export async function purgeVersion(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  intentId: number,
  lazy = false,
): Promise<void> {
  const zones = zonesOf(ctx, rec.erasure?.distribution ?? {});
  const done = await removeEverywhere(zones, [metaFile(rec.bucket, rec.key, rec.writeId)], lazy);
  // An inline version has no data directory unless annotations were written into it (annotations.ts).
  const hasDataDir = !rec.inline || rec.attrs.annotations !== undefined;
  const done2 = !hasDataDir || (await removeEverywhere(zones, [dataDir(rec.bucket, rec.key, rec.writeId)]));
  if (done && done2) ctx.index.removeIntent(intentId);
}

/** Redo every logged purge (after a crash, or when disks that were offline are back). */
export async function retryPurges(ctx: EngineContext): Promise<number> {
  let n = 0;
  for (const intent of ctx.index.intents()) {
    if (intent.kind !== "delete") continue;
    const distribution = (intent.payload.distribution as Record<string, string[]>) ?? {};
    const rec = {
      bucket: intent.bucket,
      key: intent.key,
      writeId: intent.writeId,
      erasure: { distribution },
    };
    await purgeVersion(ctx, rec as ObjectVersionRecord, intent.id);
    n++;
  }
  return n;
}

export async function deleteObject(
  ctx: EngineContext,
  input: { bucket: string; key: string; versionId?: string; guard?: (rec: ObjectVersionRecord) => void },
): Promise<DeleteObjectResult> {
  const bucket = requireBucket(ctx, input.bucket);
  if (input.versionId !== undefined || bucket.versioning === "Unversioned") {
    const vid = input.versionId ?? "null";
    return ctx.locks.run(input.bucket, input.key, async () => {
      const rec = ctx.index.getVersion(input.bucket, input.key, vid);
      if (!rec) return { versionId: input.versionId, deleteMarker: false };
      input.guard?.(rec);
      let intent = 0;
      ctx.index.transaction(() => {
        intent = addPurgeIntent(ctx, rec);
        ctx.index.deleteVersion(input.bucket, input.key, vid);
      });
      await purgeVersion(ctx, rec, intent);
      return { versionId: input.versionId, deleteMarker: rec.deleteMarker === true };
    });
  }
  // Versioned (Enabled or Suspended) without a version id: a delete marker.
  const targets = zoneTargets(ctx, input.bucket, input.key);
  const marker: ObjectVersionRecord = {
    format: META_FORMAT_VERSION,
    bucket: input.bucket,
    key: input.key,
    versionId: "",
    writeId: newId(),
    modTime: 0,
    deleteMarker: true,
    size: 0,
    etag: "",
    headers: {},
    userMeta: {},
    storageClass: "STANDARD",
    multipart: false,
    parts: [],
    erasure: erasureRecord(ctx, targets),
    inline: false,
    attrs: {},
  };
  const rec = await commitWrite(ctx, marker, targets, null);
  return { versionId: rec.versionId, deleteMarker: true };
}

/**
 * Metadata-only update of one version (tags, ACL, retention, legal hold, ...): every record is rewritten
 * atomically in place (inline shard bytes kept), data untouched.
 */
export async function updateVersion(
  ctx: EngineContext,
  bucket: string,
  key: string,
  versionId: string | undefined,
  update: (rec: ObjectVersionRecord) => ObjectVersionRecord,
): Promise<ObjectVersionRecord> {
  requireBucket(ctx, bucket);
  return ctx.locks.run(bucket, key, async () => {
    const cur =
      versionId === undefined
        ? ctx.index.getLatest(bucket, key)
        : ctx.index.getVersion(bucket, key, versionId);
    if (!cur) {
      throw versionId === undefined
        ? new StorageError("NoSuchKey", "The specified key does not exist.", { key })
        : new StorageError("NoSuchVersion", "The specified version does not exist.", { key, versionId });
    }
    const next = update(structuredClone(cur));
    const file = metaFile(bucket, key, cur.writeId);
    const encode = metaRecordEncoder(next);
    // Each disk keeps its own inline shard bytes; only the JSON part of its record changes.
    const { committed: zonesOk, degraded } = await writeZones(
      zonesOf(ctx, cur.erasure?.distribution ?? {}),
      ctx.codec.dataShards,
      async (d, i) => {
        const { inline } = decodeMetaRecord(await d.readFile(file), d.id);
        await d.writeFileAtomic(file, encode(i, inline));
      },
    );
    if (degraded.length > 0) ctx.index.queueHeal(bucket, key, cur.writeId, "metadata update degraded");
    if (zonesOk < ctx.settings.zoneQuorum) {
      throw new StorageError("InsufficientWriteQuorum", `metadata updated in ${zonesOk} zones only`);
    }
    ctx.index.updateVersionRecord(next);
    return next;
  });
}
