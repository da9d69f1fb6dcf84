// Object headers both ways: what a write request asks to store (content headers, x-amz-meta-*, storage
// class, SSE, checksums) and what a read answers with (ETag, dates, metadata, SSE echo, checksums).

import { declaredTrailers, storedContentEncoding } from "../auth/index.ts";
import { type ChecksumAlgorithm, checksumHeader, checksumOf, isChecksumAlgorithm } from "../checksums.ts";
import { validateCustomerKey } from "../crypto/object-key.ts";
import { decodeBase64Strict } from "../crypto/primitives.ts";
import { lockResponseHeaders } from "../lock/state.ts";
import type { ExpectedDigests, SseRequest } from "../storage/engine-types.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { header, httpDate, type S3Request } from "./context.ts";
import { decodeHeaderValue, encodeHeaderValue } from "./rfc2047.ts";
import { S3Error } from "./s3-error.ts";

/** Standard headers stored with an object and returned on GET/HEAD. */
const STORED_HEADERS = [
  "content-type",
  "content-disposition",
  "content-language",
  "cache-control",
  "expires",
  "x-amz-website-redirect-location",
] as const;

export const STORAGE_CLASSES = new Set([
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "OUTPOSTS",
  "GLACIER_IR",
  "SNOW",
  "EXPRESS_ONEZONE",
  "FSX_OPENZFS",
]);

/** S3's limit on user metadata: names and values, UTF-8 bytes, 2 KB. */
export const MAX_USER_META_BYTES = 2048;

export interface StoredHeaders {
  headers: Record<string, string>;
  userMeta: Record<string, string>;
  storageClass: string;
}

export function requestStoredHeaders(r: S3Request): StoredHeaders {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const v = header(r, name);
    if (v !== undefined) headers[name] = v;
  }
  const enc = storedContentEncoding(r.req.headersDistinct);
  if (enc !== undefined) headers["content-encoding"] = enc;
  const userMeta: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, values] of Object.entries(r.req.headersDistinct)) {
    if (!name.startsWith("x-amz-meta-") || values === undefined) continue;
    const short = name.slice("x-amz-meta-".length);
    const value = decodeHeaderValue(values.join(","));
    userMeta[short] = value;
    metaBytes += Buffer.byteLength(short) + Buffer.byteLength(value);
  }
  if (metaBytes > MAX_USER_META_BYTES) {
    throw new S3Error("MetadataTooLarge", {
      extra: { Size: String(metaBytes), MaxSizeAllowed: String(MAX_USER_META_BYTES) },
    });
  }
  const storageClass = header(r, "x-amz-storage-class") ?? "STANDARD";
  if (!STORAGE_CLASSES.has(storageClass)) throw new S3Error("InvalidStorageClass");
  return { headers, userMeta, storageClass };
}

const SSE_C = {
  algorithm: "x-amz-server-side-encryption-customer-algorithm",
  key: "x-amz-server-side-encryption-customer-key",
  md5: "x-amz-server-side-encryption-customer-key-md5",
};

/**
 * SSE asked for by the request. SSE-S3 is always on, so `AES256` only needs echoing; SSE-C headers are
 * validated here (bad ones answer before any byte is stored). `prefix` reads the copy-source variant.
 */
export function requestSse(
  r: S3Request,
  opts: { write: boolean; prefix?: string } = { write: true },
): SseRequest | undefined {
  const p = opts.prefix ?? "";
  const name = (h: string) => (p ? h.replace("x-amz-", p) : h);
  const alg = header(r, name(SSE_C.algorithm));
  const key = header(r, name(SSE_C.key));
  const md5 = header(r, name(SSE_C.md5));
  const sse = opts.write && !p ? header(r, "x-amz-server-side-encryption") : undefined;
  if (sse !== undefined) {
    // aws:kms and aws:kms:dsse are mapped onto the server's keyring (api/objects-extra/sse.ts).
    if (sse !== "AES256" && sse !== "aws:kms" && sse !== "aws:kms:dsse") {
      throw new S3Error("InvalidArgument", {
        message: "The encryption method specified is not supported",
        extra: { ArgumentName: "x-amz-server-side-encryption", ArgumentValue: sse },
      });
    }
  }
  if (alg === undefined && key === undefined && md5 === undefined) return undefined;
  if (sse !== undefined) {
    throw new S3Error("InvalidArgument", {
      message:
        "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
      extra: { ArgumentName: "x-amz-server-side-encryption", ArgumentValue: sse },
    });
  }
  const k = validateCustomerKey(alg, key, md5);
  return { scheme: "SSE-C", key: k, keyMD5: md5! };
}

