// Authorization: runs once per request, after authentication and routing, before the handler. It
// decides whether the request's principal (or an anonymous caller) may perform the route's action on
// the bucket / object, and loads the bucket record for routes that need one. The decision itself is
// access/evaluate.ts; the order is described in docs/access.md.

import type { S3Request } from "../http/context.ts";
import type { Route } from "../http/route-key.ts";
import { S3Error } from "../http/s3-error.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import { iamAction } from "./actions.ts";
import { evaluateAccess, findVersion } from "./evaluate.ts";
import { checkNetwork } from "./network.ts";

/** Actions whose request is authenticated by the handler itself (the POST form's own signature). */
const HANDLER_AUTHORIZED: ReadonlySet<string> = new Set(["PostObject"]);

/**
 * Actions authorized key by key in the handler (DeleteObjects: each key is s3:DeleteObject on that key
 * and fails on its own with AccessDenied, as AWS answers); here only the bucket and its network.
 */
const PER_KEY: ReadonlySet<string> = new Set(["DeleteObjects"]);

export async function authorize(r: S3Request, route: Route): Promise<void> {
  if (HANDLER_AUTHORIZED.has(route.action)) return;
  const principal = r.auth.kind === "signed" ? r.principal : undefined;
  if (route.access === "signed") {
    // ListBuckets, CreateBucket: any signed account, never an anonymous caller.
    if (principal === undefined) throw new S3Error("AccessDenied");
    return;
  }
  const rec = loadBucket(r, r.bucket!);
  if (PER_KEY.has(route.action)) checkNetwork(r, rec);
  else decide(r, rec, route.action, principal, r.key, objectVersion(r, route.action));
  // x-amz-expected-bucket-owner guards a client against writing into a bucket it did not mean.
  const expected = r.req.headers["x-amz-expected-bucket-owner"];
  if (expected !== undefined && expected !== rec.owner) throw new S3Error("AccessDenied");
  r.bucketRecord = rec;
}

/**
 * For handlers that authorize on their own (POST uploads once the form's signature is verified, website
 * reads as anonymous): throws AccessDenied unless `principal` (undefined: anonymous) may perform the API
 * `action` on r's bucket and `key` (default r.key). Network access is enforced too; r.bucketRecord is set.
 */
export async function authorizeAction(
  r: S3Request,
  action: string,
  principal: string | undefined,
  key: string | undefined = r.key,
): Promise<void> {
  const rec = r.bucketRecord ?? loadBucket(r, r.bucket!);
  decide(r, rec, action, principal, key, objectVersion(r, action));
  r.bucketRecord = rec;
}

/**
 * May the request's caller perform this IAM action on its bucket (and key)? Synchronous, for checks made
 * inside a handler (s3:BypassGovernanceRetention). Never throws for a denial.
 */
export function permits(
  r: S3Request,
  iam: string,
  key: string | undefined = r.key,
  versionId: string | undefined = r.query.get("versionId") ?? undefined,
): boolean {
  const rec = r.bucketRecord ?? r.engine.getBucket(r.bucket ?? "");
  if (!rec) return false;
  return evaluateAccess(r, {
    bucket: rec,
    principal: r.auth.kind === "signed" ? r.principal : undefined,
    apiAction: r.action,
    iam,
    key,
    versionId,
  }).allowed;
}

/**
 * The copy source of CopyObject / UploadPartCopy is read with s3:GetObject (s3:GetObjectVersion for a
 * version) on the source bucket, whose network rules apply too.
 */
export function authorizeCopySource(
  r: S3Request,
  source: BucketRecord,
  key: string,
  versionId: string | undefined,
): void {
  checkNetwork(r, source);
  const verdict = evaluateAccess(r, {
    bucket: source,
    principal: r.auth.kind === "signed" ? r.principal : undefined,
    apiAction: "GetObject",
    iam: iamAction("GetObject", versionId),
    key,
    versionId,
  });
  if (!verdict.allowed) throw new S3Error("AccessDenied");
  // The source's counterpart of x-amz-expected-bucket-owner.
  const expected = r.req.headers["x-amz-source-expected-bucket-owner"];
  if (expected !== undefined && expected !== source.owner) throw new S3Error("AccessDenied");
}

function loadBucket(r: S3Request, name: string): BucketRecord {
  const rec = r.engine.getBucket(name);
  if (!rec) throw new S3Error("NoSuchBucket", { extra: { BucketName: name } });
  return rec;
}

function decide(
  r: S3Request,
  rec: BucketRecord,
  action: string,
  principal: string | undefined,
  key: string | undefined,
  versionId: string | undefined,
): void {
  checkNetwork(r, rec);
  const verdict = evaluateAccess(r, {
    bucket: rec,
    principal,
    apiAction: action,
    iam: iamAction(action, versionId),
    key,
    versionId,
  });
  if (!verdict.allowed) throw new S3Error("AccessDenied");
  // AWS: a read of a missing key is 404 only for callers who may list the bucket; others learn nothing
  // about which keys exist and get 403.
  if (
    key !== undefined &&
    versionId === undefined &&
    READS_REVEALING_ABSENCE.has(action) &&
    (verdict.via !== "owner" || typeof rec.attrs.policy === "string") &&
    findVersion(r, rec.name, key, undefined) === undefined
  ) {
    const list = evaluateAccess(r, {
      bucket: rec,
      principal,
      apiAction: "ListObjectsV2",
      iam: "s3:ListBucket",
    });
    if (!list.allowed) throw new S3Error("AccessDenied");
  }
}

/** Reads whose answer for a missing key depends on s3:ListBucket. */
const READS_REVEALING_ABSENCE: ReadonlySet<string> = new Set([
  "GetObject",
  "HeadObject",
  "GetObjectAttributes",
]);

/** The version an object-level request names (`?versionId=`), which picks the *Version IAM actions. */
function objectVersion(r: S3Request, action: string): string | undefined {
  if (r.key === undefined && action !== "PostObject") return undefined;
  const v = r.query.get("versionId");
  return v === null || v === "" ? undefined : v;
}
