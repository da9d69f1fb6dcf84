import { createHash } from "node:crypto";
import { type ChecksumAlgorithm, checksumOf, crcCombine, isCombinableCrc } from "../checksums.ts";
import { generateObjectKey } from "../crypto/object-key.ts";
import { ciphertextLength } from "../crypto/package-format.ts";
import { BodyDigests, DEFAULT_CHECKSUM_ALGORITHM } from "./body-digests.ts";
import { encryptPart, sealFor } from "./encryption.ts";
import { distributionOf, type EngineContext, newId, zonesOf, zoneTargets } from "./engine-context.ts";
import type { ExpectedDigests, SseRequest, WriteConditions } from "./engine-types.ts";
import { DiskError, StorageError } from "./errors.ts";
import type { UploadPartRecord, UploadRecord } from "./index-db.ts";
import { compareKeys } from "./listing.ts";
import { META_FORMAT_VERSION, type ObjectVersionRecord } from "./meta-record.ts";
import { commitWrite, erasureRecord, removeEverywhere, requireBucket } from "./object-write.ts";
import { dataDir, uploadDir } from "./paths.ts";
import { StripeWriter } from "./stripe-writer.ts";

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

export interface CreateMultipartInput {
  bucket: string;
  key: string;
  headers?: Record<string, string>;
  userMeta?: Record<string, string>;
  storageClass?: string;
  attrs?: Record<string, unknown>;
  sse?: SseRequest;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: "COMPOSITE" | "FULL_OBJECT";
}

export interface UploadPartInput {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  body: AsyncIterable<Uint8Array>;
  size?: number;
  sse?: SseRequest;
  checksumAlgorithm?: ChecksumAlgorithm;
  expected?: () => ExpectedDigests;
}

export interface CompleteMultipartInput {
  bucket: string;
  key: string;
  uploadId: string;
  parts: { number: number; etag: string; checksum?: string }[];
  conditions?: WriteConditions;
  /** The whole object's checksum the client sent on completion (x-amz-checksum-*), verified if given. */
  expectedChecksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Minimum size of every part but the last (S3: 5 MiB); lowered only by tests. */
  minPartSize?: number;
}

export interface ListUploadsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}

const partFile = (n: number, pw: string) => `part.${n}.${pw}`;

export async function createMultipartUpload(
  ctx: EngineContext,
  input: CreateMultipartInput,
): Promise<UploadRecord> {
  requireBucket(ctx, input.bucket);
  const targets = zoneTargets(ctx, input.bucket, input.key);
  const uploadId = newId();
  const objectKey = generateObjectKey();
  const upload: UploadRecord = {
    uploadId,
    bucket: input.bucket,
    key: input.key,
    initiated: ctx.clock(),
    distribution: distributionOf(targets),
    template: {
      format: META_FORMAT_VERSION,
      bucket: input.bucket,
      key: input.key,
      headers: input.headers ?? {},
      userMeta: input.userMeta ?? {},
      storageClass: input.storageClass ?? "STANDARD",
      multipart: true,
      encryption: sealFor(ctx, input.sse, input.bucket, input.key, objectKey),
      checksum: input.checksumAlgorithm
        ? { algorithm: input.checksumAlgorithm, value: "", type: input.checksumType ?? "COMPOSITE" }
        : undefined,
      inline: false,
      attrs: input.attrs ?? {},
    },
  };
  const data = Buffer.from(JSON.stringify(upload));
  await writeOnQuorum(ctx, targets, (d) =>
    d.writeFileAtomic(`${uploadDir(input.bucket, uploadId)}/upload.json`, data),
  );
  ctx.index.putUpload(upload);
  return upload;
}

async function writeOnQuorum(
  ctx: EngineContext,
  targets: { disks: (import("./disk.ts").LocalDisk | undefined)[] }[],
  op: (d: import("./disk.ts").LocalDisk) => Promise<void>,
): Promise<void> {
  let zones = 0;
  await Promise.all(
    targets.map(async (t) => {
      const oks = await Promise.all(
        t.disks.map(async (d) => {
          if (!d) return false;
          try {
            await op(d);
            return true;
          } catch (e) {
            if (e instanceof DiskError) return false;
            throw e;
          }
        }),
      );
      if (oks.filter(Boolean).length >= ctx.codec.dataShards) zones++;
    }),
  );
  if (zones < ctx.settings.zoneQuorum)
    throw new StorageError("InsufficientWriteQuorum", `written in ${zones} zones only`);
}

