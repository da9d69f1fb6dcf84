// Additional checksums (x-amz-checksum-*): every algorithm round-trips through PutObject and comes back
// with ChecksumMode; mismatches are refused; multipart uploads carry per-part and composite or full-object
// checksums; GetObjectAttributes reports them. Asserted against what AWS S3 answers.

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { Crc32c } from "@aws-crypto/crc32c";
import {
  type ChecksumAlgorithm,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, etagOf, expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const MIN_PART = 5 * 1024 * 1024;
const ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** Raw digest bytes of an algorithm, as S3 computes them (base64 on the wire). */
async function digest(alg: Algorithm, data: Uint8Array): Promise<Buffer> {
  switch (alg) {
    case "CRC32": {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(data) >>> 0);
      return b;
    }
    case "CRC32C": {
      const h = new Crc32c();
      h.update(data);
      const b = Buffer.alloc(4);
      b.writeUInt32BE(h.digest() >>> 0);
      return b;
    }
    case "CRC64NVME": {
      const h = new Crc64Nvme();
      h.update(data);
      return Buffer.from(await h.digest());
    }
    case "SHA1":
      return createHash("sha1").update(data).digest();
    case "SHA256":
      return createHash("sha256").update(data).digest();
  }
}
const b64 = async (alg: Algorithm, data: Uint8Array) => (await digest(alg, data)).toString("base64");

/** The SDK field of an algorithm's checksum, e.g. ChecksumCRC64NVME. */
const field = (alg: Algorithm) => `Checksum${alg}` as const;
type WithChecksums = Partial<Record<ReturnType<typeof field>, string>> & { ChecksumType?: string };
const checksumOf = (out: unknown, alg: Algorithm) => (out as WithChecksums)[field(alg)];

