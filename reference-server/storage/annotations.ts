// Object annotations (Put/Get/List/DeleteObjectAnnotation): named payloads of up to 1 MiB, up to 1,000 per
// object version — up to ~1 GiB per version, so payloads never go into the version's record.
//
// Storage choice: each payload is encrypted (AES-256-GCM under a fresh key sealed with the master key, as
// SSE-S3) and erasure-coded with the engine's codec into k+m shards per zone, written on the very disks
// that hold the version (its `erasure.distribution`), inside the version's data directory
// (`<writeId>/ann-<gen>`). That gives annotations the object's own geometry (12+4 in each zone, every
// zone), the disks' durable record log for the small shard files, and one lifetime with the version:
// every path that removes a version (DeleteObject with a version id, DeleteObjects, lifecycle expiry, the
// replaced null version) purges its data directory, and heal's garbage collection keeps the directory of
// a live write (each shard file also carries the payload's sealed data key). Only the small catalogue (name → size, ETag, checksums, date, generation, IV) is
// in `attrs.annotations` of the version record: it is updated under the key lock through updateVersion,
// so it is as durable and consistent as tags or retention, and listing needs no disk reads. A payload
// write stores its shards under a fresh generation first and then commits the catalogue entry, so a
// reader never meets half an annotation; the replaced generation is removed afterwards.
// Heal re-encodes lost or damaged annotation shards and master-key rotation re-seals the data key in the
// shard files (annotation-maintenance.ts); a read tolerates m lost shards per zone and whole lost zones.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { type SealedObjectKey, sealObjectKey, unsealObjectKey } from "../crypto/object-key.ts";
import { type EngineContext, newId, zonesOf } from "./engine-context.ts";
import { DiskError, StorageError } from "./errors.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";
import { resolveVersion } from "./object-read.ts";
import { updateVersion } from "./object-write.ts";
import { dataDir } from "./paths.ts";
import { writeZones } from "./quorum.ts";

export const ANNOTATIONS_ATTR = "annotations";

/** One catalogue entry: everything but the payload. */
export interface AnnotationEntry {
  size: number;
  /** Hex MD5 of the payload, without quotes. */
  etag: string;
  lastModified: number;
  /** Algorithm → base64 digest of the payload. */
  checksums: Record<string, string>;
  /** Names the shard files of this payload; a rewrite gets a new one. */
  gen: string;
  cipherSize: number;
  /** base64 GCM IV; the payload's key, sealed, travels in each shard file to keep this entry small. */
  iv: string;
}

export type AnnotationCatalogue = Record<string, AnnotationEntry>;

export function annotationsOf(rec: Pick<ObjectVersionRecord, "attrs">): AnnotationCatalogue {
  const a = rec.attrs[ANNOTATIONS_ATTR];
  return a !== null && typeof a === "object" ? (a as AnnotationCatalogue) : {};
}

/** Target of an annotation request: the latest version or the one named; delete markers answer as S3. */
export interface AnnotationTarget {
  bucket: string;
  key: string;
  versionId?: string;
}

const MAGIC = Buffer.from("S3PANNO\n", "latin1");
const GCM_TAG = 16;

export function shardFile(rec: ObjectVersionRecord, gen: string): string {
  return `${dataDir(rec.bucket, rec.key, rec.writeId)}/ann-${gen}`;
}

// The GCM additional data binds a payload to its version, name and generation: shards moved elsewhere
// do not open.
function aad(rec: ObjectVersionRecord, name: string, gen: string): Buffer {
  return Buffer.from(`${rec.bucket}\u0000${rec.key}\u0000${rec.writeId}\u0000${name}\u0000${gen}`, "utf8");
}

export function sealContext(rec: ObjectVersionRecord): { bucket: string; key: string } {
  return { bucket: rec.bucket, key: `${rec.key}\u0000annotations` };
}

export interface ShardHeader {
  gen: string;
  index: number;
  /** The payload's data key sealed with the master key (SealedObjectKey). */
  sealed: Record<string, unknown>;
}

/** MAGIC | u32 header length | header JSON | shard | u32 crc32(all before). */
export function encodeShard(header: ShardHeader, shard: Uint8Array): Buffer {
  const h = Buffer.from(JSON.stringify(header), "utf8");
  const out = Buffer.allocUnsafe(MAGIC.length + 4 + h.length + shard.length + 4);
  let o = MAGIC.copy(out, 0);
  o = out.writeUInt32BE(h.length, o);
  o += h.copy(out, o);
  out.set(shard, o);
  o += shard.length;
  out.writeUInt32BE(crc32(out.subarray(0, o)), o);
  return out;
}

