// Per-bucket roles bound through the management API (iam/accounts.ts bindings), as IAM action sets:
// Reader lists and downloads, Writer also writes and deletes objects, Maintainer also manages the
// bucket's permissions, policy and configuration. Only the bucket's owner may delete the bucket.

import type { Role } from "../iam/accounts.ts";

const READ = [
  "s3:ListBucket",
  "s3:ListBucketVersions",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
  "s3:GetBucketLocation",
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "s3:GetObjectVersionAttributes",
  "s3:GetObjectTagging",
  "s3:GetObjectVersionTagging",
];

const WRITE = [
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:AbortMultipartUpload",
  "s3:PutObjectTagging",
  "s3:PutObjectVersionTagging",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
  "s3:RestoreObject",
];

const READER: ReadonlySet<string> = new Set(READ);
const WRITER: ReadonlySet<string> = new Set([...READ, ...WRITE]);

/** Actions no role grants: the bucket itself belongs to its owner. */
const OWNER_ONLY: ReadonlySet<string> = new Set(["s3:DeleteBucket"]);

/** Does this role allow this IAM action? Maintainer: every bucket and object action but DeleteBucket. */
export function roleAllows(role: Role, iamAction: string): boolean {
  if (role === "Reader") return READER.has(iamAction);
  if (role === "Writer") return WRITER.has(iamAction);
  return iamAction.startsWith("s3:") && !OWNER_ONLY.has(iamAction) && iamAction !== "s3:CreateBucket";
}

/** The action sets, for docs and tests. */
export const ROLE_ACTIONS = { Reader: READ, Writer: [...READ, ...WRITE] } as const;
