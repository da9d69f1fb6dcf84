// What a route is, and how it is keyed; shared by the core table (routes.ts) and each area's table
// (api/<area>/routes.ts), kept apart from both so area tables can be imported without a cycle.

import type { Handler } from "./context.ts";

export type Level = "service" | "bucket" | "object";

/**
 * Who an action is for when no policy, ACL or role says more: any signed account ("signed": ListBuckets,
 * CreateBucket), or the bucket's owner ("owner"). access/authorize.ts decides with this as the baseline.
 */
export type Access = "signed" | "owner";

export interface Route {
  action: string;
  access: Access;
  handler: Handler;
}

/**
 * Request routing key: `METHOD level sub-resource`, `+copy` when x-amz-copy-source is present on PUT, and
 * ` x-id=<Action>` for the few actions that share a method and sub-resource with another and are told
 * apart only by the SDK's x-id query (ListObjectAnnotations beside GetObjectAnnotation).
 */
export function routeKey(method: string, level: Level, sub: string, copy = false, xId?: string): string {
  return `${method} ${level} ${sub}${copy ? "+copy" : ""}${xId === undefined ? "" : ` x-id=${xId}`}`;
}

export const route = (action: string, access: Access, handler: Handler): Route => ({
  action,
  access,
  handler,
});

/** An area's routes, merged into the table by routes.ts. */
export type RouteEntries = ReadonlyArray<readonly [string, Route]>;
