// Property checks on objects with fast-check (fixed seed): any key — unicode, spaces, "+", "%", up to
// 1024 bytes — with any body size and metadata round-trips through PUT, GET, HEAD and listing; any range
// of any object reads the right bytes with the right Content-Range.

import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { assertProperty, bodyBytes, etagOf, expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";
import { body, maximalKey, metadata, objectKey } from "./arbitraries.ts";

const fx = useFixture();

suite("object properties", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("propobj");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  const roundTrip = async (key: string, data: Uint8Array, meta: Record<string, string>) => {
    const put = await f.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, Metadata: meta }),
    );
    expect(put.ETag).toBe(etagOf(data));
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect({
      same: Buffer.compare(await bodyBytes(got.Body), Buffer.from(data)),
      length: got.ContentLength,
      etag: got.ETag,
    }).toEqual({ same: 0, length: data.length, etag: etagOf(data) });
    // Listing with the key as prefix finds the key, byte for byte.
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    expect(listed.Contents?.[0]?.Key).toBe(key);
    expect(listed.Contents?.[0]?.Size).toBe(data.length);
  };

  check("PutObject", "put-object.property-roundtrip", async () => {
    await assertProperty(
      fc.asyncProperty(objectKey, body, async (key, data) => roundTrip(key, data, {})),
      { numRuns: 30 },
    );
    // Keys of exactly 1024 bytes, the maximum, in any mix of 1- to 4-byte characters.
    await assertProperty(
      fc.asyncProperty(maximalKey, body, async (key, data) => {
        expect(Buffer.byteLength(key)).toBe(1024);
        await roundTrip(key, data, {});
      }),
      { numRuns: 8 },
    );
  });

  check("HeadObject", "head-object.user-metadata", async () => {
    // Names come back lowercased, values exactly as sent.
    await assertProperty(
      fc.asyncProperty(objectKey, metadata, async (key, meta) => {
        await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "m", Metadata: meta }));
        const expected = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k.toLowerCase(), v]));
        const h = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        expect(h.Metadata ?? {}).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  check("GetObject", "get-object.range-property", async () => {
    // Objects of 1..3000 bytes; ranges first-last (clipped at the end), first- and -suffix.
    const sized = fc.integer({ min: 1, max: 3000 }).chain((size) =>
      fc.tuple(
        fc.constant(size),
        fc.oneof(
          fc
            .tuple(fc.nat(size - 1), fc.nat(4000))
            .map(([a, len]) => ({ form: "span" as const, a, b: a + len })),
          fc.nat(size - 1).map((a) => ({ form: "open" as const, a, b: 0 })),
          fc.integer({ min: 1, max: size + 50 }).map((n) => ({ form: "suffix" as const, a: n, b: 0 })),
          fc.integer({ min: size, max: size + 100 }).map((a) => ({ form: "beyond" as const, a, b: a + 1 })),
        ),
      ),
    );
    let n = 0;
    await assertProperty(
      fc.asyncProperty(sized, async ([size, r]) => {
        n += 1;
        const key = `range/${n}`;
        const data = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff));
        await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
        const get = (Range: string) => f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range }));
        if (r.form === "beyond") {
          await expectS3Error(get(`bytes=${r.a}-${r.b}`), 416, "InvalidRange");
          return;
        }
        const [range, first, last] =
          r.form === "span"
            ? [`bytes=${r.a}-${r.b}`, r.a, Math.min(r.b, size - 1)]
            : r.form === "open"
              ? [`bytes=${r.a}-`, r.a, size - 1]
              : [`bytes=-${r.a}`, Math.max(0, size - r.a), size - 1];
        const got = await get(range);
        expect({
          range,
          status: got.$metadata.httpStatusCode,
          contentRange: got.ContentRange,
          length: got.ContentLength,
        }).toEqual({
          range,
          status: 206,
          contentRange: `bytes ${first}-${last}/${size}`,
          length: last - first + 1,
        });
        expect(Buffer.compare(await bodyBytes(got.Body), data.subarray(first, last + 1))).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});
