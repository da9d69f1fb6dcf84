// ListObjectAnnotations: the annotations of an object version in UTF-8 binary name order, filtered by
// annotation-prefix, max-annotation-results (1..1000, default 1000) per page, with an opaque continuation
// token naming the last annotation of the previous page.

import { intParam, queryValue, type S3Request, sendXml } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import type { XmlNode } from "../../http/xml.ts";
import { annotationsOf } from "../../storage/annotations.ts";
import { resolveVersion } from "../../storage/object-read.ts";
import { annotationTarget, MAX_ANNOTATIONS, objectVersionHeader } from "./common.ts";

function invalidToken(token: string): S3Error {
  return new S3Error("InvalidArgument", {
    message: "The continuation token provided is incorrect",
    extra: { ArgumentName: "continuation-token", ArgumentValue: token },
  });
}

function decodeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  if (!text.startsWith("a:")) throw invalidToken(token);
  return text.slice(2);
}

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export async function listObjectAnnotations(r: S3Request): Promise<void> {
  const target = annotationTarget(r);
  const prefix = queryValue(r, "annotation-prefix") ?? "";
  if (Buffer.byteLength(prefix, "utf8") > 512 || !prefix.isWellFormed()) throw new S3Error("InvalidPrefix");
  // Above 1,000 is read as 1,000, as max-keys is.
  const max = Math.min(intParam(r, "max-annotation-results", MAX_ANNOTATIONS, 1), MAX_ANNOTATIONS);
  const token = queryValue(r, "continuation-token");
  const after = token === undefined ? undefined : decodeToken(token);
  const rec = resolveVersion(r.engine.ctx, target.bucket, target.key, target.versionId);
  const all = annotationsOf(rec);
  const names = Object.keys(all)
    .filter((n) => n.startsWith(prefix) && (after === undefined || byBytes(n, after) > 0))
    .sort(byBytes);
  const page = names.slice(0, max);
  const truncated = names.length > page.length;
  const entries: XmlNode[] = page.map((n) => ({
    AnnotationName: n,
    LastModified: new Date(all[n].lastModified).toISOString(),
    ETag: `"${all[n].etag}"`,
    ChecksumAlgorithm: Object.keys(all[n].checksums),
    Size: all[n].size,
  }));
  sendXml(
    r,
    "ListObjectAnnotationsOutput",
    {
      Annotations: { AnnotationEntry: entries },
      Bucket: rec.bucket,
      Key: rec.key,
      ...(prefix ? { AnnotationPrefix: prefix } : {}),
      MaxAnnotationResults: max,
      AnnotationCount: page.length,
      ...(token !== undefined ? { ContinuationToken: token } : {}),
      ...(truncated
        ? { NextContinuationToken: Buffer.from(`a:${page[page.length - 1]}`, "utf8").toString("base64url") }
        : {}),
    },
    { headers: objectVersionHeader(r, rec) },
  );
}
