// PutBucketWebsite: validate the WebsiteConfiguration as AWS does (index suffix, error document,
// redirect-all, routing rules), then store it on the bucket record, replacing any previous one.

import { parseWebsiteConfiguration } from "../../browser/website-config.ts";
import { readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { parseXml } from "../../http/xml.ts";

export async function putBucketWebsite(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 128 * 1024);
  await verifyDocumentDigests(r, data, trailers, false);
  const website = parseWebsiteConfiguration(parseXml(data.toString("utf8"), "WebsiteConfiguration"));
  await r.engine.updateBucket(r.bucket!, (b) => ({ ...b, attrs: { ...b.attrs, website } }));
  sendEmpty(r, 200);
}
