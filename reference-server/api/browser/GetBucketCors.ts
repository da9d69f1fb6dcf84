// GetBucketCors: the stored rules, or NoSuchCORSConfiguration.

import { corsRulesOf, renderCorsRules } from "../../browser/cors.ts";
import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { XmlNode } from "../../http/xml.ts";

export async function getBucketCors(r: S3Request): Promise<void> {
  const rules = corsRulesOf(bucketOf(r).attrs);
  if (!rules) throw new S3Error("NoSuchCORSConfiguration", { extra: { BucketName: r.bucket! } });
  sendXml(r, "CORSConfiguration", { CORSRule: renderCorsRules(rules) as XmlNode[] });
}
