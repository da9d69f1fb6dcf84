// Routes of the access area, merged into the route table by http/routes.ts: ACLs, object ownership and
// the public access block. (Bucket policies are the policy area's.)

import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { deleteBucketOwnershipControls } from "./DeleteBucketOwnershipControls.ts";
import { deletePublicAccessBlock } from "./DeletePublicAccessBlock.ts";
import { getBucketAcl } from "./GetBucketAcl.ts";
import { getBucketOwnershipControls } from "./GetBucketOwnershipControls.ts";
import { getObjectAcl } from "./GetObjectAcl.ts";
import { getPublicAccessBlock } from "./GetPublicAccessBlock.ts";
import { putBucketAcl } from "./PutBucketAcl.ts";
import { putBucketOwnershipControls } from "./PutBucketOwnershipControls.ts";
import { putObjectAcl } from "./PutObjectAcl.ts";
import { putPublicAccessBlock } from "./PutPublicAccessBlock.ts";

export const ROUTES: RouteEntries = [
  [routeKey("GET", "bucket", "acl"), route("GetBucketAcl", "owner", getBucketAcl)],
  [routeKey("PUT", "bucket", "acl"), route("PutBucketAcl", "owner", putBucketAcl)],
  [routeKey("GET", "object", "acl"), route("GetObjectAcl", "owner", getObjectAcl)],
  [routeKey("PUT", "object", "acl"), route("PutObjectAcl", "owner", putObjectAcl)],
  [
    routeKey("PUT", "bucket", "ownershipControls"),
    route("PutBucketOwnershipControls", "owner", putBucketOwnershipControls),
  ],
  [
    routeKey("GET", "bucket", "ownershipControls"),
    route("GetBucketOwnershipControls", "owner", getBucketOwnershipControls),
  ],
  [
    routeKey("DELETE", "bucket", "ownershipControls"),
    route("DeleteBucketOwnershipControls", "owner", deleteBucketOwnershipControls),
  ],
  [
    routeKey("PUT", "bucket", "publicAccessBlock"),
    route("PutPublicAccessBlock", "owner", putPublicAccessBlock),
  ],
  [
    routeKey("GET", "bucket", "publicAccessBlock"),
    route("GetPublicAccessBlock", "owner", getPublicAccessBlock),
  ],
  [
    routeKey("DELETE", "bucket", "publicAccessBlock"),
    route("DeletePublicAccessBlock", "owner", deletePublicAccessBlock),
  ],
];
