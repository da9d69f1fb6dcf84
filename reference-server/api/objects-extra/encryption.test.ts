// Default encryption and UpdateObjectEncryption through the HTTP path with @aws-sdk/client-s3:
// Put/Get/DeleteBucketEncryption, the default applied to PutObject/CopyObject/multipart, SSE-KMS mapped
// onto the keyring, BlockedEncryptionTypes for SSE-C, SSE-C round trip and wrong key, and re-sealing.

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
  UpdateObjectEncryptionCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function newBucket(): Promise<string> {
  const b = bucketName("enc");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  return b;
}

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_ARN = "arn:aws:kms:us-east-1:123456789012:key/0000abcd-12ab-34cd-56ef-1234567890ab";

function customerKey() {
  const key = randomBytes(32);
  return {
    SSECustomerAlgorithm: "AES256",
    SSECustomerKey: key.toString("base64"),
    SSECustomerKeyMD5: createHash("md5").update(key).digest("base64"),
  };
}

describe("bucket default encryption", () => {
  test("a new bucket reports the SSE-S3 default; objects report AES256", async () => {
    const b = await newBucket();
    const got = await t.s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
    expect(got.ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false },
    ]);
    const put = await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x" }));
    expect(put.ServerSideEncryption).toBe("AES256");
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "k" }));
    expect(head.ServerSideEncryption).toBe("AES256");
  });

  test("an aws:kms default applies to PutObject, CopyObject and multipart; delete reverts", async () => {
    const b = await newBucket();
    await t.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    const got = await t.s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
    expect(got.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
      BucketKeyEnabled: true,
    });
    const put = await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "a", Body: "hello" }));
    expect(put.ServerSideEncryption).toBe("aws:kms");
    expect(put.SSEKMSKeyId).toBe(KEY_ARN);
    expect(put.BucketKeyEnabled).toBe(true);
    const get = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: "a" }));
    expect(await get.Body?.transformToString()).toBe("hello");
    expect(get.ServerSideEncryption).toBe("aws:kms");
    expect(get.SSEKMSKeyId).toBe(KEY_ARN);

    const copy = await t.s3.send(new CopyObjectCommand({ Bucket: b, Key: "c", CopySource: `${b}/a` }));
    expect(copy.ServerSideEncryption).toBe("aws:kms");
    expect(copy.SSEKMSKeyId).toBe(KEY_ARN);

    const mpu = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: "m" }));
    expect(mpu.ServerSideEncryption).toBe("aws:kms");
    const part = await t.s3.send(
      new UploadPartCommand({ Bucket: b, Key: "m", UploadId: mpu.UploadId, PartNumber: 1, Body: "part" }),
    );
    const done = await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: b,
        Key: "m",
        UploadId: mpu.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect(done.ServerSideEncryption).toBe("aws:kms");
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "m" }))).SSEKMSKeyId).toBe(KEY_ARN);

    // An explicit AES256 header wins over the default.
    const s3 = await t.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "s3", Body: "x", ServerSideEncryption: "AES256" }),
    );
    expect(s3.ServerSideEncryption).toBe("AES256");
    expect(s3.SSEKMSKeyId).toBeUndefined();

    await t.s3.send(new DeleteBucketEncryptionCommand({ Bucket: b }));
    const after = await t.s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
    expect(after.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: "AES256",
    });
    const later = await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "later", Body: "x" }));
    expect(later.ServerSideEncryption).toBe("AES256");
    // Existing objects keep what they were written with.
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "a" }))).ServerSideEncryption).toBe(
      "aws:kms",
    );
  });

  test("explicit aws:kms without a key id uses the account's aws/s3 key", async () => {
    const b = await newBucket();
    const put = await t.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "k", Body: "x", ServerSideEncryption: "aws:kms" }),
    );
    expect(put.ServerSideEncryption).toBe("aws:kms");
    expect(put.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:alias\/aws\/s3$/);
    const bad = await errorOf(
      t.s3.send(
        new PutObjectCommand({
          Bucket: b,
          Key: "k2",
          Body: "x",
          ServerSideEncryption: "aws:kms",
          SSEKMSKeyId: "not a key",
        }),
      ),
    );
    expect(bad.name).toBe("InvalidArgument");
  });

  test("invalid configurations are refused", async () => {
    const b = await newBucket();
    const put = (rule: object) =>
      errorOf(
        t.s3.send(
          new PutBucketEncryptionCommand({
            Bucket: b,
            ServerSideEncryptionConfiguration: { Rules: [rule] },
          }),
        ),
      );
    expect((await put({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES512" } })).name).toBe(
      "MalformedXML",
    );
    const e = await put({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256", KMSMasterKeyID: KEY_ARN },
    });
    expect(e.name).toBe("InvalidArgument");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(
      (
        await put({
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" },
          BlockedEncryptionTypes: { EncryptionType: ["SSE-KMS"] },
        })
      ).name,
    ).toBe("MalformedXML");
  });
});

describe("SSE-C", () => {
  test("round trip, wrong key 403, missing key 400, copy and blocked SSE-C", async () => {
    const b = await newBucket();
    const k = customerKey();
    const put = await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "c", Body: "secret", ...k }));
    expect(put.SSECustomerAlgorithm).toBe("AES256");
    expect(put.SSECustomerKeyMD5).toBe(k.SSECustomerKeyMD5);
    const get = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: "c", ...k }));
    expect(await get.Body?.transformToString()).toBe("secret");
    const wrong = await errorOf(t.s3.send(new GetObjectCommand({ Bucket: b, Key: "c", ...customerKey() })));
    expect(wrong.$metadata.httpStatusCode).toBe(403);
    const missing = await errorOf(t.s3.send(new GetObjectCommand({ Bucket: b, Key: "c" })));
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect(missing.name).toBe("InvalidRequest");

    await t.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" },
              BlockedEncryptionTypes: { EncryptionType: ["SSE-C"] },
            },
          ],
        },
      }),
    );
    const got = await t.s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
    expect(got.ServerSideEncryptionConfiguration?.Rules?.[0]?.BlockedEncryptionTypes).toEqual({
      EncryptionType: ["SSE-C"],
    });
    const blocked = await errorOf(
      t.s3.send(new PutObjectCommand({ Bucket: b, Key: "c2", Body: "x", ...customerKey() })),
    );
    expect(blocked.name).toBe("AccessDenied");
    expect(blocked.$metadata.httpStatusCode).toBe(403);
    // Existing SSE-C objects stay readable with their key.
    const again = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: "c", ...k }));
    expect(await again.Body?.transformToString()).toBe("secret");
  });
});

