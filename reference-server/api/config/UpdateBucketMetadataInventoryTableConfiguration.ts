// UpdateBucketMetadataInventoryTableConfiguration: enables or disables the inventory table of an
// existing S3 Metadata configuration (with its encryption).

import { readConfig, storeConfig } from "../../config/document.ts";
import { checkTableEncryption, storedV2, V2_ATTR } from "../../config/metadata.ts";
import { INVENTORY_TABLE } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function updateBucketMetadataInventoryTableConfiguration(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "InventoryTableConfiguration", INVENTORY_TABLE, true);
  checkTableEncryption(doc);
  const m = storedV2(r);
  await storeConfig(r, V2_ATTR, { ...m, inventory: doc });
  sendEmpty(r, 200);
}
