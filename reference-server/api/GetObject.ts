// GetObject: conditions, then the whole object, one range or one part, streamed with back-pressure.

import { type S3Request, sendEmpty, sendStream } from "../http/context.ts";
import { planRead } from "../http/read-object.ts";
import { S3Error } from "../http/s3-error.ts";
import { assertReadable } from "../restore/state.ts";
import type { GetObjectResult } from "../storage/engine-types.ts";
import { isStorageError } from "../storage/errors.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";

export async function getObject(r: S3Request): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const plan = planRead(r);
    // An archived version is readable only as a restored copy (HEAD still answers).
    assertReadable(plan.rec, r.config.now());
    if (plan.stop === 304) return sendEmpty(r, 304, plan.headers);
    if (plan.stop === 412) throw new S3Error("PreconditionFailed", { extra: { Condition: "If-Match" } });
    let got: GetObjectResult;
    try {
      // The planned write is read, so the bytes always match the headers chosen from it.
      got = await r.engine.getObject({
        bucket: r.bucket!,
        key: r.key!,
        range: plan.range,
        sse: plan.sse,
        record: plan.rec,
      });
    } catch (e) {
      // A write that landed after planning (same "null" version id) may have removed the planned one's
      // data: plan again from the version that is there now.
      if (isStorageError(e, "InsufficientReadQuorum") && replaced(r, plan.rec) && attempt < 3) continue;
      if (isStorageError(e, "InsufficientReadQuorum") && replaced(r, plan.rec)) {
        throw new S3Error("SlowDown", { message: "The object changed while it was being read; retry." });
      }
      throw e;
    }
    return sendStream(r, plan.status, plan.headers, got.body, got.whole);
  }
}

function replaced(r: S3Request, rec: ObjectVersionRecord): boolean {
  const now = r.engine.versionsOf(r.bucket!, r.key!).find((v) => v.versionId === rec.versionId);
  return now?.writeId !== rec.writeId;
}
