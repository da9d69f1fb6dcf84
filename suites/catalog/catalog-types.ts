// The catalog's core types, apart from catalog.ts so the section modules in operations/ can import them
// without an import cycle. catalog.ts re-exports them.

export const SCOPES = ["core", "extended", "aws-only"] as const;
export type Scope = (typeof SCOPES)[number];

export const AREAS = [
  "buckets",
  "objects",
  "listing",
  "multipart",
  "checksums",
  "conditional",
  "copy",
  "ranges",
  "metadata",
  "tagging",
  "versioning",
  "object-lock",
  "lifecycle",
  "encryption",
  "sigv4",
  "sigv2",
  "presigned",
  "post-upload",
  "policy",
  "acl",
  "ownership",
  "public-access-block",
  "cors",
  "website",
  "logging",
  "configuration",
  "select",
  "restore",
  "errors",
  "tls",
  "network",
] as const;
export type Area = (typeof AREAS)[number];

export interface CatalogEntry {
  readonly operation: string;
  readonly scope: Scope;
  readonly area: Area;
  readonly reason: string;
  readonly checks: readonly string[];
}
