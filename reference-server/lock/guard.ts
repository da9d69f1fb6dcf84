// Who may bypass GOVERNANCE retention, and the guard every version-removing path hands the engine so the
// lock check runs under the key lock, atomically with the removal.

import { permits } from "../access/authorize.ts";
import { header, type S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { lockBlocksDelete } from "./state.ts";

/**
 * The request asks to bypass GOVERNANCE retention (x-amz-bypass-governance-retention: true) and its
 * principal holds s3:BypassGovernanceRetention. Today that is the bucket's owner; this is the one place
 * the access rules refine it (policies, roles).
 */
export function mayBypassGovernance(r: S3Request): boolean {
  if (header(r, "x-amz-bypass-governance-retention")?.trim().toLowerCase() !== "true") return false;
  // s3:BypassGovernanceRetention as the access rules grant it (owner, Maintainer role, bucket policy).
  return r.bucketRecord !== undefined && permits(r, "s3:BypassGovernanceRetention");
}

/** AWS's answer to removing or weakening a locked version. */
export function objectLockedError(): S3Error {
  return new S3Error("AccessDenied", { message: "Access Denied because object protected by object lock." });
}

/**
 * The engine guard of a delete: throws objectLockedError when the version is under legal hold or
 * retention (`now` read when the engine holds the key lock). Delete markers carry no lock.
 */
export function lockGuard(now: () => number, bypassGovernance: boolean): (rec: ObjectVersionRecord) => void {
  return (rec) => {
    if (lockBlocksDelete(rec, now(), bypassGovernance) !== undefined) throw objectLockedError();
  };
}

/** The guard for a delete request: its clock and its bypass right. */
export function deleteGuard(r: S3Request): (rec: ObjectVersionRecord) => void {
  return lockGuard(r.config.now, mayBypassGovernance(r));
}
