// The access decision for one (caller, IAM action, bucket, object) — synchronous and pure but for index
// reads. Order (docs/access.md):
//   1. an explicit Deny in the bucket policy refuses (the owner keeps Get/Put/DeleteBucketPolicy, so a
//      policy can never lock its owner out, as on AWS);
//   2. the bucket owner's account may do anything on its bucket;
//   3. a role bound to the caller on this bucket (management API) allows its actions;
//   4. a bucket policy Allow (a public policy counts only for the owner's account under
//      RestrictPublicBuckets);
//   5. an ACL grant (bucket ACL for bucket actions and object writes, object ACL for object reads and
//      ACL access), unless the bucket's ownership is BucketOwnerEnforced; IgnorePublicAcls ignores grants
//      to AllUsers / AuthenticatedUsers;
//   6. otherwise AccessDenied.

import type { S3Request } from "../http/context.ts";
import { tagsOf } from "../http/tagging.ts";
import type { Role } from "../iam/accounts.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import {
  type Acl,
  aclGrants,
  BUCKET_ACL_PERMISSION,
  cannedAcl,
  OBJECT_ACL_PERMISSION,
  storedAcl,
} from "./acl.ts";
import { resourceArn } from "./actions.ts";
import {
  type BucketPolicy,
  evaluateBucketPolicy,
  isPublicPolicy,
  parseBucketPolicy,
} from "./policy/index.ts";
import { conditionKeys } from "./request-keys.ts";
import { roleAllows } from "./roles.ts";
import { aclsEnabled, bucketAcl, publicAccessBlock } from "./settings.ts";

export interface AccessQuery {
  bucket: BucketRecord;
  /** Account of the caller; undefined when anonymous. */
  principal: string | undefined;
  /** The API action (`GetObject`), for the condition keys that depend on it. */
  apiAction: string;
  /** The IAM action asked about (`s3:GetObjectVersion`). */
  iam: string;
  /** The object acted on, for object-level actions. */
  key?: string;
  versionId?: string;
}

export type Verdict =
  | { allowed: true; via: "owner" | "role" | "policy" | "acl" }
  | { allowed: false; explicitDeny: boolean };

/** The policy actions a bucket's owner keeps whatever its policy says. */
const LOCKOUT_EXEMPT: ReadonlySet<string> = new Set([
  "s3:GetBucketPolicy",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
]);

export function evaluateAccess(r: S3Request, q: AccessQuery): Verdict {
  const { bucket, principal, iam } = q;
  const owner = principal !== undefined && principal === bucket.owner;
  const policy = policyOf(bucket);
  let policyDecision: "Allow" | "Deny" | "NoMatch" = "NoMatch";
  if (policy) {
    const mentionsTags = policy.text.toLowerCase().includes("s3:existingobjecttag/");
    const conditions = conditionKeys(r, {
      principal,
      apiAction: q.apiAction,
      bucketOwner: bucket.owner,
      existingTags:
        mentionsTags && q.key !== undefined
          ? () => {
              const v = findVersion(r, bucket.name, q.key!, q.versionId);
              return v ? tagsOf(v) : undefined;
            }
          : undefined,
    });
    policyDecision = evaluateBucketPolicy(policy, {
      principals: principal === undefined ? [] : [principal, `arn:aws:iam::${principal}:root`],
      anonymous: principal === undefined,
      action: iam,
      resource: resourceArn(bucket.name, q.key),
      conditions,
    });
    if (policyDecision === "Deny" && !(owner && LOCKOUT_EXEMPT.has(iam)))
      return { allowed: false, explicitDeny: true };
  }
  if (owner) {
    // With ACLs enabled, an object another account wrote (and kept) is that account's: the bucket owner
    // reads it, or its ACL, only through a grant on it, as on AWS (deleting it stays the owner's right).
    if (!(aclsEnabled(bucket) && objectOwnedByOther(r, q))) return { allowed: true, via: "owner" };
    const pab = publicAccessBlock(bucket);
    return aclAllows(r, q, pab.IgnorePublicAcls)
      ? { allowed: true, via: "acl" }
      : { allowed: false, explicitDeny: false };
  }
  if (principal !== undefined && roleOf(r, bucket.name, principal, iam))
    return { allowed: true, via: "role" };
  const pab = publicAccessBlock(bucket);
  if (policyDecision === "Allow") {
    // RestrictPublicBuckets: a public policy only serves the owner's account (and AWS services).
    if (!(pab.RestrictPublicBuckets && isPublicPolicy(policy!))) return { allowed: true, via: "policy" };
  }
  if (aclsEnabled(bucket) && aclAllows(r, q, pab.IgnorePublicAcls)) return { allowed: true, via: "acl" };
  return { allowed: false, explicitDeny: false };
}

function roleOf(r: S3Request, bucket: string, principal: string, iam: string): boolean {
  const bindings = r.config.accounts?.listBindings({ bucket, accountId: principal }) ?? [];
  return bindings.some((b) => roleAllows(b.role as Role, iam));
}

function aclAllows(r: S3Request, q: AccessQuery, ignorePublic: boolean): boolean {
  const opts = { ignorePublic };
  const bucketPerm = BUCKET_ACL_PERMISSION[q.iam];
  if (bucketPerm && aclGrants(bucketAcl(q.bucket), q.principal, bucketPerm, opts)) return true;
  const objectPerm = OBJECT_ACL_PERMISSION[q.iam];
  if (!objectPerm || q.key === undefined) return false;
  const v = findVersion(r, q.bucket.name, q.key, q.versionId);
  return v !== undefined && aclGrants(objectAcl(v, q.bucket), q.principal, objectPerm, opts);
}

/** An object-level read or ACL action on a version whose ACL names another owner than the bucket's. */
function objectOwnedByOther(r: S3Request, q: AccessQuery): boolean {
  if (OBJECT_ACL_PERMISSION[q.iam] === undefined || q.key === undefined) return false;
  const v = findVersion(r, q.bucket.name, q.key, q.versionId);
  return v !== undefined && objectAcl(v, q.bucket).owner !== q.bucket.owner;
}

/** A version's ACL: stored, or private to its owner (the bucket owner when no writer was recorded). */
export function objectAcl(v: Pick<ObjectVersionRecord, "attrs">, bucket: Pick<BucketRecord, "owner">): Acl {
  return storedAcl(v.attrs.acl) ?? cannedAcl("private", bucket.owner, bucket.owner);
}

/** The version a request names (latest when none), or undefined when there is no such object. */
export function findVersion(
  r: S3Request,
  bucket: string,
  key: string,
  versionId: string | undefined,
): ObjectVersionRecord | undefined {
  const all = r.engine.versionsOf(bucket, key);
  const v = versionId === undefined ? all[0] : all.find((x) => x.versionId === versionId);
  return v && !v.deleteMarker ? v : undefined;
}

// Parsed policies by bucket and text: parsing on every request would cost more than evaluating.
const policies = new Map<string, BucketPolicy | null>();

function policyOf(bucket: BucketRecord): BucketPolicy | undefined {
  const text = bucket.attrs.policy;
  if (typeof text !== "string" || text === "") return undefined;
  const id = `${bucket.name}\n${text}`;
  let p = policies.get(id);
  if (p === undefined) {
    try {
      p = parseBucketPolicy(text, bucket.name);
    } catch {
      // Stored policies were validated when put; one that no longer parses grants nothing.
      p = null;
    }
    if (policies.size >= 256) policies.delete(policies.keys().next().value!);
    policies.set(id, p);
  }
  return p ?? undefined;
}
