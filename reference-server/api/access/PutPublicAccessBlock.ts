// PutPublicAccessBlock: the four flags (absent ones are false), stored as attrs.publicAccessBlock, which
// the access rules and PutBucketPolicy read.

import { PAB_FLAGS, type PublicAccessBlock } from "../../access/settings.ts";
import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { parseXml, xmlText } from "../../http/xml.ts";

export async function putPublicAccessBlock(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, false);
  const doc = parseXml(data.toString("utf8"), "PublicAccessBlockConfiguration");
  const config = {} as PublicAccessBlock;
  for (const flag of PAB_FLAGS) {
    const v = xmlText(doc, flag)?.toLowerCase();
    if (v !== undefined && v !== "true" && v !== "false") throw new S3Error("MalformedXML");
    config[flag] = v === "true";
  }
  const b = bucketOf(r);
  await r.engine.updateBucket(b.name, (cur) => ({
    ...cur,
    attrs: { ...cur.attrs, publicAccessBlock: config },
  }));
  sendEmpty(r, 200);
}
