// GetObjectTagging: a version's tag set.

import { bucketOf, type S3Request, sendXml, versionIdParam } from "../http/context.ts";
import { versionHeader } from "../http/object-headers.ts";
import { taggedVersion, tagsOf } from "../http/tagging.ts";

export async function getObjectTagging(r: S3Request): Promise<void> {
  const rec = taggedVersion(r, versionIdParam(r));
  sendXml(
    r,
    "Tagging",
    { TagSet: { Tag: tagsOf(rec).map(([Key, Value]) => ({ Key, Value })) } },
    { headers: versionHeader(bucketOf(r), rec.versionId) },
  );
}
