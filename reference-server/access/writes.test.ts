// ACL headers on the write paths (CreateBucket, CopyObject, multipart), service routes for anonymous
// callers, and aws:CurrentTime on the server's injected clock.

import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf } from "../api/test-support.ts";
import { type AccessTestServer, anonymous, codeIn, startAccessServer } from "./test-support.ts";

const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
let now = Date.UTC(2030, 0, 1);
let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer({ clock: () => now });
});
afterAll(() => t.stop());

const grantsOf = (g: { Grantee?: { ID?: string; URI?: string }; Permission?: string }[] | undefined) =>
  (g ?? []).map((x) => [x.Grantee?.ID ?? x.Grantee?.URI, x.Permission]);

describe("ACL headers on writes", () => {
  test("CreateBucket with ObjectWriter and a grant header stores the bucket ACL", async () => {
    const b = bucketName("cb");
    await t.owner.s3.send(
      new CreateBucketCommand({
        Bucket: b,
        ObjectOwnership: "ObjectWriter",
        GrantRead: `id="${t.other.accountId}"`,
      }),
    );
    const acl = await t.owner.s3.send(new GetBucketAclCommand({ Bucket: b }));
    expect(grantsOf(acl.Grants)).toEqual([[t.other.accountId, "READ"]]);
    const bad = await errorOf(
      t.owner.s3.send(
        new CreateBucketCommand({ Bucket: bucketName("cb"), ObjectOwnership: "Nobody" as never }),
      ),
    );
    expect(bad.name).toBe("InvalidArgument");
  });

  test("CopyObject and multipart uploads take their ACL from their own request", async () => {
    const b = bucketName("wr");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b, ObjectOwnership: "ObjectWriter" }));
    await t.owner.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    await t.owner.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "src", Body: "s", ACL: "authenticated-read" }),
    );
    await t.owner.s3.send(new CopyObjectCommand({ Bucket: b, Key: "copy", CopySource: `${b}/src` }));
    const wrongOwner = t.owner.s3.send(
      new CopyObjectCommand({
        Bucket: b,
        Key: "c",
        CopySource: `${b}/src`,
        ExpectedSourceBucketOwner: t.other.accountId,
      }),
    );
    expect((await errorOf(wrongOwner)).name).toBe("AccessDenied");
    await t.owner.s3.send(
      new CopyObjectCommand({
        Bucket: b,
        Key: "c",
        CopySource: `${b}/src`,
        ExpectedSourceBucketOwner: t.owner.accountId,
      }),
    );
    const copied = await t.owner.s3.send(new GetObjectAclCommand({ Bucket: b, Key: "copy" }));
    expect(grantsOf(copied.Grants)).toEqual([[t.owner.accountId, "FULL_CONTROL"]]);
    await t.owner.s3.send(
      new CopyObjectCommand({ Bucket: b, Key: "copy2", CopySource: `${b}/src`, ACL: "authenticated-read" }),
    );
    const copied2 = await t.owner.s3.send(new GetObjectAclCommand({ Bucket: b, Key: "copy2" }));
    expect(grantsOf(copied2.Grants)).toContainEqual([AUTH_USERS, "READ"]);
    const { UploadId } = await t.owner.s3.send(
      new CreateMultipartUploadCommand({ Bucket: b, Key: "mp", GrantRead: `id="${t.other.accountId}"` }),
    );
    const part = await t.owner.s3.send(
      new UploadPartCommand({ Bucket: b, Key: "mp", UploadId, PartNumber: 1, Body: "p" }),
    );
    await t.owner.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: b,
        Key: "mp",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const got = await t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "mp" }));
    expect(await got.Body!.transformToString()).toBe("p");
  });
});

describe("service routes", () => {
  test("ListBuckets and CreateBucket refuse anonymous callers", async () => {
    const list = await anonymous(t.server, "GET", "/");
    expect([list.status, codeIn(list.body)]).toEqual([403, "AccessDenied"]);
    const create = await anonymous(t.server, "PUT", `/${bucketName("anon")}`);
    expect([create.status, codeIn(create.body)]).toEqual([403, "AccessDenied"]);
    const missing = await anonymous(t.server, "GET", "/no-such-bucket-here/k");
    expect([missing.status, codeIn(missing.body)]).toEqual([404, "NoSuchBucket"]);
  });
});

describe("aws:CurrentTime", () => {
  test("follows the server's S3 clock", async () => {
    const b = bucketName("time");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x" }));
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: t.other.accountId },
              Action: "s3:GetObject",
              Resource: `arn:aws:s3:::${b}/*`,
              Condition: { DateLessThan: { "aws:CurrentTime": "2030-06-01T00:00:00Z" } },
            },
          ],
        }),
      }),
    );
    await t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "k" }));
    now = Date.UTC(2030, 6, 1);
    expect((await errorOf(t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "k" })))).name).toBe(
      "AccessDenied",
    );
  });
});
