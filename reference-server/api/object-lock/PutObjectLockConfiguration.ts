// PutObjectLockConfiguration: ObjectLockEnabled and an optional default retention rule. A bucket created
// with object lock takes it; a bucket whose versioning is Enabled gets object lock enabled by it (AWS
// allows enabling lock on existing buckets since 2023); any other bucket is refused.

import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { DEFAULT_RETENTION_ATTR, parseLockConfiguration } from "../../lock/config.ts";

export async function putObjectLockConfiguration(r: S3Request): Promise<void> {
  bucketOf(r);
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  // Content-MD5 or a checksum is required (the SDK models it as such).
  await verifyDocumentDigests(r, data, trailers, true);
  const { rule } = parseLockConfiguration(data.toString("utf8"));
  // Checked inside the bucket update, so a concurrent PutBucketVersioning cannot slip between.
  await r.engine.updateBucket(r.bucket!, (b) => {
    if (!b.objectLock && b.versioning !== "Enabled") {
      throw new S3Error("InvalidBucketState", {
        message: "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
      });
    }
    const attrs = { ...b.attrs };
    if (rule) attrs[DEFAULT_RETENTION_ATTR] = rule;
    else delete attrs[DEFAULT_RETENTION_ATTR];
    return { ...b, objectLock: true, attrs };
  });
  sendEmpty(r, 200);
}
