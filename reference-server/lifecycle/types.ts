// A bucket's lifecycle configuration as stored in its record (`attrs.lifecycle`): plain JSON, validated
// once by document.ts when it is put, read back defensively here.

import type { BucketRecord } from "../storage/index-db.ts";

export const LIFECYCLE_ATTR = "lifecycle";

/** The values of x-amz-transition-default-minimum-object-size; AWS's default is the 128 KiB one. */
export const MIN_SIZE_VALUES = ["all_storage_classes_128K", "varies_by_storage_class"] as const;
export type MinObjectSize = (typeof MIN_SIZE_VALUES)[number];

/**
 * A rule's filter. `form` remembers how it was written (AWS returns the same shape): an empty
 * `<Filter/>`, one of its single conditions, `<And>`, or the legacy `<Prefix>` directly in the rule.
 */
export interface RuleFilter {
  form: "empty" | "prefix" | "tag" | "size-gt" | "size-lt" | "and" | "legacy";
  prefix?: string;
  tags?: [string, string][];
  sizeGreaterThan?: number;
  sizeLessThan?: number;
}

export interface Transition {
  days?: number;
  /** ms since epoch, midnight UTC. */
  date?: number;
  storageClass: string;
}

export interface NoncurrentTransition {
  noncurrentDays: number;
  storageClass: string;
  newerNoncurrentVersions?: number;
}

export interface LifecycleRule {
  id: string;
  status: "Enabled" | "Disabled";
  filter: RuleFilter;
  expiration?: { days?: number; date?: number; expiredObjectDeleteMarker?: boolean };
  transitions: Transition[];
  noncurrentTransitions: NoncurrentTransition[];
  noncurrentExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUploadDays?: number;
}

export interface LifecycleConfig {
  rules: LifecycleRule[];
  minObjectSize: MinObjectSize;
}

/** The bucket's configuration, or undefined when it has none. */
export function lifecycleOf(bucket: Pick<BucketRecord, "attrs">): LifecycleConfig | undefined {
  const c = bucket.attrs[LIFECYCLE_ATTR] as Partial<LifecycleConfig> | undefined;
  if (!c || !Array.isArray(c.rules) || c.rules.length === 0) return undefined;
  return {
    rules: c.rules,
    minObjectSize: MIN_SIZE_VALUES.includes(c.minObjectSize as MinObjectSize)
      ? (c.minObjectSize as MinObjectSize)
      : "all_storage_classes_128K",
  };
}
