// PutBucketAccelerateConfiguration: Enabled or Suspended. AWS refuses Transfer Acceleration for bucket
// names with dots (they cannot be served on the accelerate endpoint's TLS certificate).

import { invalidRequest, readConfig, storeConfig } from "../../config/document.ts";
import { ACCELERATE } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function putBucketAccelerateConfiguration(r: S3Request): Promise<void> {
  const config = await readConfig(r, "AccelerateConfiguration", ACCELERATE, false);
  if (r.bucket!.includes(".")) {
    throw invalidRequest(
      "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names",
    );
  }
  await storeConfig(r, "accelerate", config);
  sendEmpty(r, 200);
}
