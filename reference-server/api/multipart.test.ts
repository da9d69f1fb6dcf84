// Multipart through @aws-sdk/client-s3: create, upload parts (streamed, with checksums), list parts and
// uploads, complete (ETag form, order and size rules), abort; GET by part number afterwards.

import { createHash, randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checksumOf } from "../checksums.ts";
import { bucketName, errorOf, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
let bucket: string;
beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => t.stop());

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash("md5").update(b);

describe("multipart upload", () => {
  test("two parts with CRC32: composite checksum, multipart ETag, parts readable by number", async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(123_456)];
    const create = await t.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: "big",
        ContentType: "x/big",
        Metadata: { m: "1" },
        ChecksumAlgorithm: "CRC32",
      }),
    );
    const uploadId = create.UploadId!;
    expect(create.ChecksumAlgorithm).toBe("CRC32");
    const done: { PartNumber: number; ETag: string; ChecksumCRC32?: string }[] = [];
    for (const [i, data] of parts.entries()) {
      const up = await t.s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: "big",
          UploadId: uploadId,
          PartNumber: i + 1,
          Body: data,
          ChecksumAlgorithm: "CRC32",
        }),
      );
      expect(up.ETag).toBe(`"${md5(data).digest("hex")}"`);
      expect(up.ChecksumCRC32).toBe(await checksumOf("CRC32", data));
      done.push({ PartNumber: i + 1, ETag: up.ETag!, ChecksumCRC32: up.ChecksumCRC32 });
    }
    const listed = await t.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "big", UploadId: uploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 123_456],
    ]);
    const page = await t.s3.send(
      new ListPartsCommand({ Bucket: bucket, Key: "big", UploadId: uploadId, MaxParts: 1 }),
    );
    expect(page.IsTruncated).toBe(true);
    expect(page.NextPartNumberMarker).toBe("1");
    const uploads = await t.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([["big", uploadId]]);

    const complete = await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "big",
        UploadId: uploadId,
        MultipartUpload: { Parts: done },
      }),
    );
    const expectedEtag = createHash("md5")
      .update(Buffer.concat(parts.map((p) => md5(p).digest())))
      .digest("hex");
    expect(complete.ETag).toBe(`"${expectedEtag}-2"`);
    expect(complete.ChecksumCRC32).toMatch(/-2$/);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "big" }));
    expect(head.ContentLength).toBe(5 * MiB + 123_456);
    expect(head.ContentType).toBe("x/big");
    expect(head.Metadata).toEqual({ m: "1" });
    const all = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big" }));
    expect(Buffer.from(await all.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    const p2 = await t.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: "big", PartNumber: 2, ChecksumMode: "ENABLED" }),
    );
    expect(p2.PartsCount).toBe(2);
    expect(p2.ContentRange).toBe(`bytes ${5 * MiB}-${5 * MiB + 123_455}/${5 * MiB + 123_456}`);
    expect(Buffer.from(await p2.Body!.transformToByteArray()).equals(parts[1])).toBe(true);
    const gone = await t.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(gone.Uploads ?? []).toEqual([]);
  });

  test("EntityTooSmall, InvalidPart, InvalidPartOrder, then abort makes the upload unknown", async () => {
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "small" }));
    const etags: string[] = [];
    for (const n of [1, 2]) {
      const up = await t.s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: "small",
          UploadId,
          PartNumber: n,
          Body: randomBytes(1000),
        }),
      );
      etags.push(up.ETag!);
    }
    const complete = (Parts: { PartNumber: number; ETag: string }[]) =>
      t.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: "small",
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    expect(
      (
        await errorOf(
          complete([
            { PartNumber: 1, ETag: etags[0] },
            { PartNumber: 2, ETag: etags[1] },
          ]),
        )
      ).name,
    ).toBe("EntityTooSmall");
    expect((await errorOf(complete([{ PartNumber: 1, ETag: '"00"' }]))).name).toBe("InvalidPart");
    expect(
      (
        await errorOf(
          complete([
            { PartNumber: 2, ETag: etags[1] },
            { PartNumber: 1, ETag: etags[0] },
          ]),
        )
      ).name,
    ).toBe("InvalidPartOrder");
    await t.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "small", UploadId }));
    const e = await errorOf(t.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "small", UploadId })));
    expect(e.name).toBe("NoSuchUpload");
    expect(e.$metadata.httpStatusCode).toBe(404);
  });

  test("a single small part completes (the last part may be small)", async () => {
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "one" }));
    const data = randomBytes(10);
    const up = await t.s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "one", UploadId, PartNumber: 1, Body: data }),
    );
    await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "one",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: up.ETag }] },
      }),
    );
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "one" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });
});

describe("full-object checksums", () => {
  test("CRC32 FULL_OBJECT completes with the whole object's CRC32; a wrong one sent on completion is BadDigest", async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(1000)];
    const { UploadId } = await t.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: "full",
        ChecksumAlgorithm: "CRC32",
        ChecksumType: "FULL_OBJECT",
      }),
    );
    const done: { PartNumber: number; ETag?: string; ChecksumCRC32?: string }[] = [];
    for (const [i, Body] of parts.entries()) {
      const up = await t.s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: "full", UploadId, PartNumber: i + 1, Body }),
      );
      done.push({ PartNumber: i + 1, ETag: up.ETag, ChecksumCRC32: up.ChecksumCRC32 });
    }
    const whole = await checksumOf("CRC32", Buffer.concat(parts));
    const complete = (ChecksumCRC32: string) =>
      t.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: "full",
          UploadId,
          ChecksumCRC32,
          ChecksumType: "FULL_OBJECT",
          MultipartUpload: { Parts: done },
        }),
      );
    const bad = await errorOf(complete(await checksumOf("CRC32", parts[0])));
    expect([bad.$metadata.httpStatusCode, bad.name, bad.message]).toEqual([
      400,
      "BadDigest",
      "The CRC32 you specified did not match the calculated checksum.",
    ]);
    const ok = await complete(whole);
    expect({ sum: ok.ChecksumCRC32, type: ok.ChecksumType }).toEqual({ sum: whole, type: "FULL_OBJECT" });
    const head = await t.s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "full", ChecksumMode: "ENABLED" }),
    );
    expect({ sum: head.ChecksumCRC32, type: head.ChecksumType }).toEqual({ sum: whole, type: "FULL_OBJECT" });
  });
});

