// Object writes and metadata through @aws-sdk/client-s3: DeleteObject, DeleteObjects, CopyObject, write
// validation (conditions, limits, SSE values, ownership) and object tagging.

import { createHash, randomBytes } from "node:crypto";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, signedRequest, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
let bucket: string;
beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => t.stop());

async function getBytes(input: ConstructorParameters<typeof GetObjectCommand>[0]) {
  const out = await t.s3.send(new GetObjectCommand(input));
  return { out, data: Buffer.from(await out.Body!.transformToByteArray()) };
}

const md5hex = (b: Buffer) => createHash("md5").update(b).digest("hex");

describe("DeleteObject / DeleteObjects", () => {
  test("DeleteObject removes; deleting a missing key succeeds", async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "del/one", Body: "1" }));
    const out = await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "del/one" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "del/one" }));
    expect((await errorOf(t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "del/one" })))).name).toBe(
      "NoSuchKey",
    );
  });

  test("DeleteObjects verbose and quiet", async () => {
    for (const k of ["m/a", "m/b", "m/c"])
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
    const out = await t.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "m/a" }, { Key: "m/b" }, { Key: "m/none" }] },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(["m/a", "m/b", "m/none"]);
    expect(out.Errors ?? []).toEqual([]);
    const quiet = await t.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: "m/c" }] } }),
    );
    expect(quiet.Deleted ?? []).toEqual([]);
    const list = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "m/" }));
    expect(list.KeyCount).toBe(0);
  });
});

describe("CopyObject", () => {
  test("copies data and metadata; REPLACE changes metadata; onto itself needs REPLACE", async () => {
    const data = randomBytes(90_000);
    await t.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "src",
        Body: data,
        Metadata: { a: "1" },
        ContentType: "x/y",
      }),
    );
    const copy = await t.s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: "dst", CopySource: `${bucket}/src` }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5hex(data)}"`);
    const { out, data: got } = await getBytes({ Bucket: bucket, Key: "dst" });
    expect(got.equals(data)).toBe(true);
    expect(out.Metadata).toEqual({ a: "1" });
    expect(out.ContentType).toBe("x/y");
    const self = await errorOf(
      t.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "src", CopySource: `${bucket}/src` })),
    );
    expect(self.name).toBe("InvalidRequest");
    await t.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "src",
        CopySource: `${bucket}/src`,
        MetadataDirective: "REPLACE",
        Metadata: { b: "2" },
      }),
    );
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "src" }));
    expect(head.Metadata).toEqual({ b: "2" });
    const cond = await errorOf(
      t.s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "dst2",
          CopySource: `${bucket}/src`,
          CopySourceIfMatch: '"00"',
        }),
      ),
    );
    expect(cond.$metadata.httpStatusCode).toBe(412);
  });
});

describe("CopyObject with SSE-C", () => {
  test("an SSE-C source needs its key; the copy can be SSE-C under another key or SSE-S3", async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const data = randomBytes(30_000);
    await t.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "c-src",
        Body: data,
        SSECustomerAlgorithm: "AES256",
        SSECustomerKey: k1 as never,
      }),
    );
    const noKey = await errorOf(
      t.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "c-dst", CopySource: `${bucket}/c-src` })),
    );
    expect(noKey.$metadata.httpStatusCode).toBe(400);
    await t.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "c-dst",
        CopySource: `${bucket}/c-src`,
        CopySourceSSECustomerAlgorithm: "AES256",
        CopySourceSSECustomerKey: k1 as never,
        SSECustomerAlgorithm: "AES256",
        SSECustomerKey: k2 as never,
      }),
    );
    const { data: got } = await getBytes({
      Bucket: bucket,
      Key: "c-dst",
      SSECustomerAlgorithm: "AES256",
      SSECustomerKey: k2 as never,
    });
    expect(got.equals(data)).toBe(true);
    const wrong = await errorOf(
      t.s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: "c-dst",
          SSECustomerAlgorithm: "AES256",
          SSECustomerKey: k1 as never,
        }),
      ),
    );
    expect(wrong.$metadata.httpStatusCode).toBe(403);
    await t.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "c-plain",
        CopySource: `${bucket}/c-src`,
        CopySourceSSECustomerAlgorithm: "AES256",
        CopySourceSSECustomerKey: k1 as never,
      }),
    );
    const plain = await getBytes({ Bucket: bucket, Key: "c-plain" });
    expect(plain.data.equals(data)).toBe(true);
    expect(plain.out.ServerSideEncryption).toBe("AES256");
  });
});

