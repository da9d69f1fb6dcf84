// Object reads and writes through @aws-sdk/client-s3: PutObject (both body paths the SDK uses), GetObject
// (ranges, parts, conditions, overrides, checksums), HeadObject, SSE-S3 and SSE-C.

import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checksumOf } from "../checksums.ts";
import { bucketName, errorOf, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
let bucket: string;
const sent: Record<string, string>[] = [];
beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // Record what the SDK actually put on the wire, to prove which payload mode a test exercised.
  t.s3.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers?: Record<string, string> };
      if (req.headers) sent.push({ ...req.headers });
      return next(args);
    },
    { step: "finalizeRequest", priority: "low" },
  );
});
afterAll(() => t.stop());

async function getBytes(input: ConstructorParameters<typeof GetObjectCommand>[0]) {
  const out = await t.s3.send(new GetObjectCommand(input));
  return { out, data: Buffer.from(await out.Body!.transformToByteArray()) };
}

const md5hex = (b: Buffer) => createHash("md5").update(b).digest("hex");

describe("PutObject / GetObject round trips", () => {
  test("a Buffer body: ETag is the MD5, metadata and content headers come back, SSE-S3 echoed", async () => {
    const data = randomBytes(100_000);
    const put = await t.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "dir/plain.bin",
        Body: data,
        ContentType: "application/x-test",
        CacheControl: "no-cache",
        ContentDisposition: "attachment",
        Metadata: { color: "blue", "two-words": "a b" },
        StorageClass: "STANDARD_IA",
      }),
    );
    expect(put.ETag).toBe(`"${md5hex(data)}"`);
    expect(put.ServerSideEncryption).toBe("AES256");
    const { out, data: got } = await getBytes({ Bucket: bucket, Key: "dir/plain.bin" });
    expect(got.equals(data)).toBe(true);
    expect(out.ContentType).toBe("application/x-test");
    expect(out.CacheControl).toBe("no-cache");
    expect(out.ContentDisposition).toBe("attachment");
    expect(out.Metadata).toEqual({ color: "blue", "two-words": "a b" });
    expect(out.StorageClass).toBe("STANDARD_IA");
    expect(out.ServerSideEncryption).toBe("AES256");
    expect(out.ContentLength).toBe(data.length);
    expect(out.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(out.$metadata.extendedRequestId).toBeTruthy();
  });

  test("a stream body goes aws-chunked with a CRC32 trailer (the SDK default) and is verified", async () => {
    const data = randomBytes(300_000);
    sent.length = 0;
    const put = await t.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "streamed.bin",
        Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
        ContentLength: data.length,
      }),
    );
    const h = sent.at(-1)!;
    expect(h["x-amz-content-sha256"]).toBe("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    expect(h["x-amz-trailer"]).toBe("x-amz-checksum-crc32");
    expect(put.ETag).toBe(`"${md5hex(data)}"`);
    expect(put.ChecksumCRC32).toBe(await checksumOf("CRC32", data));
    const rec = t.server.engine.headObject({ bucket, key: "streamed.bin" });
    expect(rec.checksum).toMatchObject({ algorithm: "CRC32", value: await checksumOf("CRC32", data) });
    // The SDK validates the returned checksum on GET (ChecksumMode is on by default).
    const { out, data: got } = await getBytes({
      Bucket: bucket,
      Key: "streamed.bin",
      ChecksumMode: "ENABLED",
    });
    expect(got.equals(data)).toBe(true);
    expect(out.ChecksumCRC32).toBe(await checksumOf("CRC32", data));
  });

  test("other checksum algorithms are computed, stored and returned", async () => {
    for (const alg of ["CRC32C", "SHA1", "SHA256", "CRC64NVME"] as const) {
      const data = randomBytes(5000);
      const put = await t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `sum-${alg}`, Body: data, ChecksumAlgorithm: alg }),
      );
      const expected = await checksumOf(alg, data);
      expect(put[`Checksum${alg}`]).toBe(expected);
      const head = await t.s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: `sum-${alg}`, ChecksumMode: "ENABLED" }),
      );
      expect(head[`Checksum${alg}`]).toBe(expected);
    }
  });

  test("a wrong Content-MD5 or x-amz-checksum is BadDigest and nothing is stored", async () => {
    const e1 = await errorOf(
      t.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "bad-md5",
          Body: "hello",
          ContentMD5: "1B2M2Y8AsgTpgAmY7PhCfg==",
        }),
      ),
    );
    expect(e1.name).toBe("BadDigest");
    expect(e1.$metadata.httpStatusCode).toBe(400);
    const e2 = await errorOf(
      t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "bad-crc", Body: "hello", ChecksumCRC32: "AAAAAA==" }),
      ),
    );
    expect(e2.name).toBe("BadDigest");
    expect(e2.message).toContain("CRC32");
    const list = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "bad-" }));
    expect(list.KeyCount).toBe(0);
  });

  test("an empty object, and a 12 MiB streamed one across many blocks", async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "empty", Body: Buffer.alloc(0) }));
    const { out, data } = await getBytes({ Bucket: bucket, Key: "empty" });
    expect(data.length).toBe(0);
    expect(out.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    const range = await errorOf(
      t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "empty", Range: "bytes=0-" })),
    );
    expect(range.$metadata.httpStatusCode).toBe(416);
    const big = randomBytes(12 * 1024 * 1024);
    const chunks = Array.from({ length: 12 }, (_, i) => big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    const put = await t.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "big-stream",
        Body: Readable.from(chunks),
        ContentLength: big.length,
      }),
    );
    expect(put.ETag).toBe(`"${md5hex(big)}"`);
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big-stream" }));
    const hash = createHash("md5");
    for await (const c of got.Body as AsyncIterable<Uint8Array>) hash.update(c);
    expect(hash.digest("hex")).toBe(md5hex(big));
  });

  test("NoSuchKey and NoSuchBucket", async () => {
    const e = await errorOf(t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "missing" })));
    expect(e.name).toBe("NoSuchKey");
    expect(e.$metadata.httpStatusCode).toBe(404);
    const b = await errorOf(t.s3.send(new GetObjectCommand({ Bucket: bucketName(), Key: "x" })));
    expect(b.name).toBe("NoSuchBucket");
    const h = await errorOf(t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "missing" })));
    expect(h.$metadata.httpStatusCode).toBe(404);
  });

  test("keys with spaces, unicode, and reserved characters round-trip", async () => {
    for (const key of ["a b/c+d", "ünï/çødé ✓", "x?y&z=1#frag", "%41", "trailing/"]) {
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      const { data } = await getBytes({ Bucket: bucket, Key: key });
      expect(data.toString()).toBe(key);
    }
    const e = await errorOf(
      t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k".repeat(1025), Body: "x" })),
    );
    expect(e.name).toBe("KeyTooLongError");
  });
});

