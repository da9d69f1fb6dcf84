// Routes of the policy area, merged into the route table by http/routes.ts.

import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { deleteBucketPolicy } from "./DeleteBucketPolicy.ts";
import { getBucketAbac } from "./GetBucketAbac.ts";
import { getBucketPolicy } from "./GetBucketPolicy.ts";
import { getBucketPolicyStatus } from "./GetBucketPolicyStatus.ts";
import { putBucketAbac } from "./PutBucketAbac.ts";
import { putBucketPolicy } from "./PutBucketPolicy.ts";

export const ROUTES: RouteEntries = [
  [routeKey("PUT", "bucket", "policy"), route("PutBucketPolicy", "owner", putBucketPolicy)],
  [routeKey("GET", "bucket", "policy"), route("GetBucketPolicy", "owner", getBucketPolicy)],
  [routeKey("DELETE", "bucket", "policy"), route("DeleteBucketPolicy", "owner", deleteBucketPolicy)],
  [routeKey("GET", "bucket", "policyStatus"), route("GetBucketPolicyStatus", "owner", getBucketPolicyStatus)],
  [routeKey("PUT", "bucket", "abac"), route("PutBucketAbac", "owner", putBucketAbac)],
  [routeKey("GET", "bucket", "abac"), route("GetBucketAbac", "owner", getBucketAbac)],
];
