// Put/Get/DeleteBucketEncryption: the bucket's default encryption rule (SSE-S3, or SSE-KMS mapped onto the
// server's keyring, see sse.ts), BucketKeyEnabled and BlockedEncryptionTypes. Every bucket encrypts: with
// no rule stored, GetBucketEncryption answers the SSE-S3 default, as AWS does since January 2023.

import { bucketOf, readSmallBody, type S3Request, sendEmpty, sendXml } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { type ParsedXml, parseXml, type XmlNode, xmlList, xmlText } from "../../http/xml.ts";
import { type BucketEncryption, bucketEncryption, isKmsKeyReference, type SseAlgorithm } from "./sse.ts";

const ALGORITHMS = new Set<string>(["AES256", "aws:kms", "aws:kms:dsse"]);
const BLOCKABLE = new Set(["NONE", "SSE-C"]);

function child(node: ParsedXml, name: string): ParsedXml | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (v === "") return {};
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new S3Error("MalformedXML");
  return v as ParsedXml;
}

function parseRule(rule: ParsedXml): BucketEncryption {
  const dflt = child(rule, "ApplyServerSideEncryptionByDefault");
  const algorithm = dflt ? xmlText(dflt, "SSEAlgorithm") : "AES256";
  // SSEAlgorithm is an enumeration of the schema: anything else does not validate.
  if (algorithm === undefined || !ALGORITHMS.has(algorithm)) throw new S3Error("MalformedXML");
  const kmsKeyId = dflt ? xmlText(dflt, "KMSMasterKeyID") : undefined;
  if (kmsKeyId !== undefined && algorithm === "AES256") {
    throw new S3Error("InvalidArgument", {
      message:
        "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
      extra: { ArgumentName: "ApplyServerSideEncryptionByDefault" },
    });
  }
  if (kmsKeyId !== undefined && !isKmsKeyReference(kmsKeyId)) {
    throw new S3Error("InvalidArgument", {
      message: "KMSMasterKeyID is not a valid KMS key id, key ARN, alias name or alias ARN",
      extra: { ArgumentName: "KMSMasterKeyID", ArgumentValue: kmsKeyId },
    });
  }
  const bke = xmlText(rule, "BucketKeyEnabled");
  if (bke !== undefined && bke !== "true" && bke !== "false") throw new S3Error("MalformedXML");
  const blockedNode = child(rule, "BlockedEncryptionTypes");
  const blockedRaw = blockedNode?.EncryptionType;
  const blocked = (Array.isArray(blockedRaw) ? blockedRaw : blockedRaw === undefined ? [] : [blockedRaw]).map(
    (x) => {
      if (typeof x !== "string" || !BLOCKABLE.has(x)) throw new S3Error("MalformedXML");
      return x;
    },
  );
  return {
    algorithm: algorithm as SseAlgorithm,
    kmsKeyId,
    bucketKeyEnabled: bke === "true",
    blocked: [...new Set(blocked)],
  };
}

export async function putBucketEncryption(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, true);
  const doc = parseXml(data.toString("utf8"), "ServerSideEncryptionConfiguration");
  const rules = xmlList(doc, "Rule");
  if (rules.length !== 1) throw new S3Error("MalformedXML");
  const rule = parseRule(rules[0]);
  await r.engine.updateBucket(r.bucket!, (b) => ({ ...b, attrs: { ...b.attrs, encryption: rule } }));
  sendEmpty(r, 200);
}

export async function getBucketEncryption(r: S3Request): Promise<void> {
  const e = bucketEncryption(bucketOf(r));
  const rule: XmlNode = {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: e.algorithm, KMSMasterKeyID: e.kmsKeyId },
    BucketKeyEnabled: e.bucketKeyEnabled,
  };
  if (e.blocked.length > 0) rule.BlockedEncryptionTypes = { EncryptionType: e.blocked };
  sendXml(r, "ServerSideEncryptionConfiguration", { Rule: rule });
}

export async function deleteBucketEncryption(r: S3Request): Promise<void> {
  if (bucketOf(r).attrs.encryption !== undefined) {
    await r.engine.updateBucket(r.bucket!, (b) => {
      const { encryption: _, ...rest } = b.attrs;
      return { ...b, attrs: rest };
    });
  }
  sendEmpty(r, 204);
}
