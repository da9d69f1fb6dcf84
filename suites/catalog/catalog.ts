// The operation catalog: every command of @aws-sdk/client-s3, its scope, why, and the named checks that
// prove it. The score's denominator is this list, so rows are never removed to flatter a target.
//
// Conventions:
// - A check id is `<operation-in-kebab-case>.<what-it-proves>`, unique across the catalog.
// - AWS S3 is the specification: a check must be one that AWS itself passes on a general-purpose bucket.
// - Cross-cutting areas (sigv4, sigv2, presigned, post-upload, checksums, conditional, ranges, errors,
//   tls, network) have no SDK command of their own; their checks ride on the operation whose request they
//   prove, and the slug names the area (`get-object.presigned-expired`).
// - A feature a bucket may switch off even on AWS rides on the extended operation that governs it, not on
//   the core operations that carry its headers: SSE-C checks sit under PutBucketEncryption (which can
//   block SSE-C), so a service without SSE-C fails encryption, not PutObject.
// - `aws-only` operations still have checks: the answer AWS gives on a general-purpose bucket (usually a
//   clean S3 error), which any service can give.

export const SCOPES = ["core", "extended", "aws-only"] as const;
export type Scope = (typeof SCOPES)[number];

export const AREAS = [
  "buckets",
  "objects",
  "listing",
  "multipart",
  "checksums",
  "conditional",
  "copy",
  "ranges",
  "metadata",
  "tagging",
  "versioning",
  "object-lock",
  "lifecycle",
  "encryption",
  "sigv4",
  "sigv2",
  "presigned",
  "post-upload",
  "policy",
  "acl",
  "ownership",
  "public-access-block",
  "cors",
  "website",
  "logging",
  "configuration",
  "select",
  "restore",
  "errors",
  "tls",
  "network",
] as const;
export type Area = (typeof AREAS)[number];

export interface CatalogEntry {
  readonly operation: string;
  readonly scope: Scope;
  readonly area: Area;
  readonly reason: string;
  readonly checks: readonly string[];
}

// Reused wording for the store-and-return configuration families.
const CONFIG_DATA = "Plain configuration data a complete S3 service stores, validates and returns";
const METADATA_TABLES =
  "Provisions Iceberg tables in S3 Tables (an AWS table-bucket service); only AWS can fill them, " +
  "the checks are the configuration's validation and AWS's answers on a bucket without one";

