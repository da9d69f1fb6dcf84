// GetBucketReplication: the stored ReplicationConfiguration (rule ids filled in), or
// ReplicationConfigurationNotFoundError.

import { storedConfig } from "../../config/document.ts";
import { type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { XmlNode } from "../../http/xml.ts";

export async function getBucketReplication(r: S3Request): Promise<void> {
  const config = storedConfig<XmlNode>(r, "replication");
  if (!config) throw new S3Error("ReplicationConfigurationNotFoundError");
  sendXml(r, "ReplicationConfiguration", config);
}
