// PutBucketIntelligentTieringConfiguration: PUT ?intelligent-tiering&id= stores one intelligent-tiering archive configuration (the body's Id must be
// the query's), validated against the service model and the family's rules; at most 1,000 a bucket.

import { INTELLIGENT_TIERING_FAMILY } from "../../config/families.ts";
import { putIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const putBucketIntelligentTieringConfiguration: Handler = (r) =>
  putIdConfig(r, INTELLIGENT_TIERING_FAMILY);
