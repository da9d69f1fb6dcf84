// Routes of the config area, merged into the route table by http/routes.ts: bucket configurations that
// are validated, stored in the bucket record and returned (tagging, accelerate, request payment,
// notification, replication, the id-keyed analytics / inventory / metrics / intelligent-tiering families,
// S3 Metadata). Get and List of an id-keyed family share GET ?<sub>: byIdQuery dispatches on `id`.

import { byIdQuery } from "../../config/id-configs.ts";
import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { createBucketMetadataConfiguration } from "./CreateBucketMetadataConfiguration.ts";
import { createBucketMetadataTableConfiguration } from "./CreateBucketMetadataTableConfiguration.ts";
import { deleteBucketAnalyticsConfiguration } from "./DeleteBucketAnalyticsConfiguration.ts";
import { deleteBucketIntelligentTieringConfiguration } from "./DeleteBucketIntelligentTieringConfiguration.ts";
import { deleteBucketInventoryConfiguration } from "./DeleteBucketInventoryConfiguration.ts";
import { deleteBucketMetadataConfiguration } from "./DeleteBucketMetadataConfiguration.ts";
import { deleteBucketMetadataTableConfiguration } from "./DeleteBucketMetadataTableConfiguration.ts";
import { deleteBucketMetricsConfiguration } from "./DeleteBucketMetricsConfiguration.ts";
import { deleteBucketReplication } from "./DeleteBucketReplication.ts";
import { deleteBucketTagging } from "./DeleteBucketTagging.ts";
import { getBucketAccelerateConfiguration } from "./GetBucketAccelerateConfiguration.ts";
import { getBucketAnalyticsConfiguration } from "./GetBucketAnalyticsConfiguration.ts";
import { getBucketIntelligentTieringConfiguration } from "./GetBucketIntelligentTieringConfiguration.ts";
import { getBucketInventoryConfiguration } from "./GetBucketInventoryConfiguration.ts";
import { getBucketMetadataConfiguration } from "./GetBucketMetadataConfiguration.ts";
import { getBucketMetadataTableConfiguration } from "./GetBucketMetadataTableConfiguration.ts";
import { getBucketMetricsConfiguration } from "./GetBucketMetricsConfiguration.ts";
import { getBucketNotificationConfiguration } from "./GetBucketNotificationConfiguration.ts";
import { getBucketReplication } from "./GetBucketReplication.ts";
import { getBucketRequestPayment } from "./GetBucketRequestPayment.ts";
import { getBucketTagging } from "./GetBucketTagging.ts";
import { listBucketAnalyticsConfigurations } from "./ListBucketAnalyticsConfigurations.ts";
import { listBucketIntelligentTieringConfigurations } from "./ListBucketIntelligentTieringConfigurations.ts";
import { listBucketInventoryConfigurations } from "./ListBucketInventoryConfigurations.ts";
import { listBucketMetricsConfigurations } from "./ListBucketMetricsConfigurations.ts";
import { putBucketAccelerateConfiguration } from "./PutBucketAccelerateConfiguration.ts";
import { putBucketAnalyticsConfiguration } from "./PutBucketAnalyticsConfiguration.ts";
import { putBucketIntelligentTieringConfiguration } from "./PutBucketIntelligentTieringConfiguration.ts";
import { putBucketInventoryConfiguration } from "./PutBucketInventoryConfiguration.ts";
import { putBucketMetricsConfiguration } from "./PutBucketMetricsConfiguration.ts";
import { putBucketNotificationConfiguration } from "./PutBucketNotificationConfiguration.ts";
import { putBucketReplication } from "./PutBucketReplication.ts";
import { putBucketRequestPayment } from "./PutBucketRequestPayment.ts";
import { putBucketTagging } from "./PutBucketTagging.ts";
import { updateBucketMetadataAnnotationTableConfiguration } from "./UpdateBucketMetadataAnnotationTableConfiguration.ts";
import { updateBucketMetadataInventoryTableConfiguration } from "./UpdateBucketMetadataInventoryTableConfiguration.ts";
import { updateBucketMetadataJournalTableConfiguration } from "./UpdateBucketMetadataJournalTableConfiguration.ts";

