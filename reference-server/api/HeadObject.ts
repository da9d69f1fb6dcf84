// HeadObject: GetObject's headers (conditions, range, part, checksums) without the body.

import { type S3Request, sendEmpty } from "../http/context.ts";
import { planRead } from "../http/read-object.ts";

export async function headObject(r: S3Request): Promise<void> {
  const plan = planRead(r);
  if (plan.stop !== undefined) return sendEmpty(r, plan.stop, plan.headers);
  r.res.writeHead(plan.status, plan.headers);
  r.res.end();
}
