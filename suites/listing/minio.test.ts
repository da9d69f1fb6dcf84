// Listing through the minio client: it always asks for encoding-type=url and decodes what it gets, so
// these checks also prove the encoding round-trips through a real client.

import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { BucketItem, BucketStream } from "minio";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { etagOf } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

// Byte order, with the characters URL encoding must round-trip.
const KEYS = ["a/1", "a/2", "a/b/3", "b+c", "c d", "d%25/x", "d/e", "z", "é"];

async function collect<T>(stream: BucketStream<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item as T);
  return items;
}

/** A page's keys and prefixes in byte order (minio lists a page's keys before its prefixes). */
const entries = (items: readonly { name?: string; prefix?: string }[]) =>
  items.map((o) => o.name ?? o.prefix ?? "").sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

const split = (items: readonly BucketItem[]) => ({
  keys: items.filter((i) => i.name !== undefined).map((i) => i.name),
  prefixes: items.filter((i) => i.prefix !== undefined).map((i) => i.prefix),
});

suite("listing through minio", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("mlist");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await Promise.all(KEYS.map((Key) => f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
  });

  check(
    "ListObjectsV2",
    "list-objects-v2.lists-keys",
    async () => {
      const items = await collect(f.minio().listObjectsV2(bucket, "", true));
      expect(items.map((i) => [i.name, i.size, `"${i.etag}"`])).toEqual(
        KEYS.map((k) => [k, Buffer.byteLength(k), etagOf(k)]),
      );
    },
    { variant },
  );

  check(
    "ListObjectsV2",
    "list-objects-v2.prefix-delimiter",
    async () => {
      const mc = f.minio();
      const top = await mc.listObjectsV2Query(bucket, "", "", "/", 1000, "");
      expect({ ...split(top.objects), truncated: top.isTruncated }).toEqual({
        keys: ["b+c", "c d", "z", "é"],
        prefixes: ["a/", "d%25/", "d/"],
        truncated: false,
      });
      const inA = await mc.listObjectsV2Query(bucket, "a/", "", "/", 1000, "");
      expect(split(inA.objects)).toEqual({ keys: ["a/1", "a/2"], prefixes: ["a/b/"] });
      // A delimiter of several characters, one of them encoded.
      const odd = await mc.listObjectsV2Query(bucket, "", "", "%25/", 1000, "");
      expect(split(odd.objects).prefixes).toEqual(["d%25/"]);
    },
    { variant },
  );

  check(
    "ListObjectsV2",
    "list-objects-v2.continuation-token",
    async () => {
      const mc = f.minio();
      const pages: string[][] = [];
      let token = "";
      for (let i = 0; i < 5; i += 1) {
        const page = await mc.listObjectsV2Query(bucket, "", token, "/", 2, "");
        pages.push(entries(page.objects));
        if (!page.isTruncated) break;
        token = page.nextContinuationToken;
      }
      // Common prefixes fill pages like keys.
      expect(pages).toEqual([["a/", "b+c"], ["c d", "d%25/"], ["d/", "z"], ["é"]]);
    },
    { variant },
  );

  check(
    "ListObjectsV2",
    "list-objects-v2.start-after",
    async () => {
      const items = await collect(f.minio().listObjectsV2(bucket, "", true, "c d"));
      expect(items.map((i) => i.name)).toEqual(["d%25/x", "d/e", "z", "é"]);
    },
    { variant },
  );

  check(
    "ListObjectsV2",
    "list-objects-v2.encoding-type-url",
    async () => {
      // minio requests encoding-type=url and decodes "+" as a space: keys with spaces, "+", "%" and
      // non-ASCII characters come back exactly.
      const items = await collect(f.minio().listObjectsV2(bucket, "", true));
      expect(items.map((i) => i.name)).toEqual(KEYS);
      const spaced = await f.minio().listObjectsV2Query(bucket, "c", "", " ", 1000, "");
      expect(split(spaced.objects)).toEqual({ keys: [], prefixes: ["c "] });
    },
    { variant },
  );

  check(
    "ListObjects",
    "list-objects.lists-keys",
    async () => {
      const items = await collect(f.minio().listObjects(bucket, "", true));
      expect(items.map((i) => [i.name, i.size])).toEqual(KEYS.map((k) => [k, Buffer.byteLength(k)]));
    },
    { variant },
  );

  check(
    "ListObjects",
    "list-objects.marker-pagination",
    async () => {
      const mc = f.minio();
      // (minio passes NextMarker on still URL-encoded, so the markers here need no encoding.)
      const first = await mc.listObjectsQuery(bucket, "", "", { Delimiter: "/", MaxKeys: 1 });
      expect({
        entries: entries(first.objects),
        truncated: first.isTruncated,
        next: first.nextMarker,
      }).toEqual({
        entries: ["a/"],
        truncated: true,
        next: "a/",
      });
      // A common prefix as marker skips its whole group.
      const second = await mc.listObjectsQuery(bucket, "", "a/", { Delimiter: "/", MaxKeys: 3 });
      expect({ entries: entries(second.objects), truncated: second.isTruncated }).toEqual({
        entries: ["b+c", "c d", "d%25/"],
        truncated: true,
      });
    },
    { variant },
  );

  check(
    "ListObjects",
    "list-objects.encoding-type-url",
    async () => {
      const page = await f.minio().listObjectsQuery(bucket, "d", "c d", { Delimiter: "/", MaxKeys: 1000 });
      expect(entries(page.objects)).toEqual(["d%25/", "d/"]);
    },
    { variant },
  );
});
