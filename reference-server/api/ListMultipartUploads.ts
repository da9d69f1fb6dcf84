// ListMultipartUploads: uploads in progress, by key then initiation, with prefix/delimiter and markers.

import { queryValue, type S3Request, sendXml } from "../http/context.ts";
import { encodingOf, maxParam, ownerXml, prefixesXml } from "../http/listing.ts";
import { isoDate } from "../http/xml.ts";

export async function listMultipartUploads(r: S3Request): Promise<void> {
  const prefix = queryValue(r, "prefix") ?? "";
  const delimiter = queryValue(r, "delimiter") || undefined;
  const keyMarker = queryValue(r, "key-marker") || undefined;
  // S3 ignores upload-id-marker without key-marker.
  const uploadIdMarker = keyMarker ? queryValue(r, "upload-id-marker") || undefined : undefined;
  const maxUploads = maxParam(r, "max-uploads");
  const { encode, type } = encodingOf(r);
  const out = r.engine.listMultipartUploads({
    bucket: r.bucket!,
    prefix,
    delimiter,
    keyMarker,
    uploadIdMarker,
    maxUploads,
  });
  const owner = r.bucketRecord?.owner ?? r.principal;
  sendXml(r, "ListMultipartUploadsResult", {
    Bucket: r.bucket,
    KeyMarker: encode(keyMarker ?? ""),
    UploadIdMarker: uploadIdMarker ?? "",
    NextKeyMarker: encode(out.nextKeyMarker ?? ""),
    NextUploadIdMarker: out.nextUploadIdMarker ?? "",
    Prefix: encode(prefix),
    Delimiter: encode(delimiter),
    MaxUploads: maxUploads,
    EncodingType: type,
    IsTruncated: out.isTruncated,
    Upload: out.uploads.map((u) => ({
      Key: encode(u.key),
      UploadId: u.uploadId,
      Initiator: ownerXml(owner),
      Owner: ownerXml(owner),
      StorageClass: u.template.storageClass,
      Initiated: isoDate(u.initiated),
      ChecksumAlgorithm: u.template.checksum?.algorithm,
      ChecksumType: u.template.checksum?.type,
    })),
    CommonPrefixes: prefixesXml(out.commonPrefixes, encode),
  });
}
