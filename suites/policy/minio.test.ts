// Bucket policies through the minio client: setBucketPolicy / getBucketPolicy round-trip, and removal
// (minio-js removes a policy by setting an empty one).

import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, useFixture } from "../harness/suite.ts";
import { arn, bucketWith, policyDoc } from "./support.ts";

const fx = useFixture();
const variant = "minio";

suite("bucket policy through minio", () => {
  const f = fx!;

  check(
    "GetBucketPolicy",
    "get-bucket-policy.returns-policy",
    async () => {
      const Bucket = await bucketWith(f);
      const mc = f.minio();
      // Not public (a Deny), so Block Public Access does not stand in the way.
      const policy = policyDoc({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:DeleteObject",
        Resource: arn(Bucket, "keep/*"),
      });
      await mc.setBucketPolicy(Bucket, policy);
      expect(JSON.parse(await mc.getBucketPolicy(Bucket))).toEqual(JSON.parse(policy));
    },
    { variant },
  );

  check(
    "DeleteBucketPolicy",
    "delete-bucket-policy.idempotent",
    async () => {
      const Bucket = await bucketWith(f);
      const mc = f.minio();
      const policy = policyDoc({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:DeleteObject",
        Resource: arn(Bucket, "keep/*"),
      });
      await mc.setBucketPolicy(Bucket, policy);
      await mc.setBucketPolicy(Bucket, "");
      await mc.setBucketPolicy(Bucket, "");
      await expect(mc.getBucketPolicy(Bucket)).rejects.toMatchObject({ code: "NoSuchBucketPolicy" });
    },
    { variant },
  );
});
