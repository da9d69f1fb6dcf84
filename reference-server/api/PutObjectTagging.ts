// PutObjectTagging: replace a version's tag set (metadata only; the data is not touched).

import { bucketOf, readSmallBody, type S3Request, sendEmpty, versionIdParam } from "../http/context.ts";
import { verifyDocumentDigests, versionHeader } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { type TagSet, taggedVersion, validateTags } from "../http/tagging.ts";
import { parseXml, xmlList, xmlText } from "../http/xml.ts";

export async function putObjectTagging(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, true);
  const doc = parseXml(data.toString("utf8"), "Tagging");
  const set = doc.TagSet;
  if (set === undefined) throw new S3Error("MalformedXML");
  const tags: TagSet = xmlList(
    typeof set === "object" && set !== null ? (set as Record<string, unknown>) : {},
    "Tag",
  ).map((t) => {
    const k = xmlText(t, "Key");
    if (k === undefined) throw new S3Error("MalformedXML");
    return [k, xmlText(t, "Value") ?? ""];
  });
  validateTags(tags);
  const target = taggedVersion(r, versionId);
  const rec = await r.engine.updateVersion(r.bucket!, r.key!, target.versionId, (v) => ({
    ...v,
    attrs: { ...v.attrs, tags },
  }));
  sendEmpty(r, 200, versionHeader(bucketOf(r), rec.versionId));
}
