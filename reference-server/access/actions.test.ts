import { expect, test } from "vitest";
import { sdkOperations } from "../../suites/catalog/sdk-commands.ts";
import { API_ACTIONS, iamAction, resourceArn } from "./actions.ts";

test("every command of the installed SDK has its IAM action in the table", () => {
  expect(sdkOperations().filter((o) => !API_ACTIONS.includes(o))).toEqual([]);
});

test("versioned forms, configuration deletes, resources", () => {
  expect(iamAction("GetObject")).toBe("s3:GetObject");
  expect(iamAction("HeadObject", "v1")).toBe("s3:GetObjectVersion");
  expect(iamAction("DeleteObject", "v1")).toBe("s3:DeleteObjectVersion");
  expect(iamAction("PutObjectAcl", "v1")).toBe("s3:PutObjectVersionAcl");
  expect(iamAction("GetObjectRetention", "v1")).toBe("s3:GetObjectRetention");
  expect(iamAction("ListObjectVersions")).toBe("s3:ListBucketVersions");
  expect(iamAction("CompleteMultipartUpload")).toBe("s3:PutObject");
  expect(iamAction("DeletePublicAccessBlock")).toBe("s3:PutBucketPublicAccessBlock");
  expect(iamAction("DeleteBucketCors")).toBe("s3:PutBucketCORS");
  expect(resourceArn("b")).toBe("arn:aws:s3:::b");
  expect(resourceArn("b", "a/k")).toBe("arn:aws:s3:::b/a/k");
});
