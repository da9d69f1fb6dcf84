// Per-bucket roles from the management API, operation by operation through the SDK as another account.

import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName } from "../api/test-support.ts";
import { type AccessTestServer, startAccessServer } from "./test-support.ts";

let t: AccessTestServer;
let bucket: string;

beforeAll(async () => {
  t = await startAccessServer();
  bucket = bucketName("roles");
  await t.owner.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await t.owner.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "data", Tagging: "a=1" }));
});
afterAll(() => t.stop());

type Op = [name: string, run: (s3: S3Client) => Promise<unknown>];
let n = 0;
const fresh = () => `w-${n++}`;

const READ_OPS: Op[] = [
  ["ListObjectsV2", (s3) => s3.send(new ListObjectsV2Command({ Bucket: bucket }))],
  ["ListObjectVersions", (s3) => s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))],
  ["HeadBucket", (s3) => s3.send(new HeadBucketCommand({ Bucket: bucket }))],
  ["GetBucketLocation", (s3) => s3.send(new GetBucketLocationCommand({ Bucket: bucket }))],
  ["GetObject", (s3) => s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }))],
  ["HeadObject", (s3) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))],
  ["GetObjectTagging", (s3) => s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "k" }))],
  ["ListMultipartUploads", (s3) => s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))],
];

const WRITE_OPS: Op[] = [
  ["PutObject", (s3) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: fresh(), Body: "x" }))],
  ["DeleteObject", (s3) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "gone" }))],
  [
    "DeleteObjects",
    async (s3) => {
      // Refused key by key: a 200 whose Errors say AccessDenied.
      const out = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "gone" }] } }),
      );
      if (out.Errors?.some((e) => e.Code === "AccessDenied"))
        throw Object.assign(new Error("per key"), { name: "AccessDenied" });
    },
  ],
  [
    "PutObjectTagging",
    (s3) =>
      s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: "k",
          Tagging: { TagSet: [{ Key: "a", Value: "1" }] },
        }),
      ),
  ],
  [
    "CopyObject",
    (s3) => s3.send(new CopyObjectCommand({ Bucket: bucket, Key: fresh(), CopySource: `${bucket}/k` })),
  ],
  [
    "CreateMultipartUpload+AbortMultipartUpload",
    async (s3) => {
      const key = fresh();
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
    },
  ],
];

const MANAGE_OPS: Op[] = [
  ["GetBucketAcl", (s3) => s3.send(new GetBucketAclCommand({ Bucket: bucket }))],
  ["PutBucketAcl", (s3) => s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "private" }))],
  ["GetBucketPolicy", (s3) => s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))],
  ["GetBucketVersioning", (s3) => s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))],
  [
    "PutBucketVersioning",
    (s3) =>
      s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
      ),
  ],
  ["GetPublicAccessBlock", (s3) => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))],
  [
    "PutPublicAccessBlock",
    (s3) =>
      s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      ),
  ],
];

const OWNER_ONLY: Op[] = [["DeleteBucket", (s3) => s3.send(new DeleteBucketCommand({ Bucket: bucket }))]];

/** "allowed" unless the call is refused with AccessDenied (other errors, e.g. NoSuchBucketPolicy, are past access). */
async function outcome(op: Op, s3: S3Client): Promise<"allowed" | "denied"> {
  try {
    await op[1](s3);
    return "allowed";
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === "AccessDenied" || err.$metadata?.httpStatusCode === 403) return "denied";
    if (err.name === "NoSuchBucketPolicy" || err.name === "BucketNotEmpty") return "allowed";
    throw e;
  }
}

async function expectOps(s3: S3Client, ops: Op[], want: "allowed" | "denied"): Promise<void> {
  const got: Record<string, string> = {};
  for (const op of ops) got[op[0]] = await outcome(op, s3);
  expect(got).toEqual(Object.fromEntries(ops.map((o) => [o[0], want])));
}

