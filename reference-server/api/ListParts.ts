// ListParts: the parts uploaded so far, paged by part number.

import { isChecksumAlgorithm } from "../checksums.ts";
import { intParam, queryValue, type S3Request, sendXml } from "../http/context.ts";
import { maxParam, ownerXml } from "../http/listing.ts";
import { isoDate, type XmlNode } from "../http/xml.ts";
import { abortHeaders } from "../lifecycle/header.ts";
import { checksumElement } from "./CompleteMultipartUpload.ts";

export async function listParts(r: S3Request): Promise<void> {
  const uploadId = queryValue(r, "uploadId")!;
  const marker = intParam(r, "part-number-marker", 0, 0, 10_000);
  const maxParts = maxParam(r, "max-parts");
  const out = r.engine.listParts(r.bucket!, r.key!, uploadId, marker, maxParts);
  const owner = r.bucketRecord?.owner ?? r.principal;
  const c = out.upload.template.checksum;
  for (const [name, value] of Object.entries(abortHeaders(r, r.key!, out.upload.initiated)))
    r.res.setHeader(name, value);
  sendXml(r, "ListPartsResult", {
    Bucket: r.bucket,
    Key: r.key,
    UploadId: uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: out.nextPartNumberMarker ?? marker,
    MaxParts: maxParts,
    IsTruncated: out.isTruncated,
    Part: out.parts.map((p) => {
      const node: XmlNode = {
        PartNumber: p.number,
        LastModified: isoDate(p.lastModified),
        ETag: `"${p.etag}"`,
        Size: p.size,
      };
      for (const [alg, value] of Object.entries(p.checksums ?? {})) {
        if (isChecksumAlgorithm(alg)) node[checksumElement(alg)] = value;
      }
      return node;
    }),
    Initiator: ownerXml(owner),
    Owner: ownerXml(owner),
    StorageClass: out.upload.template.storageClass,
    ChecksumAlgorithm: c?.algorithm,
    ChecksumType: c?.type,
  });
}
