// GetBucketTagging: the bucket's tag set, or NoSuchTagSet when it has none.

import { storedConfig } from "../../config/document.ts";
import { type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { TagSet } from "../../http/tagging.ts";

export async function getBucketTagging(r: S3Request): Promise<void> {
  const tags = storedConfig<TagSet>(r, "tags");
  if (!tags || tags.length === 0) throw new S3Error("NoSuchTagSet");
  sendXml(r, "Tagging", { TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } });
}
