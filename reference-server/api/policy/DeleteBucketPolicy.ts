// DeleteBucketPolicy: removes the policy; 204 whether or not there was one, as AWS answers.

import { bucketOf, type S3Request, sendEmpty } from "../../http/context.ts";

export async function deleteBucketPolicy(r: S3Request): Promise<void> {
  const bucket = bucketOf(r);
  if (bucket.attrs.policy !== undefined) {
    await r.engine.updateBucket(bucket.name, (b) => {
      const { policy: _removed, ...attrs } = b.attrs;
      return { ...b, attrs };
    });
  }
  sendEmpty(r, 204);
}
