// GetBucketAccelerateConfiguration: the stored Status, or an empty AccelerateConfiguration when it was
// never set (AWS answers 200 with no Status).

import { storedConfig } from "../../config/document.ts";
import { type S3Request, sendXml } from "../../http/context.ts";

export async function getBucketAccelerateConfiguration(r: S3Request): Promise<void> {
  sendXml(r, "AccelerateConfiguration", storedConfig(r, "accelerate") ?? {});
}
