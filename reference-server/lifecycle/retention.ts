// The console's single retention setting ("keep objects N days", 0 = forever) as one lifecycle rule, so
// the same scanner and the same S3 view (GetBucketLifecycleConfiguration) serve both.

import type { LifecycleConfig, LifecycleRule } from "./types.ts";

export const RETENTION_RULE_ID = "parity-retention";
/** A hundred years: far beyond any retention a console offers, well inside S3's integer days. */
export const MAX_RETENTION_DAYS = 36_500;

/** The days the retention rule keeps objects, 0 when there is none (or it is disabled). */
export function retentionDays(config: LifecycleConfig | undefined): number {
  const rule = config?.rules.find((r) => r.id === RETENTION_RULE_ID);
  if (rule?.status !== "Enabled") return 0;
  return rule.expiration?.days ?? 0;
}

/** The rule: every object, current versions N days after creation, noncurrent ones N days after. */
export function retentionRule(days: number): LifecycleRule {
  return {
    id: RETENTION_RULE_ID,
    status: "Enabled",
    filter: { form: "prefix", prefix: "" },
    expiration: { days },
    transitions: [],
    noncurrentTransitions: [],
    noncurrentExpiration: { noncurrentDays: days },
  };
}

/**
 * The configuration with the retention set to `days`: the rule replaced in place, added last, or removed
 * (0); other rules are kept. Undefined when no rule is left.
 */
export function withRetention(
  config: LifecycleConfig | undefined,
  days: number,
): LifecycleConfig | undefined {
  const others = config?.rules ?? [];
  const at = others.findIndex((r) => r.id === RETENTION_RULE_ID);
  const rules = others.filter((r) => r.id !== RETENTION_RULE_ID);
  if (days > 0) rules.splice(at < 0 ? rules.length : at, 0, retentionRule(days));
  if (rules.length === 0) return undefined;
  return { rules, minObjectSize: config?.minObjectSize ?? "all_storage_classes_128K" };
}
