// PutBucketRequestPayment: BucketOwner or Requester pays (Content-MD5 or a checksum is required, as the
// service model says).

import { readConfig, storeConfig } from "../../config/document.ts";
import { REQUEST_PAYMENT } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function putBucketRequestPayment(r: S3Request): Promise<void> {
  const config = await readConfig(r, "RequestPaymentConfiguration", REQUEST_PAYMENT, true);
  // BucketOwner is the default state: storing it is the same as having none.
  await storeConfig(r, "requestPayment", config.Payer === "BucketOwner" ? undefined : config);
  sendEmpty(r, 200);
}
