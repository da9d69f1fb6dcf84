// DeleteBucketLifecycle: removes the configuration; 204 whether or not there was one (as AWS).

import { bucketOf, type S3Request, sendEmpty } from "../../http/context.ts";
import { LIFECYCLE_ATTR } from "../../lifecycle/types.ts";

export async function deleteBucketLifecycle(r: S3Request): Promise<void> {
  if (bucketOf(r).attrs[LIFECYCLE_ATTR] !== undefined) {
    await r.engine.updateBucket(r.bucket!, (b) => {
      const attrs = { ...b.attrs };
      delete attrs[LIFECYCLE_ATTR];
      return { ...b, attrs };
    });
  }
  sendEmpty(r, 204);
}
