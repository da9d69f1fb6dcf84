// Event notification configuration: stored with an id on every configuration, emptied by an empty
// document, and destinations validated as AWS S3 validates them (a queue that cannot be reached is
// refused unless the client asks to skip that validation).

import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
// A well-formed queue in an account no test target owns: it exists for no one.
const QUEUE = "arn:aws:sqs:us-east-1:000000000000:parity-no-such-queue";

suite("bucket notification configuration", () => {
  const f = fx!;
  const newBucket = async () => {
    const Bucket = f.bucketName("notif");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  };
  const put = (Bucket: string, NotificationConfiguration: NotificationConfiguration, skip = false) =>
    f.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration,
        ...(skip ? { SkipDestinationValidation: true } : {}),
      }),
    );
  const get = (Bucket: string) => f.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  const queued: NotificationConfiguration = {
    QueueConfigurations: [
      {
        Id: "uploads",
        QueueArn: QUEUE,
        Events: ["s3:ObjectCreated:*"],
        Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "uploads/" }] } },
      },
    ],
  };

  check(
    "GetBucketNotificationConfiguration",
    "get-bucket-notification-configuration.never-set-empty",
    async () => {
      const out = await get(await newBucket());
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect([out.QueueConfigurations, out.TopicConfigurations, out.LambdaFunctionConfigurations]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    },
  );

  check("PutBucketNotificationConfiguration", "put-bucket-notification-configuration.roundtrip", async () => {
    const Bucket = await newBucket();
    await put(Bucket, { ...queued, EventBridgeConfiguration: {} }, true);
    const out = await get(Bucket);
    expect(out.QueueConfigurations).toEqual(queued.QueueConfigurations);
    expect(out.EventBridgeConfiguration).toEqual({});
  });

  check(
    "PutBucketNotificationConfiguration",
    "put-bucket-notification-configuration.empty-clears",
    async () => {
      const Bucket = await newBucket();
      await put(Bucket, queued, true);
      expect((await put(Bucket, {})).$metadata.httpStatusCode).toBe(200);
      expect((await get(Bucket)).QueueConfigurations).toBeUndefined();
    },
  );

  check(
    "PutBucketNotificationConfiguration",
    "put-bucket-notification-configuration.invalid-refused",
    async () => {
      const Bucket = await newBucket();
      await expectS3Error(put(Bucket, queued), 400, "InvalidArgument");
      await expectS3Error(
        put(
          Bucket,
          {
            QueueConfigurations: [{ QueueArn: QUEUE, Events: ["s3:NoSuchEvent:*" as "s3:ObjectCreated:*"] }],
          },
          true,
        ),
        400,
        "InvalidArgument",
      );
      expect((await get(Bucket)).QueueConfigurations).toBeUndefined();
    },
  );
});
