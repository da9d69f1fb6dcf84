// ListBucketIntelligentTieringConfigurations: GET ?intelligent-tiering without an id lists the bucket's intelligent-tiering archive configurations in
// id order, 100 a page, with IsTruncated and an opaque continuation token.

import { INTELLIGENT_TIERING_FAMILY } from "../../config/families.ts";
import { listIdConfigs } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const listBucketIntelligentTieringConfigurations: Handler = (r) =>
  listIdConfigs(r, INTELLIGENT_TIERING_FAMILY);
