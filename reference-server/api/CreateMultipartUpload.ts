// CreateMultipartUpload: the object's headers, metadata, SSE and checksum algorithm are fixed here.

import { writeAclAttrs } from "../access/acl-write.ts";
import { isChecksumAlgorithm } from "../checksums.ts";
import { bucketOf, header, type S3Request, sendXml } from "../http/context.ts";
import { requestStoredHeaders, sseResponseHeaders } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { headerTags } from "../http/tagging.ts";
import { abortHeaders } from "../lifecycle/header.ts";
import { writeLockAttrs } from "../lock/write.ts";
import { storageClassFor } from "../restore/state.ts";
import { writeEncryption } from "./objects-extra/sse.ts";

export async function createMultipartUpload(r: S3Request): Promise<void> {
  const stored = requestStoredHeaders(r);
  const { sse, attrs: sseAttrs } = writeEncryption(r);
  const tags = headerTags(r);
  const lock = writeLockAttrs(r, bucketOf(r), { body: false });
  const acl = writeAclAttrs(r, bucketOf(r));
  const alg = header(r, "x-amz-checksum-algorithm")?.toUpperCase();
  if (alg !== undefined && !isChecksumAlgorithm(alg)) {
    throw new S3Error("InvalidRequest", { message: "Checksum algorithm provided is unsupported." });
  }
  const typeText = header(r, "x-amz-checksum-type")?.toUpperCase();
  if (typeText !== undefined && typeText !== "COMPOSITE" && typeText !== "FULL_OBJECT") {
    throw new S3Error("InvalidRequest", { message: "Value for x-amz-checksum-type header is invalid." });
  }
  if (typeText !== undefined && alg === undefined) {
    throw new S3Error("InvalidRequest", {
      message: "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
    });
  }
  const upload = await r.engine.createMultipartUpload({
    bucket: r.bucket!,
    key: r.key!,
    headers: stored.headers,
    userMeta: stored.userMeta,
    storageClass: storageClassFor(bucketOf(r), stored.storageClass),
    attrs: { ...(tags ? { tags } : {}), ...sseAttrs, ...lock, ...acl },
    sse,
    checksumAlgorithm: alg,
    checksumType: typeText as "COMPOSITE" | "FULL_OBJECT" | undefined,
  });
  const h: Record<string, string> = sseResponseHeaders(upload.template.encryption, upload.template.attrs);
  Object.assign(h, abortHeaders(r, upload.key, upload.initiated));
  if (upload.template.checksum) {
    h["x-amz-checksum-algorithm"] = upload.template.checksum.algorithm;
    h["x-amz-checksum-type"] = upload.template.checksum.type;
  }
  sendXml(
    r,
    "InitiateMultipartUploadResult",
    { Bucket: r.bucket, Key: r.key, UploadId: upload.uploadId },
    { headers: h },
  );
}
