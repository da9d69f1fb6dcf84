// DeleteBucketOwnershipControls: the bucket goes back to having no controls (ObjectWriter behaviour).

import { bucketOf, type S3Request, sendEmpty } from "../../http/context.ts";

export async function deleteBucketOwnershipControls(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  if (b.attrs.objectOwnership !== undefined) {
    await r.engine.updateBucket(b.name, (cur) => {
      const { objectOwnership: _, ...attrs } = cur.attrs;
      return { ...cur, attrs };
    });
  }
  sendEmpty(r, 204);
}
