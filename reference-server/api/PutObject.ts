// PutObject: the body streams from the socket through the payload decoder into the engine; digests
// (Content-MD5, x-amz-checksum-* in a header or a trailer) are checked before the engine commits.

import { writeAclAttrs } from "../access/acl-write.ts";
import { bucketOf, header, requestBody, type S3Request, sendEmpty } from "../http/context.ts";
import {
  checkDeclaredSize,
  checksumResponseHeaders,
  requestChecksum,
  requestStoredHeaders,
  sseResponseHeaders,
  versionHeader,
  writeConditions,
} from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { headerTags } from "../http/tagging.ts";
import { expirationHeaders } from "../lifecycle/header.ts";
import { writeLockAttrs } from "../lock/write.ts";
import { storageClassFor } from "../restore/state.ts";
import { writeEncryption } from "./objects-extra/sse.ts";

/** S3's largest single PUT: 5 GiB; larger objects (to 5 TiB) go through multipart upload. */
export const MAX_SINGLE_PUT = 5 * 1024 ** 3;

export async function putObject(r: S3Request): Promise<void> {
  const stored = requestStoredHeaders(r);
  const { sse, attrs: sseAttrs } = writeEncryption(r);
  const conditions = writeConditions(r);
  const tags = headerTags(r);
  const lock = writeLockAttrs(r, bucketOf(r), { body: true });
  const acl = writeAclAttrs(r, bucketOf(r));
  const body = requestBody(r);
  if (body.expectedLength === undefined && header(r, "transfer-encoding") === undefined) {
    throw new S3Error("MissingContentLength");
  }
  checkDeclaredSize(body.expectedLength, MAX_SINGLE_PUT);
  const checksum = requestChecksum(r, body.declaredTrailers, () => body.trailers);
  const rec = await r.engine.putObject({
    bucket: r.bucket!,
    key: r.key!,
    body,
    size: body.expectedLength,
    headers: stored.headers,
    userMeta: stored.userMeta,
    storageClass: storageClassFor(bucketOf(r), stored.storageClass),
    attrs: { ...(tags ? { tags } : {}), ...sseAttrs, ...lock, ...acl },
    sse,
    checksumAlgorithm: checksum.algorithm,
    expected: checksum.expected,
    conditions,
  });
  sendEmpty(r, 200, {
    etag: `"${rec.etag}"`,
    ...versionHeader(bucketOf(r), rec.versionId),
    ...sseResponseHeaders(rec.encryption, rec.attrs),
    ...checksumResponseHeaders(rec.checksum),
    ...expirationHeaders(r, rec, true),
  });
}
