// S3 CompleteMultipartUpload: assembles an upload's chosen parts into an object version (validating
// part order, ETags and minimum sizes, moving part files into the version's data directory, committing
// the record) and computes the whole object's checksum. Kept apart from multipart.ts, which holds the
// upload lifecycle around it (create, upload part, abort, list), because it is the largest operation and
// self-contained; it imports the shared helpers from there, and multipart.ts never imports back.

import { createHash } from "node:crypto";
import { type ChecksumAlgorithm, checksumOf, crcCombine, isCombinableCrc } from "../checksums.ts";
import { DEFAULT_CHECKSUM_ALGORITHM } from "./body-digests.ts";
import { type EngineContext, newId, zonesOf } from "./engine-context.ts";
import type { WriteConditions } from "./engine-types.ts";
import { DiskError, StorageError } from "./errors.ts";
import type { UploadPartRecord, UploadRecord } from "./index-db.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";
import { getUpload, MIN_PART_SIZE, partFile, uploadBlockSize } from "./multipart.ts";
import { commitWrite, erasureRecord, removeEverywhere } from "./object-write.ts";
import { dataDir, uploadDir } from "./paths.ts";

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
    erasure: {
      ...erasureRecord(ctx, targets)!,
      blockSize: uploadBlockSize(ctx, upload),
      distribution: upload.distribution,
    },
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
