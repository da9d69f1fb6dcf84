// Routes of the logging area, merged into the route table by http/routes.ts.

import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { getBucketLogging } from "./GetBucketLogging.ts";
import { putBucketLogging } from "./PutBucketLogging.ts";

export const ROUTES: RouteEntries = [
  [routeKey("PUT", "bucket", "logging"), route("PutBucketLogging", "owner", putBucketLogging)],
  [routeKey("GET", "bucket", "logging"), route("GetBucketLogging", "owner", getBucketLogging)],
];
