// Catalog rows: lifecycle and encryption.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";

export const LIFECYCLE_ENCRYPTION = [
  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketLifecycleConfiguration",
    scope: "extended",
    area: "lifecycle",
    reason: "Expiration and cleanup rules run by the service; complete services have them",
    checks: [
      "put-bucket-lifecycle-configuration.roundtrip",
      "put-bucket-lifecycle-configuration.filter-forms",
      "put-bucket-lifecycle-configuration.actions-roundtrip",
      "put-bucket-lifecycle-configuration.replaces-configuration",
      "put-bucket-lifecycle-configuration.invalid-rule-refused",
      "put-bucket-lifecycle-configuration.duplicate-id-refused",
      "put-bucket-lifecycle-configuration.id-too-long-refused",
      "put-bucket-lifecycle-configuration.days-must-be-positive",
      "put-bucket-lifecycle-configuration.abort-upload-with-tags-refused",
      "put-bucket-lifecycle-configuration.transition-minimum-size-header",
      "put-bucket-lifecycle-configuration.expiration-header",
      "put-bucket-lifecycle-configuration.abort-date-header",
    ],
  },
  {
    operation: "GetBucketLifecycleConfiguration",
    scope: "extended",
    area: "lifecycle",
    reason: "Read side of lifecycle, scoped with its write side",
    checks: [
      "get-bucket-lifecycle-configuration.returns-rules",
      "get-bucket-lifecycle-configuration.not-configured",
      "get-bucket-lifecycle-configuration.generated-id",
    ],
  },
  {
    operation: "DeleteBucketLifecycle",
    scope: "extended",
    area: "lifecycle",
    reason: "Delete side of lifecycle, scoped with its write side",
    checks: ["delete-bucket-lifecycle.removes", "delete-bucket-lifecycle.idempotent"],
  },

  // ── encryption ─────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketEncryption",
    scope: "extended",
    area: "encryption",
    reason:
      "Bucket encryption settings (default, SSE-C allowed or blocked); a complete service encrypts at rest " +
      "and lets buckets choose",
    checks: [
      "put-bucket-encryption.roundtrip",
      "put-bucket-encryption.default-applied-to-new-objects",
      "put-bucket-encryption.invalid-algorithm-refused",
      "put-bucket-encryption.sse-c-roundtrip",
      "put-bucket-encryption.sse-c-copy-and-multipart",
      "put-bucket-encryption.sse-c-blocked",
    ],
  },
  {
    operation: "GetBucketEncryption",
    scope: "extended",
    area: "encryption",
    reason: "Read side of bucket encryption, scoped with its write side",
    checks: [
      "get-bucket-encryption.new-bucket-sse-s3-default",
      "get-bucket-encryption.objects-report-sse",
      "get-bucket-encryption.returns-config",
    ],
  },
  {
    operation: "DeleteBucketEncryption",
    scope: "extended",
    area: "encryption",
    reason: "Delete side of bucket encryption, scoped with its write side",
    checks: ["delete-bucket-encryption.reverts-to-sse-s3-default"],
  },
  {
    operation: "UpdateObjectEncryption",
    scope: "extended",
    area: "encryption",
    reason:
      "Re-seals an object's data key under another KMS key without moving data; any service with " +
      "envelope encryption and a KMS can do it",
    checks: [
      "update-object-encryption.preserves-data-and-metadata",
      "update-object-encryption.invalid-target-refused",
    ],
  },
] as const satisfies readonly CatalogEntry[];
