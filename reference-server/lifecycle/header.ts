// The x-amz-expiration header of an object response, for the handlers (one call each).

import type { S3Request } from "../http/context.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { expirationHeader } from "./rules.ts";
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
