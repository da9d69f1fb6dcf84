// GetObject: conditions, then the whole object, one range or one part, streamed with back-pressure.

import { type S3Request, sendEmpty, sendStream } from "../http/context.ts";
import { requestSse } from "../http/object-headers.ts";
import { planRead } from "../http/read-object.ts";
import { S3Error } from "../http/s3-error.ts";
import { assertReadable } from "../restore/state.ts";

export async function getObject(r: S3Request): Promise<void> {
  const sse = requestSse(r, { write: false });
  // A write that lands between planning and reading (same "null" version id) would put other bytes under
  // the headers already chosen: re-plan until the version read is the version planned.
  for (let attempt = 0; ; attempt++) {
    const plan = planRead(r);
    // An archived version is readable only as a restored copy (HEAD still answers).
    assertReadable(plan.rec, r.config.now());
    if (plan.stop === 304) return sendEmpty(r, 304, plan.headers);
    if (plan.stop === 412) throw new S3Error("PreconditionFailed", { extra: { Condition: "If-Match" } });
    const got = await r.engine.getObject({
      bucket: r.bucket!,
      key: r.key!,
      versionId: plan.rec.versionId,
      range: plan.range,
      sse,
    });
    if (got.record.writeId !== plan.rec.writeId && attempt < 3) {
      await got.close();
      continue;
    }
    if (got.record.writeId !== plan.rec.writeId) {
      await got.close();
      throw new S3Error("SlowDown", { message: "The object changed while it was being read; retry." });
    }
    return sendStream(r, plan.status, plan.headers, got.body);
  }
}