/** The shard and its header, or undefined when damaged or not the expected generation and index. */
export function decodeShard(
  buf: Buffer,
  gen: string,
  index: number,
): { shard: Buffer; header: ShardHeader } | undefined {
  if (buf.length < MAGIC.length + 8 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const body = buf.length - 4;
  if (crc32(buf.subarray(0, body)) !== buf.readUInt32BE(body)) return undefined;
  const hl = buf.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + hl > body) return undefined;
  const header = JSON.parse(buf.toString("utf8", start, start + hl)) as ShardHeader;
  if (header.gen !== gen || header.index !== index) return undefined;
  return { shard: buf.subarray(start + hl, body), header };
}

/** Remove a generation's shard files, best effort (what an offline disk keeps dies with the version). */
async function removeShards(ctx: EngineContext, rec: ObjectVersionRecord, gen: string): Promise<void> {
  const file = shardFile(rec, gen);
  await Promise.all(
    zonesOf(ctx, rec.erasure?.distribution ?? {}).flatMap((z) =>
      z.disks.map((d) => d?.remove(file).catch(() => {})),
    ),
  );
}

/** Encrypt and erasure-code a payload onto the version's disks; a zone counts with k shards written. */
async function writeShards(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  name: string,
  payload: Buffer,
): Promise<Pick<AnnotationEntry, "gen" | "cipherSize" | "iv">> {
  const gen = newId();
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
  cipher.setAAD(aad(rec, name, gen));
  const sealedText = Buffer.concat([cipher.update(payload), cipher.final(), cipher.getAuthTag()]);
  const shards = ctx.codec.encodeBlock(sealedText);
  const sealed = { ...sealObjectKey(dataKey, sealContext(rec), { scheme: "SSE-S3", keyring: ctx.keyring }) };
  const file = shardFile(rec, gen);
  const { committed: zonesOk } = await writeZones(
    zonesOf(ctx, rec.erasure?.distribution ?? {}),
    ctx.codec.dataShards,
    (d, i) => d.writeFileAtomic(file, encodeShard({ gen, index: i, sealed }, shards[i])),
  );
  if (zonesOk < ctx.settings.zoneQuorum) {
    await removeShards(ctx, rec, gen);
    throw new StorageError("InsufficientWriteQuorum", `annotation written in ${zonesOk} zones only`);
  }
  return { gen, cipherSize: sealedText.length, iv: iv.toString("base64") };
}

/**
 * Store (or replace) one annotation. `check` runs twice: before the payload is written (cheap refusals)
 * and under the key lock against the version as committed (limits, If-Match). A version replaced in the
 * meantime (same key, new write) answers NoSuchKey rather than annotate another object.
 */
export async function putAnnotation(
  ctx: EngineContext,
  target: AnnotationTarget,
  input: {
    name: string;
    payload: Buffer;
    checksums: Record<string, string>;
    check: (rec: ObjectVersionRecord) => void;
  },
): Promise<{ rec: ObjectVersionRecord; entry: AnnotationEntry }> {
  const rec = resolveVersion(ctx, target.bucket, target.key, target.versionId);
  input.check(rec);
  const stored = await writeShards(ctx, rec, input.name, input.payload);
  const entry: AnnotationEntry = {
    size: input.payload.length,
    etag: createHash("md5").update(input.payload).digest("hex"),
    lastModified: ctx.clock(),
    checksums: input.checksums,
    ...stored,
  };
  let previous: AnnotationEntry | undefined;
  let next: ObjectVersionRecord;
  try {
    next = await updateVersion(ctx, rec.bucket, rec.key, rec.versionId, (cur) => {
      if (cur.writeId !== rec.writeId) {
        throw new StorageError("NoSuchKey", "The specified key does not exist.", { key: rec.key });
      }
      input.check(cur);
      const all = annotationsOf(cur);
      previous = all[input.name];
      return { ...cur, attrs: { ...cur.attrs, [ANNOTATIONS_ATTR]: { ...all, [input.name]: entry } } };
    });
  } catch (e) {
    await removeShards(ctx, rec, stored.gen);
    throw e;
  }
  if (previous) await removeShards(ctx, rec, previous.gen);
  return { rec: next, entry };
}

/** Read one annotation's payload: any k intact shards of one zone, preferred zone first. */
export async function getAnnotation(
  ctx: EngineContext,
  target: AnnotationTarget,
  name: string,
): Promise<
  { rec: ObjectVersionRecord; entry: AnnotationEntry; payload: Buffer } | { rec: ObjectVersionRecord }
> {
  const rec = resolveVersion(ctx, target.bucket, target.key, target.versionId);
  const entry = annotationsOf(rec)[name];
  if (!entry) return { rec };
  return { rec, entry, payload: await readPayload(ctx, rec, name, entry) };
}