suite("checksums", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("sum");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const put = (Key: string, Body: Uint8Array | string, extra: Partial<PutObjectCommandInput> = {}) =>
    f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
  const getWithChecksum = (Key: string) =>
    f.s3.send(new GetObjectCommand({ Bucket: bucket, Key, ChecksumMode: "ENABLED" }));
  const headWithChecksum = (Key: string) =>
    f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: "ENABLED" }));

  check("PutObject", "put-object.checksum-algorithms", async () => {
    const body = Buffer.from("checksummed body, the same for every algorithm\n");
    const trailer = f.client({ checksums: "WHEN_SUPPORTED" });
    for (const alg of ALGORITHMS) {
      const Key = `alg/${alg}`;
      const expected = await b64(alg, body);
      // The SDK computes the value from ChecksumAlgorithm.
      const out = await put(Key, body, { ChecksumAlgorithm: alg });
      expect({ alg, checksum: checksumOf(out, alg), etag: out.ETag }).toEqual({
        alg,
        checksum: expected,
        etag: etagOf(body),
      });
      const got = await getWithChecksum(Key);
      expect({ alg, checksum: checksumOf(got, alg), type: got.ChecksumType }).toEqual({
        alg,
        checksum: expected,
        type: "FULL_OBJECT",
      });
      expect(Buffer.compare(await bodyBytes(got.Body), body)).toBe(0);
      const h = await headWithChecksum(Key);
      expect({ alg, checksum: checksumOf(h, alg), type: h.ChecksumType }).toEqual({
        alg,
        checksum: expected,
        type: "FULL_OBJECT",
      });
      // A value given by the client as a plain header is verified and stored the same way.
      const given = await put(`${Key}/given`, body, { [field(alg)]: expected });
      expect({ alg, checksum: checksumOf(given, alg) }).toEqual({ alg, checksum: expected });
      expect(checksumOf(await headWithChecksum(`${Key}/given`), alg)).toBe(expected);
      // Sent as a trailer after an aws-chunked body (the SDK's default for streams).
      const trailed = await trailer.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${Key}/trailer`,
          Body: Readable.from([body]),
          ContentLength: body.length,
          ChecksumAlgorithm: alg,
        }),
      );
      expect({ alg, checksum: checksumOf(trailed, alg) }).toEqual({ alg, checksum: expected });
      const back = await getWithChecksum(`${Key}/trailer`);
      expect({
        alg,
        checksum: checksumOf(back, alg),
        same: Buffer.compare(await bodyBytes(back.Body), body),
      }).toEqual({
        alg,
        checksum: expected,
        same: 0,
      });
    }
  });

  check("PutObject", "put-object.checksum-mismatch", async () => {
    const body = Buffer.from("the body that was sent");
    const other = Buffer.from("a different body");
    for (const alg of ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"] as const) {
      const seen = await expectS3Error(
        put(`bad/${alg}`, body, { [field(alg)]: await b64(alg, other) }),
        400,
        "BadDigest",
      );
      expect(seen.code).toBe("BadDigest");
      await expectS3Error(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `bad/${alg}` })), 404);
    }
    // A value that is not a digest of the algorithm's size at all.
    await expectS3Error(
      put("bad/malformed", body, { ChecksumSHA256: "bm90LWEtZGlnZXN0" }),
      400,
      "InvalidRequest",
    );
    await expectS3Error(put("bad/malformed", body, { ChecksumCRC32: "AAAAAAAA" }), 400, "InvalidRequest");
  });

  check("GetObject", "get-object.checksum-mode", async () => {
    const body = Buffer.from("read back with checksum mode");
    await put("mode/sha1", body, { ChecksumAlgorithm: "SHA1" });
    const got = await getWithChecksum("mode/sha1");
    expect({ sha1: got.ChecksumSHA1, type: got.ChecksumType }).toEqual({
      sha1: await b64("SHA1", body),
      type: "FULL_OBJECT",
    });
    await got.Body?.transformToByteArray();
    // AWS stores a CRC64NVME checksum for every object uploaded without one, and returns it.
    await put("mode/none", body);
    const plain = await getWithChecksum("mode/none");
    expect({ crc64: plain.ChecksumCRC64NVME, type: plain.ChecksumType }).toEqual({
      crc64: await b64("CRC64NVME", body),
      type: "FULL_OBJECT",
    });
    await plain.Body?.transformToByteArray();
  });

  const createUpload = async (
    Key: string,
    ChecksumAlgorithm: ChecksumAlgorithm,
    type?: "COMPOSITE" | "FULL_OBJECT",
  ) =>
    f.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key,
        ChecksumAlgorithm,
        ...(type ? { ChecksumType: type } : {}),
      }),
    );
  const uploadParts = async (Key: string, UploadId: string, alg: Algorithm, bodies: Buffer[]) =>
    Promise.all(
      bodies.map(async (Body, i) => {
        const out = await f.s3.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key,
            UploadId,
            PartNumber: i + 1,
            Body,
            [field(alg)]: await b64(alg, Body),
          }),
        );
        expect({ part: i + 1, checksum: checksumOf(out, alg) }).toEqual({
          part: i + 1,
          checksum: await b64(alg, Body),
        });
        return { PartNumber: i + 1, ETag: out.ETag, [field(alg)]: checksumOf(out, alg) } as CompletedPart;
      }),
    );
  const bigParts = () => {
    const first = Buffer.alloc(MIN_PART, 3);
    first.write("first part");
    return [first, Buffer.from("second, last part")];
  };

  check("CreateMultipartUpload", "create-multipart-upload.checksum-algorithm", async () => {
    const sha = await createUpload("mpu/alg-sha256", "SHA256");
    expect({ alg: sha.ChecksumAlgorithm, type: sha.ChecksumType }).toEqual({
      alg: "SHA256",
      type: "COMPOSITE",
    });
    const crc = await createUpload("mpu/alg-crc64", "CRC64NVME", "FULL_OBJECT");
    expect({ alg: crc.ChecksumAlgorithm, type: crc.ChecksumType }).toEqual({
      alg: "CRC64NVME",
      type: "FULL_OBJECT",
    });
    // A part whose checksum does not match its bytes is refused.
    await expectS3Error(
      f.s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: "mpu/alg-sha256",
          UploadId: sha.UploadId,
          PartNumber: 1,
          Body: "part bytes",
          ChecksumSHA256: await b64("SHA256", Buffer.from("other bytes")),
        }),
      ),
      400,
      "BadDigest",
    );
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.composite-checksum", async () => {
    const bodies = bigParts();
    // Composite: the checksum of the concatenated part checksums, suffixed with the part count.
    const Key = "mpu/composite";
    const up = await createUpload(Key, "SHA256");
    const parts = await uploadParts(Key, up.UploadId ?? "", "SHA256", bodies);
    const composite = `${createHash("sha256")
      .update(Buffer.concat(await Promise.all(bodies.map((b) => digest("SHA256", b)))))
      .digest("base64")}-2`;
    const done = await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId: up.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    expect({ sum: done.ChecksumSHA256, type: done.ChecksumType }).toEqual({
      sum: composite,
      type: "COMPOSITE",
    });
    const h = await headWithChecksum(Key);
    expect({ sum: h.ChecksumSHA256, type: h.ChecksumType }).toEqual({ sum: composite, type: "COMPOSITE" });
    // Full object: a CRC of the whole object, whatever the parts.
    const fullKey = "mpu/full";
    const full = await createUpload(fullKey, "CRC32", "FULL_OBJECT");
    const fullParts = await uploadParts(fullKey, full.UploadId ?? "", "CRC32", bodies);
    const whole = await b64("CRC32", Buffer.concat(bodies));
    const fullDone = await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: fullKey,
        UploadId: full.UploadId,
        MultipartUpload: { Parts: fullParts },
      }),
    );
    expect({ sum: fullDone.ChecksumCRC32, type: fullDone.ChecksumType }).toEqual({
      sum: whole,
      type: "FULL_OBJECT",
    });
    const got = await getWithChecksum(fullKey);
    expect({ sum: got.ChecksumCRC32, type: got.ChecksumType }).toEqual({ sum: whole, type: "FULL_OBJECT" });
    await got.Body?.transformToByteArray();
  });

  check("ListParts", "list-parts.checksums", async () => {
    const Key = "mpu/list";
    const up = await createUpload(Key, "SHA256");
    const bodies = [Buffer.from("alpha"), Buffer.from("beta")];
    await uploadParts(Key, up.UploadId ?? "", "SHA256", bodies);
    const out = await f.s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: up.UploadId }));
    expect(out.ChecksumAlgorithm).toBe("SHA256");
    expect((out.Parts ?? []).map((p) => ({ n: p.PartNumber, sum: p.ChecksumSHA256 }))).toEqual([
      { n: 1, sum: await b64("SHA256", bodies[0]) },
      { n: 2, sum: await b64("SHA256", bodies[1]) },
    ]);
  });

  check("GetObjectAttributes", "get-object-attributes.etag-size-storage-class", async () => {
    const body = "attributes";
    await put("attr/plain", body);
    const out = await f.s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: "attr/plain",
        ObjectAttributes: ["ETag", "ObjectSize", "StorageClass"],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    // GetObjectAttributes gives the ETag without quotes.
    expect({ etag: out.ETag, size: out.ObjectSize, storageClass: out.StorageClass }).toEqual({
      etag: etagOf(body).slice(1, -1),
      size: body.length,
      storageClass: "STANDARD",
    });
    expect(out.LastModified).toBeInstanceOf(Date);
    // Only what was asked for.
    const onlySize = await f.s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: "attr/plain", ObjectAttributes: ["ObjectSize"] }),
    );
    expect({ etag: onlySize.ETag, size: onlySize.ObjectSize, storageClass: onlySize.StorageClass }).toEqual({
      etag: undefined,
      size: body.length,
      storageClass: undefined,
    });
  });

  check("GetObjectAttributes", "get-object-attributes.checksum", async () => {
    const body = Buffer.from("attribute checksum");
    await put("attr/sum", body, { ChecksumAlgorithm: "SHA256" });
    const out = await f.s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: "attr/sum", ObjectAttributes: ["Checksum"] }),
    );
    expect({ sum: out.Checksum?.ChecksumSHA256, type: out.Checksum?.ChecksumType }).toEqual({
      sum: await b64("SHA256", body),
      type: "FULL_OBJECT",
    });
  });

  check("GetObjectAttributes", "get-object-attributes.object-parts", async () => {
    const bodies = bigParts();
    const Key = "attr/parts";
    const up = await createUpload(Key, "SHA256");
    const parts = await uploadParts(Key, up.UploadId ?? "", "SHA256", bodies);
    await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId: up.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const out = await f.s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key,
        ObjectAttributes: ["ObjectParts", "ObjectSize"],
      }),
    );
    expect(out.ObjectSize).toBe(bodies[0].length + bodies[1].length);
    expect(out.ObjectParts?.TotalPartsCount).toBe(2);
    expect(
      (out.ObjectParts?.Parts ?? []).map((p) => ({ n: p.PartNumber, size: p.Size, sum: p.ChecksumSHA256 })),
    ).toEqual([
      { n: 1, size: bodies[0].length, sum: await b64("SHA256", bodies[0]) },
      { n: 2, size: bodies[1].length, sum: await b64("SHA256", bodies[1]) },
    ]);
    // Paginated like ListParts.
    const page = await f.s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key, ObjectAttributes: ["ObjectParts"], MaxParts: 1 }),
    );
    expect({
      parts: (page.ObjectParts?.Parts ?? []).map((p) => p.PartNumber),
      truncated: page.ObjectParts?.IsTruncated,
      next: page.ObjectParts?.NextPartNumberMarker,
    }).toEqual({ parts: [1], truncated: true, next: "1" });
  });

  check("GetObjectAttributes", "get-object-attributes.no-such-key", async () => {
    await expectS3Error(
      f.s3.send(
        new GetObjectAttributesCommand({ Bucket: bucket, Key: "attr/none", ObjectAttributes: ["ETag"] }),
      ),
      404,
      "NoSuchKey",
    );
  });
});
