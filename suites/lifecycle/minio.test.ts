// Lifecycle configuration through the minio client: set, read back, remove.

import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

suite("lifecycle through minio", () => {
  const f = fx!;

  async function bucket(): Promise<string> {
    const name = f.bucketName("mlc");
    await f.minio().makeBucket(name, f.target.region);
    return name;
  }
  const config = {
    Rule: [
      { ID: "expire-logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } },
      {
        ID: "uploads",
        Status: "Enabled",
        Filter: { Prefix: "" },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
      },
    ],
  };

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.roundtrip",
    async () => {
      const mc = f.minio();
      const name = await bucket();
      await mc.setBucketLifecycle(name, config);
      const got = await mc.getBucketLifecycle(name);
      // minio's parser keeps the XML as it comes (numbers parsed, repeated elements as arrays).
      const rules = got?.Rule as unknown as Record<string, unknown>[];
      expect(rules.map((r) => r.ID)).toEqual(["expire-logs", "uploads"]);
      expect(rules[0]).toMatchObject({
        Status: "Enabled",
        Filter: { Prefix: "logs/" },
        Expiration: { Days: 30 },
      });
      expect(rules[1]).toMatchObject({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } });
    },
    { variant },
  );

  check(
    "DeleteBucketLifecycle",
    "delete-bucket-lifecycle.removes",
    async () => {
      const mc = f.minio();
      const name = await bucket();
      await mc.setBucketLifecycle(name, config);
      await mc.removeBucketLifecycle(name);
      await expect(mc.getBucketLifecycle(name)).rejects.toMatchObject({
        code: "NoSuchLifecycleConfiguration",
      });
    },
    { variant },
  );
});
