// Server-side encryption as a black box: the SSE-S3 default every bucket has, SSE-S3 reported on
// HeadObject, bucket default encryption configured, applied and removed, SSE-C round trip, copy and
// multipart, wrong/missing key refusals, SSE-C blocked by BlockedEncryptionTypes, UpdateObjectEncryption.

import { createHash, randomBytes } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  type ServerSideEncryptionRule,
  UpdateObjectEncryptionCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

async function ok<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === undefined) throw error;
    return expect.fail(`expected success, got HTTP ${status} ${e.name ?? ""}`.trim());
  }
}

function customerKey() {
  const key = randomBytes(32);
  return {
    SSECustomerAlgorithm: "AES256",
    SSECustomerKey: key.toString("base64"),
    SSECustomerKeyMD5: createHash("md5").update(key).digest("base64"),
  };
}

suite("encryption", () => {
  const f = fx!;
  async function newBucket(): Promise<string> {
    const Bucket = f.bucketName("enc");
    await ok(f.s3.send(new CreateBucketCommand({ Bucket })));
    return Bucket;
  }
  const putRule = (Bucket: string, rule: ServerSideEncryptionRule) =>
    f.s3.send(
      new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } }),
    );
  const getRules = async (Bucket: string) =>
    (await ok(f.s3.send(new GetBucketEncryptionCommand({ Bucket })))).ServerSideEncryptionConfiguration
      ?.Rules;

  check("GetBucketEncryption", "get-bucket-encryption.new-bucket-sse-s3-default", async () => {
    const bucket = await newBucket();
    const rules = await getRules(bucket);
    expect(rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    expect(rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toBeUndefined();
  });

  check("GetBucketEncryption", "get-bucket-encryption.objects-report-sse", async () => {
    const bucket = await newBucket();
    const put = await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" })));
    expect(put.ServerSideEncryption).toBe("AES256");
    const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" })));
    expect(head.ServerSideEncryption).toBe("AES256");
    const get = await ok(f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })));
    expect(get.ServerSideEncryption).toBe("AES256");
    await bodyBytes(get.Body);
  });

  check("GetBucketEncryption", "get-bucket-encryption.returns-config", async () => {
    const bucket = await newBucket();
    await ok(
      putRule(bucket, {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" },
        BucketKeyEnabled: true,
      }),
    );
    const rules = await getRules(bucket);
    expect(rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: true },
    ]);
  });

  check("PutBucketEncryption", "put-bucket-encryption.roundtrip", async () => {
    const bucket = await newBucket();
    const out = await ok(
      putRule(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    const rules = await getRules(bucket);
    expect(rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("aws:kms");
  });

  check("PutBucketEncryption", "put-bucket-encryption.default-applied-to-new-objects", async () => {
    const bucket = await newBucket();
    await ok(putRule(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }));
    const put = await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" })));
    expect(put.ServerSideEncryption).toBe("aws:kms");
    expect(put.SSEKMSKeyId).toMatch(/^arn:aws[a-z-]*:kms:/);
    const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" })));
    expect(head.ServerSideEncryption).toBe("aws:kms");
    expect(head.SSEKMSKeyId).toBe(put.SSEKMSKeyId);
    // An explicit header wins over the default.
    const s3 = await ok(
      f.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "s", Body: "x", ServerSideEncryption: "AES256" }),
      ),
    );
    expect(s3.ServerSideEncryption).toBe("AES256");
  });

  check("PutBucketEncryption", "put-bucket-encryption.invalid-algorithm-refused", async () => {
    const bucket = await newBucket();
    await expectS3Error(
      putRule(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES512" as never } }),
      400,
      "MalformedXML",
    );
    await expectS3Error(
      putRule(bucket, {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: "AES256",
          KMSMasterKeyID: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
      }),
      400,
      "InvalidArgument",
    );
  });

  check("PutBucketEncryption", "put-bucket-encryption.sse-c-roundtrip", async () => {
    const bucket = await newBucket();
    const k = customerKey();
    const put = await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "c", Body: "secret", ...k })));
    expect(put.SSECustomerAlgorithm).toBe("AES256");
    expect(put.SSECustomerKeyMD5).toBe(k.SSECustomerKeyMD5);
    const get = await ok(f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "c", ...k })));
    expect((await bodyBytes(get.Body)).toString()).toBe("secret");
    const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "c", ...k })));
    expect(head.SSECustomerKeyMD5).toBe(k.SSECustomerKeyMD5);
    await expectS3Error(
      f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "c", ...customerKey() })),
      403,
      "AccessDenied",
    );
    await expectS3Error(f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "c" })), 400, "InvalidRequest");
  });

  check("PutBucketEncryption", "put-bucket-encryption.sse-c-copy-and-multipart", async () => {
    const bucket = await newBucket();
    const k = customerKey();
    const k2 = customerKey();
    await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "src", Body: "copied", ...k })));
    await ok(
      f.s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "dst",
          CopySource: `${bucket}/src`,
          CopySourceSSECustomerAlgorithm: "AES256",
          CopySourceSSECustomerKey: k.SSECustomerKey,
          CopySourceSSECustomerKeyMD5: k.SSECustomerKeyMD5,
          ...k2,
        }),
      ),
    );
    const copied = await ok(f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "dst", ...k2 })));
    expect((await bodyBytes(copied.Body)).toString()).toBe("copied");
    const mpu = await ok(f.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mp", ...k })));
    const part = await ok(
      f.s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: "mp",
          UploadId: mpu.UploadId,
          PartNumber: 1,
          Body: "part",
          ...k,
        }),
      ),
    );
    await ok(
      f.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: "mp",
          UploadId: mpu.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      ),
    );
    const got = await ok(f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "mp", ...k })));
    expect((await bodyBytes(got.Body)).toString()).toBe("part");
  });

  check("PutBucketEncryption", "put-bucket-encryption.sse-c-blocked", async () => {
    const bucket = await newBucket();
    await ok(
      putRule(bucket, {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" },
        BlockedEncryptionTypes: { EncryptionType: ["SSE-C"] },
      }),
    );
    const rules = await getRules(bucket);
    expect(rules?.[0]?.BlockedEncryptionTypes?.EncryptionType).toEqual(["SSE-C"]);
    await expectS3Error(
      f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "c", Body: "x", ...customerKey() })),
      403,
      "AccessDenied",
    );
    await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "plain", Body: "x" })));
  });

  check("DeleteBucketEncryption", "delete-bucket-encryption.reverts-to-sse-s3-default", async () => {
    const bucket = await newBucket();
    await ok(putRule(bucket, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }));
    const del = await ok(f.s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket })));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const rules = await getRules(bucket);
    expect(rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    const put = await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" })));
    expect(put.ServerSideEncryption).toBe("AES256");
  });

  // A KMS key ARN of the target's account; AWS needs a real key there, the reference maps any to its keyring.
  const kmsArn = () =>
    process.env.PARITY_KMS_KEY_ARN ??
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  check("UpdateObjectEncryption", "update-object-encryption.preserves-data-and-metadata", async () => {
    const bucket = await newBucket();
    const body = randomBytes(100_000);
    await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "o", Body: body, Metadata: { a: "1" } })));
    const before = await ok(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "o" })));
    await ok(
      f.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: bucket,
          Key: "o",
          ObjectEncryption: { SSEKMS: { KMSKeyArn: kmsArn() } },
        }),
      ),
    );
    const after = await ok(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "o" })));
    expect(after.ServerSideEncryption).toBe("aws:kms");
    expect(after.SSEKMSKeyId).toBe(kmsArn());
    expect([after.ETag, after.LastModified?.getTime(), after.Metadata]).toEqual([
      before.ETag,
      before.LastModified?.getTime(),
      { a: "1" },
    ]);
    const got = await ok(f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "o" })));
    expect((await bodyBytes(got.Body)).equals(body)).toBe(true);
  });

  check("UpdateObjectEncryption", "update-object-encryption.invalid-target-refused", async () => {
    const bucket = await newBucket();
    await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "o", Body: "x" })));
    await expectS3Error(
      f.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: bucket,
          Key: "o",
          ObjectEncryption: { SSEKMS: { KMSKeyArn: "not-an-arn" } },
        }),
      ),
      400,
      "InvalidRequest",
    );
    await ok(f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "c", Body: "x", ...customerKey() })));
    await expectS3Error(
      f.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: bucket,
          Key: "c",
          ObjectEncryption: { SSEKMS: { KMSKeyArn: kmsArn() } },
        }),
      ),
      400,
      "InvalidRequest",
    );
  });
});