/** SSE headers of a response; `attrs.sse` marks a version written with SSE-KMS (api/objects-extra/sse.ts). */
export function sseResponseHeaders(
  enc: ObjectVersionRecord["encryption"],
  attrs?: Record<string, unknown>,
): Record<string, string> {
  if (enc?.scheme === "SSE-C") {
    return {
      [SSE_C.algorithm]: "AES256",
      [SSE_C.md5]: enc.customerKeyMD5 ?? "",
    };
  }
  const kms = attrs?.sse as
    | { algorithm?: unknown; kmsKeyId?: unknown; bucketKeyEnabled?: unknown }
    | undefined;
  if (
    (kms?.algorithm === "aws:kms" || kms?.algorithm === "aws:kms:dsse") &&
    typeof kms.kmsKeyId === "string"
  ) {
    const h: Record<string, string> = {
      "x-amz-server-side-encryption": kms.algorithm,
      "x-amz-server-side-encryption-aws-kms-key-id": kms.kmsKeyId,
    };
    if (kms.bucketKeyEnabled === true) h["x-amz-server-side-encryption-bucket-key-enabled"] = "true";
    return h;
  }
  return { "x-amz-server-side-encryption": "AES256" };
}

export interface RequestChecksum {
  algorithm?: ChecksumAlgorithm;
  /** Digests the client declared: read after the body has been consumed (trailers come last). */
  expected: () => ExpectedDigests;
}

function contentMD5(r: S3Request): string | undefined {
  const v = header(r, "content-md5");
  if (v === undefined) return undefined;
  const raw = decodeBase64Strict(v.trim());
  if (raw?.length !== 16) throw new S3Error("InvalidDigest");
  return v.trim();
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

function algorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  const m = /^x-amz-checksum-([a-z0-9]+)$/.exec(headerName);
  const alg = m?.[1].toUpperCase();
  return alg !== undefined && isChecksumAlgorithm(alg) ? alg : undefined;
}

/**
 * Content-MD5 and the additional checksum a write declares: an x-amz-checksum-* header, a trailer
 * announced in x-amz-trailer, or only x-amz-sdk-checksum-algorithm (compute and store, nothing to check).
 */
export function requestChecksum(
  r: S3Request,
  declaredTrailers: readonly string[],
  trailers: () => Readonly<Record<string, string>>,
): RequestChecksum {
  const md5 = contentMD5(r);
  const inHeaders = Object.keys(r.req.headersDistinct)
    .map((h) => ({ h, alg: algorithmOf(h) }))
    .filter((x) => x.alg !== undefined);
  const inTrailers = declaredTrailers
    .map((h) => ({ h, alg: algorithmOf(h) }))
    .filter((x) => x.alg !== undefined);
  const all = [...inHeaders, ...inTrailers];
  if (all.length > 1) {
    throw new S3Error("InvalidRequest", { message: "Expecting a single x-amz-checksum- header" });
  }
  const sdk = header(r, "x-amz-sdk-checksum-algorithm")?.toUpperCase();
  if (sdk !== undefined && !isChecksumAlgorithm(sdk)) {
    throw new S3Error("InvalidRequest", {
      message: "Value for x-amz-sdk-checksum-algorithm header is invalid.",
    });
  }
  const chosen = all[0];
  if (chosen && sdk !== undefined && chosen.alg !== sdk) {
    throw new S3Error("InvalidRequest", {
      message: `Value for x-amz-sdk-checksum-algorithm header is invalid.`,
    });
  }
  const algorithm = chosen?.alg ?? (sdk as ChecksumAlgorithm | undefined);
  const fromHeader = inHeaders[0] ? header(r, inHeaders[0].h) : undefined;
  if (fromHeader !== undefined && decodeBase64Strict(fromHeader)?.length !== DIGEST_BYTES[chosen!.alg!]) {
    throw new S3Error("InvalidRequest", { message: `Value for ${chosen!.h} header is invalid.` });
  }
  return {
    algorithm,
    expected: () => {
      const value = chosen ? (fromHeader ?? trailers()[chosen.h]) : undefined;
      return {
        contentMD5: md5,
        checksum: chosen && value !== undefined ? { algorithm: chosen.alg!, value } : undefined,
      };
    },
  };
}

