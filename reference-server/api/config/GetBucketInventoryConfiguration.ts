// GetBucketInventoryConfiguration: GET ?inventory&id= returns one inventory report configuration as stored, or
// NoSuchConfiguration. Without an id the same route lists them (ListBucketInventoryConfigurations).

import { INVENTORY_FAMILY } from "../../config/families.ts";
import { getIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const getBucketInventoryConfiguration: Handler = (r) => getIdConfig(r, INVENTORY_FAMILY);
