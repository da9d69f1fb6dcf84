// Notification and replication configurations through the HTTP path with @aws-sdk/client-s3.

import {
  CreateBucketCommand,
  DeleteBucketReplicationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type QueueConfiguration,
  type ReplicationConfiguration,
  type ReplicationRule,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";
import { codeOf, putXml } from "./config-test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function newBucket(versioned = false): Promise<string> {
  const b = bucketName("nr");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  if (versioned) {
    await t.s3.send(
      new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: "Enabled" } }),
    );
  }
  return b;
}

async function expectError(p: Promise<unknown>, status: number, code: string) {
  const e = await errorOf(p);
  expect([e.$metadata.httpStatusCode, e.name]).toEqual([status, code]);
  return e;
}

const QUEUE = "arn:aws:sqs:us-east-1:123456789012:events";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:topic";
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:fn";

describe("notification", () => {
  const put = (Bucket: string, NotificationConfiguration: NotificationConfiguration, skip = true) =>
    t.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration,
        SkipDestinationValidation: skip || undefined,
      }),
    );
  const get = (Bucket: string) => t.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));

  test("never set is empty; round-trip with skip-destination-validation; ids generated; empty clears", async () => {
    const b = await newBucket();
    const empty = await get(b);
    expect([empty.QueueConfigurations, empty.TopicConfigurations, empty.EventBridgeConfiguration]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const config: NotificationConfiguration = {
      QueueConfigurations: [
        {
          Id: "q1",
          QueueArn: QUEUE,
          Events: ["s3:ObjectCreated:*"],
          Filter: {
            Key: {
              FilterRules: [
                { Name: "prefix", Value: "in/" },
                { Name: "suffix", Value: ".jpg" },
              ],
            },
          },
        },
      ],
      TopicConfigurations: [{ TopicArn: TOPIC, Events: ["s3:ObjectRemoved:Delete", "s3:ObjectTagging:*"] }],
      LambdaFunctionConfigurations: [
        { Id: "l1", LambdaFunctionArn: LAMBDA, Events: ["s3:ObjectRestore:Completed"] },
      ],
      EventBridgeConfiguration: {},
    };
    await put(b, config);
    const got = await get(b);
    expect(got.QueueConfigurations).toEqual(config.QueueConfigurations);
    expect(got.LambdaFunctionConfigurations).toEqual(config.LambdaFunctionConfigurations);
    expect(got.TopicConfigurations).toHaveLength(1);
    expect(got.TopicConfigurations![0]).toMatchObject({
      TopicArn: TOPIC,
      Events: config.TopicConfigurations![0].Events,
    });
    expect(got.TopicConfigurations![0].Id).toMatch(/.{8,}/);
    expect(got.EventBridgeConfiguration).toEqual({});
    await put(b, {}, false);
    expect((await get(b)).QueueConfigurations).toBeUndefined();
  });

  test("destinations this service cannot deliver to are refused as AWS refuses unreachable ones", async () => {
    const b = await newBucket();
    const e = await expectError(
      put(b, { QueueConfigurations: [{ QueueArn: QUEUE, Events: ["s3:ObjectCreated:Put"] }] }, false),
      400,
      "InvalidArgument",
    );
    expect(e.message).toBe("Unable to validate the following destination configurations");
    // EventBridge has no destination to validate.
    await put(b, { EventBridgeConfiguration: {} }, false);
    expect((await get(b)).EventBridgeConfiguration).toEqual({});
  });

  test("events, filter rules, ARNs and overlaps are validated", async () => {
    const b = await newBucket();
    const q = (extra: object): QueueConfiguration => ({
      QueueArn: QUEUE,
      Events: ["s3:ObjectCreated:*"],
      ...extra,
    });
    const cases: NotificationConfiguration[] = [
      { QueueConfigurations: [q({ Events: ["s3:ObjectExploded:*"] })] },
      { QueueConfigurations: [q({ QueueArn: TOPIC })] },
      { QueueConfigurations: [q({ QueueArn: "queue" })] },
      { QueueConfigurations: [q({ Filter: { Key: { FilterRules: [{ Name: "middle", Value: "x" }] } } })] },
      {
        QueueConfigurations: [
          q({
            Filter: {
              Key: {
                FilterRules: [
                  { Name: "prefix", Value: "a" },
                  { Name: "prefix", Value: "b" },
                ],
              },
            },
          }),
        ],
      },
      { QueueConfigurations: [q({}), q({ Events: ["s3:ObjectCreated:Put"] })] },
      {
        QueueConfigurations: [q({ Id: "same" })],
        TopicConfigurations: [{ Id: "same", TopicArn: TOPIC, Events: ["s3:ObjectRemoved:*"] }],
      },
    ];
    for (const c of cases) await expectError(put(b, c), 400, "InvalidArgument");
    // Disjoint prefixes may share an event type.
    await put(b, {
      QueueConfigurations: [
        q({ Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "a/" }] } } }),
        q({ Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "b/" }] } } }),
      ],
    });
    expect((await get(b)).QueueConfigurations).toHaveLength(2);
    const noEvent = await putXml(
      t.server,
      b,
      "notification",
      `<NotificationConfiguration><QueueConfiguration><Queue>${QUEUE}</Queue></QueueConfiguration></NotificationConfiguration>`,
    );
    expect([noEvent.status, codeOf(noEvent)]).toEqual([400, "MalformedXML"]);
  });
});

