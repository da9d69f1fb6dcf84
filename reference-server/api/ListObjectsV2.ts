// ListObjectsV2: continuation tokens (opaque: the last key or prefix returned), start-after, fetch-owner.

import { bucketOf, queryValue, type S3Request, sendXml } from "../http/context.ts";
import { encodingOf, maxParam, objectEntry, prefixesXml } from "../http/listing.ts";
import { S3Error } from "../http/s3-error.ts";

export function encodeToken(after: string): string {
  return Buffer.from(after, "utf8").toString("base64url");
}

export function decodeToken(token: string): string {
  const after = Buffer.from(token, "base64url").toString("utf8");
  if (token === "" || encodeToken(after) !== token) {
    throw new S3Error("InvalidArgument", {
      message: "The continuation token provided is incorrect",
      extra: { ArgumentName: "continuation-token" },
    });
  }
  return after;
}

export async function listObjectsV2(r: S3Request): Promise<void> {
  if (queryValue(r, "list-type") !== "2") {
    throw new S3Error("InvalidArgument", {
      message: "Invalid list type",
      extra: { ArgumentName: "list-type", ArgumentValue: queryValue(r, "list-type") ?? "" },
    });
  }
  const prefix = queryValue(r, "prefix") ?? "";
  const delimiter = queryValue(r, "delimiter") || undefined;
  const token = queryValue(r, "continuation-token");
  const startAfter = queryValue(r, "start-after") || undefined;
  const maxKeys = maxParam(r, "max-keys");
  const fetchOwner = queryValue(r, "fetch-owner")?.toLowerCase() === "true";
  const { encode, type } = encodingOf(r);
  // The token wins over start-after (S3 ignores start-after once paging).
  const after = token !== undefined ? decodeToken(token) : startAfter;
  const out = r.engine.listObjects({ bucket: r.bucket!, prefix, delimiter, after, maxKeys });
  const owner = fetchOwner ? bucketOf(r).owner : undefined;
  sendXml(r, "ListBucketResult", {
    Name: r.bucket,
    Prefix: encode(prefix),
    Delimiter: encode(delimiter),
    MaxKeys: maxKeys,
    EncodingType: type,
    KeyCount: out.objects.length + out.commonPrefixes.length,
    IsTruncated: out.isTruncated,
    ContinuationToken: token,
    NextContinuationToken:
      out.isTruncated && out.nextMarker !== undefined ? encodeToken(out.nextMarker) : undefined,
    StartAfter: encode(startAfter),
    Contents: out.objects.map((o) => objectEntry(o, encode, owner)),
    CommonPrefixes: prefixesXml(out.commonPrefixes, encode),
  });
}
