// CreateBucketMetadataConfiguration: POST ?metadataConfiguration sets up the bucket's S3 Metadata (a
// journal table, optional inventory and annotation tables) once; a second create is a conflict, changes go
// through the Update* operations. Content-MD5 or a checksum is required.

import { readConfig, storeConfig, storedConfig } from "../../config/document.ts";
import {
  checkRecordExpiration,
  checkTableEncryption,
  newTableIds,
  type StoredMetadata,
  V2_ATTR,
} from "../../config/metadata.ts";
import { child } from "../../config/shape.ts";
import { METADATA_CONFIGURATION } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function createBucketMetadataConfiguration(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "MetadataConfiguration", METADATA_CONFIGURATION, true);
  const journal = child(doc, "JournalTableConfiguration")!;
  checkRecordExpiration(child(journal, "RecordExpiration"));
  const inventory = child(doc, "InventoryTableConfiguration") ?? { ConfigurationState: "DISABLED" };
  const annotation = child(doc, "AnnotationTableConfiguration");
  for (const table of [journal, inventory, annotation]) checkTableEncryption(table);
  if (storedConfig(r, V2_ATTR)) throw new S3Error("MetadataConfigurationAlreadyExists");
  const stored: StoredMetadata = { journal, inventory, annotation, tableIds: newTableIds() };
  await storeConfig(r, V2_ATTR, stored);
  sendEmpty(r, 200);
}
