// GetBucketMetadataConfiguration: the tables of the bucket's S3 Metadata configuration (destination,
// journal, inventory, annotation), or MetadataConfigurationNotFound.

import { storedV2, v2Result } from "../../config/metadata.ts";
import { type S3Request, sendXml } from "../../http/context.ts";

export async function getBucketMetadataConfiguration(r: S3Request): Promise<void> {
  sendXml(r, "GetBucketMetadataConfigurationResult", v2Result(r, storedV2(r)));
}
