// UpdateObjectEncryption: changes an SSE-S3 or SSE-KMS object to SSE-KMS under another key without
// moving data: the object key is unsealed and sealed again (fresh salt and IV, docs/crypto.md) and the
// version's attrs.sse names the new key. ETag, dates, checksums, storage class and metadata are kept.

import { type SealedObjectKey, sealObjectKey, unsealObjectKey } from "../../crypto/object-key.ts";
import { readSmallBody, type S3Request, sendEmpty, versionIdParam } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { type ParsedXml, parseXml, xmlText } from "../../http/xml.ts";
import { legalHoldOf, retentionOf } from "../../lock/state.ts";
import { isKmsKeyArn, type KmsAttrs } from "./sse.ts";

function invalid(message: string): S3Error {
  return new S3Error("InvalidRequest", { message });
}

export async function updateObjectEncryption(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, false);
  const doc = parseXml(data.toString("utf8"), "ObjectEncryption");
  const kmsNode = doc["SSE-KMS"];
  if (kmsNode === undefined || typeof kmsNode !== "object" || kmsNode === null) {
    throw invalid(
      "Requests that modify an object encryption configuration require a valid new encryption type. Valid values are SSEKMS.",
    );
  }
  const kms = kmsNode as ParsedXml;
  const arn = xmlText(kms, "KMSKeyArn");
  if (arn === undefined || arn === "") {
    throw invalid("Requests that modify an object's encryption type to SSE-KMS require an AWS KMS key ARN.");
  }
  if (!isKmsKeyArn(arn)) {
    throw invalid(
      "Requests that modify an object's encryption type to SSE-KMS require a valid AWS KMS key ARN.",
    );
  }
  const bke = xmlText(kms, "BucketKeyEnabled");
  if (bke !== undefined && bke !== "true" && bke !== "false") {
    throw invalid("The BucketKeyEnabled value isn't valid. Valid values are true or false.");
  }
  const rec = r.engine.headObject({ bucket: r.bucket!, key: r.key!, versionId });
  if (rec.encryption?.scheme !== "SSE-S3") {
    throw invalid(
      "The UpdateObjectEncryption operation doesn't support source objects with the encryption type DSSE-KMS or SSE-C. Only source objects encrypted with SSE-S3 or SSE-KMS are supported.",
    );
  }
  const current = rec.attrs.sse as Partial<KmsAttrs> | undefined;
  if (current?.algorithm === "aws:kms:dsse") {
    throw invalid(
      "The UpdateObjectEncryption operation doesn't support source objects with the encryption type DSSE-KMS or SSE-C. Only source objects encrypted with SSE-S3 or SSE-KMS are supported.",
    );
  }
  const retention = retentionOf(rec);
  if (legalHoldOf(rec) || (retention && retention.retainUntil > r.config.now())) {
    throw new S3Error("AccessDenied", {
      message:
        "The encryption type for the specified object can't be updated because that object is protected by S3 Object Lock.",
    });
  }
  const keyring = r.engine.ctx.keyring;
  const next: KmsAttrs = { algorithm: "aws:kms", kmsKeyId: arn, bucketKeyEnabled: bke === "true" };
  await r.engine.updateVersion(r.bucket!, r.key!, rec.versionId, (v) => {
    // The record may have changed since headObject: re-seal what is stored now.
    if (v.writeId !== rec.writeId || v.encryption?.scheme !== "SSE-S3") {
      throw new S3Error("ConditionalRequestConflict");
    }
    const ctx = { bucket: v.bucket, key: v.key };
    const objectKey = unsealObjectKey(v.encryption.sealed as unknown as SealedObjectKey, ctx, { keyring });
    const sealed = sealObjectKey(objectKey, ctx, { scheme: "SSE-S3", keyring });
    objectKey.fill(0);
    return { ...v, encryption: { ...v.encryption, sealed: { ...sealed } }, attrs: { ...v.attrs, sse: next } };
  });
  sendEmpty(r, 200);
}
