// What the four object-annotation actions share: the annotation name rules, the target version, the
// x-amz-object-if-match precondition and the response headers naming the object version.

import { bucketOf, queryValue, type S3Request, versionIdParam } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { AnnotationTarget } from "../../storage/annotations.ts";
import type { ObjectVersionRecord } from "../../storage/meta-record.ts";

export const MAX_NAME_BYTES = 512;
export const MAX_PAYLOAD_BYTES = 1 << 20;
export const MAX_ANNOTATIONS = 1000;

/**
 * `annotationName`: 1 to 512 bytes of UTF-8 (AnnotationNameTooLong beyond), not starting with `aws` or
 * `s3` in any case (those prefixes are AWS's), no control characters (InvalidAnnotationName).
 */
export function annotationName(r: S3Request): string {
  const name = queryValue(r, "annotationName");
  if (name === undefined || name === "") {
    throw new S3Error("InvalidAnnotationName", { message: "The annotation name must not be empty." });
  }
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) throw new S3Error("AnnotationNameTooLong");
  if (/^(aws|s3)/i.test(name)) {
    throw new S3Error("InvalidAnnotationName", {
      message: "Annotation names cannot start with 'aws' or 's3'.",
    });
  }
  // Lone surrogates (invalid UTF-8 once decoded) and control characters are not names.
  if (!name.isWellFormed() || /\p{Cc}/u.test(name)) throw new S3Error("InvalidAnnotationName");
  return name;
}

export function annotationTarget(r: S3Request): AnnotationTarget {
  return { bucket: r.bucket!, key: r.key!, versionId: versionIdParam(r) };
}

/** x-amz-object-if-match: the object's ETag (quoted or not, or `*`) must match, else 412. */
export function objectIfMatch(r: S3Request): (rec: ObjectVersionRecord) => void {
  const want = r.req.headers["x-amz-object-if-match"];
  if (typeof want !== "string") return () => {};
  const tags = want.split(",").map((t) => t.trim().replace(/^"(.*)"$/, "$1"));
  return (rec) => {
    if (!tags.includes("*") && !tags.includes(rec.etag)) {
      throw new S3Error("PreconditionFailed", { extra: { Condition: "x-amz-object-if-match" } });
    }
  };
}

/** x-amz-object-version-id, shown once the bucket has had versioning (as x-amz-version-id is). */
export function objectVersionHeader(r: S3Request, rec: ObjectVersionRecord): Record<string, string> {
  return bucketOf(r).versioning === "Unversioned" ? {} : { "x-amz-object-version-id": rec.versionId };
}
