// The source side of a server-side copy (CopyObject, UploadPartCopy): x-amz-copy-source, its access
// check, its SSE-C key and its x-amz-copy-source-if-* conditions.

import { authorizeCopySource } from "../access/authorize.ts";
import { parseHttpDate } from "../auth/encoding.ts";
import type { SseRequest } from "../storage/engine-types.ts";
import { isStorageError } from "../storage/errors.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { header, invalidVersionId, isVersionId, MAX_KEY_BYTES, type S3Request } from "./context.ts";
import { requestSse } from "./object-headers.ts";
import { S3Error } from "./s3-error.ts";

/** `bucket/key[?versionId=id]`, percent-encoded, with or without a leading slash. */
export function parseCopySource(text: string): { bucket: string; key: string; versionId?: string } {
  const bad = () =>
    new S3Error("InvalidArgument", {
      message: "Invalid copy source object key",
      extra: { ArgumentName: "x-amz-copy-source" },
    });
  let s = text.startsWith("/") ? text.slice(1) : text;
  let versionId: string | undefined;
  const q = s.indexOf("?");
  if (q >= 0) {
    const params = new URLSearchParams(s.slice(q + 1));
    versionId = params.get("versionId") ?? undefined;
    s = s.slice(0, q);
  }
  const slash = s.indexOf("/");
  if (slash <= 0 || slash === s.length - 1) throw bad();
  try {
    return {
      bucket: decodeURIComponent(s.slice(0, slash)),
      key: decodeURIComponent(s.slice(slash + 1)),
      versionId,
    };
  } catch {
    throw bad();
  }
}

function unquote(s: string): string {
  return s.trim().replace(/^"(.*)"$/, "$1");
}

/** x-amz-copy-source-if-*: S3 applies GetObject's precedence, and every failure is a 412. */
export function checkSourceConditions(r: S3Request, src: ObjectVersionRecord): void {
  const lastModified = Math.floor(src.modTime / 1000) * 1000;
  const h = (n: string) => header(r, `x-amz-copy-source-if-${n}`);
  const date = (n: string) => {
    const v = h(n);
    return v === undefined ? undefined : parseHttpDate(v);
  };
  const fail = (c: string) =>
    new S3Error("PreconditionFailed", { extra: { Condition: `x-amz-copy-source-If-${c}` } });
  const match = h("match");
  const noneMatch = h("none-match");
  if (match !== undefined) {
    if (!match.split(",").some((t) => t.trim() === "*" || unquote(t) === src.etag)) throw fail("Match");
  } else {
    const ius = date("unmodified-since");
    if (ius && lastModified > ius.getTime()) throw fail("Unmodified-Since");
  }
  if (noneMatch !== undefined) {
    if (noneMatch.split(",").some((t) => t.trim() === "*" || unquote(t) === src.etag))
      throw fail("None-Match");
  } else {
    const ims = date("modified-since");
    if (ims && lastModified <= ims.getTime()) throw fail("Modified-Since");
  }
}

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
  bucketRecord: BucketRecord;
  sse?: SseRequest;
  record: ObjectVersionRecord;
}

/** Parse, authorise and resolve the copy source, then check its conditions (all before any byte moves). */
export function resolveCopySource(r: S3Request): CopySource {
  const source = parseCopySource(header(r, "x-amz-copy-source")!);
  if (Buffer.byteLength(source.key) > MAX_KEY_BYTES) throw new S3Error("KeyTooLongError");
  const bucketRecord = r.engine.getBucket(source.bucket);
  if (!bucketRecord) throw new S3Error("NoSuchBucket", { extra: { BucketName: source.bucket } });
  if (source.versionId !== undefined && !isVersionId(source.versionId))
    throw invalidVersionId(source.versionId, "x-amz-copy-source");
  // Reading the source is s3:GetObject (s3:GetObjectVersion) on it, for the caller of the copy.
  authorizeCopySource(r, bucketRecord, source.key, source.versionId);
  const sse = requestSse(r, { write: false, prefix: "x-amz-copy-source-" });
  let record: ObjectVersionRecord;
  try {
    record = r.engine.headObject({ ...source, sse });
  } catch (e) {
    // The source's delete marker is not this request's object: no x-amz-delete-marker headers.
    if (isStorageError(e, "MethodNotAllowed")) {
      throw new S3Error("InvalidRequest", {
        message: "The source of a copy request may not specifically refer to a delete marker by version id.",
      });
    }
    if (isStorageError(e, "NoSuchKey")) throw new S3Error("NoSuchKey", { extra: { Key: source.key } });
    throw e;
  }
  checkSourceConditions(r, record);
  return { ...source, bucketRecord, sse, record };
}
