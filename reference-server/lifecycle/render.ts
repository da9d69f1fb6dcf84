// The LifecycleConfiguration document as GetBucketLifecycleConfiguration answers it: in the shape it was
// put (legacy Prefix or Filter, the same filter form), elements in AWS's order.

import { isoDate, type XmlNode } from "../http/xml.ts";
import type { LifecycleConfig, LifecycleRule, RuleFilter } from "./types.ts";

const dateText = (ms: number) => isoDate(ms);

function renderTag([Key, Value]: [string, string]): XmlNode {
  return { Key, Value };
}

function renderFilter(f: RuleFilter): XmlNode {
  switch (f.form) {
    case "empty":
      return {};
    case "prefix":
      return { Prefix: f.prefix ?? "" };
    case "tag":
      return { Tag: renderTag(f.tags![0]) };
    case "size-gt":
      return { ObjectSizeGreaterThan: f.sizeGreaterThan };
    case "size-lt":
      return { ObjectSizeLessThan: f.sizeLessThan };
    default:
      return {
        And: {
          Prefix: f.prefix,
          Tag: (f.tags ?? []).map(renderTag),
          ObjectSizeGreaterThan: f.sizeGreaterThan,
          ObjectSizeLessThan: f.sizeLessThan,
        },
      };
  }
}

function renderRule(r: LifecycleRule): XmlNode {
  const e = r.expiration;
  const nve = r.noncurrentExpiration;
  return {
    ID: r.id,
    ...(r.filter.form === "legacy" ? { Prefix: r.filter.prefix ?? "" } : { Filter: renderFilter(r.filter) }),
    Status: r.status,
    Transition: r.transitions.map((t) => ({
      Date: t.date === undefined ? undefined : dateText(t.date),
      Days: t.days,
      StorageClass: t.storageClass,
    })),
    NoncurrentVersionTransition: r.noncurrentTransitions.map((t) => ({
      NoncurrentDays: t.noncurrentDays,
      StorageClass: t.storageClass,
      NewerNoncurrentVersions: t.newerNoncurrentVersions,
    })),
    Expiration: e && {
      Date: e.date === undefined ? undefined : dateText(e.date),
      Days: e.days,
      ExpiredObjectDeleteMarker: e.expiredObjectDeleteMarker,
    },
    NoncurrentVersionExpiration: nve && {
      NoncurrentDays: nve.noncurrentDays,
      NewerNoncurrentVersions: nve.newerNoncurrentVersions,
    },
    AbortIncompleteMultipartUpload:
      r.abortIncompleteMultipartUploadDays === undefined
        ? undefined
        : { DaysAfterInitiation: r.abortIncompleteMultipartUploadDays },
  };
}

/** The body of GetBucketLifecycleConfiguration (root LifecycleConfiguration). */
export function renderLifecycle(c: LifecycleConfig): XmlNode {
  return { Rule: c.rules.map(renderRule) };
}