describe("replication", () => {
  const ROLE = "arn:aws:iam::123456789012:role/replication";
  const v2Rule = (dest: string, extra: Partial<ReplicationRule> = {}): ReplicationRule => ({
    ID: "r1",
    Priority: 1,
    Status: "Enabled",
    Filter: { Prefix: "docs/" },
    DeleteMarkerReplication: { Status: "Disabled" },
    Destination: { Bucket: `arn:aws:s3:::${dest}`, StorageClass: "STANDARD_IA" },
    ...extra,
  });
  const put = (Bucket: string, ReplicationConfiguration: ReplicationConfiguration) =>
    t.s3.send(new PutBucketReplicationCommand({ Bucket, ReplicationConfiguration }));

  test("round-trip (V2 and V1 rules), ids generated, delete, not found", async () => {
    const src = await newBucket(true);
    const dest = await newBucket(true);
    await expectError(
      t.s3.send(new GetBucketReplicationCommand({ Bucket: src })),
      404,
      "ReplicationConfigurationNotFoundError",
    );
    const config: ReplicationConfiguration = {
      Role: ROLE,
      Rules: [
        v2Rule(dest, {
          Filter: { And: { Prefix: "a/", Tags: [{ Key: "k", Value: "v" }] } },
          ExistingObjectReplication: { Status: "Enabled" },
          Destination: {
            Bucket: `arn:aws:s3:::${dest}`,
            ReplicationTime: { Status: "Enabled", Time: { Minutes: 15 } },
            Metrics: { Status: "Enabled", EventThreshold: { Minutes: 15 } },
          },
        }),
        v2Rule(dest, { ID: "r2", Priority: 2, Filter: { Tag: { Key: "x", Value: "y" } } }),
      ],
    };
    await put(src, config);
    expect(
      (await t.s3.send(new GetBucketReplicationCommand({ Bucket: src }))).ReplicationConfiguration,
    ).toEqual(config);
    await put(src, {
      Role: ROLE,
      Rules: [{ Status: "Enabled", Prefix: "", Destination: { Bucket: `arn:aws:s3:::${dest}` } }],
    });
    const v1 = (await t.s3.send(new GetBucketReplicationCommand({ Bucket: src }))).ReplicationConfiguration!;
    expect(v1.Rules![0]).toMatchObject({ Status: "Enabled", Prefix: "" });
    expect(v1.Rules![0].ID).toMatch(/.{8,}/);
    expect(
      (await t.s3.send(new DeleteBucketReplicationCommand({ Bucket: src }))).$metadata.httpStatusCode,
    ).toBe(204);
    await expectError(
      t.s3.send(new GetBucketReplicationCommand({ Bucket: src })),
      404,
      "ReplicationConfigurationNotFoundError",
    );
    expect(
      (await t.s3.send(new DeleteBucketReplicationCommand({ Bucket: src }))).$metadata.httpStatusCode,
    ).toBe(204);
  });

  test("versioning is required on both sides; destination must exist", async () => {
    const plain = await newBucket();
    const dest = await newBucket(true);
    const e = await expectError(put(plain, { Role: ROLE, Rules: [v2Rule(dest)] }), 400, "InvalidRequest");
    expect(e.message).toBe("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
    const src = await newBucket(true);
    const unversioned = await newBucket();
    await expectError(put(src, { Role: ROLE, Rules: [v2Rule(unversioned)] }), 400, "InvalidRequest");
    await expectError(put(src, { Role: ROLE, Rules: [v2Rule(bucketName("none"))] }), 400, "InvalidRequest");
    await expectError(put(src, { Role: ROLE, Rules: [v2Rule(src)] }), 400, "InvalidRequest");
    // Under a replication configuration the source cannot be suspended; once it is gone, it can.
    await put(src, { Role: ROLE, Rules: [v2Rule(dest)] });
    const suspend = () =>
      t.s3.send(
        new PutBucketVersioningCommand({ Bucket: src, VersioningConfiguration: { Status: "Suspended" } }),
      );
    await expectError(suspend(), 409, "InvalidBucketState");
    await t.s3.send(new DeleteBucketReplicationCommand({ Bucket: src }));
    expect((await suspend()).$metadata.httpStatusCode).toBe(200);
  });

  test("schema and rule validation", async () => {
    const src = await newBucket(true);
    const dest = await newBucket(true);
    const cases: [ReplicationConfiguration, string][] = [
      [{ Role: ROLE, Rules: [v2Rule(dest, { Status: "On" as "Enabled" })] }, "MalformedXML"],
      [{ Role: "not-a-role", Rules: [v2Rule(dest)] }, "InvalidArgument"],
      [{ Role: ROLE, Rules: [v2Rule(dest, { Priority: undefined })] }, "InvalidRequest"],
      [{ Role: ROLE, Rules: [v2Rule(dest, { DeleteMarkerReplication: undefined })] }, "InvalidRequest"],
      [{ Role: ROLE, Rules: [v2Rule(dest), v2Rule(dest, { Priority: 2 })] }, "InvalidArgument"],
      [{ Role: ROLE, Rules: [v2Rule(dest), v2Rule(dest, { ID: "r2" })] }, "InvalidRequest"],
      [{ Role: ROLE, Rules: [v2Rule(dest, { Destination: { Bucket: dest } })] }, "InvalidArgument"],
      [
        {
          Role: ROLE,
          Rules: [
            { Status: "Enabled", Prefix: "a", Destination: { Bucket: `arn:aws:s3:::${dest}` } },
            { Status: "Enabled", Prefix: "ab", Destination: { Bucket: `arn:aws:s3:::${dest}` } },
          ],
        },
        "InvalidRequest",
      ],
      [
        {
          Role: ROLE,
          Rules: [
            v2Rule(dest, {
              Destination: {
                Bucket: `arn:aws:s3:::${dest}`,
                ReplicationTime: { Status: "Enabled", Time: { Minutes: 15 } },
              },
            }),
          ],
        },
        "InvalidRequest",
      ],
    ];
    for (const [c, code] of cases) await expectError(put(src, c), 400, code);
    const noRules = await putXml(
      t.server,
      src,
      "replication",
      `<ReplicationConfiguration><Role>${ROLE}</Role></ReplicationConfiguration>`,
    );
    expect([noRules.status, codeOf(noRules)]).toEqual([400, "MalformedXML"]);
    const noMd5 = await putXml(t.server, src, "replication", "<ReplicationConfiguration/>", { md5: false });
    expect([noMd5.status, codeOf(noMd5)]).toEqual([400, "InvalidRequest"]);
    await expectError(
      t.s3.send(new GetBucketReplicationCommand({ Bucket: src })),
      404,
      "ReplicationConfigurationNotFoundError",
    );
  });
});
