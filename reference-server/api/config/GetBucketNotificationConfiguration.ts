// GetBucketNotificationConfiguration: the stored configurations, each with its Id, or an empty
// NotificationConfiguration when none is set.

import { storedConfig } from "../../config/document.ts";
import { type S3Request, sendXml } from "../../http/context.ts";

export async function getBucketNotificationConfiguration(r: S3Request): Promise<void> {
  sendXml(r, "NotificationConfiguration", storedConfig(r, "notification") ?? {});
}
