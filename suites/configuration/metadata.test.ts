// S3 Metadata configurations on a general-purpose bucket: the V2 configuration (journal and inventory
// tables in the AWS-managed table bucket) created, read and deleted; the answers without one, for V2,
// its Update* operations and the V1 metadata table.

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
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
// Neither configuration exists on a fresh bucket.
const NOT_FOUND_V2 = "MetadataConfigurationNotFound";
const NOT_FOUND_V1 = "MetadataTableConfigurationNotFound";

suite("bucket metadata configuration", () => {
  const f = fx!;
  let bare = "";
  const newBucket = async () => {
    const Bucket = f.bucketName("meta");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  };
  beforeAll(async () => {
    bare = await newBucket();
  });
  const create = (Bucket: string) =>
    f.s3.send(
      new CreateBucketMetadataConfigurationCommand({
        Bucket,
        MetadataConfiguration: {
          JournalTableConfiguration: { RecordExpiration: { Expiration: "ENABLED", Days: 7 } },
          InventoryTableConfiguration: { ConfigurationState: "DISABLED" },
        },
      }),
    );

  check("CreateBucketMetadataConfiguration", "create-bucket-metadata-configuration.roundtrip", async () => {
    const Bucket = await newBucket();
    expect((await create(Bucket)).$metadata.httpStatusCode).toBe(200);
    const out = await f.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket }));
    const result = out.GetBucketMetadataConfigurationResult?.MetadataConfigurationResult;
    expect(result?.DestinationResult?.TableBucketType).toBe("aws");
    expect(result?.JournalTableConfigurationResult?.RecordExpiration).toEqual({
      Expiration: "ENABLED",
      Days: 7,
    });
    expect(result?.InventoryTableConfigurationResult?.ConfigurationState).toBe("DISABLED");
  });

  check(
    "CreateBucketMetadataConfiguration",
    "create-bucket-metadata-configuration.invalid-refused",
    async () => {
      await expectS3Error(
        f.s3.send(
          new CreateBucketMetadataConfigurationCommand({
            Bucket: bare,
            MetadataConfiguration: {
              JournalTableConfiguration: { RecordExpiration: { Expiration: "SOMETIMES" as "ENABLED" } },
            },
          }),
        ),
        400,
        "MalformedXML",
      );
    },
  );

  check("GetBucketMetadataConfiguration", "get-bucket-metadata-configuration.not-configured", async () => {
    await expectS3Error(
      f.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: bare })),
      404,
      NOT_FOUND_V2,
    );
  });

  check("DeleteBucketMetadataConfiguration", "delete-bucket-metadata-configuration.removes", async () => {
    const Bucket = await newBucket();
    await create(Bucket);
    const out = await f.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(f.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })), 404, NOT_FOUND_V2);
  });

  check(
    "DeleteBucketMetadataConfiguration",
    "delete-bucket-metadata-configuration.not-configured",
    async () => {
      await expectS3Error(
        f.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: bare })),
        404,
        NOT_FOUND_V2,
      );
    },
  );

  check(
    "UpdateBucketMetadataJournalTableConfiguration",
    "update-bucket-metadata-journal-table-configuration.not-configured",
    async () => {
      const request = f.s3.send(
        new UpdateBucketMetadataJournalTableConfigurationCommand({
          Bucket: bare,
          JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } },
        }),
      );
      await expectS3Error(request, 404, NOT_FOUND_V2);
    },
  );

  check(
    "UpdateBucketMetadataInventoryTableConfiguration",
    "update-bucket-metadata-inventory-table-configuration.not-configured",
    async () => {
      const request = f.s3.send(
        new UpdateBucketMetadataInventoryTableConfigurationCommand({
          Bucket: bare,
          InventoryTableConfiguration: { ConfigurationState: "DISABLED" },
        }),
      );
      await expectS3Error(request, 404, NOT_FOUND_V2);
    },
  );

  check(
    "UpdateBucketMetadataAnnotationTableConfiguration",
    "update-bucket-metadata-annotation-table-configuration.not-configured",
    async () => {
      const request = f.s3.send(
        new UpdateBucketMetadataAnnotationTableConfigurationCommand({
          Bucket: bare,
          AnnotationTableConfiguration: { ConfigurationState: "DISABLED" },
        }),
      );
      await expectS3Error(request, 404, NOT_FOUND_V2);
    },
  );

  check(
    "CreateBucketMetadataTableConfiguration",
    "create-bucket-metadata-table-configuration.invalid-refused",
    async () => {
      // TableName is required by the schema.
      const request = f.s3.send(
        new CreateBucketMetadataTableConfigurationCommand({
          Bucket: bare,
          MetadataTableConfiguration: {
            S3TablesDestination: {
              TableBucketArn: "arn:aws:s3tables:us-east-1:123456789012:bucket/t",
            } as never,
          },
        }),
      );
      await expectS3Error(request, 400, "MalformedXML");
    },
  );

  check(
    "GetBucketMetadataTableConfiguration",
    "get-bucket-metadata-table-configuration.not-configured",
    async () => {
      await expectS3Error(
        f.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: bare })),
        404,
        NOT_FOUND_V1,
      );
    },
  );

  check(
    "DeleteBucketMetadataTableConfiguration",
    "delete-bucket-metadata-table-configuration.not-configured",
    async () => {
      const request = f.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket: bare }));
      await expectS3Error(request, 404, NOT_FOUND_V1);
    },
  );
});
