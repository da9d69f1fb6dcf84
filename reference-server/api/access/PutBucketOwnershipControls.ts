// PutBucketOwnershipControls: one rule naming BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.
// ACLs can only be disabled while the bucket ACL gives no one but the owner access, as on AWS.

import { isOwnerFullControlOnly } from "../../access/acl.ts";
import { bucketAcl, type ObjectOwnership, OWNERSHIPS } from "../../access/settings.ts";
import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { parseXml, xmlList, xmlText } from "../../http/xml.ts";

export async function putBucketOwnershipControls(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, false);
  const doc = parseXml(data.toString("utf8"), "OwnershipControls");
  const rules = xmlList(doc, "Rule");
  if (rules.length !== 1) throw new S3Error("MalformedXML");
  const value = xmlText(rules[0]!, "ObjectOwnership");
  if (value === undefined || !OWNERSHIPS.includes(value as ObjectOwnership))
    throw new S3Error("MalformedXML");
  const b = bucketOf(r);
  if (value === "BucketOwnerEnforced" && !isOwnerFullControlOnly(bucketAcl(b), b.owner))
    throw new S3Error("InvalidBucketAclWithObjectOwnership");
  await r.engine.updateBucket(b.name, (cur) => ({ ...cur, attrs: { ...cur.attrs, objectOwnership: value } }));
  sendEmpty(r, 200);
}
