// PutBucketLifecycleConfiguration: the whole configuration is replaced by the document, validated as AWS
// does (see lifecycle/document.ts); Content-MD5 or a checksum is required. The transition minimum object
// size (x-amz-transition-default-minimum-object-size) is stored with it and echoed.

import { bucketOf, header, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { parseLifecycle } from "../../lifecycle/document.ts";
import { LIFECYCLE_ATTR, MIN_SIZE_VALUES, type MinObjectSize } from "../../lifecycle/types.ts";

export const MIN_SIZE_HEADER = "x-amz-transition-default-minimum-object-size";

/** 1000 rules with filters, tags and every action fit well below this. */
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

export async function putBucketLifecycleConfiguration(r: S3Request): Promise<void> {
  bucketOf(r);
  const minSize = header(r, MIN_SIZE_HEADER) ?? "all_storage_classes_128K";
  if (!MIN_SIZE_VALUES.includes(minSize as MinObjectSize)) {
    throw new S3Error("InvalidRequest", {
      message: `Invalid value for header ${MIN_SIZE_HEADER}: ${minSize}`,
    });
  }
  const { data, trailers } = await readSmallBody(r, MAX_DOCUMENT_BYTES);
  await verifyDocumentDigests(r, data, trailers, true);
  const config = parseLifecycle(data.toString("utf8"), minSize as MinObjectSize);
  await r.engine.updateBucket(r.bucket!, (b) => ({ ...b, attrs: { ...b.attrs, [LIFECYCLE_ATTR]: config } }));
  sendEmpty(r, 200, { [MIN_SIZE_HEADER]: config.minObjectSize });
}
