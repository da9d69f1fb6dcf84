// Catalog rows: the configuration-only operations.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";
import { CONFIG_DATA } from "./wording.ts";

export const CONFIGURATION = [
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
] as const satisfies readonly CatalogEntry[];
