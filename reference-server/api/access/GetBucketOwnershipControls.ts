// GetBucketOwnershipControls: the bucket's rule, or OwnershipControlsNotFoundError when it has none.

import { ownershipControls } from "../../access/settings.ts";
import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function getBucketOwnershipControls(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const value = ownershipControls(b);
  if (value === undefined)
    throw new S3Error("OwnershipControlsNotFoundError", { extra: { BucketName: b.name } });
  sendXml(r, "OwnershipControls", { Rule: { ObjectOwnership: value } });
}