export const CATALOG = [
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

  // ── objects ────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutObject",
    scope: "core",
    area: "objects",
    reason: "Writing an object is the heart of S3; it also carries the payload-signing and upload modes",
    checks: [
      "put-object.roundtrip",
      "put-object.property-roundtrip",
      "put-object.overwrite-replaces",
      "put-object.large-single-upload",
      "put-object.content-md5-mismatch",
      "put-object.checksum-algorithms",
      "put-object.checksum-mismatch",
      "put-object.limits",
      "put-object.conditional-write",
      "put-object.sigv4-streaming-signed",
      "put-object.sigv4-streaming-unsigned-trailer",
      "put-object.sigv4-payload-hash-mismatch",
      "put-object.sigv4-streaming-signed-trailer",
      "put-object.sigv4-bad-chunk-signature-refused",
      "put-object.sigv4-unsigned-payload",
      "put-object.sigv4-trailer-checksum-mismatch-refused",
      "put-object.presigned",
      "put-object.post-policy-upload",
      "put-object.post-policy-violation-refused",
      "put-object.post-policy-success-action-status",
      "put-object.post-policy-content-length-range",
      "put-object.errors-over-5gib-refused",
      "put-object.errors-truncated-body-not-visible",
      "put-object.errors-missing-content-length",
      "put-object.errors-dot-segment-keys-literal",
    ],
  },
  {
    operation: "GetObject",
    scope: "core",
    area: "objects",
    reason: "Reading an object is the heart of S3; it also carries ranges, conditions and presigned reads",
    checks: [
      "get-object.roundtrip",
      "get-object.no-such-key",
      "get-object.no-such-bucket",
      "get-object.range-forms",
      "get-object.range-unsatisfiable",
      "get-object.range-property",
      "get-object.conditional-etag",
      "get-object.conditional-date",
      "get-object.response-header-overrides",
      "get-object.part-number",
      "get-object.checksum-mode",
      "get-object.version-id",
      "get-object.presigned",
      "get-object.presigned-expired",
      "get-object.presigned-tampered-refused",
      "get-object.presigned-over-a-week-refused",
      "get-object.sigv4-mismatch-shows-canonical-request",
      "get-object.sigv4-wrong-region-refused",
      "get-object.anonymous-private-refused",
    ],
  },
  {
    operation: "HeadObject",
    scope: "core",
    area: "metadata",
    reason: "Clients read size, ETag, metadata and encryption without the body through it",
    checks: [
      "head-object.matches-get-headers",
      "head-object.no-such-key",
      "head-object.conditional",
      "head-object.user-metadata",
      "head-object.minio-md5-and-checksum-attribute",
    ],
  },
  {
    operation: "DeleteObject",
    scope: "core",
    area: "objects",
    reason: "Object CRUD: every S3 service must delete, idempotently",
    checks: [
      "delete-object.deletes",
      "delete-object.missing-key-succeeds",
      "delete-object.versioned-creates-delete-marker",
      "delete-object.version-id-removes-version",
    ],
  },
  {
    operation: "DeleteObjects",
    scope: "core",
    area: "objects",
    reason: "Batch delete is how tools empty prefixes and buckets",
    checks: [
      "delete-objects.deletes-many",
      "delete-objects.quiet-mode",
      "delete-objects.per-key-results",
      "delete-objects.integrity-header-required",
      "delete-objects.over-1000-keys-refused",
      "delete-objects.errors-malformed-xml",
      "delete-objects.versioned-delete-markers",
    ],
  },
  {
    operation: "RenameObject",
    scope: "aws-only",
    area: "objects",
    reason:
      "AWS offers rename only in S3 Express One Zone directory buckets; a general-purpose bucket gets " +
      "AWS's refusal",
    checks: ["rename-object.general-purpose-bucket-answer"],
  },
  {
    operation: "WriteGetObjectResponse",
    scope: "aws-only",
    area: "objects",
    reason:
      "Answers an S3 Object Lambda invocation: it needs AWS Lambda and an Object Lambda access point " +
      "routing the request",
    checks: ["write-get-object-response.clean-error-without-object-lambda"],
  },
  {
    operation: "GetObjectTorrent",
    scope: "extended",
    area: "objects",
    reason: "A .torrent file is computable from the object alone (Ceph RGW serves one); legacy but real",
    checks: ["get-object-torrent.bencoded-metainfo", "get-object-torrent.no-such-key"],
  },
  {
    operation: "GetObjectAttributes",
    scope: "extended",
    area: "checksums",
    reason:
      "Newer attribute read (parts, checksums, size) that a complete service offers; SDK transfers work without it",
    checks: [
      "get-object-attributes.etag-size-storage-class",
      "get-object-attributes.checksum",
      "get-object-attributes.object-parts",
      "get-object-attributes.no-such-key",
    ],
  },

  // ── listing ────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "ListObjects",
    scope: "core",
    area: "listing",
    reason: "The original listing call, still used by many tools and SDKs",
    checks: [
      "list-objects.lists-keys",
      "list-objects.prefix-delimiter",
      "list-objects.marker-pagination",
      "list-objects.max-keys",
      "list-objects.encoding-type-url",
      "list-objects.no-such-bucket",
    ],
  },
  {
    operation: "ListObjectsV2",
    scope: "core",
    area: "listing",
    reason: "The listing call of every current SDK and tool",
    checks: [
      "list-objects-v2.lists-keys",
      "list-objects-v2.prefix-delimiter",
      "list-objects-v2.continuation-token",
      "list-objects-v2.start-after",
      "list-objects-v2.fetch-owner",
      "list-objects-v2.encoding-type-url",
      "list-objects-v2.property-every-key-once",
    ],
  },

  // ── multipart ──────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "CreateMultipartUpload",
    scope: "core",
    area: "multipart",
    reason: "SDKs switch every large upload to multipart",
    checks: [
      "create-multipart-upload.returns-upload-id",
      "create-multipart-upload.metadata-applied-on-complete",
      "create-multipart-upload.checksum-algorithm",
      "create-multipart-upload.no-such-bucket",
    ],
  },
  {
    operation: "UploadPart",
    scope: "core",
    area: "multipart",
    reason: "Multipart: every large upload sends its bytes through it",
    checks: [
      "upload-part.returns-etag",
      "upload-part.content-md5-mismatch",
      "upload-part.no-such-upload",
      "upload-part.part-number-range",
      "upload-part.same-number-replaces",
    ],
  },
  {
    operation: "UploadPartCopy",
    scope: "core",
    area: "copy",
    reason: "The only way to copy objects over 5 GiB; SDK copy helpers use it",
    checks: [
      "upload-part-copy.copies-whole-source",
      "upload-part-copy.source-range",
      "upload-part-copy.invalid-range-refused",
      "upload-part-copy.source-conditionals",
    ],
  },
  {
    operation: "CompleteMultipartUpload",
    scope: "core",
    area: "multipart",
    reason: "Multipart: commits the parts into one object atomically",
    checks: [
      "complete-multipart-upload.assembles-parts",
      "complete-multipart-upload.entity-too-small",
      "complete-multipart-upload.invalid-part",
      "complete-multipart-upload.invalid-part-order",
      "complete-multipart-upload.composite-checksum",
      "complete-multipart-upload.no-such-upload",
      "complete-multipart-upload.conditional-write",
    ],
  },
  {
    operation: "AbortMultipartUpload",
    scope: "core",
    area: "multipart",
    reason: "Multipart: SDKs abort failed uploads so their parts stop costing space",
    checks: ["abort-multipart-upload.aborts", "abort-multipart-upload.no-such-upload"],
  },
  {
    operation: "ListMultipartUploads",
    scope: "core",
    area: "multipart",
    reason: "Multipart: how tools find and clean up unfinished uploads",
    checks: [
      "list-multipart-uploads.lists-in-progress",
      "list-multipart-uploads.prefix-delimiter",
      "list-multipart-uploads.marker-pagination",
      "list-multipart-uploads.excludes-finished",
    ],
  },
  {
    operation: "ListParts",
    scope: "core",
    area: "multipart",
    reason: "Multipart: resumable uploads rebuild their state from it",
    checks: [
      "list-parts.lists-parts",
      "list-parts.part-number-marker-pagination",
      "list-parts.checksums",
      "list-parts.no-such-upload",
    ],
  },

  // ── copy ───────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "CopyObject",
    scope: "core",
    area: "copy",
    reason: "Server-side copy is how tools move and re-metadata objects without downloading them",
    checks: [
      "copy-object.copies-bytes-and-metadata",
      "copy-object.metadata-replace",
      "copy-object.self-copy-without-change-refused",
      "copy-object.source-conditionals",
      "copy-object.no-such-source",
      "copy-object.source-key-encoding",
    ],
  },

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

  // ── policy ─────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketPolicy",
    scope: "extended",
    area: "policy",
    reason:
      "IAM-language bucket policies; a complete service evaluates them, basic ones only store or lack them",
    checks: [
      "put-bucket-policy.grants-other-account",
      "put-bucket-policy.explicit-deny-wins",
      "put-bucket-policy.anonymous-public-read",
      "put-bucket-policy.condition-source-ip",
      "put-bucket-policy.condition-secure-transport",
      "put-bucket-policy.condition-prefix",
      "put-bucket-policy.owner-keeps-policy-access",
      "put-bucket-policy.malformed-refused",
    ],
  },
  {
    operation: "GetBucketPolicy",
    scope: "extended",
    area: "policy",
    reason: "Read side of bucket policy, scoped with its write side",
    checks: ["get-bucket-policy.returns-policy", "get-bucket-policy.not-configured"],
  },
  {
    operation: "DeleteBucketPolicy",
    scope: "extended",
    area: "policy",
    reason: "Delete side of bucket policy, scoped with its write side",
    checks: ["delete-bucket-policy.removes-and-revokes", "delete-bucket-policy.idempotent"],
  },
  {
    operation: "GetBucketPolicyStatus",
    scope: "extended",
    area: "policy",
    reason: "Derived from the policy the service already evaluates",
    checks: [
      "get-bucket-policy-status.public-policy",
      "get-bucket-policy-status.private-policy",
      "get-bucket-policy-status.not-configured",
    ],
  },
  {
    operation: "PutBucketAbac",
    scope: "extended",
    area: "policy",
    reason: "Switches tag-based access control on a bucket; policy evaluation over tags the service holds",
    checks: ["put-bucket-abac.roundtrip", "put-bucket-abac.invalid-status-refused"],
  },
  {
    operation: "GetBucketAbac",
    scope: "extended",
    area: "policy",
    reason: "Read side of tag-based access control, scoped with its write side",
    checks: ["get-bucket-abac.default-disabled"],
  },

  // ── ACLs and ownership ─────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketAcl",
    scope: "extended",
    area: "acl",
    reason: "Legacy access lists; AWS disables them by default, complete services still honour them",
    checks: [
      "put-bucket-acl.canned-public-read",
      "put-bucket-acl.grant-other-account",
      "put-bucket-acl.malformed-refused",
      "put-bucket-acl.refused-when-owner-enforced",
    ],
  },
  {
    operation: "GetBucketAcl",
    scope: "extended",
    area: "acl",
    reason: "Read side of bucket ACLs, scoped with its write side; tools read it even with ACLs disabled",
    checks: ["get-bucket-acl.default-owner-full-control", "get-bucket-acl.reflects-canned-acl"],
  },
  {
    operation: "PutObjectAcl",
    scope: "extended",
    area: "acl",
    reason: "Legacy per-object access lists, still used for public objects",
    checks: [
      "put-object-acl.canned-public-read",
      "put-object-acl.grant-headers",
      "put-object-acl.no-such-key",
      "put-object-acl.refused-when-owner-enforced",
    ],
  },
  {
    operation: "GetObjectAcl",
    scope: "extended",
    area: "acl",
    reason: "Read side of object ACLs, scoped with its write side",
    checks: ["get-object-acl.default-owner-full-control", "get-object-acl.reflects-acl-header-on-put"],
  },
  {
    operation: "PutBucketOwnershipControls",
    scope: "extended",
    area: "ownership",
    reason: "Object ownership decides whether ACLs apply; a complete service stores and enforces it",
    checks: [
      "put-bucket-ownership-controls.roundtrip",
      "put-bucket-ownership-controls.owner-enforced-disables-acls",
      "put-bucket-ownership-controls.invalid-refused",
    ],
  },
  {
    operation: "GetBucketOwnershipControls",
    scope: "extended",
    area: "ownership",
    reason: "Read side of object ownership, scoped with its write side",
    checks: [
      "get-bucket-ownership-controls.new-bucket-owner-enforced",
      "get-bucket-ownership-controls.returns-config",
    ],
  },
  {
    operation: "DeleteBucketOwnershipControls",
    scope: "extended",
    area: "ownership",
    reason: "Delete side of object ownership, scoped with its write side",
    checks: ["delete-bucket-ownership-controls.removes"],
  },

  // ── public access block ────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutPublicAccessBlock",
    scope: "extended",
    area: "public-access-block",
    reason: "The guard against accidental public buckets; a complete service enforces all four flags",
    checks: [
      "put-public-access-block.block-public-acls",
      "put-public-access-block.ignore-public-acls",
      "put-public-access-block.block-public-policy",
      "put-public-access-block.restrict-public-buckets",
    ],
  },
  {
    operation: "GetPublicAccessBlock",
    scope: "extended",
    area: "public-access-block",
    reason: "Read side of public access block, scoped with its write side",
    checks: ["get-public-access-block.new-bucket-all-blocked", "get-public-access-block.returns-config"],
  },
  {
    operation: "DeletePublicAccessBlock",
    scope: "extended",
    area: "public-access-block",
    reason: "Delete side of public access block, scoped with its write side",
    checks: ["delete-public-access-block.removes"],
  },

  // ── CORS, website, logging ─────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketCors",
    scope: "extended",
    area: "cors",
    reason: "Browser apps need CORS answered by the service itself",
    checks: [
      "put-bucket-cors.roundtrip",
      "put-bucket-cors.preflight-allowed",
      "put-bucket-cors.preflight-refused",
      "put-bucket-cors.actual-request-headers",
      "put-bucket-cors.malformed-refused",
      "put-bucket-cors.unsupported-method-refused",
      "put-bucket-cors.preflight-incomplete-bad-request",
    ],
  },
  {
    operation: "GetBucketCors",
    scope: "extended",
    area: "cors",
    reason: "Read side of CORS, scoped with its write side",
    checks: ["get-bucket-cors.returns-rules", "get-bucket-cors.not-configured"],
  },
  {
    operation: "DeleteBucketCors",
    scope: "extended",
    area: "cors",
    reason: "Delete side of CORS, scoped with its write side",
    checks: ["delete-bucket-cors.removes-and-preflight-refused"],
  },
  {
    operation: "PutBucketWebsite",
    scope: "extended",
    area: "website",
    reason: CONFIG_DATA,
    checks: [
      "put-bucket-website.roundtrip",
      "put-bucket-website.invalid-refused",
      "put-bucket-website.routing-rules-roundtrip",
    ],
  },
  {
    operation: "GetBucketWebsite",
    scope: "extended",
    area: "website",
    reason: "Read side of website configuration, scoped with its write side",
    checks: ["get-bucket-website.returns-config", "get-bucket-website.not-configured"],
  },
  {
    operation: "DeleteBucketWebsite",
    scope: "extended",
    area: "website",
    reason: "Delete side of website configuration, scoped with its write side",
    checks: ["delete-bucket-website.removes"],
  },
  {
    operation: "PutBucketLogging",
    scope: "extended",
    area: "logging",
    reason: "Server access logs for audit; checked by configuration, as AWS delivers within hours",
    checks: [
      "put-bucket-logging.roundtrip",
      "put-bucket-logging.partitioned-prefix-roundtrip",
      "put-bucket-logging.disable-with-empty-status",
      "put-bucket-logging.invalid-target-refused",
      "put-bucket-logging.other-account-target-refused",
      "put-bucket-logging.malformed-xml-refused",
    ],
  },
  {
    operation: "GetBucketLogging",
    scope: "extended",
    area: "logging",
    reason: "Read side of access logging, scoped with its write side",
    checks: [
      "get-bucket-logging.returns-config",
      "get-bucket-logging.disabled-empty",
      "get-bucket-logging.no-such-bucket",
    ],
  },

  // ── configuration-only operations ──────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketAccelerateConfiguration",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA + " (the edge network behind it is AWS's, the setting is not)",
    checks: [
      "put-bucket-accelerate-configuration.roundtrip",
      "put-bucket-accelerate-configuration.invalid-status-refused",
      "put-bucket-accelerate-configuration.dotted-name-refused",
    ],
  },
  {
    operation: "GetBucketAccelerateConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Read side of accelerate configuration, scoped with its write side",
    checks: ["get-bucket-accelerate-configuration.never-set-empty"],
  },
  {
    operation: "PutBucketRequestPayment",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA,
    checks: ["put-bucket-request-payment.roundtrip", "put-bucket-request-payment.invalid-payer-refused"],
  },
  {
    operation: "GetBucketRequestPayment",
    scope: "extended",
    area: "configuration",
    reason: "Read side of request payment, scoped with its write side",
    checks: ["get-bucket-request-payment.default-bucket-owner"],
  },
  {
    operation: "PutBucketNotificationConfiguration",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA + " (destinations are the service's own queues or webhooks)",
    checks: [
      "put-bucket-notification-configuration.roundtrip",
      "put-bucket-notification-configuration.empty-clears",
      "put-bucket-notification-configuration.invalid-refused",
    ],
  },
  {
    operation: "GetBucketNotificationConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Read side of notification configuration, scoped with its write side",
    checks: ["get-bucket-notification-configuration.never-set-empty"],
  },
  {
    operation: "PutBucketReplication",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA + "; complete services replicate between their own sites",
    checks: [
      "put-bucket-replication.roundtrip",
      "put-bucket-replication.unversioned-bucket-refused",
      "put-bucket-replication.invalid-refused",
    ],
  },
  {
    operation: "GetBucketReplication",
    scope: "extended",
    area: "configuration",
    reason: "Read side of replication configuration, scoped with its write side",
    checks: ["get-bucket-replication.returns-config", "get-bucket-replication.not-configured"],
  },
  {
    operation: "DeleteBucketReplication",
    scope: "extended",
    area: "configuration",
    reason: "Delete side of replication configuration, scoped with its write side",
    checks: ["delete-bucket-replication.removes"],
  },
  {
    operation: "PutBucketAnalyticsConfiguration",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA,
    checks: [
      "put-bucket-analytics-configuration.roundtrip",
      "put-bucket-analytics-configuration.id-mismatch-refused",
    ],
  },
  {
    operation: "GetBucketAnalyticsConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Read side of analytics configuration, scoped with its write side",
    checks: [
      "get-bucket-analytics-configuration.returns-config",
      "get-bucket-analytics-configuration.no-such-configuration",
    ],
  },
  {
    operation: "ListBucketAnalyticsConfigurations",
    scope: "extended",
    area: "configuration",
    reason: "List side of analytics configuration, scoped with its write side",
    checks: ["list-bucket-analytics-configurations.lists-all", "list-bucket-analytics-configurations.empty"],
  },
  {
    operation: "DeleteBucketAnalyticsConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Delete side of analytics configuration, scoped with its write side",
    checks: [
      "delete-bucket-analytics-configuration.removes",
      "delete-bucket-analytics-configuration.no-such-configuration",
    ],
  },
  {
    operation: "PutBucketInventoryConfiguration",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA,
    checks: [
      "put-bucket-inventory-configuration.roundtrip",
      "put-bucket-inventory-configuration.id-mismatch-refused",
    ],
  },
  {
    operation: "GetBucketInventoryConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Read side of inventory configuration, scoped with its write side",
    checks: [
      "get-bucket-inventory-configuration.returns-config",
      "get-bucket-inventory-configuration.no-such-configuration",
    ],
  },
  {
    operation: "ListBucketInventoryConfigurations",
    scope: "extended",
    area: "configuration",
    reason: "List side of inventory configuration, scoped with its write side",
    checks: ["list-bucket-inventory-configurations.lists-all", "list-bucket-inventory-configurations.empty"],
  },
  {
    operation: "DeleteBucketInventoryConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Delete side of inventory configuration, scoped with its write side",
    checks: [
      "delete-bucket-inventory-configuration.removes",
      "delete-bucket-inventory-configuration.no-such-configuration",
    ],
  },
  {
    operation: "PutBucketMetricsConfiguration",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA,
    checks: [
      "put-bucket-metrics-configuration.roundtrip",
      "put-bucket-metrics-configuration.id-mismatch-refused",
    ],
  },
  {
    operation: "GetBucketMetricsConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Read side of metrics configuration, scoped with its write side",
    checks: [
      "get-bucket-metrics-configuration.returns-config",
      "get-bucket-metrics-configuration.no-such-configuration",
    ],
  },
  {
    operation: "ListBucketMetricsConfigurations",
    scope: "extended",
    area: "configuration",
    reason: "List side of metrics configuration, scoped with its write side",
    checks: [
      "list-bucket-metrics-configurations.lists-all",
      "list-bucket-metrics-configurations.empty",
      "list-bucket-metrics-configurations.paginates",
    ],
  },
  {
    operation: "DeleteBucketMetricsConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Delete side of metrics configuration, scoped with its write side",
    checks: [
      "delete-bucket-metrics-configuration.removes",
      "delete-bucket-metrics-configuration.no-such-configuration",
    ],
  },
  {
    operation: "PutBucketIntelligentTieringConfiguration",
    scope: "extended",
    area: "configuration",
    reason: CONFIG_DATA,
    checks: [
      "put-bucket-intelligent-tiering-configuration.roundtrip",
      "put-bucket-intelligent-tiering-configuration.invalid-refused",
    ],
  },
  {
    operation: "GetBucketIntelligentTieringConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Read side of intelligent-tiering configuration, scoped with its write side",
    checks: [
      "get-bucket-intelligent-tiering-configuration.returns-config",
      "get-bucket-intelligent-tiering-configuration.no-such-configuration",
    ],
  },
  {
    operation: "ListBucketIntelligentTieringConfigurations",
    scope: "extended",
    area: "configuration",
    reason: "List side of intelligent-tiering configuration, scoped with its write side",
    checks: [
      "list-bucket-intelligent-tiering-configurations.lists-all",
      "list-bucket-intelligent-tiering-configurations.empty",
    ],
  },
  {
    operation: "DeleteBucketIntelligentTieringConfiguration",
    scope: "extended",
    area: "configuration",
    reason: "Delete side of intelligent-tiering configuration, scoped with its write side",
    checks: [
      "delete-bucket-intelligent-tiering-configuration.removes",
      "delete-bucket-intelligent-tiering-configuration.no-such-configuration",
    ],
  },

  // ── object annotations ─────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutObjectAnnotation",
    scope: "extended",
    area: "metadata",
    reason: "Named payloads stored beside an object in a general-purpose bucket; plain object data",
    checks: [
      "put-object-annotation.roundtrip",
      "put-object-annotation.size-limits",
      "put-object-annotation.no-such-key",
    ],
  },
  {
    operation: "GetObjectAnnotation",
    scope: "extended",
    area: "metadata",
    reason: "Read side of object annotations, scoped with its write side",
    checks: ["get-object-annotation.returns-payload", "get-object-annotation.not-found"],
  },
  {
    operation: "ListObjectAnnotations",
    scope: "extended",
    area: "metadata",
    reason: "List side of object annotations, scoped with its write side",
    checks: ["list-object-annotations.prefix-filter", "list-object-annotations.pagination"],
  },
  {
    operation: "DeleteObjectAnnotation",
    scope: "extended",
    area: "metadata",
    reason: "Delete side of object annotations, scoped with its write side",
    checks: ["delete-object-annotation.removes", "delete-object-annotation.if-match"],
  },

  // ── select and restore ─────────────────────────────────────────────────────────────────────────────
  {
    operation: "SelectObjectContent",
    scope: "extended",
    area: "select",
    reason: "SQL over CSV/JSON/Parquet objects; MinIO offers it, AWS closed it to new customers",
    checks: [
      "select-object-content.csv-query",
      "select-object-content.json-query",
      "select-object-content.event-stream-framing",
      "select-object-content.malformed-sql-refused",
    ],
  },
  {
    operation: "RestoreObject",
    scope: "extended",
    area: "restore",
    reason: "Archive tiers exist outside AWS too; restore is how their objects become readable again",
    checks: ["restore-object.archived-restore-accepted", "restore-object.not-archived-refused"],
  },

  // ── S3 Metadata tables (S3 Tables) ─────────────────────────────────────────────────────────────────
  {
    operation: "CreateBucketMetadataConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES,
    checks: [
      "create-bucket-metadata-configuration.roundtrip",
      "create-bucket-metadata-configuration.invalid-refused",
    ],
  },
  {
    operation: "GetBucketMetadataConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES,
    checks: ["get-bucket-metadata-configuration.not-configured"],
  },
  {
    operation: "DeleteBucketMetadataConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES,
    checks: [
      "delete-bucket-metadata-configuration.removes",
      "delete-bucket-metadata-configuration.not-configured",
    ],
  },
  {
    operation: "CreateBucketMetadataTableConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES + " (V1 form)",
    checks: ["create-bucket-metadata-table-configuration.invalid-refused"],
  },
  {
    operation: "GetBucketMetadataTableConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES + " (V1 form)",
    checks: ["get-bucket-metadata-table-configuration.not-configured"],
  },
  {
    operation: "DeleteBucketMetadataTableConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES + " (V1 form)",
    checks: ["delete-bucket-metadata-table-configuration.not-configured"],
  },
  {
    operation: "UpdateBucketMetadataAnnotationTableConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES,
    checks: ["update-bucket-metadata-annotation-table-configuration.not-configured"],
  },
  {
    operation: "UpdateBucketMetadataInventoryTableConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES,
    checks: ["update-bucket-metadata-inventory-table-configuration.not-configured"],
  },
  {
    operation: "UpdateBucketMetadataJournalTableConfiguration",
    scope: "aws-only",
    area: "configuration",
    reason: METADATA_TABLES,
    checks: ["update-bucket-metadata-journal-table-configuration.not-configured"],
  },
] as const satisfies readonly CatalogEntry[];

export type OperationName = (typeof CATALOG)[number]["operation"];
/** The check ids of one operation, as a type, so a suite cannot name another operation's check. */
export type CheckIdOf<Op extends OperationName> = Extract<
  (typeof CATALOG)[number],
  { operation: Op }
>["checks"][number];
export type CheckId = CheckIdOf<OperationName>;

const byOperation = new Map<string, CatalogEntry>(CATALOG.map((entry) => [entry.operation, entry]));
const ownerOfCheck = new Map<string, string>(
  CATALOG.flatMap((entry) => entry.checks.map((id): [string, string] => [id, entry.operation])),
);

export function catalogEntry(operation: string): CatalogEntry | undefined {
  return byOperation.get(operation);
}

/** The operation a check id belongs to, or undefined for an id the catalog does not know. */
export function operationOfCheck(checkId: string): string | undefined {
  return ownerOfCheck.get(checkId);
}

/** `ListObjectsV2` → `list-objects-v2`: the prefix every check id of the operation carries. */
export function kebabOperation(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
