// GetBucketLocation: the region, empty for us-east-1 as S3 answers.

import { bucketOf, type S3Request, sendXml } from "../http/context.ts";

export async function getBucketLocation(r: S3Request): Promise<void> {
  const region = bucketOf(r).region;
  sendXml(r, "LocationConstraint", { "#text": region === "us-east-1" ? "" : region });
}
