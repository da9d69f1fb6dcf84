// The one place the browser area asks whether a principal (or an anonymous caller) may perform an
// action: POST uploads once the form's signature is verified, website reads as anonymous.
//
// TEMPORARY (until access/authorize.ts exports authorizeAction): only the bucket's owner is allowed,
// anonymous callers never. Switch to `authorizeAction(r, action, principal)` when it lands.

import type { S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";

/** Throws AccessDenied unless `principal` (undefined: anonymous) may do `action` on r's bucket / key. */
export async function authorizeBrowserAction(
  r: S3Request,
  action: string,
  principal: string | undefined,
): Promise<void> {
  void action;
  const rec = r.bucketRecord ?? r.engine.getBucket(r.bucket!);
  if (!rec) throw new S3Error("NoSuchBucket", { extra: { BucketName: r.bucket! } });
  if (principal === undefined || rec.owner !== principal) throw new S3Error("AccessDenied");
}

/** authorizeBrowserAction as a yes / no. */
export async function mayBrowser(
  r: S3Request,
  action: string,
  principal: string | undefined,
): Promise<boolean> {
  try {
    await authorizeBrowserAction(r, action, principal);
    return true;
  } catch (e) {
    if (e instanceof S3Error && e.code === "AccessDenied") return false;
    throw e;
  }
}
