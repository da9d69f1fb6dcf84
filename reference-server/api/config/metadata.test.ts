// S3 Metadata configurations (V2 and V1) through the HTTP path with @aws-sdk/client-s3.

import {
  CreateBucketCommand,
  CreateBucketMetadataConfigurationCommand,
  CreateBucketMetadataTableConfigurationCommand,
  DeleteBucketMetadataConfigurationCommand,
  DeleteBucketMetadataTableConfigurationCommand,
  GetBucketMetadataConfigurationCommand,
  GetBucketMetadataTableConfigurationCommand,
  UpdateBucketMetadataAnnotationTableConfigurationCommand,
  UpdateBucketMetadataInventoryTableConfigurationCommand,
  UpdateBucketMetadataJournalTableConfigurationCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function newBucket(): Promise<string> {
  const b = bucketName("md");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  return b;
}

async function expectError(p: Promise<unknown>, status: number, code: string) {
  const e = await errorOf(p);
  expect([e.$metadata.httpStatusCode, e.name]).toEqual([status, code]);
}

describe("metadata configuration (V2)", () => {
  test("create, get, the three updates, delete, not configured", async () => {
    const b = await newBucket();
    const Bucket = b;
    await expectError(
      t.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })),
      404,
      "MetadataConfigurationNotFound",
    );
    await expectError(
      t.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket })),
      404,
      "MetadataConfigurationNotFound",
    );
    await expectError(
      t.s3.send(
        new UpdateBucketMetadataJournalTableConfigurationCommand({
          Bucket,
          JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } },
        }),
      ),
      404,
      "MetadataConfigurationNotFound",
    );
    await t.s3.send(
      new CreateBucketMetadataConfigurationCommand({
        Bucket,
        MetadataConfiguration: {
          JournalTableConfiguration: { RecordExpiration: { Expiration: "ENABLED", Days: 30 } },
          InventoryTableConfiguration: {
            ConfigurationState: "ENABLED",
            EncryptionConfiguration: { SseAlgorithm: "AES256" },
          },
        },
      }),
    );
    const got = await t.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket }));
    const result = got.GetBucketMetadataConfigurationResult!.MetadataConfigurationResult!;
    expect(result.DestinationResult).toEqual({
      TableBucketType: "aws",
      TableBucketArn: expect.stringMatching(/^arn:aws:s3tables:us-east-1:.+:bucket\/aws-s3$/),
      TableNamespace: `b_${b.replace(/-/g, "_")}`,
    });
    expect(result.JournalTableConfigurationResult).toMatchObject({
      TableStatus: "ACTIVE",
      TableName: "journal",
      RecordExpiration: { Expiration: "ENABLED", Days: 30 },
    });
    expect(result.InventoryTableConfigurationResult).toMatchObject({
      ConfigurationState: "ENABLED",
      TableName: "inventory",
    });
    await expectError(
      t.s3.send(
        new CreateBucketMetadataConfigurationCommand({
          Bucket,
          MetadataConfiguration: {
            JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } },
          },
        }),
      ),
      409,
      "MetadataConfigurationAlreadyExists",
    );
    await t.s3.send(
      new UpdateBucketMetadataJournalTableConfigurationCommand({
        Bucket,
        JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } },
      }),
    );
    await t.s3.send(
      new UpdateBucketMetadataInventoryTableConfigurationCommand({
        Bucket,
        InventoryTableConfiguration: { ConfigurationState: "DISABLED" },
      }),
    );
    await t.s3.send(
      new UpdateBucketMetadataAnnotationTableConfigurationCommand({
        Bucket,
        AnnotationTableConfiguration: {
          ConfigurationState: "ENABLED",
          Role: "arn:aws:iam::123456789012:role/a",
        },
      }),
    );
    const after = (await t.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })))
      .GetBucketMetadataConfigurationResult!.MetadataConfigurationResult!;
    expect(after.JournalTableConfigurationResult!.RecordExpiration).toEqual({ Expiration: "DISABLED" });
    expect(after.InventoryTableConfigurationResult).toEqual({ ConfigurationState: "DISABLED" });
    expect(after.AnnotationTableConfigurationResult).toMatchObject({
      ConfigurationState: "ENABLED",
      TableName: "annotation",
      Role: "arn:aws:iam::123456789012:role/a",
    });
    expect(
      (await t.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket }))).$metadata.httpStatusCode,
    ).toBe(204);
    await expectError(
      t.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })),
      404,
      "MetadataConfigurationNotFound",
    );
  });

  test("record expiration and encryption rules", async () => {
    const Bucket = await newBucket();
    const create = (journal: object, inventory?: object) =>
      t.s3.send(
        new CreateBucketMetadataConfigurationCommand({
          Bucket,
          MetadataConfiguration: {
            JournalTableConfiguration: journal as never,
            InventoryTableConfiguration: inventory as never,
          },
        }),
      );
    await expectError(create({ RecordExpiration: { Expiration: "ENABLED" } }), 400, "InvalidArgument");
    await expectError(
      create({ RecordExpiration: { Expiration: "ENABLED", Days: 6 } }),
      400,
      "InvalidArgument",
    );
    await expectError(
      create({ RecordExpiration: { Expiration: "DISABLED", Days: 10 } }),
      400,
      "InvalidArgument",
    );
    await expectError(create({ RecordExpiration: { Expiration: "SOMETIMES" } }), 400, "MalformedXML");
    const ok = { RecordExpiration: { Expiration: "DISABLED" } };
    await expectError(
      create(ok, { ConfigurationState: "ENABLED", EncryptionConfiguration: { SseAlgorithm: "aws:kms" } }),
      400,
      "InvalidArgument",
    );
    await expectError(
      create(ok, {
        ConfigurationState: "ENABLED",
        EncryptionConfiguration: { SseAlgorithm: "AES256", KmsKeyArn: "arn:k" },
      }),
      400,
      "InvalidArgument",
    );
    await expectError(
      t.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })),
      404,
      "MetadataConfigurationNotFound",
    );
  });
});

describe("metadata table configuration (V1)", () => {
  test("create, get, conflict, delete, validation", async () => {
    const Bucket = await newBucket();
    const TableBucketArn = "arn:aws:s3tables:us-east-1:123456789012:bucket/my-tables";
    const create = (TableName: string, arn = TableBucketArn) =>
      t.s3.send(
        new CreateBucketMetadataTableConfigurationCommand({
          Bucket,
          MetadataTableConfiguration: { S3TablesDestination: { TableBucketArn: arn, TableName } },
        }),
      );
    await expectError(
      t.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket })),
      404,
      "MetadataTableConfigurationNotFound",
    );
    await expectError(create("Bad-Name"), 400, "InvalidArgument");
    await expectError(create("ok", "arn:aws:s3:::bucket"), 400, "InvalidArgument");
    await create("meta_table");
    const got = (await t.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket })))
      .GetBucketMetadataTableConfigurationResult!;
    expect(got.Status).toBe("ACTIVE");
    expect(got.MetadataTableConfigurationResult!.S3TablesDestinationResult).toMatchObject({
      TableBucketArn,
      TableName: "meta_table",
      TableNamespace: "aws_s3_metadata",
      TableArn: expect.stringContaining(`${TableBucketArn}/table/`),
    });
    await expectError(create("other"), 409, "MetadataTableConfigurationAlreadyExists");
    await t.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket }));
    await expectError(
      t.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket })),
      404,
      "MetadataTableConfigurationNotFound",
    );
  });
});
