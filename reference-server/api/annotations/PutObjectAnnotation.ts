// PutObjectAnnotation: attach (or replace) a named UTF-8 payload of 1 byte to 1 MiB to an object version;
// at most 1,000 per version; Content-MD5 / x-amz-checksum-* verified, a CRC64NVME stored by default;
// encrypted and erasure-coded like the object (storage/annotations.ts); refused on SSE-C objects.

import { declaredTrailers } from "../../auth/index.ts";
import { type ChecksumAlgorithm, checksumHeader, checksumOf } from "../../checksums.ts";
import { requestBody, type S3Request, sendXml } from "../../http/context.ts";
import { requestChecksum } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { annotationsOf, putAnnotation } from "../../storage/annotations.ts";
import type { ObjectVersionRecord } from "../../storage/meta-record.ts";
import {
  annotationName,
  annotationTarget,
  MAX_ANNOTATIONS,
  MAX_PAYLOAD_BYTES,
  objectIfMatch,
  objectVersionHeader,
} from "./common.ts";

const DEFAULT_ALGORITHM: ChecksumAlgorithm = "CRC64NVME";

function tooLarge(size: number): S3Error {
  return new S3Error("EntityTooLarge", {
    message: "The annotation payload exceeds the maximum allowed size of 1 MiB.",
    extra: { ProposedSize: String(size), MaxSizeAllowed: String(MAX_PAYLOAD_BYTES) },
  });
}

async function readPayload(
  r: S3Request,
): Promise<{ data: Buffer; trailers: Readonly<Record<string, string>> }> {
  const body = requestBody(r);
  if (body.expectedLength !== undefined && body.expectedLength > MAX_PAYLOAD_BYTES) {
    throw tooLarge(body.expectedLength);
  }
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > MAX_PAYLOAD_BYTES) throw tooLarge(n);
    parts.push(c);
  }
  return { data: Buffer.concat(parts), trailers: body.trailers };
}

export async function putObjectAnnotation(r: S3Request): Promise<void> {
  const name = annotationName(r);
  const target = annotationTarget(r);
  const ifMatch = objectIfMatch(r);
  const declared = requestChecksum(r, declaredTrailers(r.req.headersDistinct), () => body.trailers);
  const body = await readPayload(r);
  const payload = body.data;
  if (payload.length === 0) {
    throw new S3Error("EntityTooSmall", {
      message: "The annotation payload must be at least 1 byte.",
      extra: { ProposedSize: "0", MinSizeAllowed: "1" },
    });
  }
  const expected = declared.expected();
  if (expected.contentMD5 !== undefined && (await checksumOf("MD5", payload)) !== expected.contentMD5) {
    throw new S3Error("BadDigest");
  }
  const algorithm = declared.algorithm ?? DEFAULT_ALGORITHM;
  const value = await checksumOf(algorithm, payload);
  if (expected.checksum && expected.checksum.value !== value) {
    throw new S3Error("BadDigest", {
      message: `The ${expected.checksum.algorithm} you specified did not match the calculated checksum.`,
    });
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    throw new S3Error("UnsupportedMediaType");
  }
  const check = (rec: ObjectVersionRecord): void => {
    if (rec.encryption?.scheme === "SSE-C") {
      throw new S3Error("InvalidRequest", {
        message: "Annotations are not supported on objects encrypted with SSE-C.",
      });
    }
    ifMatch(rec);
    const all = annotationsOf(rec);
    if (all[name] === undefined && Object.keys(all).length >= MAX_ANNOTATIONS) {
      throw new S3Error("AnnotationLimitExceeded");
    }
  };
  const { rec, entry } = await putAnnotation(r.engine.ctx, target, {
    name,
    payload,
    checksums: { [algorithm]: value },
    check,
  });
  sendXml(
    r,
    "PutObjectAnnotationOutput",
    { Key: rec.key, AnnotationName: name },
    {
      headers: {
        etag: `"${entry.etag}"`,
        [checksumHeader(algorithm)]: value,
        "x-amz-checksum-type": "FULL_OBJECT",
        "x-amz-server-side-encryption": "AES256",
        ...objectVersionHeader(r, rec),
      },
    },
  );
}
