// Where ACLs are set: PutBucketAcl / PutObjectAcl (headers or body), and the x-amz-acl / x-amz-grant-*
// headers of CreateBucket, PutObject, CopyObject and CreateMultipartUpload. Object ownership and the
// public access block decide what is accepted, as on AWS.

import { readSmallBody, type S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import {
  type Acl,
  cannedAcl,
  type HeaderAcl,
  headerAcl,
  isOwnerFullControlOnly,
  isPublicAcl,
  validateGrantees,
} from "./acl.ts";
import { parseAccessControlPolicy } from "./acl-xml.ts";
import {
  NEW_BUCKET_DEFAULTS,
  type ObjectOwnership,
  OWNERSHIPS,
  objectOwnership,
  publicAccessBlock,
} from "./settings.ts";

function accountExists(r: S3Request): (id: string) => boolean {
  const dir = r.config.accounts;
  return (id) => (dir ? dir.findAccount(id) !== undefined : true);
}

function fromHeaders(h: NonNullable<HeaderAcl>, owner: string, bucketOwner: string): Acl {
  return h.kind === "canned" ? cannedAcl(h.name, owner, bucketOwner) : { owner, grants: h.grants };
}

/**
 * The ACL a PutBucketAcl / PutObjectAcl request asks for, checked against ownership controls and the
 * public access block. `owner` is the resource's current owner (kept: ACLs never change ownership).
 */
export async function requestedAcl(
  r: S3Request,
  level: "bucket" | "object",
  owner: string,
  bucket: BucketRecord,
): Promise<Acl> {
  const h = headerAcl(r, level);
  const { data } = await readSmallBody(r, 64 * 1024);
  const hasBody = data.toString("utf8").trim() !== "";
  if (h && hasBody) throw new S3Error("UnexpectedContent");
  let acl: Acl;
  if (h) acl = fromHeaders(h, owner, bucket.owner);
  else if (hasBody) {
    const doc = parseAccessControlPolicy(data.toString("utf8"));
    // An ACL document cannot hand the resource to someone else.
    if (doc.owner !== undefined && doc.owner !== owner) throw new S3Error("AccessDenied");
    acl = { owner, grants: doc.grants };
  } else {
    throw new S3Error("MissingSecurityHeader", { extra: { MissingHeaderName: "x-amz-acl" } });
  }
  validateGrantees(acl.grants, accountExists(r));
  if (objectOwnership(bucket) === "BucketOwnerEnforced" && !isOwnerFullControlOnly(acl, bucket.owner))
    throw new S3Error("AccessControlListNotSupported");
  if (publicAccessBlock(bucket).BlockPublicAcls && isPublicAcl(acl)) throw new S3Error("AccessDenied");
  return acl;
}

/**
 * The ACL attributes a new object version gets from its write request (PutObject, CopyObject,
 * CreateMultipartUpload): `{ acl }` when the object is not simply private to the bucket owner.
 * BucketOwnerEnforced: the bucket owner owns it and only owner-full-control ACLs are accepted;
 * BucketOwnerPreferred: the bucket owner owns it when the writer sends bucket-owner-full-control;
 * ObjectWriter: the writer owns it.
 */
export function writeAclAttrs(r: S3Request, bucket: BucketRecord): { acl?: Acl } {
  const h = headerAcl(r, "object");
  const writer = r.auth.kind === "signed" ? r.principal : bucket.owner;
  const ownership = objectOwnership(bucket);
  const owner =
    ownership === "BucketOwnerEnforced" ||
    (ownership === "BucketOwnerPreferred" && h?.kind === "canned" && h.name === "bucket-owner-full-control")
      ? bucket.owner
      : writer;
  const acl = h ? fromHeaders(h, owner, bucket.owner) : cannedAcl("private", owner, bucket.owner);
  if (ownership === "BucketOwnerEnforced") {
    if (!isOwnerFullControlOnly(acl, bucket.owner)) throw new S3Error("AccessControlListNotSupported");
    return {};
  }
  validateGrantees(acl.grants, accountExists(r));
  if (publicAccessBlock(bucket).BlockPublicAcls && isPublicAcl(acl)) throw new S3Error("AccessDenied");
  return h === undefined && owner === bucket.owner ? {} : { acl };
}

/** The access attributes of a new bucket: AWS's defaults, x-amz-object-ownership and any ACL headers. */
export function createBucketAccessAttrs(r: S3Request, owner: string): Record<string, unknown> {
  const given = r.req.headers["x-amz-object-ownership"];
  if (given !== undefined && !OWNERSHIPS.includes(given as ObjectOwnership)) {
    throw new S3Error("InvalidArgument", {
      message: "Invalid x-amz-object-ownership header: " + given,
      extra: { ArgumentName: "x-amz-object-ownership", ArgumentValue: String(given) },
    });
  }
  const ownership = (given as ObjectOwnership | undefined) ?? "BucketOwnerEnforced";
  const h = headerAcl(r, "bucket");
  const attrs: Record<string, unknown> = {
    ...structuredClone(NEW_BUCKET_DEFAULTS),
    objectOwnership: ownership,
  };
  if (!h) return attrs;
  const acl = fromHeaders(h, owner, owner);
  if (ownership === "BucketOwnerEnforced") {
    if (!isOwnerFullControlOnly(acl, owner)) throw new S3Error("InvalidBucketAclWithObjectOwnership");
    return attrs;
  }
  validateGrantees(acl.grants, accountExists(r));
  // New buckets block public access: a public ACL cannot be set at creation.
  if (isPublicAcl(acl)) throw new S3Error("InvalidBucketAclWithBlockPublicAccessError");
  return { ...attrs, acl };
}
