// GetBucketPolicyStatus: whether the bucket's policy is public by AWS's definition; NoSuchBucketPolicy
// when the bucket has no policy, as AWS answers.

import { isPublicPolicy, parseBucketPolicy } from "../../access/policy/index.ts";
import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { noSuchBucketPolicy } from "./GetBucketPolicy.ts";
import { policyText } from "./state.ts";

export async function getBucketPolicyStatus(r: S3Request): Promise<void> {
  const bucket = bucketOf(r);
  const text = policyText(bucket);
  if (text === undefined) throw noSuchBucketPolicy(bucket.name);
  // A stored policy was validated when it was put.
  const isPublic = isPublicPolicy(parseBucketPolicy(text, bucket.name));
  sendXml(r, "PolicyStatus", { IsPublic: isPublic ? "true" : "false" });
}
