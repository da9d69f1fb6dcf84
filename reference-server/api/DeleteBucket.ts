// DeleteBucket: only an empty bucket (the engine answers BucketNotEmpty otherwise).

import { type S3Request, sendEmpty } from "../http/context.ts";

export async function deleteBucket(r: S3Request): Promise<void> {
  await r.engine.deleteBucket(r.bucket!);
  // A bucket re-created later under this name, by anyone, starts without the old role bindings.
  await r.config.accounts?.removeBucketBindings(r.bucket!);
  sendEmpty(r, 204);
}
