// Routes of the object-annotation area, merged into the route table by http/routes.ts. GET ?annotation
// is two actions told apart by the SDK's x-id (GetObjectAnnotation without one).

import { type RouteEntries, route, routeKey } from "../../http/route-key.ts";
import { deleteObjectAnnotation } from "./DeleteObjectAnnotation.ts";
import { getObjectAnnotation } from "./GetObjectAnnotation.ts";
import { listObjectAnnotations } from "./ListObjectAnnotations.ts";
import { putObjectAnnotation } from "./PutObjectAnnotation.ts";

export const ROUTES: RouteEntries = [
  [routeKey("PUT", "object", "annotation"), route("PutObjectAnnotation", "owner", putObjectAnnotation)],
  [routeKey("GET", "object", "annotation"), route("GetObjectAnnotation", "owner", getObjectAnnotation)],
  [
    routeKey("GET", "object", "annotation", false, "ListObjectAnnotations"),
    route("ListObjectAnnotations", "owner", listObjectAnnotations),
  ],
  [
    routeKey("DELETE", "object", "annotation"),
    route("DeleteObjectAnnotation", "owner", deleteObjectAnnotation),
  ],
];
