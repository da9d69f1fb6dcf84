// Transfer acceleration and request payment settings: stored, returned and validated as AWS S3 does.

import {
  CreateBucketCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketRequestPaymentCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketRequestPaymentCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("accelerate and request payment", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("accel");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const newBucket = async (name = f.bucketName("accel")) => {
    await f.s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  };

  check(
    "GetBucketAccelerateConfiguration",
    "get-bucket-accelerate-configuration.never-set-empty",
    async () => {
      const out = await f.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: await newBucket() }));
      expect([out.$metadata.httpStatusCode, out.Status]).toEqual([200, undefined]);
    },
  );

  check("PutBucketAccelerateConfiguration", "put-bucket-accelerate-configuration.roundtrip", async () => {
    for (const Status of ["Enabled", "Suspended"] as const) {
      const put = await f.s3.send(
        new PutBucketAccelerateConfigurationCommand({ Bucket: bucket, AccelerateConfiguration: { Status } }),
      );
      expect(put.$metadata.httpStatusCode).toBe(200);
      const got = await f.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: bucket }));
      expect(got.Status).toBe(Status);
    }
  });

  check(
    "PutBucketAccelerateConfiguration",
    "put-bucket-accelerate-configuration.invalid-status-refused",
    async () => {
      await expectS3Error(
        f.s3.send(
          new PutBucketAccelerateConfigurationCommand({
            Bucket: bucket,
            AccelerateConfiguration: { Status: "Disabled" as "Enabled" },
          }),
        ),
        400,
        "MalformedXML",
      );
    },
  );

  check(
    "PutBucketAccelerateConfiguration",
    "put-bucket-accelerate-configuration.dotted-name-refused",
    async () => {
      const dotted = await newBucket(`${f.bucketName("acc")}.dot`);
      await expectS3Error(
        f.s3.send(
          new PutBucketAccelerateConfigurationCommand({
            Bucket: dotted,
            AccelerateConfiguration: { Status: "Enabled" },
          }),
        ),
        400,
        "InvalidRequest",
      );
    },
  );

  check("GetBucketRequestPayment", "get-bucket-request-payment.default-bucket-owner", async () => {
    const out = await f.s3.send(new GetBucketRequestPaymentCommand({ Bucket: await newBucket() }));
    expect(out.Payer).toBe("BucketOwner");
  });

  check("PutBucketRequestPayment", "put-bucket-request-payment.roundtrip", async () => {
    const Bucket = await newBucket();
    for (const Payer of ["Requester", "BucketOwner"] as const) {
      const put = await f.s3.send(
        new PutBucketRequestPaymentCommand({ Bucket, RequestPaymentConfiguration: { Payer } }),
      );
      expect(put.$metadata.httpStatusCode).toBe(200);
      expect((await f.s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer).toBe(Payer);
    }
  });

  check("PutBucketRequestPayment", "put-bucket-request-payment.invalid-payer-refused", async () => {
    await expectS3Error(
      f.s3.send(
        new PutBucketRequestPaymentCommand({
          Bucket: bucket,
          RequestPaymentConfiguration: { Payer: "Everyone" as "Requester" },
        }),
      ),
      400,
      "MalformedXML",
    );
    expect((await f.s3.send(new GetBucketRequestPaymentCommand({ Bucket: bucket }))).Payer).toBe(
      "BucketOwner",
    );
  });
});
