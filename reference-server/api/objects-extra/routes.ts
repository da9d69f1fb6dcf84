// Routes of the objects-extra area (default encryption, UpdateObjectEncryption, restore, select and the
// remaining object/bucket commands), merged into the route table by http/routes.ts.

import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from "./BucketEncryption.ts";
import { createSession, renameObject } from "./DirectoryBucketOnly.ts";
import { getObjectTorrent } from "./GetObjectTorrent.ts";
import { listDirectoryBuckets } from "./ListDirectoryBuckets.ts";
import { restoreObject } from "./RestoreObject.ts";
import { selectObjectContent } from "./SelectObjectContent.ts";
import { updateObjectEncryption } from "./UpdateObjectEncryption.ts";
import { WGOR_ROUTE } from "./WriteGetObjectResponse.ts";

export const ROUTES: RouteEntries = [
  [routeKey("PUT", "bucket", "encryption"), route("PutBucketEncryption", "owner", putBucketEncryption)],
  [routeKey("GET", "bucket", "encryption"), route("GetBucketEncryption", "owner", getBucketEncryption)],
  [
    routeKey("DELETE", "bucket", "encryption"),
    route("DeleteBucketEncryption", "owner", deleteBucketEncryption),
  ],
  [routeKey("PUT", "object", "encryption"), route("UpdateObjectEncryption", "owner", updateObjectEncryption)],
  [routeKey("POST", "object", "restore"), route("RestoreObject", "owner", restoreObject)],
  [routeKey("POST", "object", "select"), route("SelectObjectContent", "owner", selectObjectContent)],
  [routeKey("GET", "object", "torrent"), route("GetObjectTorrent", "owner", getObjectTorrent)],
  [routeKey("GET", "bucket", "session"), route("CreateSession", "owner", createSession)],
  [routeKey("PUT", "object", "renameObject"), route("RenameObject", "owner", renameObject)],
  [
    routeKey("GET", "service", "", false, "ListDirectoryBuckets"),
    route("ListDirectoryBuckets", "signed", listDirectoryBuckets),
  ],
  [routeKey("POST", "service", "", false, "WriteGetObjectResponse"), WGOR_ROUTE],
];
