// Catalog rows: tagging, versioning and object lock.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";

export const TAGGING_VERSIONING_LOCK = [
  // ── tagging ────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutObjectTagging",
    scope: "core",
    area: "tagging",
    reason: "Object tags drive lifecycle and access rules; every S3 service must store them",
    checks: [
      "put-object-tagging.roundtrip",
      "put-object-tagging.replaces-all",
      "put-object-tagging.limits",
      "put-object-tagging.version-id",
    ],
  },
  {
    operation: "GetObjectTagging",
    scope: "core",
    area: "tagging",
    reason: "Read side of object tagging, scoped with its write side",
    checks: [
      "get-object-tagging.returns-tags",
      "get-object-tagging.empty-tag-set",
      "get-object-tagging.tagging-header-on-put",
      "get-object-tagging.no-such-key",
    ],
  },
  {
    operation: "DeleteObjectTagging",
    scope: "core",
    area: "tagging",
    reason: "Delete side of object tagging, scoped with its write side",
    checks: ["delete-object-tagging.removes-all", "delete-object-tagging.no-such-key"],
  },
  {
    operation: "PutBucketTagging",
    scope: "core",
    area: "tagging",
    reason: "Bucket tags are how tenants label buckets for cost and ownership",
    checks: [
      "put-bucket-tagging.roundtrip",
      "put-bucket-tagging.invalid-tag-refused",
      "put-bucket-tagging.duplicate-keys-refused",
      "put-bucket-tagging.fifty-tags-limit",
    ],
  },
  {
    operation: "GetBucketTagging",
    scope: "core",
    area: "tagging",
    reason: "Read side of bucket tagging, scoped with its write side",
    checks: ["get-bucket-tagging.returns-tags", "get-bucket-tagging.no-such-tag-set"],
  },
  {
    operation: "DeleteBucketTagging",
    scope: "core",
    area: "tagging",
    reason: "Delete side of bucket tagging, scoped with its write side",
    checks: ["delete-bucket-tagging.removes", "delete-bucket-tagging.idempotent"],
  },

  // ── versioning ─────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketVersioning",
    scope: "core",
    area: "versioning",
    reason: "Versioning is the standard protection against overwrite and delete",
    checks: [
      "put-bucket-versioning.enable",
      "put-bucket-versioning.suspend-writes-null-version",
      "put-bucket-versioning.malformed-refused",
    ],
  },
  {
    operation: "GetBucketVersioning",
    scope: "core",
    area: "versioning",
    reason: "Versioning: clients check the state before relying on versions",
    checks: ["get-bucket-versioning.never-enabled-empty", "get-bucket-versioning.reports-status"],
  },
  {
    operation: "ListObjectVersions",
    scope: "core",
    area: "versioning",
    reason: "Versioning: the only way to see and recover older versions",
    checks: [
      "list-object-versions.versions-and-delete-markers",
      "list-object-versions.is-latest",
      "list-object-versions.marker-pagination",
      "list-object-versions.prefix-delimiter",
      "list-object-versions.unversioned-null-version",
      "list-object-versions.model-based-sequences",
    ],
  },

  // ── object lock ────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutObjectLockConfiguration",
    scope: "extended",
    area: "object-lock",
    reason: "WORM retention for compliance; a complete service offers it, basic ones do not",
    checks: [
      "put-object-lock-configuration.bucket-created-with-lock",
      "put-object-lock-configuration.default-retention-applied",
      "put-object-lock-configuration.unlocked-bucket-refused",
      "put-object-lock-configuration.invalid-refused",
      "put-object-lock-configuration.overwrite-keeps-locked-version",
    ],
  },
  {
    operation: "GetObjectLockConfiguration",
    scope: "extended",
    area: "object-lock",
    reason: "Read side of the object lock configuration, scoped with its write side",
    checks: ["get-object-lock-configuration.returns-config", "get-object-lock-configuration.not-configured"],
  },
  {
    operation: "PutObjectRetention",
    scope: "extended",
    area: "object-lock",
    reason: "Object lock: per-version governance and compliance retention",
    checks: [
      "put-object-retention.governance-blocks-delete",
      "put-object-retention.governance-bypass",
      "put-object-retention.compliance-blocks-delete",
      "put-object-retention.compliance-cannot-shorten",
      "put-object-retention.unlocked-bucket-refused",
      "put-object-retention.past-date-refused",
      "put-object-retention.put-object-headers",
      "put-object-retention.locked-put-needs-integrity-header",
      "put-object-retention.delete-objects-per-key",
    ],
  },
  {
    operation: "GetObjectRetention",
    scope: "extended",
    area: "object-lock",
    reason: "Read side of object lock retention, scoped with its write side",
    checks: ["get-object-retention.returns-mode-and-date", "get-object-retention.none-set"],
  },
  {
    operation: "PutObjectLegalHold",
    scope: "extended",
    area: "object-lock",
    reason: "Object lock: legal hold independent of retention",
    checks: [
      "put-object-legal-hold.on-blocks-delete",
      "put-object-legal-hold.off-allows-delete",
      "put-object-legal-hold.put-object-header",
    ],
  },
  {
    operation: "GetObjectLegalHold",
    scope: "extended",
    area: "object-lock",
    reason: "Read side of object lock legal hold, scoped with its write side",
    checks: ["get-object-legal-hold.returns-status", "get-object-legal-hold.none-set"],
  },
] as const satisfies readonly CatalogEntry[];
