// Catalog rows: CORS, website and logging.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";
import { CONFIG_DATA } from "./wording.ts";

export const BUCKET_FEATURES = [
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
] as const satisfies readonly CatalogEntry[];
