// GetBucketMetadataTableConfiguration: the V1 metadata table's destination and status, or
// MetadataTableConfigurationNotFound.

import { storedConfig } from "../../config/document.ts";
import { V1_ATTR, v1Result } from "../../config/metadata.ts";
import { type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { XmlNode } from "../../http/xml.ts";

export async function getBucketMetadataTableConfiguration(r: S3Request): Promise<void> {
  const stored = storedConfig<{ config: XmlNode; tableId: string }>(r, V1_ATTR);
  if (!stored) throw new S3Error("MetadataTableConfigurationNotFound");
  sendXml(r, "GetBucketMetadataTableConfigurationResult", v1Result(stored.config, stored.tableId));
}
