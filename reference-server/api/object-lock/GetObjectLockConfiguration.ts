// GetObjectLockConfiguration: ObjectLockEnabled and the default retention rule, if any.

import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { lockConfigurationXml } from "../../lock/config.ts";

export async function getObjectLockConfiguration(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  if (!b.objectLock)
    throw new S3Error("ObjectLockConfigurationNotFoundError", { extra: { BucketName: b.name } });
  sendXml(r, "ObjectLockConfiguration", lockConfigurationXml(b));
}
