// DeleteBucketTagging: removes the bucket's tags; 204 whether or not it had any.

import { storeConfig } from "../../config/document.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function deleteBucketTagging(r: S3Request): Promise<void> {
  await storeConfig(r, "tags", undefined);
  sendEmpty(r, 204);
}
