// Block Public Access per bucket: all four flags on by default, set, read, removed, and each one enforced
// (public ACLs refused or ignored, public policies refused or restricted). Asserted against AWS.

import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { aclBucket, anonymousStatus, eventually } from "../acl/support.ts";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const NONE = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};
const ALL = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

suite("public access block", () => {
  const f = fx!;
  const put = (Bucket: string, c: PublicAccessBlockConfiguration) =>
    f.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { ...NONE, ...c } }));
  const get = async (Bucket: string) =>
    (await f.s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;
  const publicReadPolicy = (Bucket: string) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${Bucket}/*` },
      ],
    });

  check("GetPublicAccessBlock", "get-public-access-block.new-bucket-all-blocked", async () => {
    const Bucket = f.bucketName("pab-new");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    expect(await get(Bucket)).toEqual(ALL);
  });

  check("GetPublicAccessBlock", "get-public-access-block.returns-config", async () => {
    const Bucket = f.bucketName("pab-get");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await put(Bucket, { IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(await get(Bucket)).toEqual({ ...NONE, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });

  check("DeletePublicAccessBlock", "delete-public-access-block.removes", async () => {
    const Bucket = f.bucketName("pab-del");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    const out = await f.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new GetPublicAccessBlockCommand({ Bucket })),
      404,
      "NoSuchPublicAccessBlockConfiguration",
    );
  });

  check("PutPublicAccessBlock", "put-public-access-block.block-public-acls", async () => {
    const Bucket = await aclBucket(f, "pab-bpa");
    await put(Bucket, { BlockPublicAcls: true });
    await expectS3Error(
      f.s3.send(new PutBucketAclCommand({ Bucket, ACL: "public-read" })),
      403,
      "AccessDenied",
    );
    await expectS3Error(
      f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ACL: "public-read" })),
      403,
      "AccessDenied",
    );
    // Private ACLs are still accepted.
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ACL: "private" }));
  });

  check("PutPublicAccessBlock", "put-public-access-block.ignore-public-acls", async () => {
    const Bucket = await aclBucket(f, "pab-ipa");
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ACL: "public-read" }));
    await eventually(() => anonymousStatus(f, "GET", `/${Bucket}/k`), 200);
    await put(Bucket, { IgnorePublicAcls: true });
    await eventually(() => anonymousStatus(f, "GET", `/${Bucket}/k`), 403);
  });

  check("PutPublicAccessBlock", "put-public-access-block.block-public-policy", async () => {
    const Bucket = f.bucketName("pab-bpp");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await put(Bucket, { BlockPublicPolicy: true });
    await expectS3Error(
      f.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicReadPolicy(Bucket) })),
      403,
      "AccessDenied",
    );
    await put(Bucket, {});
    await f.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicReadPolicy(Bucket) }));
  });

  check("PutPublicAccessBlock", "put-public-access-block.restrict-public-buckets", async () => {
    const Bucket = f.bucketName("pab-rpb");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await f.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
    await f.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicReadPolicy(Bucket) }));
    await eventually(() => anonymousStatus(f, "GET", `/${Bucket}/k`), 200);
    await put(Bucket, { RestrictPublicBuckets: true });
    await eventually(() => anonymousStatus(f, "GET", `/${Bucket}/k`), 403);
  });
});
