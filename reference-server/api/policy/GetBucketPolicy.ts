// GetBucketPolicy: the policy document as stored, as a JSON body; NoSuchBucketPolicy when there is none.

import { bucketOf, type S3Request } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { policyText } from "./state.ts";

export async function getBucketPolicy(r: S3Request): Promise<void> {
  const bucket = bucketOf(r);
  const text = policyText(bucket);
  if (text === undefined) throw noSuchBucketPolicy(bucket.name);
  const body = Buffer.from(text, "utf8");
  r.res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
  r.res.end(body);
}

export function noSuchBucketPolicy(bucket: string): S3Error {
  return new S3Error("NoSuchBucketPolicy", { extra: { BucketName: bucket } });
}
