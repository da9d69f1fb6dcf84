// DeleteObjectTagging: remove every tag of a version.

import { bucketOf, type S3Request, sendEmpty, versionIdParam } from "../http/context.ts";
import { versionHeader } from "../http/object-headers.ts";
import { taggedVersion } from "../http/tagging.ts";

export async function deleteObjectTagging(r: S3Request): Promise<void> {
  const target = taggedVersion(r, versionIdParam(r));
  const rec = await r.engine.updateVersion(r.bucket!, r.key!, target.versionId, (v) => {
    const { tags: _, ...attrs } = v.attrs;
    return { ...v, attrs };
  });
  sendEmpty(r, 204, versionHeader(bucketOf(r), rec.versionId));
}
