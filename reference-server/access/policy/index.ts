// Bucket policies: the IAM policy language as pure functions (no I/O). parseBucketPolicy validates as
// AWS S3 does; evaluateBucketPolicy decides one request; isPublicPolicy is AWS's "public" test.
// access/authorize.ts enforces the decision; api/policy stores the text.

import { type Decision, evaluate } from "./evaluate.ts";
import { type ParsedPolicy, parsePolicyDocument } from "./parse.ts";
import { isPublic } from "./public.ts";

export type { ConditionClause } from "./conditions.ts";
export { MAX_POLICY_BYTES, type PrincipalSpec, type Statement } from "./parse.ts";

export interface BucketPolicy extends ParsedPolicy {
  /** The document exactly as the client sent it (GetBucketPolicy returns it). */
  readonly text: string;
}

/**
 * Validates as AWS does; throws S3Error("MalformedPolicy", { message }) with AWS's message, e.g.
 * "Policies must be valid JSON and the first byte must be '{'", "Invalid principal in policy",
 * "Action does not apply to any resource(s) in statement", "Policy has invalid resource".
 */
export function parseBucketPolicy(text: string, bucket: string): BucketPolicy {
  return { text, ...parsePolicyDocument(text, bucket) };
}

export interface PolicyRequest {
  /** Every form the caller matches as a Principal (account id, "arn:aws:iam::<id>:root", canonical id); empty when anonymous. */
  principals: readonly string[];
  anonymous: boolean;
  /** IAM action, e.g. "s3:GetObject", "s3:ListBucket". */
  action: string;
  /** "arn:aws:s3:::bucket" or "arn:aws:s3:::bucket/key". */
  resource: string;
  /** Condition keys, lower-cased ("aws:sourceip", "s3:prefix", ...) → values; absent key = not present. */
  conditions: ReadonlyMap<string, readonly string[]>;
}

export type PolicyDecision = Decision;

/** "Deny" if an applying statement denies (explicit Deny wins), else "Allow" if one allows, else "NoMatch". */
export function evaluateBucketPolicy(p: BucketPolicy, req: PolicyRequest): PolicyDecision {
  return evaluate(p, req);
}

/** AWS's "public" test (GetBucketPolicyStatus, Block Public Access BlockPublicPolicy / RestrictPublicBuckets). */
export function isPublicPolicy(p: BucketPolicy): boolean {
  return isPublic(p);
}
