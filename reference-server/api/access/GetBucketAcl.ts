// GetBucketAcl: the bucket's ACL; with ACLs disabled (BucketOwnerEnforced) the owner's full control.

import { cannedAcl } from "../../access/acl.ts";
import { aclXml } from "../../access/acl-xml.ts";
import { aclsEnabled, bucketAcl } from "../../access/settings.ts";
import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";

export async function getBucketAcl(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const acl = aclsEnabled(b) ? bucketAcl(b) : cannedAcl("private", b.owner, b.owner);
  sendXml(r, "AccessControlPolicy", aclXml(acl));
}
