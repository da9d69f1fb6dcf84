// PutBucketAcl: a canned ACL (x-amz-acl), grant headers (x-amz-grant-*) or an AccessControlPolicy body.
// Refused under BucketOwnerEnforced unless it only gives the owner full control, and refused when public
// while BlockPublicAcls is on.

import { requestedAcl } from "../../access/acl-write.ts";
import { bucketOf, type S3Request, sendEmpty } from "../../http/context.ts";

export async function putBucketAcl(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const acl = await requestedAcl(r, "bucket", b.owner, b);
  await r.engine.updateBucket(b.name, (cur) => ({ ...cur, attrs: { ...cur.attrs, acl } }));
  sendEmpty(r, 200);
}
