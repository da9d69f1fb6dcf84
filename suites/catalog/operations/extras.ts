// Catalog rows: object annotations, select and restore, S3 Metadata tables.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";

// Reused wording for the S3 Metadata table rows.
const METADATA_TABLES =
  "Provisions Iceberg tables in S3 Tables (an AWS table-bucket service); only AWS can fill them, " +
  "the checks are the configuration's validation and AWS's answers on a bucket without one";

export const EXTRAS = [
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
