// GetObjectLegalHold: ON or OFF once a legal hold was ever set on the version; before that, none.

import { bucketOf, type S3Request, sendXml, versionIdParam } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { taggedVersion } from "../../http/tagging.ts";
import { missingLockConfiguration } from "../../lock/write.ts";

export async function getObjectLegalHold(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  if (!bucketOf(r).objectLock) throw missingLockConfiguration();
  const hold = taggedVersion(r, versionId).attrs.legalHold;
  if (typeof hold !== "boolean") throw new S3Error("NoSuchObjectLockConfiguration");
  sendXml(r, "LegalHold", { Status: hold ? "ON" : "OFF" });
}
