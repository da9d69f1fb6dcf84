// ListBucketInventoryConfigurations: GET ?inventory without an id lists the bucket's inventory report configurations in
// id order, 100 a page, with IsTruncated and an opaque continuation token.

import { INVENTORY_FAMILY } from "../../config/families.ts";
import { listIdConfigs } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const listBucketInventoryConfigurations: Handler = (r) => listIdConfigs(r, INVENTORY_FAMILY);
