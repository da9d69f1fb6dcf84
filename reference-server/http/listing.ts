// Shared pieces of the listing actions: encoding-type=url, max-keys, and the XML of one object entry.

import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { intParam, queryValue, type S3Request } from "./context.ts";
import { S3Error } from "./s3-error.ts";
import { isoDate, type XmlNode } from "./xml.ts";

/** S3's encoding-type=url: form-style percent-encoding ('+' for space), '/' kept. */
export function s3UrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, "/")
    .replace(/%20/g, "+");
}

/** The encoder a listing applies to keys and prefixes it returns. */
export function encodingOf(r: S3Request): {
  encode: (s: string | undefined) => string | undefined;
  type?: string;
} {
  const type = queryValue(r, "encoding-type");
  if (type === undefined) return { encode: (s) => s };
  if (type.toLowerCase() !== "url") {
    throw new S3Error("InvalidArgument", {
      message: "Invalid Encoding Method specified in Request",
      extra: { ArgumentName: "encoding-type", ArgumentValue: type },
    });
  }
  return { encode: (s) => (s === undefined ? undefined : s3UrlEncode(s)), type: "url" };
}

/** max-keys / max-uploads / max-parts: a non-negative integer, capped at 1000 as S3 does. */
export function maxParam(r: S3Request, name: string): number {
  return Math.min(intParam(r, name, 1000, 0, 2 ** 31 - 1), 1000);
}

export function ownerXml(principal: string): XmlNode {
  return { ID: principal, DisplayName: principal };
}

export function objectEntry(
  rec: ObjectVersionRecord,
  encode: (s: string) => string | undefined,
  owner?: string,
): XmlNode {
  return {
    Key: encode(rec.key),
    LastModified: isoDate(rec.modTime),
    ETag: `"${rec.etag}"`,
    ChecksumAlgorithm: rec.checksum?.algorithm,
    ChecksumType: rec.checksum?.type,
    Size: rec.size,
    StorageClass: rec.storageClass,
    Owner: owner === undefined ? undefined : ownerXml(owner),
  };
}

/** Common prefixes as S3 nests them. */
export function prefixesXml(prefixes: string[], encode: (s: string) => string | undefined): XmlNode[] {
  return prefixes.map((p) => ({ Prefix: encode(p) }));
}
