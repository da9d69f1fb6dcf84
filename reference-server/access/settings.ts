// Per-bucket access settings as stored in the bucket record's attrs, read defensively (records are JSON
// from disk): object ownership, public access block, ACL and network access.
//
//   attrs.objectOwnership   "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter" (absent: no
//                           ownership controls — a bucket from before them — which behaves as ObjectWriter)
//   attrs.publicAccessBlock { BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets }
//   attrs.acl               { owner, grants } (absent: private, owned by the bucket owner)
//   attrs.network           { mode: "private" | "public" | "custom", cidrs?: string[] } (absent: public)

import type { BucketRecord } from "../storage/index-db.ts";
import { type Acl, cannedAcl, storedAcl } from "./acl.ts";

export const OWNERSHIPS = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"] as const;
export type ObjectOwnership = (typeof OWNERSHIPS)[number];

/** The bucket's ownership controls, or undefined when it has none. */
export function ownershipControls(b: Pick<BucketRecord, "attrs">): ObjectOwnership | undefined {
  const v = b.attrs.objectOwnership;
  return OWNERSHIPS.includes(v as ObjectOwnership) ? (v as ObjectOwnership) : undefined;
}

/** The ownership in force: a bucket without controls behaves as ObjectWriter (ACLs enabled). */
export function objectOwnership(b: Pick<BucketRecord, "attrs">): ObjectOwnership {
  return ownershipControls(b) ?? "ObjectWriter";
}

export const aclsEnabled = (b: Pick<BucketRecord, "attrs">) => objectOwnership(b) !== "BucketOwnerEnforced";

export const PAB_FLAGS = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
] as const;
export type PublicAccessBlock = Record<(typeof PAB_FLAGS)[number], boolean>;

/** The stored configuration, or undefined when the bucket has none. */
export function publicAccessBlockConfig(b: Pick<BucketRecord, "attrs">): PublicAccessBlock | undefined {
  const v = b.attrs.publicAccessBlock;
  if (typeof v !== "object" || v === null) return undefined;
  const o = v as Record<string, unknown>;
  return {
    BlockPublicAcls: o.BlockPublicAcls === true,
    IgnorePublicAcls: o.IgnorePublicAcls === true,
    BlockPublicPolicy: o.BlockPublicPolicy === true,
    RestrictPublicBuckets: o.RestrictPublicBuckets === true,
  };
}

/** The flags in force (all off without a configuration). */
export function publicAccessBlock(b: Pick<BucketRecord, "attrs">): PublicAccessBlock {
  return (
    publicAccessBlockConfig(b) ?? {
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    }
  );
}

/** What a new bucket gets, as on AWS since April 2023: ACLs disabled and every public access blocked. */
export const NEW_BUCKET_DEFAULTS: Readonly<Record<string, unknown>> = {
  objectOwnership: "BucketOwnerEnforced",
  publicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
};

export function bucketAcl(b: Pick<BucketRecord, "attrs" | "owner">): Acl {
  return storedAcl(b.attrs.acl) ?? cannedAcl("private", b.owner, b.owner);
}

export const NETWORK_MODES = ["private", "public", "custom"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];
export interface NetworkAccess {
  mode: NetworkMode;
  cidrs: string[];
}

export function networkAccess(b: Pick<BucketRecord, "attrs">): NetworkAccess {
  const v = b.attrs.network as Partial<NetworkAccess> | undefined;
  if (!v || !NETWORK_MODES.includes(v.mode as NetworkMode)) return { mode: "public", cidrs: [] };
  return { mode: v.mode as NetworkMode, cidrs: Array.isArray(v.cidrs) ? v.cidrs.map(String) : [] };
}
