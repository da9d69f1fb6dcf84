// GetBucketAbac: the bucket's ABAC status; a bucket where it was never set reports Disabled.

import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { abacStatus } from "./state.ts";

export async function getBucketAbac(r: S3Request): Promise<void> {
  sendXml(r, "AbacStatus", { Status: abacStatus(bucketOf(r)) });
}
