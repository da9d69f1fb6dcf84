// The archive tier as a black box: a GLACIER object answers HEAD but refuses GET with InvalidObjectState
// until restored; RestoreObject is accepted (202) and shows as ongoing; a second request while it runs is
// RestoreAlreadyInProgress; a STANDARD object cannot be restored.

import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("restore", () => {
  const f = fx!;
  async function newBucket(): Promise<string> {
    const Bucket = f.bucketName("rst");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  }
  const restore = (Bucket: string, Key: string) =>
    f.s3.send(
      new RestoreObjectCommand({
        Bucket,
        Key,
        RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: "Standard" } },
      }),
    );

  check("RestoreObject", "restore-object.archived-restore-accepted", async () => {
    const bucket = await newBucket();
    await f.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "cold", Body: "frozen", StorageClass: "GLACIER" }),
    );
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "cold" }));
    expect(head.StorageClass).toBe("GLACIER");
    expect(head.Restore).toBeUndefined();
    const refused = await expectS3Error(
      f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cold" })),
      403,
      "InvalidObjectState",
    );
    expect(refused.status).toBe(403);
    const started = await restore(bucket, "cold");
    expect(started.$metadata.httpStatusCode).toBe(202);
    const ongoing = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "cold" }));
    expect(ongoing.Restore).toBe('ongoing-request="true"');
    await expectS3Error(restore(bucket, "cold"), 409, "RestoreAlreadyInProgress");
    await expectS3Error(
      f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cold" })),
      403,
      "InvalidObjectState",
    );
  });

  check("RestoreObject", "restore-object.not-archived-refused", async () => {
    const bucket = await newBucket();
    await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "warm", Body: "x" }));
    await expectS3Error(restore(bucket, "warm"), 403, "InvalidObjectState");
    await expectS3Error(restore(bucket, "absent"), 404, "NoSuchKey");
  });
});
