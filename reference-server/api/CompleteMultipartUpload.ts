// CompleteMultipartUpload: the part list (ascending, ETags matching) becomes one object version.

import { checksumHeader, isChecksumAlgorithm } from "../checksums.ts";
import { bucketOf, header, queryValue, readXmlBody, type S3Request, sendXml } from "../http/context.ts";
import { sseResponseHeaders, versionHeader, writeConditions } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { xmlList, xmlText } from "../http/xml.ts";
import { DEFAULT_CHECKSUM_ALGORITHM } from "../storage/body-digests.ts";

/** XML element of a checksum value, e.g. CRC64NVME → ChecksumCRC64NVME. */
export const checksumElement = (alg: string) => `Checksum${alg}`;

export async function completeMultipartUpload(r: S3Request): Promise<void> {
  const uploadId = queryValue(r, "uploadId")!;
  const conditions = writeConditions(r);
  const upload = r.engine.getUpload(r.bucket!, r.key!, uploadId);
  const alg = upload.template.checksum?.algorithm;
  // 10,000 parts of ~200 bytes each fit in 4 MiB.
  const doc = await readXmlBody(r, "CompleteMultipartUpload", 4 << 20);
  const parts = xmlList(doc, "Part").map((p) => {
    const n = xmlText(p, "PartNumber");
    const etag = xmlText(p, "ETag");
    if (n === undefined || !/^\d{1,5}$/.test(n) || etag === undefined) throw new S3Error("MalformedXML");
    return { number: Number(n), etag, checksum: alg ? xmlText(p, checksumElement(alg)) : undefined };
  });
  if (parts.length === 0) {
    throw new S3Error("MalformedXML", {
      message: "The XML you provided was not well-formed or did not validate against our published schema",
    });
  }
  if (parts.length > 10_000) throw new S3Error("MalformedXML");
  // The whole object's checksum (x-amz-checksum-<alg>), which the engine verifies for full-object uploads.
  const objectAlg = alg !== undefined && isChecksumAlgorithm(alg) ? alg : DEFAULT_CHECKSUM_ALGORITHM;
  const sent = header(r, checksumHeader(objectAlg));
  const expectedChecksum = sent === undefined ? undefined : { algorithm: objectAlg, value: sent };
  const rec = await r.engine.completeMultipartUpload({
    bucket: r.bucket!,
    key: r.key!,
    uploadId,
    parts,
    conditions,
    expectedChecksum,
  });
  const body: Record<string, string | undefined> = {
    Location: `/${r.bucket}/${r.key}`,
    Bucket: r.bucket,
    Key: r.key,
    ETag: `"${rec.etag}"`,
  };
  if (rec.checksum?.value && isChecksumAlgorithm(rec.checksum.algorithm)) {
    body[checksumElement(rec.checksum.algorithm)] = rec.checksum.value;
    body.ChecksumType = rec.checksum.type;
  }
  sendXml(r, "CompleteMultipartUploadResult", body, {
    headers: {
      ...versionHeader(bucketOf(r), rec.versionId),
      ...sseResponseHeaders(rec.encryption, rec.attrs),
    },
  });
}
