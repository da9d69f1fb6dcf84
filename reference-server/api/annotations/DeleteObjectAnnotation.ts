// DeleteObjectAnnotation: remove one annotation of an object version, permanently (204, also when there was
// none); x-amz-object-if-match must match the object's ETag (412); a version under object lock keeps its
// annotations as it keeps its data (GOVERNANCE yields to x-amz-bypass-governance-retention).

import { type S3Request, sendEmpty } from "../../http/context.ts";
import { deleteGuard } from "../../lock/guard.ts";
import { deleteAnnotation } from "../../storage/annotations.ts";
import { annotationName, annotationTarget, objectIfMatch, objectVersionHeader } from "./common.ts";

export async function deleteObjectAnnotation(r: S3Request): Promise<void> {
  const name = annotationName(r);
  const ifMatch = objectIfMatch(r);
  const locked = deleteGuard(r);
  const { rec } = await deleteAnnotation(r.engine.ctx, annotationTarget(r), name, (v) => {
    ifMatch(v);
    locked(v);
  });
  sendEmpty(r, 204, objectVersionHeader(r, rec));
}