describe("GetObject ranges, parts, conditions and overrides", () => {
  const data = randomBytes(200_000);
  let etag: string;
  beforeAll(async () => {
    etag = (await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "ranged", Body: data }))).ETag!;
  });

  test("closed, open-ended and suffix ranges; unsatisfiable is 416", async () => {
    const cases: [string, number, number][] = [
      ["bytes=0-0", 0, 0],
      ["bytes=100-69999", 100, 69_999],
      ["bytes=150000-", 150_000, 199_999],
      ["bytes=-1000", 199_000, 199_999],
      ["bytes=-999999", 0, 199_999],
      ["bytes=199990-300000", 199_990, 199_999],
    ];
    for (const [range, start, end] of cases) {
      const { out, data: got } = await getBytes({ Bucket: bucket, Key: "ranged", Range: range });
      expect(got.equals(data.subarray(start, end + 1)), range).toBe(true);
      expect(out.ContentRange).toBe(`bytes ${start}-${end}/${data.length}`);
      expect(out.$metadata.httpStatusCode).toBe(206);
    }
    const e = await errorOf(
      t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ranged", Range: "bytes=200000-" })),
    );
    expect(e.name).toBe("InvalidRange");
    expect(e.$metadata.httpStatusCode).toBe(416);
  });

  test("partNumber=1 of a single-part object; partNumber 2 is InvalidPartNumber", async () => {
    const { out, data: got } = await getBytes({ Bucket: bucket, Key: "ranged", PartNumber: 1 });
    expect(got.equals(data)).toBe(true);
    expect(out.ContentLength).toBe(data.length);
    const e = await errorOf(
      t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ranged", PartNumber: 2 })),
    );
    expect(e.$metadata.httpStatusCode).toBe(416);
  });

  test("If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since with S3's precedence", async () => {
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    const status = async (h: Partial<ConstructorParameters<typeof GetObjectCommand>[0]>) => {
      try {
        const out = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ranged", ...h }));
        await out.Body!.transformToByteArray();
        return out.$metadata.httpStatusCode;
      } catch (e) {
        return (e as S3ServiceException).$metadata.httpStatusCode;
      }
    };
    expect(await status({ IfMatch: etag })).toBe(200);
    expect(await status({ IfMatch: '"0000"' })).toBe(412);
    expect(await status({ IfNoneMatch: etag })).toBe(304);
    expect(await status({ IfNoneMatch: '"0000"' })).toBe(200);
    expect(await status({ IfModifiedSince: future })).toBe(304);
    expect(await status({ IfModifiedSince: past })).toBe(200);
    expect(await status({ IfUnmodifiedSince: past })).toBe(412);
    expect(await status({ IfUnmodifiedSince: future })).toBe(200);
    // If-Match true wins over If-Unmodified-Since false; If-None-Match false wins over If-Modified-Since.
    expect(await status({ IfMatch: etag, IfUnmodifiedSince: past })).toBe(200);
    expect(await status({ IfNoneMatch: '"0000"', IfModifiedSince: future })).toBe(200);
    expect(await status({ IfNoneMatch: etag, IfModifiedSince: past })).toBe(304);
    // HEAD answers the same codes.
    const head = await errorOf(
      t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "ranged", IfMatch: '"0"' })),
    );
    expect(head.$metadata.httpStatusCode).toBe(412);
  });

  test("response-* overrides", async () => {
    const { out } = await getBytes({
      Bucket: bucket,
      Key: "ranged",
      ResponseContentType: "text/x-over",
      ResponseContentDisposition: "inline; filename=x",
      ResponseCacheControl: "max-age=5",
      ResponseContentLanguage: "fr",
      ResponseContentEncoding: "identity",
      ResponseExpires: new Date("2030-01-01T00:00:00Z"),
    });
    expect(out.ContentType).toBe("text/x-over");
    expect(out.ContentDisposition).toBe("inline; filename=x");
    expect(out.CacheControl).toBe("max-age=5");
    expect(out.ContentLanguage).toBe("fr");
    expect(out.ContentEncoding).toBe("identity");
  });
});

