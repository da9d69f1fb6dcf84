// Authorization: runs once per request, after authentication and routing, before the handler. It
// decides whether the request's principal (or an anonymous caller) may perform the route's action on
// the bucket / object, and loads the bucket record for routes that need one.

import type { S3Request } from "../http/context.ts";
import type { Route } from "../http/route-key.ts";
import { S3Error } from "../http/s3-error.ts";

export async function authorize(r: S3Request, route: Route): Promise<void> {
  // Until access rules exist, only signed requests by the bucket owner are served.
  if (r.auth.kind !== "signed") throw new S3Error("AccessDenied");
  if (route.access !== "owner") return;
  const rec = r.engine.getBucket(r.bucket!);
  if (!rec) throw new S3Error("NoSuchBucket", { extra: { BucketName: r.bucket! } });
  if (rec.owner !== r.principal) throw new S3Error("AccessDenied");
  // x-amz-expected-bucket-owner guards a client against writing into a bucket it did not mean.
  const expected = r.req.headers["x-amz-expected-bucket-owner"];
  if (expected !== undefined && expected !== rec.owner) throw new S3Error("AccessDenied");
  r.bucketRecord = rec;
}
