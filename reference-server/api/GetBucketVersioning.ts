// GetBucketVersioning: an empty configuration for a never-versioned bucket, else its Status (and
// MfaDelete once it was configured).

import { bucketOf, type S3Request, sendXml } from "../http/context.ts";

export async function getBucketVersioning(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const mfa = b.attrs.mfaDelete;
  sendXml(r, "VersioningConfiguration", {
    Status: b.versioning === "Unversioned" ? undefined : b.versioning,
    MfaDelete: typeof mfa === "string" ? mfa : undefined,
  });
}
