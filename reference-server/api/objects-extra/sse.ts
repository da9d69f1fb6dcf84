// Server-side encryption of new objects: the request's SSE headers, else the bucket's default encryption,
// and the SSE-C block. Also the one place SSE-KMS is mapped onto this server's own keyring.
//
// SSE-KMS decision: this server has no KMS. Every object is sealed under the master keyring (envelope
// encryption, docs/crypto.md) whatever the request asks. `aws:kms` and `aws:kms:dsse` (header or bucket
// default) are accepted and recorded per version in attrs.sse = { algorithm, kmsKeyId, bucketKeyEnabled }:
// the key id names a key of the server's keyring namespace (any well-formed id, key ARN, alias or alias
// ARN; no key id means the account's default `aws/s3` key, as AWS). Responses report them as AWS does.
// No KMS key policy exists to evaluate, so a KMS key is never "not found" or "access denied" here.

import { bucketOf, header, type S3Request } from "../../http/context.ts";
import { requestSse } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { SseRequest } from "../../storage/engine-types.ts";
import type { BucketRecord } from "../../storage/index-db.ts";

export type SseAlgorithm = "AES256" | "aws:kms" | "aws:kms:dsse";

/** attrs.encryption of a bucket: its one ServerSideEncryptionRule. */
export interface BucketEncryption {
  algorithm: SseAlgorithm;
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
  /** BlockedEncryptionTypes: "SSE-C" refuses SSE-C writes ("NONE" blocks nothing). */
  blocked: string[];
}

/** attrs.sse of a version written with SSE-KMS (absent: SSE-S3 or SSE-C, see the record's encryption). */
export interface KmsAttrs {
  algorithm: "aws:kms" | "aws:kms:dsse";
  kmsKeyId: string;
  bucketKeyEnabled: boolean;
}

/** The bucket's configured rule; every bucket without one encrypts with SSE-S3, as AWS since 2023. */
export function bucketEncryption(b: BucketRecord): BucketEncryption {
  const e = b.attrs.encryption as Partial<BucketEncryption> | undefined;
  if (!e || (e.algorithm !== "AES256" && e.algorithm !== "aws:kms" && e.algorithm !== "aws:kms:dsse"))
    return { algorithm: "AES256", bucketKeyEnabled: false, blocked: [] };
  return {
    algorithm: e.algorithm,
    kmsKeyId: typeof e.kmsKeyId === "string" ? e.kmsKeyId : undefined,
    bucketKeyEnabled: e.bucketKeyEnabled === true,
    blocked: Array.isArray(e.blocked) ? e.blocked.filter((x) => typeof x === "string") : [],
  };
}

export function kmsAttrsOf(attrs: Record<string, unknown>): KmsAttrs | undefined {
  const s = attrs.sse as Partial<KmsAttrs> | undefined;
  if (!s || (s.algorithm !== "aws:kms" && s.algorithm !== "aws:kms:dsse") || typeof s.kmsKeyId !== "string")
    return undefined;
  return { algorithm: s.algorithm, kmsKeyId: s.kmsKeyId, bucketKeyEnabled: s.bucketKeyEnabled === true };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;
const ALIAS = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/[A-Za-z0-9/_-]{1,250}$/;

/** A KMS key reference AWS would accept in a request: key id, key ARN, alias name or alias ARN. */
export function isKmsKeyReference(v: string): boolean {
  return (
    UUID.test(v) || /^mrk-[0-9a-f]{32}$/.test(v) || KEY_ARN.test(v) || ALIAS.test(v) || ALIAS_ARN.test(v)
  );
}

export function isKmsKeyArn(v: string): boolean {
  return KEY_ARN.test(v);
}

/** The 12-digit account id a principal's default KMS key ARN carries (stable per principal). */
function accountDigits(principal: string): string {
  if (/^\d{12}$/.test(principal)) return principal;
  let h = 0;
  for (const c of principal) h = (h * 31 + c.charCodeAt(0)) % 1_000_000_000_000;
  return String(h).padStart(12, "0");
}

/** Full ARN of a key reference (AWS reports ARNs); the `aws/s3` default key is the account's own. */
export function kmsKeyArn(r: S3Request, ref: string | undefined): string {
  const account = accountDigits(bucketOf(r).owner);
  if (ref === undefined || ref === "") return `arn:aws:kms:${r.config.region}:${account}:alias/aws/s3`;
  if (ref.startsWith("arn:")) return ref;
  return `arn:aws:kms:${r.config.region}:${account}:${UUID.test(ref) || ref.startsWith("mrk-") ? `key/${ref}` : ref}`;
}

export interface WriteEncryption {
  sse?: SseRequest;
  /** attrs to store on the new version (attrs.sse for SSE-KMS), merged by the caller. */
  attrs: Record<string, unknown>;
}

function boolHeader(r: S3Request, name: string): boolean | undefined {
  const v = header(r, name);
  if (v === undefined) return undefined;
  if (v.toLowerCase() === "true") return true;
  if (v.toLowerCase() === "false") return false;
  throw new S3Error("InvalidArgument", {
    message: `Invalid value for ${name}`,
    extra: { ArgumentName: name, ArgumentValue: v },
  });
}

/**
 * How a new object is encrypted: SSE-C headers, an explicit x-amz-server-side-encryption, or the
 * bucket's default. SSE-C on a bucket that blocks it is AccessDenied (as AWS).
 */
export function writeEncryption(r: S3Request): WriteEncryption {
  const sse = requestSse(r);
  const bucket = bucketEncryption(bucketOf(r));
  if (sse?.scheme === "SSE-C") {
    if (bucket.blocked.includes("SSE-C")) {
      throw new S3Error("AccessDenied", {
        message:
          "Requests specifying Server Side Encryption with Customer provided keys are blocked for this bucket.",
      });
    }
    return { sse, attrs: {} };
  }
  const explicit = header(r, "x-amz-server-side-encryption");
  const keyHeader = header(r, "x-amz-server-side-encryption-aws-kms-key-id");
  const bucketKey = boolHeader(r, "x-amz-server-side-encryption-bucket-key-enabled");
  const algorithm = explicit ?? bucket.algorithm;
  if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
    if (keyHeader !== undefined) {
      throw new S3Error("InvalidArgument", {
        message:
          "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
        extra: { ArgumentName: "x-amz-server-side-encryption", ArgumentValue: explicit ?? "null" },
      });
    }
    return { sse, attrs: {} };
  }
  if (keyHeader !== undefined && !isKmsKeyReference(keyHeader)) {
    throw new S3Error("InvalidArgument", {
      message: "Invalid keyId",
      extra: { ArgumentName: "x-amz-server-side-encryption-aws-kms-key-id", ArgumentValue: keyHeader },
    });
  }
  // An explicit aws:kms without a key id uses the AWS-managed key, not the bucket's configured key.
  const ref = keyHeader ?? (explicit === undefined ? bucket.kmsKeyId : undefined);
  const kms: KmsAttrs = {
    algorithm,
    kmsKeyId: kmsKeyArn(r, ref),
    bucketKeyEnabled: bucketKey ?? (explicit === undefined ? bucket.bucketKeyEnabled : false),
  };
  return { sse, attrs: { sse: kms } };
}
