// Object tagging: Put/Get/DeleteObjectTagging, tags given on PutObject, AWS's limits (10 tags, 128-character
// keys, 256-character values, unique keys) and tags of a specific version, asserted against what AWS S3
// answers.

import {
  CreateBucketCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type Tag,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const byKey = (tags: readonly Tag[] | undefined) =>
  [...(tags ?? [])].sort((a, b) => ((a.Key ?? "") < (b.Key ?? "") ? -1 : 1));

suite("object tagging", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("tag");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const put = (Key: string, extra: Record<string, unknown> = {}) =>
    f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "tagged", ...extra }));
  const setTags = (Key: string, TagSet: Tag[], extra: Record<string, unknown> = {}) =>
    f.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key, Tagging: { TagSet }, ...extra }));
  const getTags = (Key: string, extra: Record<string, unknown> = {}) =>
    f.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key, ...extra }));

  check("PutObjectTagging", "put-object-tagging.roundtrip", async () => {
    await put("rt");
    const TagSet = [
      { Key: "env", Value: "prod" },
      { Key: "with space", Value: "a+b=c/d:e@f.g_h-i" },
      { Key: "empty", Value: "" },
      { Key: "unicodé", Value: "vålue" },
    ];
    const out = await setTags("rt", TagSet);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(byKey((await getTags("rt")).TagSet)).toEqual(byKey(TagSet));
    await expectS3Error(setTags("no-such-object", [{ Key: "a", Value: "b" }]), 404, "NoSuchKey");
  });

  check("PutObjectTagging", "put-object-tagging.replaces-all", async () => {
    await put("replace", { Tagging: "first=1&second=2" });
    await setTags("replace", [{ Key: "third", Value: "3" }]);
    expect((await getTags("replace")).TagSet).toEqual([{ Key: "third", Value: "3" }]);
    // An empty tag set clears the tags.
    await setTags("replace", []);
    expect((await getTags("replace")).TagSet ?? []).toEqual([]);
  });

  check("PutObjectTagging", "put-object-tagging.limits", async () => {
    await put("limits");
    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    expect((await setTags("limits", ten)).$metadata.httpStatusCode).toBe(200);
    await expectS3Error(setTags("limits", [...ten, { Key: "k10", Value: "v10" }]), 400, "BadRequest");
    const longest = [{ Key: "k".repeat(128), Value: "v".repeat(256) }];
    expect((await setTags("limits", longest)).$metadata.httpStatusCode).toBe(200);
    await expectS3Error(setTags("limits", [{ Key: "k".repeat(129), Value: "v" }]), 400, "InvalidTag");
    await expectS3Error(setTags("limits", [{ Key: "k", Value: "v".repeat(257) }]), 400, "InvalidTag");
    await expectS3Error(
      setTags("limits", [
        { Key: "same", Value: "1" },
        { Key: "same", Value: "2" },
      ]),
      400,
      "InvalidTag",
    );
    await expectS3Error(setTags("limits", [{ Key: "", Value: "v" }]), 400, "InvalidTag");
    // Refused sets leave the stored tags as they were.
    expect((await getTags("limits")).TagSet).toEqual(longest);
    // The same limit holds for tags given on upload.
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v${i}`).join("&");
    await expectS3Error(put("limits-on-put", { Tagging: eleven }), 400, "BadRequest");
  });

  check("PutObjectTagging", "put-object-tagging.version-id", async () => {
    const versioned = f.bucketName("tagver");
    await f.s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await f.s3.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const v1 = (await f.s3.send(new PutObjectCommand({ Bucket: versioned, Key: "k", Body: "one" })))
      .VersionId;
    const v2 = (await f.s3.send(new PutObjectCommand({ Bucket: versioned, Key: "k", Body: "two" })))
      .VersionId;
    expect(v1).toBeTruthy();
    expect(v2).not.toBe(v1);
    const out = await f.s3.send(
      new PutObjectTaggingCommand({
        Bucket: versioned,
        Key: "k",
        VersionId: v1,
        Tagging: { TagSet: [{ Key: "old", Value: "yes" }] },
      }),
    );
    expect(out.VersionId).toBe(v1);
    const tagsV1 = await f.s3.send(
      new GetObjectTaggingCommand({ Bucket: versioned, Key: "k", VersionId: v1 }),
    );
    expect({ version: tagsV1.VersionId, tags: tagsV1.TagSet }).toEqual({
      version: v1,
      tags: [{ Key: "old", Value: "yes" }],
    });
    const latest = await f.s3.send(new GetObjectTaggingCommand({ Bucket: versioned, Key: "k" }));
    expect({ version: latest.VersionId, tags: latest.TagSet ?? [] }).toEqual({ version: v2, tags: [] });
  });

  check("GetObjectTagging", "get-object-tagging.returns-tags", async () => {
    await put("get");
    await setTags("get", [
      { Key: "b", Value: "2" },
      { Key: "a", Value: "1" },
    ]);
    const out = await getTags("get");
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(byKey(out.TagSet)).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "2" },
    ]);
  });

  check("GetObjectTagging", "get-object-tagging.empty-tag-set", async () => {
    await put("untagged");
    const out = await getTags("untagged");
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.TagSet ?? []).toEqual([]);
  });

  check("GetObjectTagging", "get-object-tagging.tagging-header-on-put", async () => {
    // x-amz-tagging is a URL-encoded query string.
    await put("on-put", { Tagging: "project=parity&with%20space=a%2Bb%3Dc&empty=" });
    expect(byKey((await getTags("on-put")).TagSet)).toEqual([
      { Key: "empty", Value: "" },
      { Key: "project", Value: "parity" },
      { Key: "with space", Value: "a+b=c" },
    ]);
    // GetObject reports how many tags the object has.
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "on-put" }));
    expect(got.TagCount).toBe(3);
    await got.Body?.transformToByteArray();
    await put("on-put-none");
    const none = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "on-put-none" }));
    expect(none.TagCount).toBeUndefined();
    await none.Body?.transformToByteArray();
    // Overwriting the object without tags drops them.
    await put("on-put");
    expect((await getTags("on-put")).TagSet ?? []).toEqual([]);
  });

  check("GetObjectTagging", "get-object-tagging.no-such-key", async () => {
    await expectS3Error(getTags("never-tagged"), 404, "NoSuchKey");
  });

  check("DeleteObjectTagging", "delete-object-tagging.removes-all", async () => {
    await put("del", { Tagging: "a=1&b=2" });
    const out = await f.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "del" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await getTags("del")).TagSet ?? []).toEqual([]);
    // Idempotent, and the object itself stays.
    await f.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "del" }));
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "del" }));
    expect(await got.Body?.transformToString()).toBe("tagged");
  });

  check("DeleteObjectTagging", "delete-object-tagging.no-such-key", async () => {
    await expectS3Error(
      f.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "never-there" })),
      404,
      "NoSuchKey",
    );
  });
});
