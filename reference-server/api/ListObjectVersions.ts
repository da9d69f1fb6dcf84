// ListObjectVersions (?versions): every version and delete marker, key by key (keys in UTF-8 byte order,
// versions newest first), paged with key-marker / version-id-marker, folded by prefix and delimiter.

import { bucketOf, invalidVersionId, isVersionId, queryValue, type S3Request } from "../http/context.ts";
import { encodingOf, maxParam, ownerXml, prefixesXml } from "../http/listing.ts";
import { S3Error } from "../http/s3-error.ts";
import { buildXml, buildXmlElement, isoDate } from "../http/xml.ts";

const ROOT = "ListVersionsResult";

export async function listObjectVersions(r: S3Request): Promise<void> {
  const prefix = queryValue(r, "prefix") ?? "";
  const delimiter = queryValue(r, "delimiter") || undefined;
  const keyMarker = queryValue(r, "key-marker") ?? "";
  const versionIdMarker = queryValue(r, "version-id-marker") ?? "";
  const maxKeys = maxParam(r, "max-keys");
  const { encode, type } = encodingOf(r);
  if (versionIdMarker !== "") {
    if (keyMarker === "") {
      throw new S3Error("InvalidArgument", {
        message: "A version-id marker cannot be specified without a key marker.",
        extra: { ArgumentName: "version-id-marker", ArgumentValue: versionIdMarker },
      });
    }
    if (!isVersionId(versionIdMarker)) throw invalidVersionId(versionIdMarker, "version-id-marker");
  }
  const out = r.engine.listObjectVersions({
    bucket: r.bucket!,
    prefix,
    delimiter,
    keyMarker: keyMarker || undefined,
    versionIdMarker: versionIdMarker || undefined,
    maxKeys,
  });
  const owner = ownerXml(bucketOf(r).owner);
  const head = buildXml(ROOT, {
    Name: r.bucket,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: out.isTruncated ? encode(out.nextKeyMarker) : undefined,
    NextVersionIdMarker: out.isTruncated ? out.nextVersionIdMarker : undefined,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: out.isTruncated,
    EncodingType: type,
  });
  // Versions and delete markers keep the listing's order (one key's history reads newest first).
  const entries = out.versions.map((v) =>
    v.deleteMarker
      ? buildXmlElement("DeleteMarker", {
          Key: encode(v.key),
          VersionId: v.versionId,
          IsLatest: v.isLatest,
          LastModified: isoDate(v.modTime),
          Owner: owner,
        })
      : buildXmlElement("Version", {
          Key: encode(v.key),
          VersionId: v.versionId,
          IsLatest: v.isLatest,
          LastModified: isoDate(v.modTime),
          ETag: `"${v.etag}"`,
          ChecksumAlgorithm: v.checksum?.algorithm,
          ChecksumType: v.checksum?.type,
          Size: v.size,
          StorageClass: v.storageClass,
          Owner: owner,
        }),
  );
  const prefixes = prefixesXml(out.commonPrefixes, encode).map((p) => buildXmlElement("CommonPrefixes", p));
  const close = `</${ROOT}>`;
  const xml = Buffer.from(
    `${head.slice(0, head.length - close.length)}${entries.join("")}${prefixes.join("")}${close}`,
    "utf8",
  );
  r.res.writeHead(200, { "content-type": "application/xml", "content-length": String(xml.length) });
  r.res.end(xml);
}
