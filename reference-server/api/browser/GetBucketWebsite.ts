// GetBucketWebsite: the stored configuration, or NoSuchWebsiteConfiguration.

import { renderWebsiteConfiguration, websiteConfigOf } from "../../browser/website-config.ts";
import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function getBucketWebsite(r: S3Request): Promise<void> {
  const config = websiteConfigOf(bucketOf(r).attrs);
  if (!config) throw new S3Error("NoSuchWebsiteConfiguration", { extra: { BucketName: r.bucket! } });
  sendXml(r, "WebsiteConfiguration", renderWebsiteConfiguration(config));
}
