// Catalog rows: buckets.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";

export const BUCKETS = [
  // ── buckets ────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "CreateBucket",
    scope: "core",
    area: "buckets",
    reason: "Creating a bucket is the first step of every S3 workflow",
    checks: [
      "create-bucket.creates",
      "create-bucket.already-owned-by-you",
      "create-bucket.name-taken-by-other-account",
      "create-bucket.invalid-name",
      "create-bucket.location-constraint",
      "create-bucket.holds-999-buckets",
    ],
  },
  {
    operation: "DeleteBucket",
    scope: "core",
    area: "buckets",
    reason: "Bucket CRUD: every S3 service must let an owner remove an empty bucket",
    checks: [
      "delete-bucket.deletes-empty",
      "delete-bucket.not-empty-refused",
      "delete-bucket.no-such-bucket",
      "delete-bucket.other-account-refused",
    ],
  },
  {
    operation: "HeadBucket",
    scope: "core",
    area: "buckets",
    reason: "SDKs and tools probe bucket existence and access with it",
    checks: [
      "head-bucket.exists-with-region",
      "head-bucket.no-such-bucket",
      "head-bucket.other-account-forbidden",
      "head-bucket.tls-legacy-versions-refused",
    ],
  },
  {
    operation: "ListBuckets",
    scope: "core",
    area: "buckets",
    reason: "The first call of most clients; it also carries the signature refusal checks",
    checks: [
      "list-buckets.lists-own-buckets",
      "list-buckets.excludes-other-accounts",
      "list-buckets.pagination",
      "list-buckets.prefix-filter",
      "list-buckets.sigv4-bad-signature-refused",
      "list-buckets.sigv4-unknown-access-key-refused",
      "list-buckets.sigv4-request-time-skew-refused",
      "list-buckets.sigv2-served-or-cleanly-refused",
      "list-buckets.sigv2-forged-refused",
    ],
  },
  {
    operation: "GetBucketLocation",
    scope: "core",
    area: "buckets",
    reason: "SDKs resolve a bucket's region with it before signing",
    checks: ["get-bucket-location.returns-region", "get-bucket-location.no-such-bucket"],
  },
  {
    operation: "ListDirectoryBuckets",
    scope: "aws-only",
    area: "buckets",
    reason:
      "Directory buckets are S3 Express One Zone, an AWS zonal storage class; a general-purpose service " +
      "answers with what AWS gives outside it",
    checks: ["list-directory-buckets.general-purpose-answer"],
  },
  {
    operation: "CreateSession",
    scope: "aws-only",
    area: "sigv4",
    reason:
      "Session credentials exist only for S3 Express One Zone directory buckets; a general-purpose " +
      "bucket gets AWS's refusal",
    checks: ["create-session.general-purpose-bucket-answer"],
  },
] as const satisfies readonly CatalogEntry[];
