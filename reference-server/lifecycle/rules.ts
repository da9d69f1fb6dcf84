// What a lifecycle configuration means for one version: which rules match it, when it expires (AWS's
// day rounding), and the x-amz-expiration header that announces it.

import { tagsOf } from "../http/tagging.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { type LifecycleConfig, type LifecycleRule, lifecycleOf } from "./types.ts";

export const DAY_MS = 86_400_000;

/**
 * When something `days` old by S3's count expires: the creation time plus the days, rounded up to the
 * next midnight UTC (created 2014-01-15 10:30 with 3 days → 2014-01-19 00:00).
 */
export function expiryAt(since: number, days: number): number {
  return Math.floor(since / DAY_MS) * DAY_MS + (days + 1) * DAY_MS;
}

/** Does the rule's filter select this version (key, size and tags)? */
export function ruleMatches(
  rule: LifecycleRule,
  v: Pick<ObjectVersionRecord, "key" | "size" | "attrs" | "deleteMarker">,
): boolean {
  const f = rule.filter;
  if (f.prefix !== undefined && !v.key.startsWith(f.prefix)) return false;
  if (f.tags && f.tags.length > 0) {
    // Delete markers carry no tags: a tag filter never selects one.
    if (v.deleteMarker) return false;
    const have = new Map(tagsOf(v));
    if (!f.tags.every(([k, val]) => have.get(k) === val)) return false;
  }
  if (f.sizeGreaterThan !== undefined && !(v.size > f.sizeGreaterThan)) return false;
  if (f.sizeLessThan !== undefined && !(v.size < f.sizeLessThan)) return false;
  return true;
}

export function enabledRules(c: LifecycleConfig | undefined): LifecycleRule[] {
  return c ? c.rules.filter((r) => r.status === "Enabled") : [];
}

/**
 * The earliest expiry of a current (non-marker) version under the enabled Expiration Days/Date rules
 * that match it, with the rule that sets it.
 */
export function currentExpiry(
  rules: readonly LifecycleRule[],
  v: ObjectVersionRecord,
): { at: number; ruleId: string } | undefined {
  if (v.deleteMarker) return undefined;
  let best: { at: number; ruleId: string } | undefined;
  for (const r of rules) {
    const e = r.expiration;
    if (!e || (e.days === undefined && e.date === undefined) || !ruleMatches(r, v)) continue;
    // A date rule expires every matching object from that date on, older or newer.
    const at = e.days !== undefined ? expiryAt(v.modTime, e.days) : e.date!;
    if (!best || at < best.at) best = { at, ruleId: r.id };
  }
  return best;
}

/**
 * `x-amz-expiration: expiry-date="...", rule-id="..."` for the current version of an object when an
 * Expiration rule applies to it (rule-id URL-encoded, as AWS sends it); nothing otherwise.
 */
export function expirationHeader(
  bucket: BucketRecord,
  v: ObjectVersionRecord,
  isLatest: boolean,
): Record<string, string> {
  if (!isLatest) return {};
  const exp = currentExpiry(enabledRules(lifecycleOf(bucket)), v);
  if (!exp) return {};
  const date = new Date(exp.at).toUTCString();
  return { "x-amz-expiration": `expiry-date="${date}", rule-id="${encodeURIComponent(exp.ruleId)}"` };
}

/**
 * When an incomplete multipart upload is aborted: the earliest of the enabled
 * AbortIncompleteMultipartUpload rules whose prefix matches its key (uploads have no size or tags yet,
 * and tag filters are refused with this action), DaysAfterInitiation after initiation, rounded as above.
 */
export function uploadAbortAt(
  rules: readonly LifecycleRule[],
  key: string,
  initiated: number,
): { at: number; ruleId: string } | undefined {
  let best: { at: number; ruleId: string } | undefined;
  for (const r of rules) {
    const days = r.abortIncompleteMultipartUploadDays;
    if (days === undefined || (r.filter.prefix !== undefined && !key.startsWith(r.filter.prefix))) continue;
    const at = expiryAt(initiated, days);
    if (!best || at < best.at) best = { at, ruleId: r.id };
  }
  return best;
}
