// GetObjectRetention: a version's retention mode and date (also once expired, as S3 keeps them).

import { bucketOf, type S3Request, sendXml, versionIdParam } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { taggedVersion } from "../../http/tagging.ts";
import { retentionXml } from "../../lock/documents.ts";
import { retentionOf } from "../../lock/state.ts";
import { missingLockConfiguration } from "../../lock/write.ts";

export async function getObjectRetention(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  if (!bucketOf(r).objectLock) throw missingLockConfiguration();
  const retention = retentionOf(taggedVersion(r, versionId));
  if (!retention) throw new S3Error("NoSuchObjectLockConfiguration");
  sendXml(r, "Retention", retentionXml(retention));
}
