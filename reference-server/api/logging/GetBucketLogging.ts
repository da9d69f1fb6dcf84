// GetBucketLogging: the stored BucketLoggingStatus, or an empty one when logging is off.

import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { loggingOf, loggingStatusXml } from "../../logging/config.ts";

export async function getBucketLogging(r: S3Request): Promise<void> {
  sendXml(r, "BucketLoggingStatus", loggingStatusXml(loggingOf(bucketOf(r))));
}
