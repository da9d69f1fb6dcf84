// Bucket tagging: Put/Get/DeleteBucketTagging with AWS S3's rules (50 tags a bucket, S3's tag characters
// and lengths, unique keys) and answers (NoSuchTagSet, 204 on delete whether or not tags exist).

import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
  type Tag,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("bucket tagging", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("btag");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const newBucket = async () => {
    const Bucket = f.bucketName("btag");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  };
  const put = (Bucket: string, TagSet: Tag[]) =>
    f.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
  const get = (Bucket: string) => f.s3.send(new GetBucketTaggingCommand({ Bucket }));
  const sorted = (tags: readonly Tag[] | undefined) =>
    [...(tags ?? [])].sort((a, b) => ((a.Key ?? "") < (b.Key ?? "") ? -1 : 1));

  check("PutBucketTagging", "put-bucket-tagging.roundtrip", async () => {
    const Bucket = await newBucket();
    const tags = [
      { Key: "cost-center", Value: "4242" },
      { Key: "owner", Value: "storage team" },
      { Key: "empty", Value: "" },
    ];
    expect((await put(Bucket, tags)).$metadata.httpStatusCode).toBe(204);
    expect(sorted((await get(Bucket)).TagSet)).toEqual(sorted(tags));
    await put(Bucket, [{ Key: "replaced", Value: "yes" }]);
    expect((await get(Bucket)).TagSet).toEqual([{ Key: "replaced", Value: "yes" }]);
  });

  check("PutBucketTagging", "put-bucket-tagging.invalid-tag-refused", async () => {
    for (const tag of [
      { Key: "k".repeat(129), Value: "v" },
      { Key: "k", Value: "v".repeat(257) },
      { Key: "aws:reserved", Value: "v" },
      { Key: "", Value: "v" },
    ]) {
      await expectS3Error(put(bucket, [tag]), 400, "InvalidTag");
    }
  });

  check("PutBucketTagging", "put-bucket-tagging.duplicate-keys-refused", async () => {
    const dup = [
      { Key: "same", Value: "1" },
      { Key: "same", Value: "2" },
    ];
    await expectS3Error(put(bucket, dup), 400, "InvalidTag");
  });

  check("PutBucketTagging", "put-bucket-tagging.fifty-tags-limit", async () => {
    const Bucket = await newBucket();
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await put(Bucket, fifty);
    expect((await get(Bucket)).TagSet).toHaveLength(50);
    await expectS3Error(put(Bucket, [...fifty, { Key: "k50", Value: "v50" }]), 400, "BadRequest");
    expect((await get(Bucket)).TagSet).toHaveLength(50);
  });

  check("GetBucketTagging", "get-bucket-tagging.returns-tags", async () => {
    const Bucket = await newBucket();
    await put(Bucket, [{ Key: "unicodé", Value: "vålue +-=._:/@" }]);
    const out = await get(Bucket);
    expect([out.$metadata.httpStatusCode, out.TagSet]).toEqual([
      200,
      [{ Key: "unicodé", Value: "vålue +-=._:/@" }],
    ]);
  });

  check("GetBucketTagging", "get-bucket-tagging.no-such-tag-set", async () => {
    await expectS3Error(get(await newBucket()), 404, "NoSuchTagSet");
  });

  check("DeleteBucketTagging", "delete-bucket-tagging.removes", async () => {
    const Bucket = await newBucket();
    await put(Bucket, [{ Key: "a", Value: "b" }]);
    expect((await f.s3.send(new DeleteBucketTaggingCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    await expectS3Error(get(Bucket), 404, "NoSuchTagSet");
  });

  check("DeleteBucketTagging", "delete-bucket-tagging.idempotent", async () => {
    const Bucket = await newBucket();
    for (let i = 0; i < 2; i++) {
      expect((await f.s3.send(new DeleteBucketTaggingCommand({ Bucket }))).$metadata.httpStatusCode).toBe(
        204,
      );
    }
  });
});
