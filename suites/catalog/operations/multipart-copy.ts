// Catalog rows: multipart upload and copy.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";

export const MULTIPART_COPY = [
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
] as const satisfies readonly CatalogEntry[];
