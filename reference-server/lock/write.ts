// Object lock settings of a new version (PutObject, CopyObject, CreateMultipartUpload): the
// x-amz-object-lock-* request headers, else the bucket's default retention, validated as AWS does and
// returned as the version's attrs (lock/state.ts reads them back).

import { declaredTrailers } from "../auth/index.ts";
import { header, type S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import { defaultRetentionOf, isRetentionMode, retainUntilFor } from "./config.ts";
import type { Retention } from "./state.ts";

const MODE = "x-amz-object-lock-mode";
const UNTIL = "x-amz-object-lock-retain-until-date";
const HOLD = "x-amz-object-lock-legal-hold";

// ISO 8601 date-time with an explicit zone, as S3 takes it (2030-01-01T00:00:00Z, .123Z, +01:00).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

export function missingLockConfiguration(): S3Error {
  return new S3Error("InvalidRequest", { message: "Bucket is missing Object Lock Configuration" });
}

export function retainUntilInPast(): S3Error {
  return new S3Error("InvalidArgument", { message: "The retain until date must be in the future!" });
}

/** A retain-until date as S3 accepts it (ms), or undefined when it is not one. */
export function parseRetainUntil(text: string): number | undefined {
  if (!ISO_DATE_TIME.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? undefined : ms;
}

const CHECKSUM_VALUE = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

/** Content-MD5, an x-amz-checksum-* header or trailer, or x-amz-sdk-checksum-algorithm was sent. */
function hasIntegrityHeader(r: S3Request): boolean {
  const names = [...Object.keys(r.req.headersDistinct), ...declaredTrailers(r.req.headersDistinct)];
  return names.some(
    (h) => h === "content-md5" || h === "x-amz-sdk-checksum-algorithm" || CHECKSUM_VALUE.test(h),
  );
}

/**
 * The lock attrs of the version a write creates: explicit retention and legal hold from the headers,
 * else the bucket's default retention (timed from `now`). `body`: the request carries the object's bytes,
 * and AWS then wants an integrity header whenever the version will be locked.
 */
export function writeLockAttrs(
  r: S3Request,
  bucket: BucketRecord,
  opts: { body: boolean },
): { retention?: Retention; legalHold?: boolean } {
  const mode = header(r, MODE);
  const until = header(r, UNTIL);
  const hold = header(r, HOLD);
  if (mode !== undefined && !isRetentionMode(mode)) {
    throw new S3Error("InvalidArgument", {
      message: "Unknown wormMode directive.",
      extra: { ArgumentName: MODE, ArgumentValue: mode },
    });
  }
  if ((mode === undefined) !== (until === undefined)) {
    throw new S3Error("InvalidArgument", {
      message: "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
    });
  }
  let retainUntil: number | undefined;
  if (until !== undefined) {
    retainUntil = parseRetainUntil(until);
    if (retainUntil === undefined) {
      throw new S3Error("InvalidArgument", {
        message: "The retain until date must be provided in ISO 8601 format",
        extra: { ArgumentName: UNTIL, ArgumentValue: until },
      });
    }
  }
  if (hold !== undefined && hold !== "ON" && hold !== "OFF") {
    throw new S3Error("InvalidArgument", {
      message: "Legal Hold must be either of 'ON' or 'OFF'",
      extra: { ArgumentName: HOLD, ArgumentValue: hold },
    });
  }
  const explicit = mode !== undefined || hold !== undefined;
  if (explicit && !bucket.objectLock) throw missingLockConfiguration();
  const now = r.config.now();
  if (retainUntil !== undefined && retainUntil <= now) throw retainUntilInPast();
  const rule = defaultRetentionOf(bucket);
  if (opts.body && (explicit || rule !== undefined) && !hasIntegrityHeader(r)) {
    throw new S3Error("InvalidRequest", {
      message:
        "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters",
    });
  }
  const out: { retention?: Retention; legalHold?: boolean } = {};
  if (isRetentionMode(mode) && retainUntil !== undefined) out.retention = { mode, retainUntil };
  else if (rule) out.retention = { mode: rule.mode, retainUntil: retainUntilFor(rule, now) };
  if (hold !== undefined) out.legalHold = hold === "ON";
  return out;
}

/**
 * UploadPart of an upload whose object will be locked (lock headers at CreateMultipartUpload, or the
 * bucket's default retention): AWS wants Content-MD5 or an x-amz-checksum-* on every part, as on PutObject.
 */
export function requirePartIntegrity(
  r: S3Request,
  bucket: BucketRecord,
  uploadAttrs: Readonly<Record<string, unknown>>,
): void {
  const locked =
    uploadAttrs.retention !== undefined ||
    uploadAttrs.legalHold !== undefined ||
    defaultRetentionOf(bucket) !== undefined;
  if (locked && !hasIntegrityHeader(r)) {
    throw new S3Error("InvalidRequest", {
      message:
        "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Part requests with Object Lock parameters",
    });
  }
}
