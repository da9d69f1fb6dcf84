// PutObjectLegalHold: ON blocks every removal of the version until it is set OFF; no retention involved.

import { bucketOf, readSmallBody, type S3Request, sendEmpty, versionIdParam } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { taggedVersion } from "../../http/tagging.ts";
import { parseLegalHoldDocument } from "../../lock/documents.ts";
import { missingLockConfiguration } from "../../lock/write.ts";

export async function putObjectLegalHold(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, true);
  if (!bucketOf(r).objectLock) throw missingLockConfiguration();
  const on = parseLegalHoldDocument(data.toString("utf8"));
  const target = taggedVersion(r, versionId);
  await r.engine.updateVersion(r.bucket!, r.key!, target.versionId, (v) => ({
    ...v,
    attrs: { ...v.attrs, legalHold: on },
  }));
  sendEmpty(r, 200);
}
