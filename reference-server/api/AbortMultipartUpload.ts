// AbortMultipartUpload: the upload and its parts are gone; the upload id is no longer valid.

import { queryValue, type S3Request, sendEmpty } from "../http/context.ts";

export async function abortMultipartUpload(r: S3Request): Promise<void> {
  await r.engine.abortMultipartUpload(r.bucket!, r.key!, queryValue(r, "uploadId")!);
  sendEmpty(r, 204);
}
