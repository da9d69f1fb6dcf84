// UpdateBucketMetadataAnnotationTableConfiguration: enables or disables the annotation table of an
// existing S3 Metadata configuration (with its encryption and role).

import { readConfig, storeConfig } from "../../config/document.ts";
import { checkTableEncryption, storedV2, V2_ATTR } from "../../config/metadata.ts";
import { ANNOTATION_TABLE } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function updateBucketMetadataAnnotationTableConfiguration(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "AnnotationTableConfiguration", ANNOTATION_TABLE, true);
  checkTableEncryption(doc);
  const m = storedV2(r);
  await storeConfig(r, V2_ATTR, { ...m, annotation: doc });
  sendEmpty(r, 200);
}
