// ListObjects (v1): marker-based listing; NextMarker only when a delimiter is given, as S3 does.

import { bucketOf, queryValue, type S3Request, sendXml } from "../http/context.ts";
import { encodingOf, maxParam, objectEntry, prefixesXml } from "../http/listing.ts";

export async function listObjects(r: S3Request): Promise<void> {
  const prefix = queryValue(r, "prefix") ?? "";
  const delimiter = queryValue(r, "delimiter") || undefined;
  const marker = queryValue(r, "marker") || undefined;
  const maxKeys = maxParam(r, "max-keys");
  const { encode, type } = encodingOf(r);
  const out = r.engine.listObjects({ bucket: r.bucket!, prefix, delimiter, after: marker, maxKeys });
  const owner = bucketOf(r).owner;
  sendXml(r, "ListBucketResult", {
    Name: r.bucket,
    Prefix: encode(prefix),
    Marker: encode(marker ?? ""),
    NextMarker: out.isTruncated && delimiter !== undefined ? encode(out.nextMarker) : undefined,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: out.isTruncated,
    EncodingType: type,
    Contents: out.objects.map((o) => objectEntry(o, encode, owner)),
    CommonPrefixes: prefixesXml(out.commonPrefixes, encode),
  });
}
