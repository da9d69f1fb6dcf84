// Catalog rows: policy, ACLs and ownership, public access block.
// The conventions are in ../catalog.ts, which spreads these rows into CATALOG in their original order.

import type { CatalogEntry } from "../catalog-types.ts";

export const ACCESS = [
  // ── policy ─────────────────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketPolicy",
    scope: "extended",
    area: "policy",
    reason:
      "IAM-language bucket policies; a complete service evaluates them, basic ones only store or lack them",
    checks: [
      "put-bucket-policy.grants-other-account",
      "put-bucket-policy.explicit-deny-wins",
      "put-bucket-policy.anonymous-public-read",
      "put-bucket-policy.condition-source-ip",
      "put-bucket-policy.condition-secure-transport",
      "put-bucket-policy.condition-prefix",
      "put-bucket-policy.owner-keeps-policy-access",
      "put-bucket-policy.malformed-refused",
    ],
  },
  {
    operation: "GetBucketPolicy",
    scope: "extended",
    area: "policy",
    reason: "Read side of bucket policy, scoped with its write side",
    checks: ["get-bucket-policy.returns-policy", "get-bucket-policy.not-configured"],
  },
  {
    operation: "DeleteBucketPolicy",
    scope: "extended",
    area: "policy",
    reason: "Delete side of bucket policy, scoped with its write side",
    checks: ["delete-bucket-policy.removes-and-revokes", "delete-bucket-policy.idempotent"],
  },
  {
    operation: "GetBucketPolicyStatus",
    scope: "extended",
    area: "policy",
    reason: "Derived from the policy the service already evaluates",
    checks: [
      "get-bucket-policy-status.public-policy",
      "get-bucket-policy-status.private-policy",
      "get-bucket-policy-status.not-configured",
    ],
  },
  {
    operation: "PutBucketAbac",
    scope: "extended",
    area: "policy",
    reason: "Switches tag-based access control on a bucket; policy evaluation over tags the service holds",
    checks: ["put-bucket-abac.roundtrip", "put-bucket-abac.invalid-status-refused"],
  },
  {
    operation: "GetBucketAbac",
    scope: "extended",
    area: "policy",
    reason: "Read side of tag-based access control, scoped with its write side",
    checks: ["get-bucket-abac.default-disabled"],
  },

  // ── ACLs and ownership ─────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutBucketAcl",
    scope: "extended",
    area: "acl",
    reason: "Legacy access lists; AWS disables them by default, complete services still honour them",
    checks: [
      "put-bucket-acl.canned-public-read",
      "put-bucket-acl.grant-other-account",
      "put-bucket-acl.malformed-refused",
      "put-bucket-acl.refused-when-owner-enforced",
    ],
  },
  {
    operation: "GetBucketAcl",
    scope: "extended",
    area: "acl",
    reason: "Read side of bucket ACLs, scoped with its write side; tools read it even with ACLs disabled",
    checks: ["get-bucket-acl.default-owner-full-control", "get-bucket-acl.reflects-canned-acl"],
  },
  {
    operation: "PutObjectAcl",
    scope: "extended",
    area: "acl",
    reason: "Legacy per-object access lists, still used for public objects",
    checks: [
      "put-object-acl.canned-public-read",
      "put-object-acl.grant-headers",
      "put-object-acl.no-such-key",
      "put-object-acl.refused-when-owner-enforced",
    ],
  },
  {
    operation: "GetObjectAcl",
    scope: "extended",
    area: "acl",
    reason: "Read side of object ACLs, scoped with its write side",
    checks: ["get-object-acl.default-owner-full-control", "get-object-acl.reflects-acl-header-on-put"],
  },
  {
    operation: "PutBucketOwnershipControls",
    scope: "extended",
    area: "ownership",
    reason: "Object ownership decides whether ACLs apply; a complete service stores and enforces it",
    checks: [
      "put-bucket-ownership-controls.roundtrip",
      "put-bucket-ownership-controls.owner-enforced-disables-acls",
      "put-bucket-ownership-controls.invalid-refused",
    ],
  },
  {
    operation: "GetBucketOwnershipControls",
    scope: "extended",
    area: "ownership",
    reason: "Read side of object ownership, scoped with its write side",
    checks: [
      "get-bucket-ownership-controls.new-bucket-owner-enforced",
      "get-bucket-ownership-controls.returns-config",
    ],
  },
  {
    operation: "DeleteBucketOwnershipControls",
    scope: "extended",
    area: "ownership",
    reason: "Delete side of object ownership, scoped with its write side",
    checks: ["delete-bucket-ownership-controls.removes"],
  },

  // ── public access block ────────────────────────────────────────────────────────────────────────────
  {
    operation: "PutPublicAccessBlock",
    scope: "extended",
    area: "public-access-block",
    reason: "The guard against accidental public buckets; a complete service enforces all four flags",
    checks: [
      "put-public-access-block.block-public-acls",
      "put-public-access-block.ignore-public-acls",
      "put-public-access-block.block-public-policy",
      "put-public-access-block.restrict-public-buckets",
    ],
  },
  {
    operation: "GetPublicAccessBlock",
    scope: "extended",
    area: "public-access-block",
    reason: "Read side of public access block, scoped with its write side",
    checks: ["get-public-access-block.new-bucket-all-blocked", "get-public-access-block.returns-config"],
  },
  {
    operation: "DeletePublicAccessBlock",
    scope: "extended",
    area: "public-access-block",
    reason: "Delete side of public access block, scoped with its write side",
    checks: ["delete-public-access-block.removes"],
  },
] as const satisfies readonly CatalogEntry[];
