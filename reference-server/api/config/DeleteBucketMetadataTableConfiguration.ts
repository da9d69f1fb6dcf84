// DeleteBucketMetadataTableConfiguration: removes the V1 metadata table configuration (204), or
// MetadataTableConfigurationNotFound when there is none.

import { storeConfig, storedConfig } from "../../config/document.ts";
import { V1_ATTR } from "../../config/metadata.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function deleteBucketMetadataTableConfiguration(r: S3Request): Promise<void> {
  if (!storedConfig(r, V1_ATTR)) throw new S3Error("MetadataTableConfigurationNotFound");
  await storeConfig(r, V1_ATTR, undefined);
  sendEmpty(r, 204);
}
