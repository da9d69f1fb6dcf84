import { existsSync } from "node:fs";
import path from "node:path";
import type { Keyring } from "../crypto/master-key.ts";
import { needsReseal, resealObjectKey, type SealedObjectKey } from "../crypto/object-key.ts";
import { DIRECT_IO_ALIGNMENT } from "./aligned-memory.ts";
import { resealAnnotations } from "./annotation-maintenance.ts";
import { annotationsOf } from "./annotations.ts";
import { deleteBucketRecord, writeBucketRecord } from "./bucket-records.ts";
import * as completeMultipart from "./complete-multipart.ts";
import { LocalDisk } from "./disk.ts";
import { type EngineContext, type EngineSettings, KeyLocks } from "./engine-context.ts";
import type {
  DeleteObjectResult,
  GetObjectInput,
  GetObjectResult,
  ListObjectsInput,
  ListObjectsResult,
  ListVersionsInput,
  ListVersionsResult,
  PutObjectInput,
} from "./engine-types.ts";
import { createCodec } from "./erasure/index.ts";
import { StorageError } from "./errors.ts";
import { FaultInjector } from "./faults.ts";
import { tuneGarbageCollection } from "./gc-tuning.ts";
import { type HealReport, heal } from "./heal.ts";
import { type BucketRecord, IndexDb } from "./index-db.ts";
import { listObjects, listObjectVersions } from "./listing.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";
import * as multipart from "./multipart.ts";
import { getObject, headObject } from "./object-read.ts";
import { deleteObject, putObject, updateVersion } from "./object-write.ts";
import { rebuildIndex, recoverIntents } from "./recovery.ts";
import { defaultBlockSize } from "./shard-file.ts";
import { buildTopology, type Topology, type TopologyConfig } from "./topology.ts";

export interface EngineOptions {
  dataDir: string;
  keyring: Keyring;
  topology?: TopologyConfig;
  /** Zone read first (the "local" zone); others are fallbacks. */
  preferredZone?: string;
  /** Ciphertext bytes per stripe block (default about 1 MiB: shard-file.ts defaultBlockSize). */
  blockSize?: number;
  /** Parts up to this many ciphertext bytes are stored inside the metadata records (default 64 KiB). */
  inlineThreshold?: number;
  /** fsync files and directories before acknowledging (default true). */
  durable?: boolean;
  /** Zones that must commit before a write is acknowledged (default: a majority). */
  zoneQuorum?: number;
  clock?: () => number;
}

/**
 * The storage engine of the reference server: buckets and object versions, erasure-coded 12+4 inside
 * each zone, replicated over the zones, encrypted at rest. The S3 front end is a thin layer on this.
 */
export class StorageEngine {
  readonly ctx: EngineContext;
  readonly topology: Topology;
  readonly faults: FaultInjector;
  private closed = false;

  private readonly pending: Set<Promise<unknown>>;

  private constructor(ctx: EngineContext, pending: Set<Promise<unknown>>) {
    this.ctx = ctx;
    this.pending = pending;
    this.topology = ctx.topology;
    this.faults = new FaultInjector(ctx);
  }

