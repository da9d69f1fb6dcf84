// Commands AWS offers only for S3 Express One Zone directory buckets (CreateSession, RenameObject). This
// service has general-purpose buckets only, so it answers as AWS does for a general-purpose bucket: a
// 400 InvalidRequest naming the restriction, after the bucket (and for rename, the request) is checked.

import { header, type S3Request } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function createSession(_r: S3Request): Promise<void> {
  throw new S3Error("InvalidRequest", {
    message: "CreateSession is supported only for directory buckets (S3 Express One Zone).",
  });
}

export async function renameObject(r: S3Request): Promise<void> {
  if (header(r, "x-amz-rename-source") === undefined) {
    throw new S3Error("InvalidRequest", {
      message: "Missing required header for this request: x-amz-rename-source",
    });
  }
  throw new S3Error("InvalidRequest", {
    message: "RenameObject is supported only for directory buckets (S3 Express One Zone).",
  });
}
