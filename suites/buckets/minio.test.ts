// Bucket checks through the minio client: the same catalog checks, as a second client expresses them.

import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

suite("buckets through minio", () => {
  const f = fx!;

  check(
    "CreateBucket",
    "create-bucket.creates",
    async () => {
      const mc = f.minio();
      const bucket = f.bucketName("mcreate");
      await mc.makeBucket(bucket, f.target.region);
      expect(await mc.bucketExists(bucket)).toBe(true);
    },
    { variant },
  );

  check(
    "ListBuckets",
    "list-buckets.lists-own-buckets",
    async () => {
      const mc = f.minio();
      const bucket = f.bucketName("mlist");
      await mc.makeBucket(bucket, f.target.region);
      const listed = await mc.listBuckets();
      const mine = listed.find((b) => b.name === bucket);
      expect(mine?.creationDate).toBeInstanceOf(Date);
    },
    { variant },
  );

  check(
    "DeleteBucket",
    "delete-bucket.deletes-empty",
    async () => {
      const mc = f.minio();
      const bucket = f.bucketName("mdel");
      await mc.makeBucket(bucket, f.target.region);
      await mc.removeBucket(bucket);
      expect(await mc.bucketExists(bucket)).toBe(false);
    },
    { variant },
  );
});
