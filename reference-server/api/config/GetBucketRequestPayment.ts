// GetBucketRequestPayment: Requester when configured, else BucketOwner (every bucket has a payer).

import { storedConfig } from "../../config/document.ts";
import { type S3Request, sendXml } from "../../http/context.ts";

export async function getBucketRequestPayment(r: S3Request): Promise<void> {
  sendXml(r, "RequestPaymentConfiguration", storedConfig(r, "requestPayment") ?? { Payer: "BucketOwner" });
}
