// Size properties with fast-check (fixed seed): objects at the edges that break storage engines — 0 and 1
// byte, 64 KiB encryption-package and stripe boundaries, multipart part boundaries — read back whole, by
// range across each boundary, and by part number.

import { createHash } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { assertProperty, bodyBytes, etagOf } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const KiB = 1024;
const MIN_PART = 5 * KiB * KiB;

function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) b.writeUInt32BE((i * 2654435761 + seed) >>> 0, i);
  return b;
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Sizes on and around 64 KiB multiples, and around 12 × 64 KiB (a 12+4 stripe of packages). */
const edgeSize = fc.oneof(
  fc.constantFrom(0, 1, 2),
  fc
    .tuple(fc.constantFrom(1, 2, 12, 13, 16), fc.integer({ min: -1, max: 1 }))
    .map(([n, d]) => n * 64 * KiB + d),
);

suite("size properties", () => {
  const f = fx!;
  let bucket = "";
  let n = 0;
  beforeAll(async () => {
    bucket = f.bucketName("propsize");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const get = (Key: string, extra: Record<string, unknown> = {}) =>
    f.s3.send(new GetObjectCommand({ Bucket: bucket, Key, ...extra }));

  check("PutObject", "put-object.property-roundtrip", async () => {
    await assertProperty(
      fc.asyncProperty(edgeSize, async (size) => {
        n += 1;
        const Key = `size/${n}-${size}`;
        const data = pattern(size, n);
        const put = await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: data }));
        expect(put.ETag).toBe(etagOf(data));
        const got = await get(Key);
        expect({ size, length: got.ContentLength, sha: sha(await bodyBytes(got.Body)) }).toEqual({
          size,
          length: size,
          sha: sha(data),
        });
        // A few bytes straddling the first and the last 64 KiB boundary inside the object.
        const edges = new Set([64 * KiB, Math.floor((size - 1) / (64 * KiB)) * 64 * KiB]);
        for (const edge of [...edges].filter((e) => e > 0 && e < size)) {
          const first = edge - 2;
          const last = Math.min(edge + 1, size - 1);
          const r = await get(Key, { Range: `bytes=${first}-${last}` });
          expect(Buffer.compare(await bodyBytes(r.Body), data.subarray(first, last + 1))).toBe(0);
        }
      }),
      { numRuns: 12 },
    );
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.assembles-parts", async () => {
    // 1..3 parts: every part but the last at or just over 5 MiB, the last of 0..1000 bytes or ~5 MiB.
    const layout = fc.tuple(
      fc.array(
        fc.integer({ min: 0, max: 3 }).map((d) => MIN_PART + d),
        { minLength: 0, maxLength: 2 },
      ),
      fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 2, max: 1000 }), fc.constant(MIN_PART - 1)),
    );
    await assertProperty(
      fc.asyncProperty(layout, async ([leading, lastSize]) => {
        n += 1;
        const Key = `mpu/${n}`;
        const sizes = [...leading, lastSize];
        const bodies = sizes.map((s, i) => pattern(s, n * 10 + i));
        const whole = Buffer.concat(bodies);
        const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
        const parts = await Promise.all(
          bodies.map(async (Body, i) => ({
            PartNumber: i + 1,
            ETag: (
              await f.s3.send(
                new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: i + 1, Body }),
              )
            ).ETag,
          })),
        );
        const done = await f.s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key,
            UploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
        const md5s = bodies.map((b) => createHash("md5").update(b).digest());
        const etag = `"${createHash("md5").update(Buffer.concat(md5s)).digest("hex")}-${bodies.length}"`;
        expect({ sizes, etag: done.ETag }).toEqual({ sizes, etag });
        const got = await get(Key);
        expect({ sizes, length: got.ContentLength, sha: sha(await bodyBytes(got.Body)) }).toEqual({
          sizes,
          length: whole.length,
          sha: sha(whole),
        });
        // Ranges across every part boundary, and each part by number.
        let offset = 0;
        for (const [i, size] of sizes.entries()) {
          if (i > 0 && offset < whole.length) {
            const first = offset - 2;
            const last = Math.min(offset + 1, whole.length - 1);
            const r = await get(Key, { Range: `bytes=${first}-${last}` });
            expect(Buffer.compare(await bodyBytes(r.Body), whole.subarray(first, last + 1))).toBe(0);
          }
          if (size > 0) {
            const p = await get(Key, { PartNumber: i + 1 });
            expect({ part: i + 1, length: p.ContentLength, count: p.PartsCount }).toEqual({
              part: i + 1,
              length: size,
              count: sizes.length,
            });
            expect(sha(await bodyBytes(p.Body))).toBe(sha(bodies[i]));
          }
          offset += size;
        }
      }),
      { numRuns: 4 },
    );
  });
});
