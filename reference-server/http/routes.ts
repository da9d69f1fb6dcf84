// The route table: (method, resource level, sub-resource) → one action. A request whose combination is
// not in the table answers NotImplemented; it never falls through to a neighbouring handler (a GET with
// ?acl must not list the bucket).

import { abortMultipartUpload } from "../api/AbortMultipartUpload.ts";
import { ROUTES as ACCESS } from "../api/access/routes.ts";
import { ROUTES as ANNOTATIONS } from "../api/annotations/routes.ts";
import { ROUTES as BROWSER } from "../api/browser/routes.ts";
import { completeMultipartUpload } from "../api/CompleteMultipartUpload.ts";
import { copyObject } from "../api/CopyObject.ts";
import { createBucket } from "../api/CreateBucket.ts";
import { createMultipartUpload } from "../api/CreateMultipartUpload.ts";
import { ROUTES as CONFIG } from "../api/config/routes.ts";
import { deleteBucket } from "../api/DeleteBucket.ts";
import { deleteObject } from "../api/DeleteObject.ts";
import { deleteObjects } from "../api/DeleteObjects.ts";
import { deleteObjectTagging } from "../api/DeleteObjectTagging.ts";
import { getBucketLocation } from "../api/GetBucketLocation.ts";
import { getBucketVersioning } from "../api/GetBucketVersioning.ts";
import { getObject } from "../api/GetObject.ts";
import { getObjectAttributes } from "../api/GetObjectAttributes.ts";
import { getObjectTagging } from "../api/GetObjectTagging.ts";
import { headBucket } from "../api/HeadBucket.ts";
import { headObject } from "../api/HeadObject.ts";
import { listBuckets } from "../api/ListBuckets.ts";
import { listMultipartUploads } from "../api/ListMultipartUploads.ts";
import { listObjects } from "../api/ListObjects.ts";
import { listObjectsV2 } from "../api/ListObjectsV2.ts";
import { listObjectVersions } from "../api/ListObjectVersions.ts";
import { listParts } from "../api/ListParts.ts";
import { ROUTES as LIFECYCLE } from "../api/lifecycle/routes.ts";
import { ROUTES as LOGGING } from "../api/logging/routes.ts";
import { ROUTES as OBJECT_LOCK } from "../api/object-lock/routes.ts";
import { ROUTES as OBJECTS_EXTRA } from "../api/objects-extra/routes.ts";
import { putBucketVersioning } from "../api/PutBucketVersioning.ts";
import { putObject } from "../api/PutObject.ts";
import { putObjectTagging } from "../api/PutObjectTagging.ts";
import { ROUTES as POLICY } from "../api/policy/routes.ts";
import { uploadPart } from "../api/UploadPart.ts";
import { uploadPartCopy } from "../api/UploadPartCopy.ts";
import { type Level, type Route, route, routeKey } from "./route-key.ts";
import { S3Error } from "./s3-error.ts";

export type { Access, Level, Route } from "./route-key.ts";
export { routeKey } from "./route-key.ts";

/**
 * Every query parameter S3 dispatches on. Parameters that only qualify an action (versionId, partNumber,
 * prefix, max-keys, x-id, response-*, ...) are not here and do not change the route.
 */
export const SUB_RESOURCES = [
  "abac",
  "accelerate",
  "acl",
  "analytics",
  "annotation",
  "attributes",
  "cors",
  "delete",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "legal-hold",
  "lifecycle",
  "list-type",
  "location",
  "logging",
  "metadataAnnotationTable",
  "metadataConfiguration",
  "metadataInventoryTable",
  "metadataJournalTable",
  "metadataTable",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "renameObject",
  "replication",
  "requestPayment",
  "restore",
  "retention",
  "select",
  "session",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versioning",
  "versions",
  "website",
] as const;
export type SubResource = (typeof SUB_RESOURCES)[number];
const SUB_SET: ReadonlySet<string> = new Set(SUB_RESOURCES);

