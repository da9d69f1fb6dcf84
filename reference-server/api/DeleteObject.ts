// DeleteObject: removes the version (or the null version), or adds a delete marker in versioned buckets.
// Deleting what does not exist succeeds, as in S3.

import { type S3Request, sendEmpty, versionIdParam } from "../http/context.ts";
import { deleteGuard } from "../lock/guard.ts";

export async function deleteObject(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const out = await r.engine.deleteObject({
    bucket: r.bucket!,
    key: r.key!,
    versionId,
    guard: deleteGuard(r),
  });
  const h: Record<string, string> = {};
  if (out.deleteMarker) h["x-amz-delete-marker"] = "true";
  if (out.versionId !== undefined && r.bucketRecord?.versioning !== "Unversioned")
    h["x-amz-version-id"] = out.versionId;
  sendEmpty(r, 204, h);
}