  static async open(opts: EngineOptions): Promise<StorageEngine> {
    tuneGarbageCollection();
    const topology = buildTopology(opts.topology, path.join(opts.dataDir, "disks"));
    const durable = opts.durable ?? true;
    const disks = new Map(topology.disks.map((d) => [d.id, new LocalDisk(d, { durable })]));
    const codec = createCodec(topology.dataShards, topology.parityShards);
    const pending = new Set<Promise<unknown>>();
    const indexFile = path.join(opts.dataDir, "index", "index.db");
    const fresh = !existsSync(indexFile);
    const index = new IndexDb(indexFile);
    const settings: EngineSettings = {
      blockSize: opts.blockSize ?? defaultBlockSize(codec.dataShards, DIRECT_IO_ALIGNMENT),
      legacyBlockSize: opts.blockSize ?? 1 << 20,
      inlineThreshold: opts.inlineThreshold ?? 64 * 1024,
      zoneQuorum: opts.zoneQuorum ?? Math.floor(topology.zones.length / 2) + 1,
      preferredZone: opts.preferredZone,
    };
    const ctx: EngineContext = {
      topology,
      disks,
      index,
      codec,
      keyring: opts.keyring,
      settings,
      clock: opts.clock ?? Date.now,
      locks: new KeyLocks(),
      inflight: new Set(),
      background: (task) => {
        const t = task.catch(() => {}).finally(() => pending.delete(t));
        pending.add(t);
      },
      damaged: (rec, zone, diskId, reason) =>
        index.queueHeal(rec.bucket, rec.key, rec.writeId, `${zone}/${diskId}: ${reason}`),
    };
    await Promise.all([...disks.values()].map((d) => d.format().catch(() => {})));
    const engine = new StorageEngine(ctx, pending);
    if (fresh) await rebuildIndex(ctx);
    else await recoverIntents(ctx);
    return engine;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.pending.size > 0) {
      // Background purges retire records lazily (RecordLog.delete): no need to wait for their delay.
      for (const d of this.ctx.disks.values()) d.flushLazy();
      await Promise.all([...this.pending]);
    }
    await Promise.all([...this.ctx.disks.values()].map((d) => d.close()));
    this.ctx.index.close();
  }

  // ---- buckets
  async createBucket(input: {
    name: string;
    owner: string;
    region?: string;
    objectLock?: boolean;
    attrs?: Record<string, unknown>;
  }): Promise<BucketRecord> {
    return this.ctx.locks.run(input.name, "", async () => {
      const existing = this.ctx.index.getBucket(input.name);
      if (existing)
        throw new StorageError("BucketAlreadyExists", `bucket ${input.name} exists`, {
          owner: existing.owner,
        });
      const now = this.ctx.clock();
      const rec: BucketRecord = {
        name: input.name,
        createdAt: now,
        updatedAt: now,
        owner: input.owner,
        region: input.region ?? "us-east-1",
        versioning: input.objectLock ? "Enabled" : "Unversioned",
        objectLock: input.objectLock ?? false,
        attrs: input.attrs ?? {},
      };
      await writeBucketRecord(this.ctx, rec);
      this.ctx.index.putBucket(rec);
      return rec;
    });
  }

  getBucket(name: string): BucketRecord | undefined {
    return this.ctx.index.getBucket(name);
  }

  listBuckets(): BucketRecord[] {
    return this.ctx.index.listBuckets();
  }

  /** Change a bucket's record (versioning, configuration attributes) durably on every disk. */
  async updateBucket(name: string, update: (b: BucketRecord) => BucketRecord): Promise<BucketRecord> {
    return this.ctx.locks.run(name, "", async () => {
      const cur = this.ctx.index.getBucket(name);
      if (!cur) throw new StorageError("NoSuchBucket", `bucket ${name} does not exist`, { bucket: name });
      const next = {
        ...update(structuredClone(cur)),
        name,
        updatedAt: Math.max(this.ctx.clock(), cur.updatedAt + 1),
      };
      await writeBucketRecord(this.ctx, next);
      this.ctx.index.putBucket(next);
      return next;
    });
  }

  async deleteBucket(name: string): Promise<void> {
    return this.ctx.locks.run(name, "", async () => {
      if (!this.ctx.index.getBucket(name))
        throw new StorageError("NoSuchBucket", `bucket ${name} does not exist`, { bucket: name });
      if (!this.ctx.index.bucketIsEmpty(name)) {
        throw new StorageError("BucketNotEmpty", "The bucket you tried to delete is not empty", {
          bucket: name,
        });
      }
      await deleteBucketRecord(this.ctx, name);
      this.ctx.index.deleteBucket(name);
    });
  }

  // ---- objects
  putObject(input: PutObjectInput): Promise<ObjectVersionRecord> {
    return putObject(this.ctx, input);
  }
  getObject(input: GetObjectInput): Promise<GetObjectResult> {
    return getObject(this.ctx, input);
  }
  headObject(input: Omit<GetObjectInput, "range">): ObjectVersionRecord {
    return headObject(this.ctx, input);
  }
  deleteObject(input: {
    bucket: string;
    key: string;
    versionId?: string;
    guard?: (rec: ObjectVersionRecord) => void;
  }): Promise<DeleteObjectResult> {
    return deleteObject(this.ctx, input);
  }
  updateVersion(
    bucket: string,
    key: string,
    versionId: string | undefined,
    update: (r: ObjectVersionRecord) => ObjectVersionRecord,
  ): Promise<ObjectVersionRecord> {
    return updateVersion(this.ctx, bucket, key, versionId, update);
  }
  versionsOf(bucket: string, key: string): ObjectVersionRecord[] {
    return this.ctx.index.versionsOf(bucket, key);
  }
  listObjects(input: ListObjectsInput): ListObjectsResult {
    return listObjects(this.ctx, input);
  }
  listObjectVersions(input: ListVersionsInput): ListVersionsResult {
    return listObjectVersions(this.ctx, input);
  }
  usage(bucket: string): { objects: number; bytes: number; versions: number } {
    return this.ctx.index.usage(bucket);
  }

  // ---- multipart
  createMultipartUpload(input: multipart.CreateMultipartInput) {
    return multipart.createMultipartUpload(this.ctx, input);
  }
  uploadPart(input: multipart.UploadPartInput) {
    return multipart.uploadPart(this.ctx, input);
  }
  completeMultipartUpload(input: completeMultipart.CompleteMultipartInput) {
    return completeMultipart.completeMultipartUpload(this.ctx, input);
  }
  abortMultipartUpload(bucket: string, key: string, uploadId: string) {
    return multipart.abortMultipartUpload(this.ctx, bucket, key, uploadId);
  }
  getUpload(bucket: string, key: string, uploadId: string) {
    return multipart.getUpload(this.ctx, bucket, key, uploadId);
  }
  listParts(bucket: string, key: string, uploadId: string, afterPart?: number, maxParts?: number) {
    return multipart.listParts(this.ctx, bucket, key, uploadId, afterPart, maxParts);
  }
  listMultipartUploads(input: multipart.ListUploadsInput) {
    return multipart.listMultipartUploads(this.ctx, input);
  }

  // ---- keys
  /**
   * Master key rotation: switch to `keyring` (whose current key is the new one, old keys still present)
   * and re-seal every SSE-S3 object key under it. Only metadata records are rewritten; data is not.
   * Annotation data keys live in their shard files' headers: those files are rewritten (same shards).
   */
  async rotateMasterKey(keyring: Keyring): Promise<{ resealed: number; annotationsResealed: number }> {
    this.ctx.keyring = keyring;
    let resealed = 0;
    for (const rec of [...this.ctx.index.allVersions()]) {
      const enc = rec.encryption;
      if (enc?.scheme !== "SSE-S3" || !needsReseal(enc.sealed as unknown as SealedObjectKey, keyring))
        continue;
      await this.updateVersion(rec.bucket, rec.key, rec.versionId, (r) => ({
        ...r,
        encryption: {
          ...enc,
          sealed: {
            ...resealObjectKey(
              enc.sealed as unknown as SealedObjectKey,
              { bucket: r.bucket, key: r.key },
              keyring,
            ),
          },
        },
      }));
      resealed++;
    }
    let annotationsResealed = 0;
    for (const rec of [...this.ctx.index.allVersions()]) {
      if (Object.keys(annotationsOf(rec)).length > 0)
        annotationsResealed += await resealAnnotations(this.ctx, rec);
    }
    return { resealed, annotationsResealed };
  }

  // ---- durability
  /** Rebuild the listing index from the metadata records on the disks. */
  rebuildIndex(): Promise<{ buckets: number; versions: number; uploads: number }> {
    return rebuildIndex(this.ctx);
  }
  heal(opts: { deep?: boolean } = {}): Promise<HealReport> {
    return heal(this.ctx, opts);
  }
}
