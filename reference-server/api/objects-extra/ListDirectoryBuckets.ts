// ListDirectoryBuckets: the caller's S3 Express One Zone directory buckets. This service has
// general-purpose buckets only, so the list is empty — what AWS answers an account without directory
// buckets — and never the general-purpose buckets ListBuckets shows. Routed by the SDK's
// `GET /?x-id=ListDirectoryBuckets`; the SDK signs it for the `s3express` service, which this endpoint's
// SigV4 scope check refuses first (AuthorizationHeaderMalformed), so only s3-signed requests get here.

import { intParam, queryValue, type S3Request, sendXml } from "../../http/context.ts";

export async function listDirectoryBuckets(r: S3Request): Promise<void> {
  // Validated as AWS validates them (1..1000), though there is nothing to page through.
  intParam(r, "max-directory-buckets", 1000, 0, 1000);
  const token = queryValue(r, "continuation-token");
  sendXml(r, "ListAllMyDirectoryBucketsResult", {
    Buckets: "",
    ...(token !== undefined ? { ContinuationToken: token } : {}),
  });
}
