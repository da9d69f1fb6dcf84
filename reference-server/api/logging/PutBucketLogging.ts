// PutBucketLogging: a BucketLoggingStatus with LoggingEnabled turns server access logs on (target bucket,
// prefix, grants, key format); an empty one turns them off. The target must exist, be in the source's
// region and belong to the source's owner, as AWS requires.

import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { parseXml } from "../../http/xml.ts";
import { type LoggingConfig, parseLoggingStatus, withLogging } from "../../logging/config.ts";
import type { BucketRecord } from "../../storage/index-db.ts";

export async function putBucketLogging(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  // The SDK sends a checksum; clients that send none are served, as by AWS.
  await verifyDocumentDigests(r, data, trailers, false);
  const config = parseLoggingStatus(parseXml(data.toString("utf8"), "BucketLoggingStatus"));
  if (config) checkTarget(r, bucketOf(r), config);
  await r.engine.updateBucket(r.bucket!, (b) => ({ ...b, attrs: withLogging(b, config) }));
  sendEmpty(r, 200);
}

function checkTarget(r: S3Request, source: BucketRecord, config: LoggingConfig): void {
  const target = r.engine.getBucket(config.targetBucket);
  if (!target) {
    throw new S3Error("InvalidTargetBucketForLogging", { extra: { TargetBucket: config.targetBucket } });
  }
  if (target.region !== source.region) {
    throw new S3Error("CrossLocationLoggingProhibited", {
      extra: { TargetBucketLocation: target.region, SourceBucketLocation: source.region },
    });
  }
  if (target.owner !== source.owner) {
    throw new S3Error("InvalidTargetBucketForLogging", {
      message: "The owner for the bucket to be logged and the target bucket must be the same.",
      extra: { TargetBucket: config.targetBucket },
    });
  }
}
