// GetBucketLifecycleConfiguration: the rules as they were put (IDs generated for rules that had none),
// with the transition minimum object size header; NoSuchLifecycleConfiguration when there are none.

import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { renderLifecycle } from "../../lifecycle/render.ts";
import { lifecycleOf } from "../../lifecycle/types.ts";
import { MIN_SIZE_HEADER } from "./PutBucketLifecycleConfiguration.ts";

export async function getBucketLifecycleConfiguration(r: S3Request): Promise<void> {
  const config = lifecycleOf(bucketOf(r));
  if (!config) throw new S3Error("NoSuchLifecycleConfiguration", { extra: { BucketName: r.bucket! } });
  sendXml(r, "LifecycleConfiguration", renderLifecycle(config), {
    headers: { [MIN_SIZE_HEADER]: config.minObjectSize },
  });
}
