// PutObjectRetention: set, extend, shorten or remove a version's retention. The change is decided under
// the key lock against the version's current retention (lock/state.ts retentionChangeAllowed).

import { bucketOf, readSmallBody, type S3Request, sendEmpty, versionIdParam } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { taggedVersion } from "../../http/tagging.ts";
import { parseRetentionDocument } from "../../lock/documents.ts";
import { mayBypassGovernance, objectLockedError } from "../../lock/guard.ts";
import { retentionChangeAllowed, retentionOf } from "../../lock/state.ts";
import { missingLockConfiguration, retainUntilInPast } from "../../lock/write.ts";

export async function putObjectRetention(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, true);
  if (!bucketOf(r).objectLock) throw missingLockConfiguration();
  const next = parseRetentionDocument(data.toString("utf8"));
  if (next && next.retainUntil <= r.config.now()) throw retainUntilInPast();
  const target = taggedVersion(r, versionId);
  const bypass = mayBypassGovernance(r);
  await r.engine.updateVersion(r.bucket!, r.key!, target.versionId, (v) => {
    if (!retentionChangeAllowed(retentionOf(v), next, r.config.now(), bypass)) throw objectLockedError();
    const attrs = { ...v.attrs };
    if (next) attrs.retention = next;
    else delete attrs.retention;
    return { ...v, attrs };
  });
  sendEmpty(r, 200);
}
