// One table from the engine's and the crypto layer's error codes to S3 errors. Handlers throw whatever
// the layer below threw; the server maps it here, once.

import { type CryptoErrorCode, isCryptoError } from "../crypto/errors.ts";
import { isStorageError, type StorageErrorCode } from "../storage/errors.ts";
import { httpDate } from "./context.ts";
import { isS3Error, S3Error, type S3ErrorCode } from "./s3-error.ts";

/** `message: true` keeps the engine's message (it is S3's wording or more specific than the default). */
const STORAGE: Record<StorageErrorCode, { code: S3ErrorCode; message?: boolean }> = {
  NoSuchBucket: { code: "NoSuchBucket" },
  BucketAlreadyExists: { code: "BucketAlreadyExists" },
  BucketNotEmpty: { code: "BucketNotEmpty" },
  NoSuchKey: { code: "NoSuchKey" },
  NoSuchVersion: { code: "NoSuchVersion" },
  NoSuchUpload: { code: "NoSuchUpload" },
  InvalidPart: { code: "InvalidPart" },
  MalformedXML: { code: "MalformedXML" },
  InvalidPartOrder: { code: "InvalidPartOrder" },
  EntityTooSmall: { code: "EntityTooSmall" },
  PreconditionFailed: { code: "PreconditionFailed" },
  ConditionalRequestConflict: { code: "ConditionalRequestConflict" },
  MethodNotAllowed: { code: "MethodNotAllowed" },
  BadDigest: { code: "BadDigest" },
  // AWS answers a wrong x-amz-checksum-* with BadDigest and "The CRC32 you specified did not match ...".
  ChecksumMismatch: { code: "BadDigest", message: true },
  IncompleteBody: { code: "IncompleteBody" },
  InvalidRange: { code: "InvalidRange" },
  InvalidArgument: { code: "InvalidArgument", message: true },
  // Too many failed disks: unavailable, never wrong bytes.
  InsufficientReadQuorum: { code: "ServiceUnavailable" },
  InsufficientWriteQuorum: { code: "ServiceUnavailable" },
  WrongCustomerKey: { code: "AccessDenied" },
  MissingCustomerKey: { code: "InvalidRequest", message: true },
  UnexpectedCustomerKey: { code: "InvalidRequest", message: true },
  InternalError: { code: "InternalError" },
};

const CRYPTO: Record<CryptoErrorCode, S3ErrorCode> = {
  IntegrityError: "InternalError",
  WrongCustomerKey: "AccessDenied",
  InvalidRequest: "InvalidRequest",
  InvalidArgument: "InvalidArgument",
  InvalidEncryptionAlgorithmError: "InvalidEncryptionAlgorithmError",
  UnknownMasterKey: "InternalError",
  InvalidKeyMaterial: "InternalError",
  InvalidSealedRecord: "InternalError",
};

/** Any thrown value → the S3 error to answer. Unknown errors are InternalError (their text stays in logs). */
export function toS3Error(e: unknown, resource?: string): S3Error {
  if (isS3Error(e)) return e;
  if (isStorageError(e)) {
    const m = STORAGE[e.code] ?? { code: "InternalError" };
    const extra: Record<string, string> = {};
    if (e.code === "NoSuchKey" && typeof e.detail?.key === "string") extra.Key = e.detail.key;
    if (e.code === "NoSuchUpload" && typeof e.detail?.uploadId === "string")
      extra.UploadId = e.detail.uploadId;
    if (e.code === "NoSuchVersion" && typeof e.detail?.versionId === "string")
      extra.VersionId = e.detail.versionId;
    if (e.code === "NoSuchBucket" && typeof e.detail?.bucket === "string") extra.BucketName = e.detail.bucket;
    // AWS names what was refused on a delete marker: <Method>GET</Method><ResourceType>DeleteMarker</...>.
    if (e.code === "MethodNotAllowed" && e.detail?.deleteMarker === true) {
      if (typeof e.detail.method === "string") extra.Method = e.detail.method;
      extra.ResourceType = "DeleteMarker";
    }
    return new S3Error(m.code, {
      message: m.message ? e.message : undefined,
      resource,
      extra: Object.keys(extra).length ? extra : undefined,
      cause: e,
    });
  }
  if (isCryptoError(e)) {
    const code = CRYPTO[e.code] ?? "InternalError";
    const extra: Record<string, string> = {};
    if (e.details.argumentName) extra.ArgumentName = e.details.argumentName;
    if (e.details.argumentValue !== undefined) extra.ArgumentValue = e.details.argumentValue;
    return new S3Error(code, {
      message: code === "InternalError" ? undefined : e.message,
      resource,
      extra: Object.keys(extra).length ? extra : undefined,
      cause: e,
    });
  }
  return new S3Error("InternalError", { resource, cause: e });
}

/** Headers S3 adds to some errors (a GET that hits a delete marker says so). */
export function errorHeaders(e: unknown): Record<string, string> {
  if (isStorageError(e) && e.detail?.deleteMarker === true) {
    const h: Record<string, string> = { "x-amz-delete-marker": "true" };
    if (typeof e.detail.versionId === "string") h["x-amz-version-id"] = e.detail.versionId;
    if (typeof e.detail.lastModified === "number") h["last-modified"] = httpDate(e.detail.lastModified);
    return h;
  }
  return {};
}
