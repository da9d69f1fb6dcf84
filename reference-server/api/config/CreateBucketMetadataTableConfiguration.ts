// CreateBucketMetadataTableConfiguration: POST ?metadataTable (S3 Metadata V1) names the table bucket
// and table that receive the bucket's metadata; once per bucket. Content-MD5 or a checksum is required.

import { randomUUID } from "node:crypto";
import { readConfig, storeConfig, storedConfig } from "../../config/document.ts";
import { checkV1Destination, V1_ATTR } from "../../config/metadata.ts";
import { METADATA_TABLE_CONFIGURATION } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function createBucketMetadataTableConfiguration(r: S3Request): Promise<void> {
  const config = await readConfig(r, "MetadataTableConfiguration", METADATA_TABLE_CONFIGURATION, true);
  checkV1Destination(config);
  if (storedConfig(r, V1_ATTR)) throw new S3Error("MetadataTableConfigurationAlreadyExists");
  await storeConfig(r, V1_ATTR, { config, tableId: randomUUID() });
  sendEmpty(r, 200);
}