describe("write validation", () => {
  test("conditional writes: If-None-Match: * and If-Match", async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cond", Body: "v1", IfNoneMatch: "*" }));
    const again = await errorOf(
      t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cond", Body: "v2", IfNoneMatch: "*" })),
    );
    expect(again.$metadata.httpStatusCode).toBe(412);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "cond" }));
    const wrong = await errorOf(
      t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cond", Body: "v3", IfMatch: '"00"' })),
    );
    expect(wrong.$metadata.httpStatusCode).toBe(412);
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cond", Body: "v4", IfMatch: head.ETag }));
    const { data } = await getBytes({ Bucket: bucket, Key: "cond" });
    expect(data.toString()).toBe("v4");
  });

  test("metadata over 2 KB, unknown storage class, SSE-KMS, bad SSE value", async () => {
    const big = await errorOf(
      t.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "v/meta",
          Body: "x",
          Metadata: { big: "x".repeat(2100) },
        }),
      ),
    );
    expect(big.name).toBe("MetadataTooLarge");
    const sc = await errorOf(
      t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "v/sc", Body: "x", StorageClass: "NOPE" as never }),
      ),
    );
    expect(sc.name).toBe("InvalidStorageClass");
    // SSE-KMS is mapped onto the server's keyring (api/objects-extra/sse.ts).
    const kms = await t.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "v/kms", Body: "x", ServerSideEncryption: "aws:kms" }),
    );
    expect(kms.ServerSideEncryption).toBe("aws:kms");
    const sse = await errorOf(
      t.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "v/sse",
          Body: "x",
          ServerSideEncryption: "DES" as never,
        }),
      ),
    );
    expect(sse.name).toBe("InvalidArgument");
    const ok = await t.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "v/aes", Body: "x", ServerSideEncryption: "AES256" }),
    );
    expect(ok.ServerSideEncryption).toBe("AES256");
    const list = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "v/" }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(["v/aes", "v/kms"]);
  });

  test("a malformed x-amz-checksum value and an empty versionId are refused up front", async () => {
    const bad = await errorOf(
      t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "v/badsum", Body: "x", ChecksumSHA256: "not-base64!" }),
      ),
    );
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(["InvalidRequest", 400]);
    const res = await signedRequest(t.server, {
      method: "GET",
      path: `/${bucket}/v/aes`,
      query: { versionId: "" },
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>InvalidArgument</Code>");
  });

  test("DeleteObjects refuses more than 1000 keys", async () => {
    const Objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    const e = await errorOf(t.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects } })));
    expect(e.name).toBe("MalformedXML");
  });

  test("another account's bucket: AccessDenied for every object action", async () => {
    const other = bucketName();
    await t.server.engine.createBucket({ name: other, owner: "someone-else" });
    for (const call of [
      () => t.s3.send(new PutObjectCommand({ Bucket: other, Key: "k", Body: "x" })),
      () => t.s3.send(new GetObjectCommand({ Bucket: other, Key: "k" })),
      () => t.s3.send(new ListObjectsV2Command({ Bucket: other })),
      () => t.s3.send(new DeleteObjectCommand({ Bucket: other, Key: "k" })),
    ]) {
      const e = await errorOf(call());
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(["AccessDenied", 403]);
    }
    expect(t.server.engine.listObjects({ bucket: other }).objects).toEqual([]);
    const wrongOwner = await errorOf(
      t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x", ExpectedBucketOwner: "123456789012" }),
      ),
    );
    expect(wrongOwner.$metadata.httpStatusCode).toBe(403);
    await t.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x", ExpectedBucketOwner: t.server.principal }),
    );
  });
});

describe("object tagging", () => {
  test("x-amz-tagging on PUT, Get/Put/DeleteObjectTagging, tag count on GET, limits", async () => {
    await t.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "tagged", Body: "x", Tagging: "a=1&b=two%20words" }),
    );
    const got = await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tagged" }));
    expect(got.TagSet).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "two words" },
    ]);
    expect((await getBytes({ Bucket: bucket, Key: "tagged" })).out.TagCount).toBe(2);
    await t.s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: "tagged",
        Tagging: { TagSet: [{ Key: "only", Value: "one" }] },
      }),
    );
    expect((await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tagged" }))).TagSet).toEqual([
      { Key: "only", Value: "one" },
    ]);
    // Tags are metadata: the data and ETag are unchanged.
    const { data } = await getBytes({ Bucket: bucket, Key: "tagged" });
    expect(data.toString()).toBe("x");
    await t.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "tagged" }));
    expect((await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tagged" }))).TagSet).toEqual(
      [],
    );
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    const tooMany = await errorOf(
      t.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: "tagged", Tagging: { TagSet: eleven } })),
    );
    expect([tooMany.name, tooMany.message]).toEqual(["BadRequest", "Object tags cannot be greater than 10"]);
    const longKey = await errorOf(
      t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "tag-bad", Body: "x", Tagging: `${"k".repeat(129)}=v` }),
      ),
    );
    expect(longKey.name).toBe("InvalidTag");
    const dup = await errorOf(
      t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "tag-bad", Body: "x", Tagging: "a=1&a=2" })),
    );
    expect(dup.name).toBe("InvalidTag");
    const missing = await errorOf(t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "no-such" })));
    expect(missing.name).toBe("NoSuchKey");
  });

  test("CopyObject copies tags by default and replaces them with x-amz-tagging-directive REPLACE", async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "tsrc", Body: "x", Tagging: "s=1" }));
    await t.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "tcopy", CopySource: `${bucket}/tsrc` }));
    expect((await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tcopy" }))).TagSet).toEqual([
      { Key: "s", Value: "1" },
    ]);
    await t.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "trepl",
        CopySource: `${bucket}/tsrc`,
        TaggingDirective: "REPLACE",
        Tagging: "r=2",
      }),
    );
    expect((await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "trepl" }))).TagSet).toEqual([
      { Key: "r", Value: "2" },
    ]);
  });
});
