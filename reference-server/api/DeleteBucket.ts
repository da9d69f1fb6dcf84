// DeleteBucket: only an empty bucket (the engine answers BucketNotEmpty otherwise).

import { type S3Request, sendEmpty } from "../http/context.ts";

export async function deleteBucket(r: S3Request): Promise<void> {
  await r.engine.deleteBucket(r.bucket!);
  sendEmpty(r, 204);
}
