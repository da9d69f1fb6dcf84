// S3 multipart uploads: CreateMultipartUpload, UploadPart, AbortMultipartUpload, ListParts and
// ListMultipartUploads, plus the helpers shared with CompleteMultipartUpload (complete-multipart.ts,
// which imports from here; this module must not import it back).

import type { ChecksumAlgorithm } from "../checksums.ts";
import { generateObjectKey } from "../crypto/object-key.ts";
import { ciphertextLength } from "../crypto/package-format.ts";
import { BodyDigests } from "./body-digests.ts";
import { sealFor } from "./encryption.ts";
import { distributionOf, type EngineContext, newId, zonesOf, zoneTargets } from "./engine-context.ts";
import type { ExpectedDigests, SseRequest } from "./engine-types.ts";
import { DiskError, StorageError } from "./errors.ts";
import type { UploadPartRecord, UploadRecord } from "./index-db.ts";
import { compareKeys } from "./listing.ts";
import { META_FORMAT_VERSION, type ObjectVersionRecord } from "./meta-record.ts";
import { removeEverywhere, requireBucket, writeBody } from "./object-write.ts";
import { uploadDir } from "./paths.ts";
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

export interface ListUploadsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}

export const partFile = (n: number, pw: string) => `part.${n}.${pw}`;

/** The block size of an upload's parts and of the object it completes. */
export function uploadBlockSize(ctx: EngineContext, upload: UploadRecord): number {
  return upload.blockSize ?? ctx.settings.legacyBlockSize;
}

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
    blockSize: ctx.settings.blockSize,
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
    blockSize: uploadBlockSize(ctx, upload),
    relPath: `${dir}/${partFile(input.partNumber, pw)}`,
    inlineThreshold: -1, // parts always go to shard files
    zoneQuorum: ctx.settings.zoneQuorum,
    sizeHint: input.size === undefined ? undefined : ciphertextLength(input.size),
  });
  const algorithm =
    input.checksumAlgorithm ?? (upload.template.checksum?.algorithm as ChecksumAlgorithm | undefined);
  const digests = new BodyDigests(algorithm, input.size, { alsoDefault: !upload.template.checksum });
  try {
    const [{ etag, checksum, defaultChecksum }, result] = await writeBody(
      input,
      digests,
      stripe,
      objectKey,
      input.partNumber,
    );
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
