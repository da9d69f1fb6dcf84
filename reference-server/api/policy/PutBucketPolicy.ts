// PutBucketPolicy: validates the document as AWS does (MalformedPolicy with AWS's messages) and stores
// its text unchanged. With Block Public Access's BlockPublicPolicy on, a public policy is refused with
// AccessDenied, as AWS does. x-amz-confirm-remove-self-bucket-access is accepted: the bucket owner can
// always manage the policy (access/authorize.ts), so a policy cannot lock it out.

import { isPublicPolicy, parseBucketPolicy } from "../../access/policy/index.ts";
import { bucketOf, readSmallBody, type S3Request, sendEmpty } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { blocksPublicPolicy } from "./state.ts";

// Past the 20 KB policy limit the document is refused as MalformedPolicy; this only bounds the read.
const MAX_BODY = 1 << 20;

export async function putBucketPolicy(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, MAX_BODY);
  await verifyDocumentDigests(r, data, trailers, false);
  const bucket = bucketOf(r);
  const policy = parseBucketPolicy(data.toString("utf8"), bucket.name);
  if (blocksPublicPolicy(bucket) && isPublicPolicy(policy)) {
    throw new S3Error("AccessDenied", {
      message:
        `User: arn:aws:iam::${r.principal}:root is not authorized to perform: s3:PutBucketPolicy on resource: ` +
        `"arn:aws:s3:::${bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    });
  }
  await r.engine.updateBucket(bucket.name, (b) => ({ ...b, attrs: { ...b.attrs, policy: policy.text } }));
  sendEmpty(r, 204);
}
