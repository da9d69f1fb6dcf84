// PutBucketTagging: replaces the bucket's tag set (up to 50 tags, S3's tag characters, unique keys;
// Content-MD5 or a checksum required). An empty TagSet leaves the bucket without tags.

import { readConfig, storeConfig } from "../../config/document.ts";
import { child, children } from "../../config/shape.ts";
import { TAGGING } from "../../config/shapes.ts";
import { tagSetOf } from "../../config/tags.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function putBucketTagging(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "Tagging", TAGGING, true);
  const tags = tagSetOf(children(child(doc, "TagSet"), "Tag"), "bucket");
  // Kept as [key, value] pairs like object tags (attrs.tags), for the access rules that read them.
  await storeConfig(r, "tags", tags.length === 0 ? undefined : tags);
  sendEmpty(r, 204);
}
