// Access control lists: the stored model (bucket attrs.acl, version attrs.acl), canned ACLs, the
// x-amz-grant-* header form, AWS's "public" test and what each permission lets a grantee do.

import { header, type S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";

export const PERMISSIONS = ["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
export const LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
export const GROUPS: readonly string[] = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];

export type Grantee =
  | { type: "CanonicalUser"; id: string }
  | { type: "Group"; uri: string }
  | { type: "AmazonCustomerByEmail"; email: string };

export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

/** An ACL as stored: the resource owner (an account id, also its canonical id) and its grants. */
export interface Acl {
  owner: string;
  grants: Grant[];
}

export const BUCKET_CANNED = [
  "private",
  "public-read",
  "public-read-write",
  "authenticated-read",
  "log-delivery-write",
] as const;
export const OBJECT_CANNED = [
  "private",
  "public-read",
  "public-read-write",
  "authenticated-read",
  "aws-exec-read",
  "bucket-owner-read",
  "bucket-owner-full-control",
] as const;

const user = (id: string, permission: Permission): Grant => ({
  grantee: { type: "CanonicalUser", id },
  permission,
});
const group = (uri: string, permission: Permission): Grant => ({
  grantee: { type: "Group", uri },
  permission,
});

/**
 * A canned ACL's grants. `owner` is the resource's owner; `bucketOwner` matters for the bucket-owner-*
 * object ACLs. aws-exec-read's extra grantee (Amazon EC2) has no counterpart here: the owner's grant only.
 */
export function cannedAcl(name: string, owner: string, bucketOwner: string): Acl {
  const grants = [user(owner, "FULL_CONTROL")];
  if (name === "public-read" || name === "public-read-write") grants.push(group(ALL_USERS, "READ"));
  if (name === "public-read-write") grants.push(group(ALL_USERS, "WRITE"));
  if (name === "authenticated-read") grants.push(group(AUTHENTICATED_USERS, "READ"));
  if (name === "log-delivery-write")
    grants.push(group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP"));
  if (name === "bucket-owner-read" && bucketOwner !== owner) grants.push(user(bucketOwner, "READ"));
  if (name === "bucket-owner-full-control" && bucketOwner !== owner)
    grants.push(user(bucketOwner, "FULL_CONTROL"));
  return { owner, grants };
}

const GRANT_HEADERS: ReadonlyArray<readonly [string, Permission]> = [
  ["x-amz-grant-full-control", "FULL_CONTROL"],
  ["x-amz-grant-read", "READ"],
  ["x-amz-grant-write", "WRITE"],
  ["x-amz-grant-read-acp", "READ_ACP"],
  ["x-amz-grant-write-acp", "WRITE_ACP"],
];

/** What a request says about the ACL through headers: a canned name, explicit grants, or nothing. */
export type HeaderAcl = { kind: "canned"; name: string } | { kind: "grants"; grants: Grant[] } | undefined;

/** x-amz-acl / x-amz-grant-*, validated; both at once is refused as AWS does. */
export function headerAcl(r: S3Request, level: "bucket" | "object"): HeaderAcl {
  const canned = header(r, "x-amz-acl");
  const grants: Grant[] = [];
  for (const [name, permission] of GRANT_HEADERS) {
    const v = header(r, name);
    if (v !== undefined) for (const g of parseGrantHeader(name, v)) grants.push({ grantee: g, permission });
  }
  const hasGrantHeaders = GRANT_HEADERS.some(([name]) => header(r, name) !== undefined);
  if (canned !== undefined && hasGrantHeaders) {
    throw new S3Error("InvalidRequest", {
      message: "Specifying both Canned ACLs and Header Grants is not allowed",
    });
  }
  if (canned !== undefined) {
    const allowed: readonly string[] = level === "bucket" ? BUCKET_CANNED : OBJECT_CANNED;
    if (!allowed.includes(canned)) {
      throw new S3Error("InvalidArgument", {
        message: level === "bucket" ? "Invalid canned ACL" : "Invalid canned ACL",
        extra: { ArgumentName: "x-amz-acl", ArgumentValue: canned },
      });
    }
    return { kind: "canned", name: canned };
  }
  return hasGrantHeaders ? { kind: "grants", grants } : undefined;
}

/** `id="...", uri="...", emailAddress="..."`, comma separated. */
function parseGrantHeader(name: string, value: string): Grantee[] {
  const out: Grantee[] = [];
  const bad = () =>
    new S3Error("InvalidArgument", {
      message: "Invalid grant header value",
      extra: { ArgumentName: name, ArgumentValue: value },
    });
  const re = /\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(,|$)/y;
  let at = 0;
  while (at < value.length) {
    re.lastIndex = at;
    const m = re.exec(value);
    if (!m) throw bad();
    const [, type, v] = m as unknown as [string, string, string];
    const t = type.toLowerCase();
    if (t === "id") out.push({ type: "CanonicalUser", id: v });
    else if (t === "uri") out.push({ type: "Group", uri: v });
    else if (t === "emailaddress") out.push({ type: "AmazonCustomerByEmail", email: v });
    else throw bad();
    at = re.lastIndex;
  }
  if (out.length === 0) throw bad();
  return out;
}

/**
 * Grantees must name something that exists: a known group, an existing account. Email grantees resolve
 * to no account here (accounts carry no e-mail address), which is AWS's UnresolvableGrantByEmailAddress.
 */
export function validateGrantees(grants: readonly Grant[], accountExists: (id: string) => boolean): void {
  for (const { grantee } of grants) {
    if (grantee.type === "Group" && !GROUPS.includes(grantee.uri)) {
      throw new S3Error("InvalidArgument", {
        message: "Invalid group uri",
        extra: { ArgumentName: "uri", ArgumentValue: grantee.uri },
      });
    }
    if (grantee.type === "CanonicalUser" && !accountExists(grantee.id)) {
      throw new S3Error("InvalidArgument", {
        message: "Invalid id",
        extra: { ArgumentName: "CanonicalUser/ID", ArgumentValue: grantee.id },
      });
    }
    if (grantee.type === "AmazonCustomerByEmail") {
      throw new S3Error("UnresolvableGrantByEmailAddress", { extra: { EmailAddress: grantee.email } });
    }
  }
}

const isPublicGrantee = (g: Grantee) =>
  g.type === "Group" && (g.uri === ALL_USERS || g.uri === AUTHENTICATED_USERS);

/** AWS's test: an ACL is public when it grants anything to AllUsers or AuthenticatedUsers. */
export function isPublicAcl(acl: Pick<Acl, "grants">): boolean {
  return acl.grants.some((g) => isPublicGrantee(g.grantee));
}

/** Under BucketOwnerEnforced only ACLs that give the bucket owner full control (and nothing else) pass. */
export function isOwnerFullControlOnly(acl: Pick<Acl, "grants">, bucketOwner: string): boolean {
  return acl.grants.every(
    (g) =>
      g.permission === "FULL_CONTROL" && g.grantee.type === "CanonicalUser" && g.grantee.id === bucketOwner,
  );
}

/** An ACL read defensively from attrs (records are JSON from disk). */
export function storedAcl(v: unknown): Acl | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const a = v as Partial<Acl>;
  if (typeof a.owner !== "string" || !Array.isArray(a.grants)) return undefined;
  return { owner: a.owner, grants: a.grants };
}

/** Does `acl` give `permission` to this caller (undefined: anonymous)? FULL_CONTROL implies every one. */
export function aclGrants(
  acl: Acl,
  caller: string | undefined,
  permission: Permission,
  opts: { ignorePublic: boolean },
): boolean {
  // The owner of a resource may always read and write its ACL.
  if (
    caller !== undefined &&
    caller === acl.owner &&
    (permission === "READ_ACP" || permission === "WRITE_ACP")
  )
    return true;
  return acl.grants.some((g) => {
    if (g.permission !== permission && g.permission !== "FULL_CONTROL") return false;
    if (opts.ignorePublic && isPublicGrantee(g.grantee)) return false;
    const e = g.grantee;
    if (e.type === "CanonicalUser") return caller !== undefined && e.id === caller;
    if (e.type === "Group")
      return e.uri === ALL_USERS || (e.uri === AUTHENTICATED_USERS && caller !== undefined);
    return false;
  });
}

/** The bucket-ACL permission an IAM action needs (bucket-level actions and object writes). */
export const BUCKET_ACL_PERMISSION: Readonly<Record<string, Permission>> = {
  "s3:ListBucket": "READ",
  "s3:ListBucketVersions": "READ",
  "s3:ListBucketMultipartUploads": "READ",
  "s3:PutObject": "WRITE",
  "s3:DeleteObject": "WRITE",
  "s3:DeleteObjectVersion": "WRITE",
  "s3:AbortMultipartUpload": "WRITE",
  "s3:GetBucketAcl": "READ_ACP",
  "s3:PutBucketAcl": "WRITE_ACP",
};

/** The object-ACL permission an IAM action needs. */
export const OBJECT_ACL_PERMISSION: Readonly<Record<string, Permission>> = {
  "s3:GetObject": "READ",
  "s3:GetObjectVersion": "READ",
  "s3:GetObjectAttributes": "READ",
  "s3:GetObjectVersionAttributes": "READ",
  "s3:GetObjectTorrent": "READ",
  "s3:GetObjectAcl": "READ_ACP",
  "s3:GetObjectVersionAcl": "READ_ACP",
  "s3:PutObjectAcl": "WRITE_ACP",
  "s3:PutObjectVersionAcl": "WRITE_ACP",
};
