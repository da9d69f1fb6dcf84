// DeleteBucketReplication: removes the replication configuration; 204 whether or not there was one.

import { storeConfig } from "../../config/document.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function deleteBucketReplication(r: S3Request): Promise<void> {
  await storeConfig(r, "replication", undefined);
  sendEmpty(r, 204);
}