describe("UpdateObjectEncryption", () => {
  test("re-seals an SSE-S3 object under a KMS key: data, ETag, dates and metadata kept", async () => {
    const b = await newBucket();
    const body = randomBytes(200_000);
    await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "o", Body: body, Metadata: { color: "blue" } }));
    const before = await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "o" }));
    const sealedBefore = t.server.engine.headObject({ bucket: b, key: "o" }).encryption?.sealed;
    await t.s3.send(
      new UpdateObjectEncryptionCommand({
        Bucket: b,
        Key: "o",
        ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } },
      }),
    );
    const after = await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "o" }));
    expect(after.ServerSideEncryption).toBe("aws:kms");
    expect(after.SSEKMSKeyId).toBe(KEY_ARN);
    expect(after.BucketKeyEnabled).toBe(true);
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);
    expect(after.Metadata).toEqual({ color: "blue" });
    const rec = t.server.engine.headObject({ bucket: b, key: "o" });
    expect(rec.encryption?.sealed).not.toEqual(sealedBefore);
    const get = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: "o" }));
    expect(Buffer.from(await get.Body!.transformToByteArray()).equals(body)).toBe(true);
    // And again, to another key.
    await t.s3.send(
      new UpdateObjectEncryptionCommand({
        Bucket: b,
        Key: "o",
        ObjectEncryption: { SSEKMS: { KMSKeyArn: OTHER_ARN } },
      }),
    );
    const third = await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "o" }));
    expect(third.SSEKMSKeyId).toBe(OTHER_ARN);
    expect(third.BucketKeyEnabled).toBeUndefined();
  });

  test("invalid targets and SSE-C objects are refused; a missing key is NoSuchKey", async () => {
    const b = await newBucket();
    await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "o", Body: "x" }));
    const bad = await errorOf(
      t.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: b,
          Key: "o",
          ObjectEncryption: { SSEKMS: { KMSKeyArn: "alias/not-an-arn" } },
        }),
      ),
    );
    expect(bad.name).toBe("InvalidRequest");
    expect(bad.$metadata.httpStatusCode).toBe(400);
    const k = customerKey();
    await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "c", Body: "x", ...k }));
    const ssec = await errorOf(
      t.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: b,
          Key: "c",
          ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN } },
        }),
      ),
    );
    expect(ssec.name).toBe("InvalidRequest");
    const none = await errorOf(
      t.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: b,
          Key: "missing",
          ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN } },
        }),
      ),
    );
    expect(none.name).toBe("NoSuchKey");
  });
});
