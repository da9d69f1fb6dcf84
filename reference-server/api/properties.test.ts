// Properties through the real HTTP path (fast-check + @aws-sdk/client-s3): any key, any size and any
// range round-trip; user metadata comes back as stored; listing finds every key once.

import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bucketName, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
let bucket: string;
beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => t.stop());

const keyArb = fc
  .string({ unit: "binary", minLength: 1, maxLength: 80 })
  .filter((k) => k.isWellFormed() && Buffer.byteLength(k) <= 1024);

test("any key round-trips its bytes", async () => {
  await fc.assert(
    fc.asyncProperty(keyArb, fc.integer({ min: 0, max: 40_000 }), async (key, size) => {
      const data = randomBytes(size);
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `k/${key}`, Body: data }));
      const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `k/${key}` }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    }),
    { numRuns: 40 },
  );
});

test("any range of any object returns exactly those bytes", async () => {
  const data = randomBytes(150_000);
  await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "ranged", Body: data }));
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc
          .tuple(fc.nat(data.length - 1), fc.nat(200_000))
          .map(([a, n]) => ({ a, b: a + n, text: `bytes=${a}-${a + n}` })),
        fc.nat(data.length - 1).map((a) => ({ a, b: data.length - 1, text: `bytes=${a}-` })),
        fc
          .integer({ min: 1, max: 200_000 })
          .map((n) => ({ a: Math.max(0, data.length - n), b: data.length - 1, text: `bytes=-${n}` })),
      ),
      async ({ a, b, text }) => {
        const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ranged", Range: text }));
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        expect(bytes.equals(data.subarray(a, Math.min(b, data.length - 1) + 1)), text).toBe(true);
      },
    ),
    { numRuns: 40 },
  );
});

test("user metadata round-trips", async () => {
  const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);
  const value = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/);
  await fc.assert(
    fc.asyncProperty(fc.dictionary(name, value, { maxKeys: 5 }), async (meta) => {
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "meta", Body: "x", Metadata: meta }));
      const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "meta" }));
      expect(head.Metadata).toEqual(meta);
    }),
    { numRuns: 30 },
  );
});

test("paged ListObjectsV2 with any delimiter and page size visits each key or prefix once", async () => {
  const b = bucketName("prop");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  const keys = ["a", "a/b", "a/b/c", "a-b", "b/c/d", "b/e", "c", "c/", "c//d", "ü/x"];
  for (const k of keys) await t.s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("/", "-", "b", "//", undefined),
      fc.integer({ min: 1, max: 4 }),
      async (d, max) => {
        const seen: string[] = [];
        let token: string | undefined;
        for (;;) {
          const page = await t.s3.send(
            new ListObjectsV2Command({ Bucket: b, Delimiter: d, MaxKeys: max, ContinuationToken: token }),
          );
          seen.push(
            ...(page.Contents ?? []).map((c) => c.Key!),
            ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
          );
          if (!page.IsTruncated) break;
          token = page.NextContinuationToken;
        }
        const expected = new Set(
          keys.map((k) => {
            const i = d === undefined ? -1 : k.indexOf(d);
            return i >= 0 ? k.slice(0, i + d!.length) : k;
          }),
        );
        expect(seen.sort()).toEqual([...expected].sort());
      },
    ),
    { numRuns: 20 },
  );
});
