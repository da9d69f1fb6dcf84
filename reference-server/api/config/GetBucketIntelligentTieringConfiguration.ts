// GetBucketIntelligentTieringConfiguration: GET ?intelligent-tiering&id= returns one intelligent-tiering archive configuration as stored, or
// NoSuchConfiguration. Without an id the same route lists them (ListBucketIntelligentTieringConfigurations).

import { INTELLIGENT_TIERING_FAMILY } from "../../config/families.ts";
import { getIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const getBucketIntelligentTieringConfiguration: Handler = (r) =>
  getIdConfig(r, INTELLIGENT_TIERING_FAMILY);
