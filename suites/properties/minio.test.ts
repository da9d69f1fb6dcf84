// Property checks through the minio client (fixed seed): any key round-trips through minio's PUT, stat
// and GET, and paging through ListObjectsV2 as minio does it (encoding-type=url, decoded by the client)
// yields every key and common prefix exactly once, as the model says.

import { CreateBucketCommand } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { assertProperty, etagOf } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";
import {
  body,
  byteCompare,
  delimiter,
  keySet,
  maximalKey,
  modelListing,
  modelPages,
  objectKey,
} from "./arbitraries.ts";

const fx = useFixture();
const variant = "minio";

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

suite("properties through minio", () => {
  const f = fx!;
  let bucket = "";
  let run = 0;
  beforeAll(async () => {
    bucket = f.bucketName("mprop");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  check(
    "PutObject",
    "put-object.property-roundtrip",
    async () => {
      const mc = f.minio();
      await assertProperty(
        fc.asyncProperty(
          fc.oneof({ weight: 4, arbitrary: objectKey }, { weight: 1, arbitrary: maximalKey }),
          body,
          async (key, data) => {
            const buf = Buffer.from(data);
            const put = await mc.putObject(bucket, key, buf, buf.length);
            expect(`"${put.etag}"`).toBe(etagOf(buf));
            const stat = await mc.statObject(bucket, key);
            expect({ size: stat.size, etag: `"${stat.etag}"` }).toEqual({
              size: buf.length,
              etag: etagOf(buf),
            });
            expect(Buffer.compare(await drain(await mc.getObject(bucket, key)), buf)).toBe(0);
          },
        ),
        { numRuns: 25 },
      );
    },
    { variant },
  );

  check(
    "ListObjectsV2",
    "list-objects-v2.property-every-key-once",
    async () => {
      const mc = f.minio();
      const scenario = fc.record({ keys: keySet, delimiter, maxKeys: fc.integer({ min: 1, max: 4 }) });
      await assertProperty(
        fc.asyncProperty(scenario, async ({ keys, delimiter: d, maxKeys }) => {
          run += 1;
          const prefix = `m${run}/`;
          const full = keys.map((k) => prefix + k);
          await Promise.all(full.map((k) => mc.putObject(bucket, k, Buffer.alloc(0), 0)));
          const expected = modelPages(modelListing(full, prefix, d), maxKeys);
          const pages: { keys: string[]; prefixes: string[] }[] = [];
          let token = "";
          for (let i = 0; i <= expected.length; i += 1) {
            const out = await mc.listObjectsV2Query(bucket, prefix, token, d ?? "", maxKeys, "");
            pages.push({
              keys: out.objects.flatMap((o) => (o.name === undefined ? [] : [o.name])).sort(byteCompare),
              prefixes: out.objects
                .flatMap((o) => (o.prefix === undefined ? [] : [o.prefix]))
                .sort(byteCompare),
            });
            if (!out.isTruncated) break;
            token = out.nextContinuationToken;
          }
          expect({ delimiter: d, maxKeys, pages }).toEqual({ delimiter: d, maxKeys, pages: expected });
        }),
        { numRuns: 15 },
      );
    },
    { variant },
  );
});
