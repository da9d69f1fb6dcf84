// DeleteBucketIntelligentTieringConfiguration: DELETE ?intelligent-tiering&id= removes one intelligent-tiering archive configuration (204), or
// NoSuchConfiguration when the bucket has none by that id.

import { INTELLIGENT_TIERING_FAMILY } from "../../config/families.ts";
import { deleteIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const deleteBucketIntelligentTieringConfiguration: Handler = (r) =>
  deleteIdConfig(r, INTELLIGENT_TIERING_FAMILY);