describe("roles bound through the management API", () => {
  test("without a role, another account (other tenant or same tenant) may do nothing", async () => {
    for (const acc of [t.other, t.third]) {
      await expectOps(acc.s3, [...READ_OPS, ...WRITE_OPS, ...MANAGE_OPS, ...OWNER_ONLY], "denied");
    }
  });

  test("Reader: lists and downloads; nothing else", async () => {
    await t.server.accounts.bindRole(bucket, t.other.accountId, "Reader");
    await expectOps(t.other.s3, READ_OPS, "allowed");
    await expectOps(t.other.s3, [...WRITE_OPS, ...MANAGE_OPS, ...OWNER_ONLY], "denied");
  });

  test("Writer: reads, writes and deletes objects; no permissions, policy or configuration", async () => {
    await t.server.accounts.bindRole(bucket, t.other.accountId, "Writer");
    await expectOps(t.other.s3, [...READ_OPS, ...WRITE_OPS], "allowed");
    await expectOps(t.other.s3, [...MANAGE_OPS, ...OWNER_ONLY], "denied");
  });

  test("Maintainer: also manages permissions, policy and configuration; never deletes the bucket", async () => {
    await t.server.accounts.bindRole(bucket, t.other.accountId, "Maintainer");
    await expectOps(t.other.s3, [...READ_OPS, ...WRITE_OPS, ...MANAGE_OPS], "allowed");
    await expectOps(t.other.s3, OWNER_ONLY, "denied");
  });

  test("a role is for its bucket only, and ends when unbound", async () => {
    const another = bucketName("roles2");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: another }));
    const list = (b: string) => t.other.s3.send(new ListObjectsV2Command({ Bucket: b }));
    await expect(list(another)).rejects.toMatchObject({ name: "AccessDenied" });
    await t.server.accounts.unbindRole(bucket, t.other.accountId);
    await expect(list(bucket)).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

test("deleting a bucket ends its role bindings: a bucket re-created under the name by another account starts without them", async () => {
  const name = bucketName("reused");
  await t.owner.s3.send(new CreateBucketCommand({ Bucket: name }));
  await t.server.accounts.bindRole(name, t.other.accountId, "Reader");
  await t.other.s3.send(new ListObjectsV2Command({ Bucket: name }));
  await t.owner.s3.send(new DeleteBucketCommand({ Bucket: name }));
  expect(t.server.accounts.listBindings({ bucket: name })).toEqual([]);
  await t.third.s3.send(new CreateBucketCommand({ Bucket: name }));
  await expect(t.other.s3.send(new ListObjectsV2Command({ Bucket: name }))).rejects.toMatchObject({
    name: "AccessDenied",
  });
});

describe("s3:BypassGovernanceRetention through the access rules", () => {
  test("a Maintainer may bypass GOVERNANCE retention, a Writer may not; a policy Deny takes it from the owner", async () => {
    const Bucket = bucketName("bypass");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    const until = new Date(Date.now() + 86_400_000);
    const put = async (Key: string) =>
      (
        await t.owner.s3.send(
          new PutObjectCommand({
            Bucket,
            Key,
            Body: "x",
            ObjectLockMode: "GOVERNANCE",
            ObjectLockRetainUntilDate: until,
          }),
        )
      ).VersionId!;
    const del = (s3: S3Client, Key: string, VersionId: string) =>
      s3.send(new DeleteObjectCommand({ Bucket, Key, VersionId, BypassGovernanceRetention: true }));
    const a = await put("a");
    await t.server.accounts.bindRole(Bucket, t.other.accountId, "Writer");
    // Allowed to delete versions, but not to bypass: the lock refuses.
    await expect(del(t.other.s3, "a", a)).rejects.toMatchObject({
      name: "AccessDenied",
      message: "Access Denied because object protected by object lock.",
    });
    await t.server.accounts.bindRole(Bucket, t.other.accountId, "Maintainer");
    await del(t.other.s3, "a", a);
    const b = await put("b");
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Deny",
              Principal: "*",
              Action: "s3:BypassGovernanceRetention",
              Resource: `arn:aws:s3:::${Bucket}/*`,
            },
          ],
        }),
      }),
    );
    await expect(del(t.owner.s3, "b", b)).rejects.toMatchObject({
      name: "AccessDenied",
      message: "Access Denied because object protected by object lock.",
    });
    await t.owner.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    await del(t.owner.s3, "b", b);
  });
});
