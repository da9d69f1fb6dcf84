// The x-amz-expiration header of an object response, for the handlers (one call each).

import type { S3Request } from "../http/context.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { enabledRules, expirationHeader, uploadAbortAt } from "./rules.ts";
import { lifecycleOf } from "./types.ts";

/**
 * x-amz-expiration for `rec` in the request's bucket. `written`: the version this request just wrote
 * (PutObject, CopyObject), current by definition; otherwise (GET/HEAD) it is announced only while the
 * version is the current one, since Expiration acts on current versions.
 */
export function expirationHeaders(
  r: S3Request,
  rec: ObjectVersionRecord,
  written = false,
): Record<string, string> {
  const bucket = r.bucketRecord;
  if (!bucket || lifecycleOf(bucket) === undefined) return {};
  const latest = written || r.engine.ctx.index.getLatest(rec.bucket, rec.key)?.writeId === rec.writeId;
  return expirationHeader(bucket, rec, latest);
}

/**
 * x-amz-abort-date and x-amz-abort-rule-id of CreateMultipartUpload and ListParts: when an
 * AbortIncompleteMultipartUpload rule will abort this upload.
 */
export function abortHeaders(r: S3Request, key: string, initiated: number): Record<string, string> {
  const bucket = r.bucketRecord;
  if (!bucket) return {};
  const abort = uploadAbortAt(enabledRules(lifecycleOf(bucket)), key, initiated);
  if (!abort) return {};
  // A header value must be printable ASCII; an ID that is not goes out URL-encoded rather than breaking the answer.
  const id = /^[\x20-\x7e]*$/.test(abort.ruleId) ? abort.ruleId : encodeURIComponent(abort.ruleId);
  return { "x-amz-abort-date": new Date(abort.at).toUTCString(), "x-amz-abort-rule-id": id };
}
