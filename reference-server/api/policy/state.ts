// Where the policy area keeps its configuration in a bucket record, and the public access block it
// obeys (stored by the access area in attrs.publicAccessBlock).

import type { BucketRecord } from "../../storage/index-db.ts";

/** The policy document exactly as PutBucketPolicy received it. */
export function policyText(b: BucketRecord): string | undefined {
  const v = b.attrs.policy;
  return typeof v === "string" ? v : undefined;
}

export type AbacStatus = "Enabled" | "Disabled";

export function abacStatus(b: BucketRecord): AbacStatus {
  return b.attrs.abac === "Enabled" ? "Enabled" : "Disabled";
}

/** PutPublicAccessBlock's BlockPublicPolicy on this bucket. */
export function blocksPublicPolicy(b: BucketRecord): boolean {
  const pab = b.attrs.publicAccessBlock;
  return (
    typeof pab === "object" && pab !== null && (pab as Record<string, unknown>).BlockPublicPolicy === true
  );
}
