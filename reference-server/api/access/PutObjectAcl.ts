// PutObjectAcl: replace a version's ACL (metadata only). The object keeps its owner; the same header /
// body forms and ownership and public-access checks as PutBucketAcl.

import { requestedAcl } from "../../access/acl-write.ts";
import { objectAcl } from "../../access/evaluate.ts";
import { bucketOf, type S3Request, sendEmpty, versionIdParam } from "../../http/context.ts";
import { versionHeader } from "../../http/object-headers.ts";
import { taggedVersion } from "../../http/tagging.ts";

export async function putObjectAcl(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const target = taggedVersion(r, versionIdParam(r));
  const acl = await requestedAcl(r, "object", objectAcl(target, b).owner, b);
  const rec = await r.engine.updateVersion(b.name, r.key!, target.versionId, (v) => ({
    ...v,
    attrs: { ...v.attrs, acl },
  }));
  sendEmpty(r, 200, versionHeader(b, rec.versionId));
}
