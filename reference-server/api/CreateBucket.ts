// CreateBucket: PUT /bucket with an optional CreateBucketConfiguration (location constraint).

import { createBucketAccessAttrs } from "../access/acl-write.ts";
import { header, readSmallBody, type S3Request, sendEmpty } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import { parseXml, xmlText } from "../http/xml.ts";
import { isStorageError } from "../storage/errors.ts";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** S3's general-purpose bucket naming rules; undefined when valid, else why not. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "must be between 3 and 63 characters long";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return "may only hold lower-case letters, digits, dots and hyphens, and begin and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (IPV4.test(name)) return "must not be formatted as an IP address";
  for (const p of ["xn--", "sthree-", "amzn-s3-demo-"])
    if (name.startsWith(p)) return `must not start with ${p}`;
  for (const s of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"])
    if (name.endsWith(s)) return `must not end with ${s}`;
  return undefined;
}

export async function createBucket(r: S3Request): Promise<void> {
  const name = r.bucket!;
  const problem = bucketNameProblem(name);
  if (problem)
    throw new S3Error("InvalidBucketName", {
      message: `The specified bucket is not valid: it ${problem}.`,
      extra: { BucketName: name },
    });
  const { data } = await readSmallBody(r, 64 * 1024);
  let location: string | undefined;
  if (data.length > 0) {
    const doc = parseXml(data.toString("utf8"), "CreateBucketConfiguration");
    location = xmlText(doc, "LocationConstraint");
  }
  const region = location || r.config.region;
  // us-east-1 is the implicit default: AWS refuses it when spelled out as a constraint.
  if (location === "us-east-1" || !r.config.regions.includes(region)) {
    throw new S3Error("InvalidLocationConstraint", {
      message: `The specified location-constraint is not valid: ${region}`,
      extra: { LocationConstraint: region },
    });
  }
  const existing = r.engine.getBucket(name);
  if (existing) throw alreadyExists(existing.owner === r.principal, name);
  const owned = r.engine.listBuckets().filter((b) => b.owner === r.principal).length;
  if (owned >= r.config.maxBucketsPerOwner) throw new S3Error("TooManyBuckets");
  const lock = header(r, "x-amz-bucket-object-lock-enabled");
  // Ownership controls, public access block and any ACL headers (as AWS: ACLs disabled by default).
  const attrs = createBucketAccessAttrs(r, r.principal);
  try {
    await r.engine.createBucket({
      name,
      owner: r.principal,
      region,
      objectLock: lock?.toLowerCase() === "true",
      attrs,
    });
  } catch (e) {
    if (isStorageError(e, "BucketAlreadyExists")) throw alreadyExists(e.detail?.owner === r.principal, name);
    throw e;
  }
  sendEmpty(r, 200, { location: `/${name}` });
}

function alreadyExists(ownedByYou: boolean, name: string): S3Error {
  return new S3Error(ownedByYou ? "BucketAlreadyOwnedByYou" : "BucketAlreadyExists", {
    extra: { BucketName: name },
  });
}
