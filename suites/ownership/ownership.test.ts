// Object ownership controls: the default of new buckets (BucketOwnerEnforced), set, read and removed,
// and what BucketOwnerEnforced does to ACLs. Asserted against AWS.

import {
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketOwnershipControlsCommand,
  type ObjectOwnership,
  PutBucketOwnershipControlsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("object ownership", () => {
  const f = fx!;
  const rules = async (Bucket: string) =>
    (await f.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules;
  const put = (Bucket: string, ObjectOwnership: ObjectOwnership) =>
    f.s3.send(
      new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership }] } }),
    );

  check("GetBucketOwnershipControls", "get-bucket-ownership-controls.new-bucket-owner-enforced", async () => {
    const Bucket = f.bucketName("own-new");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    expect(await rules(Bucket)).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
  });

  check("GetBucketOwnershipControls", "get-bucket-ownership-controls.returns-config", async () => {
    const Bucket = f.bucketName("own-get");
    await f.s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: "ObjectWriter" }));
    expect(await rules(Bucket)).toEqual([{ ObjectOwnership: "ObjectWriter" }]);
  });

  check("PutBucketOwnershipControls", "put-bucket-ownership-controls.roundtrip", async () => {
    const Bucket = f.bucketName("own-put");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    for (const value of ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"] as const) {
      await put(Bucket, value);
      expect(await rules(Bucket)).toEqual([{ ObjectOwnership: value }]);
    }
  });

  check(
    "PutBucketOwnershipControls",
    "put-bucket-ownership-controls.owner-enforced-disables-acls",
    async () => {
      const Bucket = f.bucketName("own-enf");
      await f.s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: "ObjectWriter" }));
      await f.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
      await f.s3.send(new PutObjectCommand({ Bucket, Key: "before", Body: "x", ACL: "authenticated-read" }));
      await put(Bucket, "BucketOwnerEnforced");
      await expectS3Error(
        f.s3.send(new PutObjectCommand({ Bucket, Key: "after", Body: "x", ACL: "authenticated-read" })),
        400,
        "AccessControlListNotSupported",
      );
      // The bucket-owner-full-control ACL (what cross-account writers send) is still accepted.
      await f.s3.send(
        new PutObjectCommand({ Bucket, Key: "after", Body: "x", ACL: "bucket-owner-full-control" }),
      );
    },
  );

  check("PutBucketOwnershipControls", "put-bucket-ownership-controls.invalid-refused", async () => {
    const Bucket = f.bucketName("own-bad");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await expectS3Error(put(Bucket, "EveryoneOwnsEverything" as ObjectOwnership), 400, "MalformedXML");
    expect(await rules(Bucket)).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
  });

  check("DeleteBucketOwnershipControls", "delete-bucket-ownership-controls.removes", async () => {
    const Bucket = f.bucketName("own-del");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    const out = await f.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new GetBucketOwnershipControlsCommand({ Bucket })),
      404,
      "OwnershipControlsNotFoundError",
    );
  });
});