export function getUpload(ctx: EngineContext, bucket: string, key: string, uploadId: string): UploadRecord {
  requireBucket(ctx, bucket);
  const u = ctx.index.getUpload(uploadId);
  if (!u || u.bucket !== bucket || u.key !== key) {
    throw new StorageError(
      "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
      { uploadId },
    );
  }
  return u;
}

export async function uploadPart(ctx: EngineContext, input: UploadPartInput): Promise<UploadPartRecord> {
  const upload = getUpload(ctx, input.bucket, input.key, input.uploadId);
  if (!Number.isInteger(input.partNumber) || input.partNumber < 1 || input.partNumber > MAX_PARTS) {
    throw new StorageError(
      "InvalidArgument",
      "Part number must be an integer between 1 and 10000, inclusive",
      {
        partNumber: input.partNumber,
      },
    );
  }
  const { openObjectKey } = await import("./encryption.ts");
  const objectKey = openObjectKey(ctx, { ...(upload.template as ObjectVersionRecord) }, input.sse);
  const targets = zonesOf(ctx, upload.distribution).map((z) => ({
    zone: z.zone,
    disks: z.disks.filter((d) => d !== undefined),
  }));
  const pw = newId();
  const dir = uploadDir(input.bucket, input.uploadId);
  const stripe = new StripeWriter({
    targets,
    codec: ctx.codec,
    blockSize: ctx.settings.blockSize,
    relPath: `${dir}/${partFile(input.partNumber, pw)}`,
    inlineThreshold: -1, // parts always go to shard files
    zoneQuorum: ctx.settings.zoneQuorum,
    sizeHint: input.size === undefined ? undefined : ciphertextLength(input.size),
  });
  const algorithm =
    input.checksumAlgorithm ?? (upload.template.checksum?.algorithm as ChecksumAlgorithm | undefined);
  const digests = new BodyDigests(algorithm, input.size, { alsoDefault: !upload.template.checksum });
  try {
    for await (const c of encryptPart(objectKey, input.partNumber, digests.tap(input.body)))
      await stripe.write(c);
    const { etag, checksum, defaultChecksum } = await digests.verify(input);
    const result = await stripe.finish();
    const part: UploadPartRecord = {
      uploadId: input.uploadId,
      number: input.partNumber,
      partWriteId: pw,
      size: digests.size,
      cipherSize: result.cipherSize,
      etag,
      lastModified: ctx.clock(),
      checksums: algorithm ? { [algorithm]: checksum } : undefined,
      defaultCrc64: upload.template.checksum ? undefined : defaultChecksum,
    };
    const data = Buffer.from(JSON.stringify(part));
    await writeOnQuorum(ctx, targets, (d) =>
      d.writeFileAtomic(`${dir}/${partFile(input.partNumber, pw)}.json`, data),
    );
    const prev = ctx.index.putPart(part);
    if (prev) {
      ctx.background(
        removeEverywhere(targets, [
          `${dir}/${partFile(prev.number, prev.partWriteId)}`,
          `${dir}/${partFile(prev.number, prev.partWriteId)}.json`,
        ]),
      );
    }
    return part;
  } catch (e) {
    await stripe.abort();
    throw e;
  }
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, "$1");

