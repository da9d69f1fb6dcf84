// Object tagging through the minio client.

import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

const sorted = (tags: { Key: string; Value: string }[]) =>
  [...tags].map(({ Key, Value }) => ({ Key, Value })).sort((a, b) => (a.Key < b.Key ? -1 : 1));

suite("object tagging through minio", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("mtag");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  check(
    "PutObjectTagging",
    "put-object-tagging.roundtrip",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-tags", Buffer.from("t"), 1);
      await mc.setObjectTagging(bucket, "m-tags", { env: "prod", "with space": "a+b" });
      expect(sorted(await mc.getObjectTagging(bucket, "m-tags"))).toEqual([
        { Key: "env", Value: "prod" },
        { Key: "with space", Value: "a+b" },
      ]);
    },
    { variant },
  );

  check(
    "GetObjectTagging",
    "get-object-tagging.empty-tag-set",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-untagged", Buffer.from("u"), 1);
      expect(await mc.getObjectTagging(bucket, "m-untagged")).toEqual([]);
    },
    { variant },
  );

  check(
    "DeleteObjectTagging",
    "delete-object-tagging.removes-all",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-del", Buffer.from("d"), 1);
      await mc.setObjectTagging(bucket, "m-del", { a: "1" });
      await mc.removeObjectTagging(bucket, "m-del", { versionId: "" });
      expect(await mc.getObjectTagging(bucket, "m-del")).toEqual([]);
    },
    { variant },
  );

  check(
    "GetObjectTagging",
    "get-object-tagging.no-such-key",
    async () => {
      const error = await f
        .minio()
        .getObjectTagging(bucket, "m-never")
        .then(
          () => undefined,
          (e: { code?: string }) => e,
        );
      expect(error?.code).toBe("NoSuchKey");
    },
    { variant },
  );
});
