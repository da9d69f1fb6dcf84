// GetObjectAttributes: ETag, checksum, parts, storage class and size of a version, without its data.

import { isChecksumAlgorithm } from "../checksums.ts";
import { bucketOf, header, httpDate, type S3Request, sendXml, versionIdParam } from "../http/context.ts";
import { requestSse, versionHeader } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import type { XmlNode } from "../http/xml.ts";
import { checksumElement } from "./CompleteMultipartUpload.ts";

const ATTRIBUTES = new Set(["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]);

function headerInt(r: S3Request, name: string, dflt: number, min: number, max: number): number {
  const text = header(r, name);
  if (text === undefined || text === "") return dflt;
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new S3Error("InvalidArgument", {
      message: `Invalid ${name} header`,
      extra: { ArgumentName: name, ArgumentValue: text },
    });
  }
  return Number(text);
}

export async function getObjectAttributes(r: S3Request): Promise<void> {
  const wanted = (header(r, "x-amz-object-attributes") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  if (wanted.length === 0) {
    throw new S3Error("InvalidArgument", {
      message:
        "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty",
      extra: { ArgumentName: "x-amz-object-attributes" },
    });
  }
  for (const a of wanted) {
    if (!ATTRIBUTES.has(a)) {
      throw new S3Error("InvalidArgument", {
        message: "Invalid attribute name specified.",
        extra: { ArgumentName: "x-amz-object-attributes", ArgumentValue: a },
      });
    }
  }
  const maxParts = Math.min(headerInt(r, "x-amz-max-parts", 1000, 0, 2 ** 31 - 1), 1000);
  const marker = headerInt(r, "x-amz-part-number-marker", 0, 0, 10_000);
  const rec = r.engine.headObject({
    bucket: r.bucket!,
    key: r.key!,
    versionId: versionIdParam(r),
    sse: requestSse(r, { write: false }),
  });
  const want = new Set(wanted);
  const body: XmlNode = {};
  if (want.has("ETag")) body.ETag = rec.etag;
  const c = rec.checksum;
  if (want.has("Checksum") && c?.value && isChecksumAlgorithm(c.algorithm)) {
    body.Checksum = { [checksumElement(c.algorithm)]: c.value, ChecksumType: c.type };
  }
  if (want.has("ObjectParts") && rec.multipart) {
    const after = rec.parts.filter((p) => p.number > marker);
    const page = after.slice(0, maxParts);
    body.ObjectParts = {
      PartsCount: rec.parts.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].number : marker,
      MaxParts: maxParts,
      IsTruncated: after.length > page.length,
      Part: page.map((p) => {
        const node: XmlNode = { PartNumber: p.number, Size: p.size };
        for (const [alg, value] of Object.entries(p.checksums ?? {})) {
          if (isChecksumAlgorithm(alg)) node[checksumElement(alg)] = value;
        }
        return node;
      }),
    };
  }
  if (want.has("StorageClass")) body.StorageClass = rec.storageClass;
  if (want.has("ObjectSize")) body.ObjectSize = rec.size;
  sendXml(r, "GetObjectAttributesResponse", body, {
    headers: { "last-modified": httpDate(rec.modTime), ...versionHeader(bucketOf(r), rec.versionId) },
  });
}
