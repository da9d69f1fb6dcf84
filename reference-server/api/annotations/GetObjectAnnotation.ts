// GetObjectAnnotation: one annotation's payload with its ETag, date and size; its stored checksum when
// x-amz-checksum-mode is ENABLED; NoSuchAnnotation when the version has no annotation of that name.

import { checksumHeader, isChecksumAlgorithm } from "../../checksums.ts";
import { header, httpDate, type S3Request } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { getAnnotation } from "../../storage/annotations.ts";
import { annotationName, annotationTarget, objectVersionHeader } from "./common.ts";

export async function getObjectAnnotation(r: S3Request): Promise<void> {
  const name = annotationName(r);
  const found = await getAnnotation(r.engine.ctx, annotationTarget(r), name);
  if (!("entry" in found)) throw new S3Error("NoSuchAnnotation");
  const { rec, entry, payload } = found;
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(payload.length),
    etag: `"${entry.etag}"`,
    "last-modified": httpDate(entry.lastModified),
    "x-amz-server-side-encryption": "AES256",
    ...objectVersionHeader(r, rec),
  };
  if (header(r, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED") {
    for (const [alg, value] of Object.entries(entry.checksums)) {
      if (isChecksumAlgorithm(alg)) headers[checksumHeader(alg)] = value;
    }
    headers["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  r.res.writeHead(200, headers);
  r.res.end(payload);
}
