// PutBucketCors: validate the CORSConfiguration as AWS does (methods, wildcards, limits), then store it
// on the bucket record; it replaces any previous configuration whole.

import { parseCorsConfiguration } from "../../browser/cors.ts";
import { readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { parseXml } from "../../http/xml.ts";

export async function putBucketCors(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  // AWS requires Content-MD5 (or an x-amz-checksum-*) on PutBucketCors.
  await verifyDocumentDigests(r, data, trailers, true);
  const rules = parseCorsConfiguration(parseXml(data.toString("utf8"), "CORSConfiguration"));
  await r.engine.updateBucket(r.bucket!, (b) => ({ ...b, attrs: { ...b.attrs, cors: rules } }));
  sendEmpty(r, 200);
}
