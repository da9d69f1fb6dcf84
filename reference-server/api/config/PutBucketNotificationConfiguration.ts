// PutBucketNotificationConfiguration: replaces the bucket's event notifications (an empty document clears
// them). Destinations are validated as AWS does (config/notification.ts): this server delivers to no
// SNS/SQS/Lambda, so they are refused unless x-amz-skip-destination-validation is true.

import { readConfig, storeConfig } from "../../config/document.ts";
import { checkNotification } from "../../config/notification.ts";
import { NOTIFICATION } from "../../config/shapes.ts";
import { header, type S3Request, sendEmpty } from "../../http/context.ts";

export async function putBucketNotificationConfiguration(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "NotificationConfiguration", NOTIFICATION, false);
  const skip = header(r, "x-amz-skip-destination-validation")?.toLowerCase() === "true";
  const config = checkNotification(doc, skip);
  await storeConfig(r, "notification", Object.keys(config).length === 0 ? undefined : config);
  sendEmpty(r, 200);
}
