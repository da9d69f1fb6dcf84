// The route table: every sub-resource × method × level either reaches its one action or NotImplemented.

import { describe, expect, test } from "vitest";
import { type Level, ROUTES, resolveRoute, routeKey, SUB_RESOURCES } from "./routes.ts";
import { S3Error } from "./s3-error.ts";

const METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"];
const LEVELS: Level[] = ["service", "bucket", "object"];

function outcome(method: string, level: Level, query: string, copy = false): string {
  try {
    return resolveRoute(method, level, new URLSearchParams(query), copy).action;
  } catch (e) {
    if (e instanceof S3Error) return e.code;
    throw e;
  }
}

describe("route table", () => {
  test("the routed combinations", () => {
    expect(outcome("GET", "service", "")).toBe("ListBuckets");
    expect(outcome("PUT", "bucket", "")).toBe("CreateBucket");
    expect(outcome("GET", "bucket", "")).toBe("ListObjects");
    expect(outcome("GET", "bucket", "list-type=2&prefix=a")).toBe("ListObjectsV2");
    expect(outcome("GET", "bucket", "location")).toBe("GetBucketLocation");
    expect(outcome("POST", "bucket", "delete")).toBe("DeleteObjects");
    expect(outcome("GET", "bucket", "uploads")).toBe("ListMultipartUploads");
    expect(outcome("PUT", "object", "x-id=PutObject")).toBe("PutObject");
    expect(outcome("PUT", "object", "", true)).toBe("CopyObject");
    expect(outcome("PUT", "object", "partNumber=1&uploadId=u")).toBe("UploadPart");
    expect(outcome("POST", "object", "uploads")).toBe("CreateMultipartUpload");
    expect(outcome("POST", "object", "uploadId=u")).toBe("CompleteMultipartUpload");
    expect(outcome("DELETE", "object", "uploadId=u")).toBe("AbortMultipartUpload");
    expect(outcome("GET", "object", "uploadId=u")).toBe("ListParts");
    expect(outcome("GET", "object", "versionId=v&response-content-type=x")).toBe("GetObject");
  });

  test("every other sub-resource, method and level is NotImplemented, never a neighbour", () => {
    let routed = 0;
    for (const method of METHODS) {
      for (const level of LEVELS) {
        for (const sub of ["", ...SUB_RESOURCES]) {
          const got = outcome(method, level, sub ? `${sub}=` : "");
          if (ROUTES.has(routeKey(method, level, sub))) {
            routed++;
            expect(got).toBe(ROUTES.get(routeKey(method, level, sub))!.action);
          } else {
            expect(got, `${method} ${level} ?${sub}`).toBe("NotImplemented");
          }
        }
      }
    }
    // CopyObject and UploadPartCopy are keyed by their header too, a few actions by x-id.
    const byXId = [...ROUTES.keys()].filter((k) => k.includes(" x-id=")).length;
    expect(routed).toBe(ROUTES.size - 2 - byXId);
  });

  test("two sub-resources at once are NotImplemented; the copy header selects UploadPartCopy", () => {
    expect(outcome("GET", "bucket", "acl&policy")).toBe("NotImplemented");
    expect(outcome("PUT", "object", "partNumber=1&uploadId=u", true)).toBe("UploadPartCopy");
    expect(outcome("PUT", "object", "tagging", true)).toBe("NotImplemented");
    expect(outcome("DELETE", "bucket", "versions")).toBe("NotImplemented");
  });

  test("x-id tells apart actions sharing a key; an x-id naming no such action is only a hint", () => {
    expect(outcome("GET", "object", "annotation&x-id=GetObjectAnnotation")).toBe("GetObjectAnnotation");
    expect(outcome("GET", "object", "annotation&x-id=ListObjectAnnotations")).toBe("ListObjectAnnotations");
    expect(outcome("GET", "object", "annotation")).toBe("GetObjectAnnotation");
    expect(outcome("GET", "service", "x-id=ListDirectoryBuckets")).toBe("ListDirectoryBuckets");
    expect(outcome("GET", "service", "x-id=ListBuckets")).toBe("ListBuckets");
    expect(outcome("GET", "bucket", "x-id=ListObjectAnnotations")).toBe("ListObjects");
  });
});
