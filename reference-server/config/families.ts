// The four id-keyed configuration families and their rules beyond the schema.

import type { XmlNode } from "../http/xml.ts";
import { invalidArgument } from "./document.ts";
import type { IdFamily } from "./id-configs.ts";
import { child, children, text } from "./shape.ts";
import { ANALYTICS, INTELLIGENT_TIERING, INVENTORY, METRICS } from "./shapes.ts";
import { checkFilterTags } from "./tags.ts";

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;

/** An export destination must name a bucket by ARN (`arn:aws:s3:::name`). */
export function checkBucketArn(value: string | undefined, argument: string): string {
  const m = BUCKET_ARN.exec(value ?? "");
  if (!m) throw invalidArgument("Invalid bucket ARN", argument, value ?? "");
  return m[1];
}

export const ANALYTICS_FAMILY: IdFamily = {
  attr: "analytics",
  root: "AnalyticsConfiguration",
  shape: ANALYTICS,
  listRoot: "ListBucketAnalyticsConfigurationResult",
  listFirst: false,
  validate(config) {
    checkFilterTags(child(config, "Filter"));
    const dest = child(
      child(child(child(config, "StorageClassAnalysis"), "DataExport"), "Destination"),
      "S3BucketDestination",
    );
    if (dest) checkBucketArn(text(dest, "Bucket"), "Bucket");
  },
};

export const INVENTORY_FAMILY: IdFamily = {
  attr: "inventory",
  root: "InventoryConfiguration",
  shape: INVENTORY,
  listRoot: "ListInventoryConfigurationsResult",
  listFirst: true,
  validate(config) {
    const dest = child(child(config, "Destination"), "S3BucketDestination");
    checkBucketArn(text(dest, "Bucket"), "Bucket");
    const enc = child(dest, "Encryption");
    if (enc && Object.keys(enc).length === 0) {
      throw invalidArgument("Inventory encryption must name SSE-S3 or SSE-KMS", "Encryption", "");
    }
    const fields = (child(config, "OptionalFields")?.Field ?? []) as string[];
    const dup = fields.find((f, i) => fields.indexOf(f) !== i);
    if (dup !== undefined) throw invalidArgument("Duplicate optional field", "Field", dup);
  },
};

export const METRICS_FAMILY: IdFamily = {
  attr: "metrics",
  root: "MetricsConfiguration",
  shape: METRICS,
  listRoot: "ListMetricsConfigurationsResult",
  listFirst: false,
  validate(config) {
    checkFilterTags(child(config, "Filter"));
  },
};

// Each archive tier has its own window of days since last access (AWS's documented limits).
const TIER_DAYS: Record<string, readonly [number, number]> = {
  ARCHIVE_ACCESS: [90, 730],
  DEEP_ARCHIVE_ACCESS: [180, 730],
};

export const INTELLIGENT_TIERING_FAMILY: IdFamily = {
  attr: "intelligentTiering",
  root: "IntelligentTieringConfiguration",
  shape: INTELLIGENT_TIERING,
  listRoot: "ListBucketIntelligentTieringConfigurationsOutput",
  listFirst: false,
  validate(config) {
    checkFilterTags(child(config, "Filter"));
    const tiers = children(config, "Tiering");
    const seen = new Set<string>();
    for (const t of tiers) checkTier(t, seen);
    const days = (tier: string) => tiers.find((t) => text(t, "AccessTier") === tier)?.Days as number;
    if (seen.size === 2 && days("DEEP_ARCHIVE_ACCESS") <= days("ARCHIVE_ACCESS")) {
      throw invalidArgument(
        "The DEEP_ARCHIVE_ACCESS tier must have more days than the ARCHIVE_ACCESS tier",
        "Days",
        String(days("DEEP_ARCHIVE_ACCESS")),
      );
    }
  },
};

function checkTier(t: XmlNode, seen: Set<string>): void {
  const tier = text(t, "AccessTier")!;
  const days = t.Days as number;
  if (seen.has(tier)) throw invalidArgument("Cannot specify the same access tier twice", "AccessTier", tier);
  seen.add(tier);
  const [min, max] = TIER_DAYS[tier];
  if (days < min || days > max) {
    throw invalidArgument(
      `The days for the ${tier} tier must be between ${min} and ${max}`,
      "Days",
      String(days),
    );
  }
}
