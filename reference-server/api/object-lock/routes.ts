// Routes of the object-lock area, merged into the route table by http/routes.ts.

import type { RouteEntries } from "../../http/route-key.ts";
import { route, routeKey } from "../../http/route-key.ts";
import { getObjectLegalHold } from "./GetObjectLegalHold.ts";
import { getObjectLockConfiguration } from "./GetObjectLockConfiguration.ts";
import { getObjectRetention } from "./GetObjectRetention.ts";
import { putObjectLegalHold } from "./PutObjectLegalHold.ts";
import { putObjectLockConfiguration } from "./PutObjectLockConfiguration.ts";
import { putObjectRetention } from "./PutObjectRetention.ts";

export const ROUTES: RouteEntries = [
  [
    routeKey("PUT", "bucket", "object-lock"),
    route("PutObjectLockConfiguration", "owner", putObjectLockConfiguration),
  ],
  [
    routeKey("GET", "bucket", "object-lock"),
    route("GetObjectLockConfiguration", "owner", getObjectLockConfiguration),
  ],
  [routeKey("PUT", "object", "retention"), route("PutObjectRetention", "owner", putObjectRetention)],
  [routeKey("GET", "object", "retention"), route("GetObjectRetention", "owner", getObjectRetention)],
  [routeKey("PUT", "object", "legal-hold"), route("PutObjectLegalHold", "owner", putObjectLegalHold)],
  [routeKey("GET", "object", "legal-hold"), route("GetObjectLegalHold", "owner", getObjectLegalHold)],
];
