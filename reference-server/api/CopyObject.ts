// CopyObject: server-side copy, streamed from the source version into a new destination version.
// Metadata is copied or replaced (x-amz-metadata-directive); copy-source conditions apply to the source.
// Annotations are copied (x-amz-object-annotation-directive COPY, the default) or left out (EXCLUDE).

import { writeAclAttrs } from "../access/acl-write.ts";
import { isChecksumAlgorithm } from "../checksums.ts";
import { bucketOf, header, type S3Request, sendXml } from "../http/context.ts";
import { resolveCopySource } from "../http/copy-source.ts";
import {
  requestStoredHeaders,
  sseResponseHeaders,
  versionHeader,
  writeConditions,
} from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { headerTags, tagsOf } from "../http/tagging.ts";
import { isoDate } from "../http/xml.ts";
import { expirationHeaders } from "../lifecycle/header.ts";
import { writeLockAttrs } from "../lock/write.ts";
import { assertReadable, storageClassFor } from "../restore/state.ts";
import { annotationsOf, copyAnnotations } from "../storage/annotations.ts";
import { checksumElement } from "./CompleteMultipartUpload.ts";
import { writeEncryption } from "./objects-extra/sse.ts";

/** S3 copies objects up to 5 GiB in one request (larger ones go through UploadPartCopy). */
export const MAX_COPY_SIZE = 5 * 1024 ** 3;

export async function copyObject(r: S3Request): Promise<void> {
  const source = resolveCopySource(r);
  const src = source.record;
  const srcBucket = source.bucketRecord;
  assertReadable(src, r.config.now());
  const directive = (header(r, "x-amz-metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") {
    throw new S3Error("InvalidArgument", {
      message: "Unknown metadata directive.",
      extra: { ArgumentName: "x-amz-metadata-directive", ArgumentValue: directive },
    });
  }
  const { sse: destSse, attrs: sseAttrs } = writeEncryption(r);
  const sameObject = source.bucket === r.bucket && source.key === r.key && source.versionId === undefined;
  const changesEncryption = destSse?.scheme === "SSE-C" || src.encryption?.scheme === "SSE-C";
  const sc = header(r, "x-amz-storage-class");
  if (sameObject && directive === "COPY" && !changesEncryption && sc === undefined) {
    throw new S3Error("InvalidRequest", {
      message:
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    });
  }
  if (src.size > MAX_COPY_SIZE) {
    throw new S3Error("InvalidRequest", {
      message: `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SIZE}`,
    });
  }
  const replaced = directive === "REPLACE" ? requestStoredHeaders(r) : undefined;
  const tagging = (header(r, "x-amz-tagging-directive") ?? "COPY").toUpperCase();
  if (tagging !== "COPY" && tagging !== "REPLACE") {
    throw new S3Error("InvalidArgument", {
      message: "Unknown tagging directive.",
      extra: { ArgumentName: "x-amz-tagging-directive", ArgumentValue: tagging },
    });
  }
  const tags = tagging === "REPLACE" ? (headerTags(r) ?? []) : tagsOf(src);
  const annotations = (header(r, "x-amz-object-annotation-directive") ?? "COPY").toUpperCase();
  if (annotations !== "COPY" && annotations !== "EXCLUDE") {
    throw new S3Error("InvalidArgument", {
      message: "Unknown annotation directive.",
      extra: { ArgumentName: "x-amz-object-annotation-directive", ArgumentValue: annotations },
    });
  }
  const copyNotes = annotations === "COPY" && Object.keys(annotationsOf(src)).length > 0;
  if (copyNotes && destSse?.scheme === "SSE-C") {
    throw new S3Error("InvalidRequest", {
      message: "Annotations are not supported on objects encrypted with SSE-C.",
    });
  }
  const storageClass = storageClassFor(bucketOf(r), sc ?? replaced?.storageClass ?? src.storageClass);
  const lock = writeLockAttrs(r, bucketOf(r), { body: false });
  // The copy is a new object: its ACL comes from this request, never from the source.
  const acl = writeAclAttrs(r, bucketOf(r));
  const got = await r.engine.getObject({
    bucket: source.bucket,
    key: source.key,
    versionId: src.versionId,
    sse: source.sse,
  });
  const alg = src.checksum?.algorithm;
  const rec = await r.engine.putObject({
    bucket: r.bucket!,
    key: r.key!,
    body: got.body,
    size: src.size,
    headers: replaced?.headers ?? src.headers,
    userMeta: replaced?.userMeta ?? src.userMeta,
    attrs: { ...(tags.length > 0 ? { tags } : {}), ...sseAttrs, ...lock, ...acl },
    storageClass,
    sse: destSse,
    checksumAlgorithm: alg !== undefined && isChecksumAlgorithm(alg) ? alg : undefined,
    conditions: writeConditions(r),
  });
  // Annotations follow the object (default COPY): stored for the new version once it is committed.
  if (copyNotes) await copyAnnotations(r.engine.ctx, src, rec);
  const result: Record<string, string> = { ETag: `"${rec.etag}"`, LastModified: isoDate(rec.modTime) };
  if (rec.checksum?.value && isChecksumAlgorithm(rec.checksum.algorithm)) {
    result[checksumElement(rec.checksum.algorithm)] = rec.checksum.value;
    result.ChecksumType = rec.checksum.type;
  }
  const h: Record<string, string> = {
    ...versionHeader(bucketOf(r), rec.versionId),
    ...sseResponseHeaders(rec.encryption, rec.attrs),
    ...expirationHeaders(r, rec, true),
  };
  if (srcBucket.versioning !== "Unversioned") h["x-amz-copy-source-version-id"] = src.versionId;
  sendXml(r, "CopyObjectResult", result, { headers: h });
}