describe("UploadPartCopy", () => {
  test("parts copied from an object, whole and by range, assemble the expected bytes", async () => {
    const src = randomBytes(6 * MiB);
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "copy-src", Body: src }));
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "copied" }));
    const p1 = await t.s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: "copied",
        UploadId,
        PartNumber: 1,
        CopySource: `${bucket}/copy-src`,
      }),
    );
    expect(p1.CopyPartResult?.ETag).toBe(`"${md5(src).digest("hex")}"`);
    const p2 = await t.s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: "copied",
        UploadId,
        PartNumber: 2,
        CopySource: `${bucket}/copy-src`,
        CopySourceRange: "bytes=100-199",
      }),
    );
    const bad = await errorOf(
      t.s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: "copied",
          UploadId,
          PartNumber: 3,
          CopySource: `${bucket}/copy-src`,
          CopySourceRange: `bytes=0-${6 * MiB}`,
        }),
      ),
    );
    // AWS: 400 InvalidArgument for a copy range past the source's end (GetObject's 416 is not used).
    expect([bad.$metadata.httpStatusCode, bad.name]).toEqual([400, "InvalidArgument"]);
    await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "copied",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "copied" }));
    const data = Buffer.from(await got.Body!.transformToByteArray());
    expect(data.equals(Buffer.concat([src, src.subarray(100, 200)]))).toBe(true);
  });
});

describe("GetObjectAttributes", () => {
  test("size, ETag, storage class, checksum and paged parts of a multipart object", async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1000)];
    const { UploadId } = await t.s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "attrs", ChecksumAlgorithm: "SHA256" }),
    );
    const done = [];
    for (const [i, Body] of parts.entries()) {
      const up = await t.s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: "attrs",
          UploadId,
          PartNumber: i + 1,
          Body,
          ChecksumAlgorithm: "SHA256",
        }),
      );
      done.push({ PartNumber: i + 1, ETag: up.ETag, ChecksumSHA256: up.ChecksumSHA256 });
    }
    const complete = await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "attrs",
        UploadId,
        MultipartUpload: { Parts: done },
      }),
    );
    const out = await t.s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: "attrs",
        ObjectAttributes: ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"],
        MaxParts: 2,
      }),
    );
    expect(out.ObjectSize).toBe(10 * MiB + 1000);
    expect(`"${out.ETag}"`).toBe(complete.ETag);
    expect(out.StorageClass).toBe("STANDARD");
    expect(out.Checksum?.ChecksumSHA256).toBe(complete.ChecksumSHA256);
    expect(out.ObjectParts?.TotalPartsCount).toBe(3);
    expect(out.ObjectParts?.IsTruncated).toBe(true);
    expect(out.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB],
    ]);
    expect(out.ObjectParts?.Parts?.[0].ChecksumSHA256).toBe(await checksumOf("SHA256", parts[0]));
    const rest = await t.s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: "attrs",
        ObjectAttributes: ["ObjectParts"],
        PartNumberMarker: out.ObjectParts?.NextPartNumberMarker,
      }),
    );
    expect(rest.ObjectParts?.Parts?.map((p) => p.PartNumber)).toEqual([3]);
    expect(rest.ObjectParts?.IsTruncated).toBe(false);
  });
});

describe("SSE-C multipart", () => {
  test("every part needs the upload's key; the object reads back only with it", async () => {
    const key = randomBytes(32);
    const ssec = { SSECustomerAlgorithm: "AES256", SSECustomerKey: key as never };
    const { UploadId } = await t.s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "ssec-mp", ...ssec }),
    );
    const data = randomBytes(70_000);
    const missing = await errorOf(
      t.s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: "ssec-mp", UploadId, PartNumber: 1, Body: data }),
      ),
    );
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const up = await t.s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "ssec-mp", UploadId, PartNumber: 1, Body: data, ...ssec }),
    );
    expect(up.SSECustomerAlgorithm).toBe("AES256");
    await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "ssec-mp",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: up.ETag }] },
      }),
    );
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ssec-mp", ...ssec }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    const without = await errorOf(t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ssec-mp" })));
    expect(without.$metadata.httpStatusCode).toBe(400);
  });
});

describe("conditional CompleteMultipartUpload", () => {
  test("If-None-Match: * refuses to overwrite an existing key", async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "exists", Body: "old" }));
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "exists" }));
    const up = await t.s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "exists", UploadId, PartNumber: 1, Body: "new" }),
    );
    const parts = { Parts: [{ PartNumber: 1, ETag: up.ETag }] };
    const e = await errorOf(
      t.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: "exists",
          UploadId,
          MultipartUpload: parts,
          IfNoneMatch: "*",
        }),
      ),
    );
    expect(e.$metadata.httpStatusCode).toBe(412);
    const still = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "exists" }));
    expect(await still.Body!.transformToString()).toBe("old");
    // The upload survives a failed condition and completes without it.
    await t.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "exists", UploadId, MultipartUpload: parts }),
    );
    const now = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "exists" }));
    expect(await now.Body!.transformToString()).toBe("new");
  });
});
