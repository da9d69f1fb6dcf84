// Tags inside bucket configurations: bucket tagging (50 tags) and the Tag / And filters of analytics,
// metrics, intelligent-tiering and replication rules. Characters and lengths are S3's tag rules, shared
// with object tagging (http/tagging.ts); only the limits and wording differ for buckets.

import { S3Error } from "../http/s3-error.ts";
import { type TagSet, validateTags } from "../http/tagging.ts";
import type { XmlNode } from "../http/xml.ts";
import { child, children, text } from "./shape.ts";

export const MAX_BUCKET_TAGS = 50;

/** Tag elements (already shape-checked) as a tag set, each tag checked with S3's character rules. */
export function tagSetOf(tags: readonly XmlNode[], what: "bucket" | "filter"): TagSet {
  const set: TagSet = tags.map((t) => [text(t, "Key") ?? "", text(t, "Value") ?? ""]);
  if (what === "bucket" && set.length > MAX_BUCKET_TAGS) {
    throw new S3Error("BadRequest", {
      message: `Bucket tag count cannot be greater than ${MAX_BUCKET_TAGS}`,
    });
  }
  const seen = new Set<string>();
  for (const [k, v] of set) {
    // aws: keys are the system's; AWS words the refusal differently for buckets than for objects.
    if (what === "bucket" && k.toLowerCase().startsWith("aws:")) {
      throw new S3Error("InvalidTag", { message: "System tags cannot be added/updated by requester" });
    }
    validateTags([[k, v]]);
    if (seen.has(k)) {
      throw new S3Error("InvalidTag", { message: "Cannot provide multiple Tags with the same key" });
    }
    seen.add(k);
  }
  return set;
}

/** The tags of a filter (`Tag`, or `And` with `Tag`s), validated. */
export function checkFilterTags(filter: XmlNode | undefined): void {
  if (!filter) return;
  const single = child(filter, "Tag");
  if (single) tagSetOf([single], "filter");
  tagSetOf(children(child(filter, "And"), "Tag"), "filter");
}
