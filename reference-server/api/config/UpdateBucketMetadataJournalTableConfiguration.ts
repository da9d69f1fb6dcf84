// UpdateBucketMetadataJournalTableConfiguration: changes the journal table's record expiration of an
// existing S3 Metadata configuration.

import { readConfig, storeConfig } from "../../config/document.ts";
import { checkRecordExpiration, storedV2, V2_ATTR } from "../../config/metadata.ts";
import { child } from "../../config/shape.ts";
import { JOURNAL_TABLE_UPDATE } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function updateBucketMetadataJournalTableConfiguration(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "JournalTableConfiguration", JOURNAL_TABLE_UPDATE, true);
  checkRecordExpiration(child(doc, "RecordExpiration"));
  const m = storedV2(r);
  await storeConfig(r, V2_ATTR, { ...m, journal: { ...m.journal, RecordExpiration: doc.RecordExpiration } });
  sendEmpty(r, 200);
}
