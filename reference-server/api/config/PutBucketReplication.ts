// PutBucketReplication: replaces the bucket's replication configuration after AWS's checks
// (config/replication.ts: versioning Enabled on both sides, an existing destination, schema rules).
// Content-MD5 or a checksum is required.

import { readConfig, storeConfig } from "../../config/document.ts";
import { checkReplication } from "../../config/replication.ts";
import { REPLICATION } from "../../config/shapes.ts";
import { type S3Request, sendEmpty } from "../../http/context.ts";

export async function putBucketReplication(r: S3Request): Promise<void> {
  const doc = await readConfig(r, "ReplicationConfiguration", REPLICATION, true);
  await storeConfig(r, "replication", checkReplication(r, doc));
  sendEmpty(r, 200);
}
