// DeletePublicAccessBlock: removes the configuration; every flag is then off.

import { bucketOf, type S3Request, sendEmpty } from "../../http/context.ts";

export async function deletePublicAccessBlock(r: S3Request): Promise<void> {
  const b = bucketOf(r);
  if (b.attrs.publicAccessBlock !== undefined) {
    await r.engine.updateBucket(b.name, (cur) => {
      const { publicAccessBlock: _, ...attrs } = cur.attrs;
      return { ...cur, attrs };
    });
  }
  sendEmpty(r, 204);
}
