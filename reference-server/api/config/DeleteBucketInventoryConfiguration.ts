// DeleteBucketInventoryConfiguration: DELETE ?inventory&id= removes one inventory report configuration (204), or
// NoSuchConfiguration when the bucket has none by that id.

import { INVENTORY_FAMILY } from "../../config/families.ts";
import { deleteIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const deleteBucketInventoryConfiguration: Handler = (r) => deleteIdConfig(r, INVENTORY_FAMILY);
