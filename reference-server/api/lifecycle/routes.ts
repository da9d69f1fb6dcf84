// Routes of the lifecycle area, merged into the route table by http/routes.ts.

import type { RouteEntries } from "../../http/route-key.ts";
import { route, routeKey } from "../../http/route-key.ts";
import { deleteBucketLifecycle } from "./DeleteBucketLifecycle.ts";
import { getBucketLifecycleConfiguration } from "./GetBucketLifecycleConfiguration.ts";
import { putBucketLifecycleConfiguration } from "./PutBucketLifecycleConfiguration.ts";

export const ROUTES: RouteEntries = [
  [
    routeKey("PUT", "bucket", "lifecycle"),
    route("PutBucketLifecycleConfiguration", "owner", putBucketLifecycleConfiguration),
  ],
  [
    routeKey("GET", "bucket", "lifecycle"),
    route("GetBucketLifecycleConfiguration", "owner", getBucketLifecycleConfiguration),
  ],
  [routeKey("DELETE", "bucket", "lifecycle"), route("DeleteBucketLifecycle", "owner", deleteBucketLifecycle)],
];
