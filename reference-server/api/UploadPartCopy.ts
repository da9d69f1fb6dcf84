// UploadPartCopy: a part whose bytes come from an existing object (whole, or x-amz-copy-source-range).

import { isChecksumAlgorithm } from "../checksums.ts";
import { header, intParam, queryValue, type S3Request, sendXml } from "../http/context.ts";
import { resolveCopySource } from "../http/copy-source.ts";
import { requestSse, sseResponseHeaders } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { isoDate } from "../http/xml.ts";
import type { ByteRange } from "../storage/engine-types.ts";
import { checksumElement } from "./CompleteMultipartUpload.ts";
import { MAX_PART_SIZE } from "./UploadPart.ts";

/** `bytes=first-last`, both required, inside the source. */
export function parseCopyRange(text: string, size: number): ByteRange {
  const m = /^bytes=(\d+)-(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < Number(m[1])) {
    throw new S3Error("InvalidArgument", {
      message:
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
      extra: { ArgumentName: "x-amz-copy-source-range", ArgumentValue: text },
    });
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  // Not GetObject's 416: AWS refuses a copy range outside the source as an invalid argument.
  if (end >= size) {
    throw new S3Error("InvalidArgument", {
      message: `Range specified is not valid for source object of size: ${size}`,
      extra: { ArgumentName: "x-amz-copy-source-range", ArgumentValue: text },
    });
  }
  return { start, end };
}

export async function uploadPartCopy(r: S3Request): Promise<void> {
  const partNumber = intParam(r, "partNumber", 0, 1, 10_000);
  const uploadId = queryValue(r, "uploadId")!;
  const upload = r.engine.getUpload(r.bucket!, r.key!, uploadId);
  const source = resolveCopySource(r);
  const src = source.record;
  const rangeText = header(r, "x-amz-copy-source-range");
  const range = rangeText === undefined ? undefined : parseCopyRange(rangeText, src.size);
  const size = range ? range.end - range.start + 1 : src.size;
  if (size > MAX_PART_SIZE) throw new S3Error("EntityTooLarge");
  const got = await r.engine.getObject({
    bucket: source.bucket,
    key: source.key,
    versionId: src.versionId,
    range,
    sse: source.sse,
  });
  const part = await r.engine.uploadPart({
    bucket: r.bucket!,
    key: r.key!,
    uploadId,
    partNumber,
    body: got.body,
    size,
    sse: requestSse(r, { write: false }),
  });
  const result: Record<string, string> = { ETag: `"${part.etag}"`, LastModified: isoDate(part.lastModified) };
  for (const [alg, value] of Object.entries(part.checksums ?? {})) {
    if (isChecksumAlgorithm(alg)) result[checksumElement(alg)] = value;
  }
  const h: Record<string, string> = sseResponseHeaders(upload.template.encryption);
  if (source.bucketRecord.versioning !== "Unversioned") h["x-amz-copy-source-version-id"] = src.versionId;
  sendXml(r, "CopyPartResult", result, { headers: h });
}
