// DeleteBucketMetadataConfiguration: removes the S3 Metadata configuration (204), or
// MetadataConfigurationNotFound when there is none.

import { storeConfig } from "../../config/document.ts";
import { storedV2, V2_ATTR } from "../../config/metadata.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function deleteBucketMetadataConfiguration(r: S3Request): Promise<void> {
  storedV2(r);
  await storeConfig(r, V2_ATTR, undefined);
  sendEmpty(r, 204);
}