export const ROUTES: RouteEntries = [
  [
    routeKey("PUT", "bucket", "accelerate"),
    route("PutBucketAccelerateConfiguration", "owner", putBucketAccelerateConfiguration),
  ],
  [
    routeKey("GET", "bucket", "accelerate"),
    route("GetBucketAccelerateConfiguration", "owner", getBucketAccelerateConfiguration),
  ],
  [
    routeKey("PUT", "bucket", "requestPayment"),
    route("PutBucketRequestPayment", "owner", putBucketRequestPayment),
  ],
  [
    routeKey("GET", "bucket", "requestPayment"),
    route("GetBucketRequestPayment", "owner", getBucketRequestPayment),
  ],
  [
    routeKey("PUT", "bucket", "notification"),
    route("PutBucketNotificationConfiguration", "owner", putBucketNotificationConfiguration),
  ],
  [
    routeKey("GET", "bucket", "notification"),
    route("GetBucketNotificationConfiguration", "owner", getBucketNotificationConfiguration),
  ],
  [routeKey("PUT", "bucket", "replication"), route("PutBucketReplication", "owner", putBucketReplication)],
  [routeKey("GET", "bucket", "replication"), route("GetBucketReplication", "owner", getBucketReplication)],
  [
    routeKey("DELETE", "bucket", "replication"),
    route("DeleteBucketReplication", "owner", deleteBucketReplication),
  ],
  [routeKey("PUT", "bucket", "tagging"), route("PutBucketTagging", "owner", putBucketTagging)],
  [routeKey("GET", "bucket", "tagging"), route("GetBucketTagging", "owner", getBucketTagging)],
  [routeKey("DELETE", "bucket", "tagging"), route("DeleteBucketTagging", "owner", deleteBucketTagging)],
  [
    routeKey("PUT", "bucket", "analytics"),
    route("PutBucketAnalyticsConfiguration", "owner", putBucketAnalyticsConfiguration),
  ],
  [
    routeKey("GET", "bucket", "analytics"),
    route(
      "GetBucketAnalyticsConfiguration",
      "owner",
      byIdQuery(
        getBucketAnalyticsConfiguration,
        "ListBucketAnalyticsConfigurations",
        listBucketAnalyticsConfigurations,
      ),
    ),
  ],
  [
    routeKey("DELETE", "bucket", "analytics"),
    route("DeleteBucketAnalyticsConfiguration", "owner", deleteBucketAnalyticsConfiguration),
  ],
  [
    routeKey("PUT", "bucket", "inventory"),
    route("PutBucketInventoryConfiguration", "owner", putBucketInventoryConfiguration),
  ],
  [
    routeKey("GET", "bucket", "inventory"),
    route(
      "GetBucketInventoryConfiguration",
      "owner",
      byIdQuery(
        getBucketInventoryConfiguration,
        "ListBucketInventoryConfigurations",
        listBucketInventoryConfigurations,
      ),
    ),
  ],
  [
    routeKey("DELETE", "bucket", "inventory"),
    route("DeleteBucketInventoryConfiguration", "owner", deleteBucketInventoryConfiguration),
  ],
  [
    routeKey("PUT", "bucket", "metrics"),
    route("PutBucketMetricsConfiguration", "owner", putBucketMetricsConfiguration),
  ],
  [
    routeKey("GET", "bucket", "metrics"),
    route(
      "GetBucketMetricsConfiguration",
      "owner",
      byIdQuery(
        getBucketMetricsConfiguration,
        "ListBucketMetricsConfigurations",
        listBucketMetricsConfigurations,
      ),
    ),
  ],
  [
    routeKey("DELETE", "bucket", "metrics"),
    route("DeleteBucketMetricsConfiguration", "owner", deleteBucketMetricsConfiguration),
  ],
  [
    routeKey("PUT", "bucket", "intelligent-tiering"),
    route("PutBucketIntelligentTieringConfiguration", "owner", putBucketIntelligentTieringConfiguration),
  ],
  [
    routeKey("GET", "bucket", "intelligent-tiering"),
    route(
      "GetBucketIntelligentTieringConfiguration",
      "owner",
      byIdQuery(
        getBucketIntelligentTieringConfiguration,
        "ListBucketIntelligentTieringConfigurations",
        listBucketIntelligentTieringConfigurations,
      ),
    ),
  ],
  [
    routeKey("DELETE", "bucket", "intelligent-tiering"),
    route(
      "DeleteBucketIntelligentTieringConfiguration",
      "owner",
      deleteBucketIntelligentTieringConfiguration,
    ),
  ],
  [
    routeKey("POST", "bucket", "metadataConfiguration"),
    route("CreateBucketMetadataConfiguration", "owner", createBucketMetadataConfiguration),
  ],
  [
    routeKey("GET", "bucket", "metadataConfiguration"),
    route("GetBucketMetadataConfiguration", "owner", getBucketMetadataConfiguration),
  ],
  [
    routeKey("DELETE", "bucket", "metadataConfiguration"),
    route("DeleteBucketMetadataConfiguration", "owner", deleteBucketMetadataConfiguration),
  ],
  [
    routeKey("PUT", "bucket", "metadataJournalTable"),
    route(
      "UpdateBucketMetadataJournalTableConfiguration",
      "owner",
      updateBucketMetadataJournalTableConfiguration,
    ),
  ],
  [
    routeKey("PUT", "bucket", "metadataInventoryTable"),
    route(
      "UpdateBucketMetadataInventoryTableConfiguration",
      "owner",
      updateBucketMetadataInventoryTableConfiguration,
    ),
  ],
  [
    routeKey("PUT", "bucket", "metadataAnnotationTable"),
    route(
      "UpdateBucketMetadataAnnotationTableConfiguration",
      "owner",
      updateBucketMetadataAnnotationTableConfiguration,
    ),
  ],
  [
    routeKey("POST", "bucket", "metadataTable"),
    route("CreateBucketMetadataTableConfiguration", "owner", createBucketMetadataTableConfiguration),
  ],
  [
    routeKey("GET", "bucket", "metadataTable"),
    route("GetBucketMetadataTableConfiguration", "owner", getBucketMetadataTableConfiguration),
  ],
  [
    routeKey("DELETE", "bucket", "metadataTable"),
    route("DeleteBucketMetadataTableConfiguration", "owner", deleteBucketMetadataTableConfiguration),
  ],
];