export async function completeMultipartUpload(
  ctx: EngineContext,
  input: CompleteMultipartInput,
): Promise<ObjectVersionRecord> {
  const upload = getUpload(ctx, input.bucket, input.key, input.uploadId);
  if (input.parts.length === 0) {
    throw new StorageError(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
    );
  }
  const minPart = input.minPartSize ?? MIN_PART_SIZE;
  const chosen: UploadPartRecord[] = [];
  let prevNumber = 0;
  for (const p of input.parts) {
    if (p.number <= prevNumber)
      throw new StorageError(
        "InvalidPartOrder",
        "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
      );
    prevNumber = p.number;
    const stored = ctx.index.getPart(input.uploadId, p.number);
    if (!stored || stored.etag !== unquote(p.etag)) {
      throw new StorageError(
        "InvalidPart",
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
        { partNumber: p.number },
      );
    }
    chosen.push(stored);
  }
  chosen.forEach((p, i) => {
    if (i < chosen.length - 1 && p.size < minPart) {
      throw new StorageError(
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed object size.",
        {
          partNumber: p.number,
          size: p.size,
          minSizeAllowed: minPart,
        },
      );
    }
  });
  const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag, "hex")));
  const etag = `${createHash("md5").update(md5s).digest("hex")}-${chosen.length}`;
  const writeId = newId();
  const zones = zonesOf(ctx, upload.distribution);
  const targets = zones.map((z) => ({ zone: z.zone, disks: z.disks.filter((d) => d !== undefined) }));
  const udir = uploadDir(input.bucket, input.uploadId);
  const ddir = dataDir(input.bucket, input.key, writeId);
  const moves: [string, string][] = chosen.map((p) => [
    `${udir}/${partFile(p.number, p.partWriteId)}`,
    `${ddir}/part.${p.number}`,
  ]);
  const record: ObjectVersionRecord = {
    ...(upload.template as ObjectVersionRecord),
    versionId: "",
    writeId,
    modTime: 0,
    size: chosen.reduce((s, p) => s + p.size, 0),
    etag,
    checksum: await objectChecksum(upload, chosen, input.expectedChecksum),
    parts: chosen.map((p) => ({
      number: p.number,
      size: p.size,
      cipherSize: p.cipherSize,
      etag: p.etag,
      dataFile: `part.${p.number}`,
      checksums: p.checksums,
    })),
    erasure: { ...erasureRecord(ctx, targets)!, distribution: upload.distribution },
  };
  ctx.inflight.add(writeId);
  const intent = ctx.index.addIntent({
    kind: "complete",
    bucket: input.bucket,
    key: input.key,
    writeId,
    payload: { moves, distribution: upload.distribution },
  });
  // Move each disk's part files into the version's data directory; a disk missing any part holds no
  // record of this version (heal rebuilds it).
  const diskErrors = new Map<string, (DiskError | null)[]>();
  await Promise.all(
    targets.map(async (t) => {
      const errs = await Promise.all(
        t.disks.map(async (d) => {
          try {
            for (const [from, to] of moves) await d.rename(from, to);
            return null;
          } catch (e) {
            if (e instanceof DiskError) return e;
            throw e;
          }
        }),
      );
      diskErrors.set(t.zone, errs);
    }),
  );
  const committed = await commitWrite(
    ctx,
    record,
    targets,
    { cipherSize: 0, inline: null, diskErrors },
    input.conditions,
    { intent },
  ).catch(async (e) => {
    ctx.inflight.delete(writeId);
    ctx.index.removeIntent(intent);
    // Put the parts back so the upload can still be completed or aborted.
    await Promise.all(
      targets.flatMap((t) =>
        t.disks.map(async (d) => {
          for (const [from, to] of moves) await d.rename(to, from).catch(() => {});
        }),
      ),
    );
    throw e;
  });
  ctx.inflight.delete(writeId);
  ctx.index.deleteUpload(input.uploadId);
  ctx.background(removeEverywhere(targets, [udir]));
  return committed;
}

/**
 * The completed object's checksum: COMPOSITE (checksum of the concatenated raw part checksums, suffixed
 * with -N) or FULL_OBJECT (the parts' CRCs combined into the whole object's). An upload created without
 * an algorithm gets S3's default, a full-object CRC64NVME.
 */
