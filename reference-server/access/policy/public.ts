// AWS's "public" test for bucket policies (GetBucketPolicyStatus, Block Public Access): a policy is public
// unless every Allow statement either names fixed principals or is restricted by a condition that pins
// one of the keys AWS lists to fixed values (no wildcard, no policy variable). Deny statements never make
// a policy public.

import type { ConditionClause } from "./conditions.ts";
import { hasVariable, hasWildcard } from "./glob.ts";
import { parseCidr } from "./ip.ts";
import type { ParsedPolicy, Statement } from "./parse.ts";

// Keys whose fixed values restrict who can use a grant (lower-cased).
const RESTRICTING_KEYS = new Set([
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalservicename",
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceip",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourceowner",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:userid",
  "s3:dataaccesspointaccount",
  "s3:dataaccesspointarn",
]);

// Operators that pin a key to the listed values when those values are fixed.
const PINNING = new Set([
  "stringequals",
  "stringequalsignorecase",
  "stringlike",
  "arnequals",
  "arnlike",
  "ipaddress",
]);

export function isPublic(p: ParsedPolicy): boolean {
  return p.statements.some((s) => s.effect === "Allow" && publicStatement(s));
}

function publicStatement(s: Statement): boolean {
  // NotPrincipal with Allow grants everyone but the listed principals.
  const open = s.notPrincipal || s.principal.wildcard;
  if (!open) return false;
  return !s.conditions.some(restricts);
}

function restricts(c: ConditionClause): boolean {
  // IfExists passes when the key is absent; ForAllValues passes on an empty set: neither restricts.
  if (c.ifExists || c.qualifier === "ForAllValues" || !PINNING.has(c.base)) return false;
  if (!RESTRICTING_KEYS.has(c.key)) return false;
  return c.values.every((v) => {
    if (hasVariable(v)) return false;
    if (c.base === "ipaddress") return parseCidr(v)?.prefix !== 0;
    // aws:userid pins a role's sessions only with "AROLEID:*", which AWS still counts as fixed.
    if (c.key === "aws:userid") return !hasWildcard(v.replace(/:\*$/, ""));
    return !hasWildcard(v);
  });
}