describe("SSE-C", () => {
  const key = randomBytes(32);
  const other = randomBytes(32);
  test("PUT, GET and HEAD with the key; without it or with another key the right errors", async () => {
    const data = randomBytes(70_000);
    const put = await t.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "ssec",
        Body: data,
        SSECustomerAlgorithm: "AES256",
        SSECustomerKey: key as never,
      }),
    );
    expect(put.SSECustomerAlgorithm).toBe("AES256");
    expect(put.SSECustomerKeyMD5).toBe(createHash("md5").update(key).digest("base64"));
    const { data: got } = await getBytes({
      Bucket: bucket,
      Key: "ssec",
      SSECustomerAlgorithm: "AES256",
      SSECustomerKey: key as never,
    });
    expect(got.equals(data)).toBe(true);
    const none = await errorOf(t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ssec" })));
    expect(none.$metadata.httpStatusCode).toBe(400);
    const wrong = await errorOf(
      t.s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: "ssec",
          SSECustomerAlgorithm: "AES256",
          SSECustomerKey: other as never,
        }),
      ),
    );
    expect(wrong.$metadata.httpStatusCode).toBe(403);
    const head = await t.s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: "ssec",
        SSECustomerAlgorithm: "AES256",
        SSECustomerKey: key as never,
      }),
    );
    expect(head.ContentLength).toBe(data.length);
  });
});