async function objectChecksum(
  upload: UploadRecord,
  parts: UploadPartRecord[],
  expected?: CompleteMultipartInput["expectedChecksum"],
): Promise<ObjectVersionRecord["checksum"]> {
  const c = upload.template.checksum;
  if (c?.type === "COMPOSITE") {
    const raw = parts.map((p) => p.checksums?.[c.algorithm]);
    if (raw.some((v) => v === undefined)) return undefined;
    const joined = Buffer.concat(raw.map((v) => Buffer.from(v!, "base64")));
    const value = `${await checksumOf(c.algorithm as ChecksumAlgorithm, joined)}-${parts.length}`;
    return { algorithm: c.algorithm, value, type: "COMPOSITE" };
  }
  const algorithm = c?.algorithm ?? DEFAULT_CHECKSUM_ALGORITHM;
  if (!isCombinableCrc(algorithm)) return undefined;
  const raw = parts.map((p) => (c ? p.checksums?.[algorithm] : p.defaultCrc64));
  if (raw.some((v) => v === undefined)) return undefined;
  let crc: Buffer = Buffer.from(raw[0]!, "base64");
  for (let i = 1; i < parts.length; i++) {
    crc = crcCombine(algorithm, crc, Buffer.from(raw[i]!, "base64"), parts[i].size);
  }
  const result = { algorithm, value: crc.toString("base64"), type: "FULL_OBJECT" as const };
  if (expected && expected.algorithm === algorithm && expected.value !== result.value) {
    // Mapped to S3's BadDigest with this message (ChecksumMismatch in error-map.ts).
    throw new StorageError(
      "ChecksumMismatch",
      `The ${algorithm} you specified did not match the calculated checksum.`,
      { algorithm },
    );
  }
  return result;
}

export async function abortMultipartUpload(
  ctx: EngineContext,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  const upload = getUpload(ctx, bucket, key, uploadId);
  ctx.index.deleteUpload(uploadId);
  await removeEverywhere(zonesOf(ctx, upload.distribution), [uploadDir(bucket, uploadId)]);
}

export function listParts(
  ctx: EngineContext,
  bucket: string,
  key: string,
  uploadId: string,
  afterPart = 0,
  maxParts = 1000,
): { upload: UploadRecord; parts: UploadPartRecord[]; isTruncated: boolean; nextPartNumberMarker?: number } {
  const upload = getUpload(ctx, bucket, key, uploadId);
  const rows = ctx.index.listParts(uploadId, afterPart, maxParts + 1);
  const parts = rows.slice(0, maxParts);
  return {
    upload,
    parts,
    isTruncated: rows.length > maxParts,
    nextPartNumberMarker: parts.length ? parts[parts.length - 1].number : undefined,
  };
}

export function listMultipartUploads(
  ctx: EngineContext,
  input: ListUploadsInput,
): {
  uploads: UploadRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
} {
  requireBucket(ctx, input.bucket);
  const max = Math.min(input.maxUploads ?? 1000, 1000);
  const prefix = input.prefix ?? "";
  const out = {
    uploads: [] as UploadRecord[],
    commonPrefixes: [] as string[],
    isTruncated: false,
    nextKeyMarker: undefined as string | undefined,
    nextUploadIdMarker: undefined as string | undefined,
  };
  // Uploads are few; filter in memory in S3's order (key, then initiation).
  const all = ctx.index
    .listUploads(input.bucket, Buffer.from(prefix), true, 100_000)
    .filter((u) => u.key.startsWith(prefix));
  let started = input.keyMarker === undefined || input.keyMarker === "";
  let n = 0;
  for (const u of all) {
    if (!started) {
      const c = compareKeys(u.key, input.keyMarker!);
      if (c < 0) continue;
      if (c === 0) {
        if (!input.uploadIdMarker) continue;
        if (u.uploadId <= input.uploadIdMarker) continue;
      }
      started = true;
    }
    if (input.delimiter) {
      const i = u.key.indexOf(input.delimiter, prefix.length);
      if (i >= 0) {
        const cp = u.key.slice(0, i + input.delimiter.length);
        if (out.commonPrefixes.at(-1) === cp) continue;
        if (input.keyMarker && compareKeys(cp, input.keyMarker) <= 0) continue;
        if (n === max) {
          out.isTruncated = true;
          break;
        }
        out.commonPrefixes.push(cp);
        out.nextKeyMarker = cp;
        n++;
        continue;
      }
    }
    if (n === max) {
      out.isTruncated = true;
      break;
    }
    out.uploads.push(u);
    out.nextKeyMarker = u.key;
    out.nextUploadIdMarker = u.uploadId;
    n++;
  }
  return out;
}
