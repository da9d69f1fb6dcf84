// HeadBucket: the bucket exists and the caller may use it (the server checked both before this runs).

import { bucketOf, type S3Request, sendEmpty } from "../http/context.ts";

export async function headBucket(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  sendEmpty(r, 200, { "x-amz-bucket-region": b.region, "x-amz-access-point-alias": "false" });
}
