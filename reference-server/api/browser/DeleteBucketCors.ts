// DeleteBucketCors: removes the configuration (204 whether or not there was one, as AWS answers).

import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function deleteBucketCors(r: S3Request): Promise<void> {
  await r.engine.updateBucket(r.bucket!, (b) => {
    const { cors: _, ...attrs } = b.attrs;
    return { ...b, attrs };
  });
  sendEmpty(r, 204);
}
