// PutBucketInventoryConfiguration: PUT ?inventory&id= stores one inventory report configuration (the body's Id must be
// the query's), validated against the service model and the family's rules; at most 1,000 a bucket.

import { INVENTORY_FAMILY } from "../../config/families.ts";
import { putIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const putBucketInventoryConfiguration: Handler = (r) => putIdConfig(r, INVENTORY_FAMILY);
