// GetPublicAccessBlock: the four flags, or NoSuchPublicAccessBlockConfiguration when the bucket has none.

import { PAB_FLAGS, publicAccessBlockConfig } from "../../access/settings.ts";
import { bucketOf, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function getPublicAccessBlock(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  const config = publicAccessBlockConfig(b);
  if (!config) throw new S3Error("NoSuchPublicAccessBlockConfiguration", { extra: { BucketName: b.name } });
  sendXml(
    r,
    "PublicAccessBlockConfiguration",
    Object.fromEntries(PAB_FLAGS.map((f) => [f, String(config[f])])),
  );
}
