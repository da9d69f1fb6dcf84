// The one place the browser area asks whether a principal (or an anonymous caller) may perform an
// action: POST uploads once the form's signature is verified, website reads as anonymous. The decision
// is access/authorize.ts's (policies, roles, ACLs, public access block, network rules).

import { authorizeAction } from "../access/authorize.ts";
import type { S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";

/**
 * Throws AccessDenied unless `principal` (undefined: anonymous) may do the API `action` on r's bucket and
 * `key` (default r.key; a POST upload names its key in the form).
 */
export function authorizeBrowserAction(
  r: S3Request,
  action: string,
  principal: string | undefined,
  key: string | undefined = r.key,
): Promise<void> {
  return authorizeAction(r, action, principal, key);
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