const CORE: ReadonlyArray<readonly [string, Route]> = [
  [routeKey("GET", "service", ""), route("ListBuckets", "signed", listBuckets)],
  [routeKey("PUT", "bucket", ""), route("CreateBucket", "signed", createBucket)],
  [routeKey("HEAD", "bucket", ""), route("HeadBucket", "owner", headBucket)],
  [routeKey("DELETE", "bucket", ""), route("DeleteBucket", "owner", deleteBucket)],
  [routeKey("GET", "bucket", "location"), route("GetBucketLocation", "owner", getBucketLocation)],
  [routeKey("GET", "bucket", ""), route("ListObjects", "owner", listObjects)],
  [routeKey("GET", "bucket", "list-type"), route("ListObjectsV2", "owner", listObjectsV2)],
  [routeKey("GET", "bucket", "uploads"), route("ListMultipartUploads", "owner", listMultipartUploads)],
  [routeKey("POST", "bucket", "delete"), route("DeleteObjects", "owner", deleteObjects)],
  [routeKey("PUT", "bucket", "versioning"), route("PutBucketVersioning", "owner", putBucketVersioning)],
  [routeKey("GET", "bucket", "versioning"), route("GetBucketVersioning", "owner", getBucketVersioning)],
  [routeKey("GET", "bucket", "versions"), route("ListObjectVersions", "owner", listObjectVersions)],
  [routeKey("PUT", "object", ""), route("PutObject", "owner", putObject)],
  [routeKey("PUT", "object", "", true), route("CopyObject", "owner", copyObject)],
  [routeKey("GET", "object", ""), route("GetObject", "owner", getObject)],
  [routeKey("HEAD", "object", ""), route("HeadObject", "owner", headObject)],
  [routeKey("DELETE", "object", ""), route("DeleteObject", "owner", deleteObject)],
  [routeKey("POST", "object", "uploads"), route("CreateMultipartUpload", "owner", createMultipartUpload)],
  [routeKey("PUT", "object", "uploadId"), route("UploadPart", "owner", uploadPart)],
  [routeKey("PUT", "object", "uploadId", true), route("UploadPartCopy", "owner", uploadPartCopy)],
  [
    routeKey("POST", "object", "uploadId"),
    route("CompleteMultipartUpload", "owner", completeMultipartUpload),
  ],
  [routeKey("DELETE", "object", "uploadId"), route("AbortMultipartUpload", "owner", abortMultipartUpload)],
  [routeKey("GET", "object", "uploadId"), route("ListParts", "owner", listParts)],
  [routeKey("PUT", "object", "tagging"), route("PutObjectTagging", "owner", putObjectTagging)],
  [routeKey("GET", "object", "attributes"), route("GetObjectAttributes", "owner", getObjectAttributes)],
  [routeKey("GET", "object", "tagging"), route("GetObjectTagging", "owner", getObjectTagging)],
  [routeKey("DELETE", "object", "tagging"), route("DeleteObjectTagging", "owner", deleteObjectTagging)],
];

/** The whole table: core actions above, then each area's own table (api/<area>/routes.ts). */
export const ROUTES: ReadonlyMap<string, Route> = buildTable([
  CORE,
  OBJECT_LOCK,
  LIFECYCLE,
  POLICY,
  ACCESS,
  BROWSER,
  LOGGING,
  CONFIG,
  OBJECTS_EXTRA,
  ANNOTATIONS,
]);

function buildTable(areas: ReadonlyArray<ReadonlyArray<readonly [string, Route]>>): Map<string, Route> {
  const table = new Map<string, Route>();
  for (const entries of areas) {
    for (const [key, r] of entries) {
      // Two areas claiming one key would make dispatch depend on import order.
      if (table.has(key))
        throw new Error(`route ${key} defined twice (${table.get(key)!.action}, ${r.action})`);
      table.set(key, r);
    }
  }
  return table;
}

/** The sub-resource a query names ("" for none); two at once is no action S3 has. */
export function subResourceOf(query: URLSearchParams): string {
  let found = "";
  for (const name of new Set(query.keys())) {
    if (!SUB_SET.has(name)) continue;
    if (found !== "") throw notImplemented(`${found}&${name}`);
    found = name;
  }
  return found;
}

function notImplemented(what: string): S3Error {
  return new S3Error("NotImplemented", {
    message: `This operation is not implemented (${what}).`,
  });
}

/** The route for a request, or NotImplemented naming what was asked. */
export function resolveRoute(
  method: string,
  level: Level,
  query: URLSearchParams,
  hasCopySource: boolean,
): Route {
  const sub = subResourceOf(query);
  const copy = method === "PUT" && level === "object" && hasCopySource;
  // x-id picks between actions sharing a key; an x-id naming no such action is only a hint, as on S3.
  const xId = query.get("x-id");
  const found =
    (xId ? ROUTES.get(routeKey(method, level, sub, copy, xId)) : undefined) ??
    ROUTES.get(routeKey(method, level, sub, copy));
  if (!found)
    throw notImplemented(`${method} on ${level}${sub ? ` ?${sub}` : ""}${copy ? " with copy source" : ""}`);
  return found;
}
