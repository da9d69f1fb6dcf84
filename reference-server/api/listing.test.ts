// ListObjects (v1) and ListObjectsV2 through @aws-sdk/client-s3: prefix, delimiter, markers, tokens,
// max-keys, encoding-type=url, fetch-owner.

import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { s3UrlEncode } from "../http/listing.ts";
import { bucketName, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
let bucket: string;
const keys = ["a/1", "a/2", "a/b/3", "b", "c/x/y", "c/z", "d e/f", "z"];
beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const k of keys) await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
});
afterAll(() => t.stop());

describe("ListObjectsV2", () => {
  test("everything, with sizes, ETags and no owner unless asked", async () => {
    const out = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(keys);
    expect(out.KeyCount).toBe(keys.length);
    expect(out.IsTruncated).toBe(false);
    expect(out.Contents?.[0].Size).toBe(3);
    expect(out.Contents?.[0].ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(out.Contents?.[0].LastModified).toBeInstanceOf(Date);
    expect(out.Contents?.[0].Owner).toBeUndefined();
    const owned = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 1 }));
    expect(owned.Contents?.[0].Owner?.ID).toBe(t.server.principal);
  });

  test("prefix and delimiter fold common prefixes, counted against max-keys", async () => {
    const out = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/" }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(["b", "z"]);
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "c/", "d e/"]);
    expect(out.KeyCount).toBe(5);
    const sub = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/", Delimiter: "/" }));
    expect(sub.Contents?.map((c) => c.Key)).toEqual(["a/1", "a/2"]);
    expect(sub.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/b/"]);
  });

  test("pages with continuation tokens visit every entry once", async () => {
    for (const delimiter of [undefined, "/"]) {
      const seen: string[] = [];
      let token: string | undefined;
      let page: ListObjectsV2CommandOutput;
      do {
        page = await t.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            MaxKeys: 2,
            ContinuationToken: token,
            Delimiter: delimiter,
          }),
        );
        seen.push(
          ...(page.Contents ?? []).map((c) => c.Key!),
          ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
        );
        expect((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0)).toBeLessThanOrEqual(2);
        token = page.NextContinuationToken;
      } while (page.IsTruncated);
      expect(seen.sort()).toEqual(delimiter ? ["a/", "b", "c/", "d e/", "z"] : [...keys].sort());
    }
  });

  test("start-after, max-keys 0, bad token", async () => {
    const out = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: "c/x/y" }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(["c/z", "d e/f", "z"]);
    expect(out.StartAfter).toBe("c/x/y");
    const zero = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect(zero.KeyCount).toBe(0);
    expect(zero.MaxKeys).toBe(0);
    const e = await t.s3
      .send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: "!!!" }))
      .catch((x) => x);
    expect(e).toBeInstanceOf(S3ServiceException);
    expect((e as S3ServiceException).name).toBe("InvalidArgument");
  });

  test("encoding-type=url encodes keys and prefixes", async () => {
    const out = await t.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: "d e", EncodingType: "url" }),
    );
    expect(out.EncodingType).toBe("url");
    expect(out.Contents?.map((c) => c.Key)).toEqual(["d+e/f"]);
    expect(out.Prefix).toBe("d+e");
    expect(s3UrlEncode("a b/ü&")).toBe("a+b/%C3%BC%26");
  });
});

describe("ListObjects (v1)", () => {
  test("markers, NextMarker with a delimiter, owner always present", async () => {
    const out = await t.s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: "a/b/3", MaxKeys: 3 }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(["b", "c/x/y", "c/z"]);
    expect(out.IsTruncated).toBe(true);
    expect(out.NextMarker).toBeUndefined();
    expect(out.Contents?.[0].Owner?.ID).toBe(t.server.principal);
    const d = await t.s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: "/", MaxKeys: 2 }));
    expect(d.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/"]);
    expect(d.Contents?.map((c) => c.Key)).toEqual(["b"]);
    expect(d.NextMarker).toBe("b");
    const rest = await t.s3.send(
      new ListObjectsCommand({ Bucket: bucket, Delimiter: "/", Marker: d.NextMarker }),
    );
    expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["c/", "d e/"]);
    expect(rest.Contents?.map((c) => c.Key)).toEqual(["z"]);
    expect(rest.IsTruncated).toBe(false);
  });
});