async function readPayload(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  name: string,
  entry: AnnotationEntry,
): Promise<Buffer> {
  const file = shardFile(rec, entry.gen);
  const k = ctx.codec.dataShards;
  for (const z of zonesOf(ctx, rec.erasure?.distribution ?? {})) {
    const read = await Promise.all(
      z.disks.map(async (d, i) => {
        if (!d) return undefined;
        try {
          const got = decodeShard(await d.readFile(file), entry.gen, i);
          if (!got) ctx.damaged(rec, z.zone, d.id, `annotation shard ${file} corrupt`);
          return got;
        } catch (e) {
          if (e instanceof DiskError) return undefined;
          throw e;
        }
      }),
    );
    if (read.filter((x) => x !== undefined).length < k) continue;
    const full = ctx.codec.reconstruct(
      read.map((x) => x?.shard ?? null),
      { dataOnly: true },
    );
    const sealedText = ctx.codec.joinData(full.slice(0, k), entry.cipherSize);
    // Shards a rotation could not reach (disk offline) may carry an older sealing of the same data key.
    for (const sealed of distinctSealed(read.map((x) => x?.header))) {
      const payload = openPayload(ctx, rec, name, entry, sealed, sealedText);
      if (payload) return payload;
    }
  }
  throw new StorageError("InsufficientReadQuorum", `annotation ${name} of ${rec.key} is unreadable`);
}

/**
 * CopyObject with the annotation directive COPY: every annotation of `src` is read and stored again for
 * `dest` (its own data key and shards on dest's disks), then the catalogue is committed in one record
 * update, so the copy gets all of the source's annotations or none. Entries keep their ETag and
 * checksums; their date is the copy's. One payload is held in memory at a time.
 */
export async function copyAnnotations(
  ctx: EngineContext,
  src: ObjectVersionRecord,
  dest: ObjectVersionRecord,
): Promise<number> {
  const source = annotationsOf(src);
  const copied: AnnotationCatalogue = {};
  if (Object.keys(source).length === 0) return 0;
  try {
    for (const [name, entry] of Object.entries(source)) {
      const payload = await readPayload(ctx, src, name, entry);
      copied[name] = {
        ...entry,
        lastModified: ctx.clock(),
        ...(await writeShards(ctx, dest, name, payload)),
      };
    }
    await updateVersion(ctx, dest.bucket, dest.key, dest.versionId, (cur) => {
      if (cur.writeId !== dest.writeId) {
        throw new StorageError("NoSuchKey", "The specified key does not exist.", { key: dest.key });
      }
      return { ...cur, attrs: { ...cur.attrs, [ANNOTATIONS_ATTR]: { ...annotationsOf(cur), ...copied } } };
    });
  } catch (e) {
    await Promise.all(Object.values(copied).map((c) => removeShards(ctx, dest, c.gen)));
    throw e;
  }
  return Object.keys(copied).length;
}

/** The distinct sealed data keys among shard headers, in order of appearance. */
export function distinctSealed(headers: (ShardHeader | undefined)[]): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const h of headers) if (h) seen.set(JSON.stringify(h.sealed), h.sealed);
  return [...seen.values()];
}

/** The payload, or undefined when the key does not unseal or the ciphertext does not authenticate. */
export function openPayload(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  name: string,
  entry: AnnotationEntry,
  sealed: Record<string, unknown>,
  sealedText: Buffer,
): Buffer | undefined {
  let dataKey: Buffer;
  try {
    dataKey = unsealObjectKey(sealed as unknown as SealedObjectKey, sealContext(rec), {
      keyring: ctx.keyring,
    });
  } catch {
    return undefined;
  }
  const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(entry.iv, "base64"));
  decipher.setAAD(aad(rec, name, entry.gen));
  decipher.setAuthTag(sealedText.subarray(sealedText.length - GCM_TAG));
  try {
    return Buffer.concat([
      decipher.update(sealedText.subarray(0, sealedText.length - GCM_TAG)),
      decipher.final(),
    ]);
  } catch {
    return undefined; // a zone whose shards decode to wrong bytes is never served; the next zone is tried
  }
}

/**
 * Remove one annotation (idempotent). `check` runs under the key lock (If-Match, object lock). Returns
 * the version, and whether there was something to remove.
 */
export async function deleteAnnotation(
  ctx: EngineContext,
  target: AnnotationTarget,
  name: string,
  check: (rec: ObjectVersionRecord) => void,
): Promise<{ rec: ObjectVersionRecord; removed: boolean }> {
  const rec = resolveVersion(ctx, target.bucket, target.key, target.versionId);
  check(rec);
  if (!annotationsOf(rec)[name]) return { rec, removed: false };
  let removed: AnnotationEntry | undefined;
  const next = await updateVersion(ctx, rec.bucket, rec.key, rec.versionId, (cur) => {
    if (cur.writeId !== rec.writeId) {
      throw new StorageError("NoSuchKey", "The specified key does not exist.", { key: rec.key });
    }
    check(cur);
    const { [name]: gone, ...rest } = annotationsOf(cur);
    removed = gone;
    return { ...cur, attrs: { ...cur.attrs, [ANNOTATIONS_ATTR]: rest } };
  });
  if (removed) await removeShards(ctx, rec, removed.gen);
  return { rec: next, removed: removed !== undefined };
}