export function checksumResponseHeaders(
  c: ObjectVersionRecord["checksum"] | undefined,
): Record<string, string> {
  if (!c?.value || !isChecksumAlgorithm(c.algorithm)) return {};
  return { [checksumHeader(c.algorithm)]: c.value, "x-amz-checksum-type": c.type };
}

/** A version id is shown once the bucket has ever had versioning; unversioned buckets hide "null". */
export function versionHeader(bucket: BucketRecord, versionId: string | undefined): Record<string, string> {
  if (versionId === undefined || bucket.versioning === "Unversioned") return {};
  return { "x-amz-version-id": versionId };
}

// Stored versions and bucket records from the index are frozen: their headers are built once per pair
// (a GET of a hot object otherwise formats its date and walks its metadata on every request).
const builtHeaders = new WeakMap<
  ObjectVersionRecord,
  { bucket: BucketRecord; headers: Readonly<Record<string, string>> }
>();

/**
 * Headers of GET/HEAD for a stored version (without length and range, which the caller sets); a fresh
 * object the caller may add to.
 */
export function objectResponseHeaders(
  rec: ObjectVersionRecord,
  bucket: BucketRecord,
): Record<string, string> {
  if (!Object.isFrozen(rec) || !Object.isFrozen(bucket)) return buildObjectHeaders(rec, bucket);
  const hit = builtHeaders.get(rec);
  if (hit?.bucket === bucket) return { ...hit.headers };
  const headers = buildObjectHeaders(rec, bucket);
  builtHeaders.set(rec, { bucket, headers: Object.freeze({ ...headers }) });
  return headers;
}

function buildObjectHeaders(rec: ObjectVersionRecord, bucket: BucketRecord): Record<string, string> {
  const h: Record<string, string> = {
    etag: `"${rec.etag}"`,
    "last-modified": httpDate(rec.modTime),
    "accept-ranges": "bytes",
    "content-type": rec.headers["content-type"] ?? "binary/octet-stream",
  };
  for (const [name, value] of Object.entries(rec.headers)) {
    if (name !== "content-type") h[name] = value;
  }
  for (const [name, value] of Object.entries(rec.userMeta))
    h[`x-amz-meta-${name}`] = encodeHeaderValue(value);
  if (rec.storageClass !== "STANDARD") h["x-amz-storage-class"] = rec.storageClass;
  Object.assign(h, versionHeader(bucket, rec.versionId), sseResponseHeaders(rec.encryption, rec.attrs));
  Object.assign(h, lockResponseHeaders(rec));
  return h;
}

/**
 * Digests of a small request document already read whole (DeleteObjects, configurations). `required`:
 * S3 refuses such requests without Content-MD5 or an x-amz-checksum-*.
 */
export async function verifyDocumentDigests(
  r: S3Request,
  data: Buffer,
  trailers: Readonly<Record<string, string>>,
  required: boolean,
): Promise<void> {
  const exp = requestChecksum(r, declaredTrailers(r.req.headersDistinct), () => trailers).expected();
  if (required && exp.contentMD5 === undefined && exp.checksum === undefined) {
    throw new S3Error("InvalidRequest", { message: "Missing required header for this request: Content-MD5" });
  }
  if (exp.contentMD5 !== undefined && (await checksumOf("MD5", data)) !== exp.contentMD5) {
    throw new S3Error("BadDigest");
  }
  if (exp.checksum && (await checksumOf(exp.checksum.algorithm, data)) !== exp.checksum.value) {
    throw new S3Error("BadDigest", {
      message: `The ${exp.checksum.algorithm} you specified did not match the calculated checksum.`,
    });
  }
}

/** Conditional writes: If-None-Match (only `*`, as S3) and If-Match against the current version. */
export function writeConditions(r: S3Request): { ifMatch?: string; ifNoneMatch?: string } | undefined {
  const ifMatch = header(r, "if-match");
  const ifNoneMatch = header(r, "if-none-match");
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== "*") {
    throw new S3Error("NotImplemented", {
      message: "A header you provided implies functionality that is not implemented",
      extra: { Header: "If-None-Match" },
    });
  }
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return { ifMatch, ifNoneMatch };
}

/** Reject an impossible size before reading a byte. */
export function checkDeclaredSize(size: number | undefined, max: number): void {
  if (size !== undefined && size > max) {
    throw new S3Error("EntityTooLarge", {
      extra: { ProposedSize: String(size), MaxSizeAllowed: String(max) },
    });
  }
}
