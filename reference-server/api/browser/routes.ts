// Routes of the browser area, merged into the route table by http/routes.ts: POST uploads, CORS and
// website configuration. (OPTIONS preflights and website-endpoint reads are answered before routing,
// from http/server.ts, by reference-server/browser/.)

import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { deleteBucketCors } from "./DeleteBucketCors.ts";
import { deleteBucketWebsite } from "./DeleteBucketWebsite.ts";
import { getBucketCors } from "./GetBucketCors.ts";
import { getBucketWebsite } from "./GetBucketWebsite.ts";
import { postObject } from "./PostObject.ts";
import { putBucketCors } from "./PutBucketCors.ts";
import { putBucketWebsite } from "./PutBucketWebsite.ts";

export const ROUTES: RouteEntries = [
  // Signed by the form itself (or anonymous): authorization runs in the handler once the form is read.
  [routeKey("POST", "bucket", ""), route("PostObject", "signed", postObject)],
  [routeKey("PUT", "bucket", "cors"), route("PutBucketCors", "owner", putBucketCors)],
  [routeKey("GET", "bucket", "cors"), route("GetBucketCors", "owner", getBucketCors)],
  [routeKey("DELETE", "bucket", "cors"), route("DeleteBucketCors", "owner", deleteBucketCors)],
  [routeKey("PUT", "bucket", "website"), route("PutBucketWebsite", "owner", putBucketWebsite)],
  [routeKey("GET", "bucket", "website"), route("GetBucketWebsite", "owner", getBucketWebsite)],
  [routeKey("DELETE", "bucket", "website"), route("DeleteBucketWebsite", "owner", deleteBucketWebsite)],
];
