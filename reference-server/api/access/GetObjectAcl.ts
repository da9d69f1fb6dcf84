// GetObjectAcl: a version's ACL (owned by its writer under ObjectWriter); with ACLs disabled
// (BucketOwnerEnforced) the bucket owner's full control.

import { cannedAcl } from "../../access/acl.ts";
import { aclXml } from "../../access/acl-xml.ts";
import { objectAcl } from "../../access/evaluate.ts";
import { aclsEnabled } from "../../access/settings.ts";
import { bucketOf, type S3Request, sendXml, versionIdParam } from "../../http/context.ts";
import { versionHeader } from "../../http/object-headers.ts";
import { taggedVersion } from "../../http/tagging.ts";

export async function getObjectAcl(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const rec = taggedVersion(r, versionIdParam(r));
  const acl = aclsEnabled(b) ? objectAcl(rec, b) : cannedAcl("private", b.owner, b.owner);
  sendXml(r, "AccessControlPolicy", aclXml(acl), { headers: versionHeader(b, rec.versionId) });
}
