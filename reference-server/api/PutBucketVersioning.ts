// PutBucketVersioning: Enabled or Suspended (a bucket never returns to unversioned). MFA delete cannot be
// enabled here: the server has no MFA devices, so it is refused with the error AWS gives a request
// without a usable MFA; an object-lock bucket stays Enabled.

import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../http/context.ts";
import { verifyDocumentDigests } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { parseXml, xmlText } from "../http/xml.ts";

const STATUSES = new Set(["Enabled", "Suspended"]);
const MFA_DELETE = new Set(["Enabled", "Disabled"]);

export async function putBucketVersioning(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  // The SDK always sends a checksum; minio-js sends none, and AWS serves it: verified when present.
  await verifyDocumentDigests(r, data, trailers, false);
  const doc = parseXml(data.toString("utf8"), "VersioningConfiguration");
  const status = xmlText(doc, "Status");
  const mfaDelete = xmlText(doc, "MfaDelete");
  // Anything outside the schema's enumerations (including "Unversioned") does not validate.
  if (status !== undefined && !STATUSES.has(status)) throw new S3Error("MalformedXML");
  if (mfaDelete !== undefined && !MFA_DELETE.has(mfaDelete)) throw new S3Error("MalformedXML");
  if (mfaDelete === "Enabled") {
    throw new S3Error("InvalidRequest", {
      message: "DevPay and Mfa are mutually exclusive authorization methods.",
    });
  }
  const bucket = bucketOf(r);
  if (bucket.objectLock && status === "Suspended") {
    throw new S3Error("InvalidBucketState", {
      message:
        "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
    });
  }
  // Replication needs versioning on both sides: it cannot be suspended under a replication rule.
  if (bucket.attrs.replication !== undefined && status === "Suspended") {
    throw new S3Error("InvalidBucketState", {
      message:
        "A replication configuration is present on this bucket, so the versioning state cannot be changed.",
    });
  }
  if (status !== undefined || mfaDelete !== undefined) {
    await r.engine.updateBucket(r.bucket!, (b) => ({
      ...b,
      versioning: status === "Enabled" || status === "Suspended" ? status : b.versioning,
      // Remembered only to answer GetBucketVersioning as AWS does once MfaDelete was ever configured.
      attrs: mfaDelete === undefined ? b.attrs : { ...b.attrs, mfaDelete },
    }));
  }
  sendEmpty(r, 200);
}
