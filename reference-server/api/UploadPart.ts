// UploadPart: one part streamed into the engine, verified like a PutObject body.

import { checksumHeader, isChecksumAlgorithm } from "../checksums.ts";
import {
  bucketOf,
  header,
  intParam,
  queryValue,
  requestBody,
  type S3Request,
  sendEmpty,
} from "../http/context.ts";
import {
  checkDeclaredSize,
  requestChecksum,
  requestSse,
  sseResponseHeaders,
} from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { requirePartIntegrity } from "../lock/write.ts";

/** S3's largest part: 5 GiB. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;

export async function uploadPart(r: S3Request): Promise<void> {
  if (!r.query.has("partNumber")) {
    throw new S3Error("InvalidArgument", {
      message: "Part number must be an integer between 1 and 10000, inclusive",
      extra: { ArgumentName: "partNumber" },
    });
  }
  const partNumber = intParam(r, "partNumber", 1, 1, 10_000);
  const uploadId = queryValue(r, "uploadId")!;
  const sse = requestSse(r, { write: false });
  const upload = r.engine.getUpload(r.bucket!, r.key!, uploadId);
  requirePartIntegrity(r, bucketOf(r), upload.template.attrs ?? {});
  const body = requestBody(r);
  if (body.expectedLength === undefined && header(r, "transfer-encoding") === undefined) {
    throw new S3Error("MissingContentLength");
  }
  checkDeclaredSize(body.expectedLength, MAX_PART_SIZE);
  const checksum = requestChecksum(r, body.declaredTrailers, () => body.trailers);
  const uploadAlg = upload.template.checksum?.algorithm;
  if (checksum.algorithm !== undefined && uploadAlg !== undefined && checksum.algorithm !== uploadAlg) {
    throw new S3Error("InvalidRequest", {
      message: `Checksum Type mismatch occurred, expected checksum Type: ${uploadAlg.toLowerCase()}, actual checksum Type: ${checksum.algorithm.toLowerCase()}`,
    });
  }
  const part = await r.engine.uploadPart({
    bucket: r.bucket!,
    key: r.key!,
    uploadId,
    partNumber,
    body,
    size: body.expectedLength,
    sse,
    checksumAlgorithm: checksum.algorithm,
    expected: checksum.expected,
  });
  const h: Record<string, string> = {
    etag: `"${part.etag}"`,
    ...sseResponseHeaders(upload.template.encryption),
  };
  for (const [alg, value] of Object.entries(part.checksums ?? {})) {
    if (isChecksumAlgorithm(alg)) h[checksumHeader(alg)] = value;
  }
  sendEmpty(r, 200, h);
}
