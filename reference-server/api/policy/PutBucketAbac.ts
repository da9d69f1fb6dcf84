// PutBucketAbac: switches attribute-based (tag-based) access control of the bucket; the document is
// <AbacStatus><Status>Enabled|Disabled</Status></AbacStatus>.

import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { parseXml, xmlText } from "../../http/xml.ts";

export async function putBucketAbac(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, false);
  const doc = parseXml(data.toString("utf8"), "AbacStatus");
  const status = xmlText(doc, "Status");
  // The schema's enumeration; anything else (or nothing) does not validate.
  if (status !== "Enabled" && status !== "Disabled") throw new S3Error("MalformedXML");
  const bucket = bucketOf(r);
  await r.engine.updateBucket(bucket.name, (b) => ({ ...b, attrs: { ...b.attrs, abac: status } }));
  sendEmpty(r, 200);
}
