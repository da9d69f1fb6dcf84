// Replication configuration: versioning Enabled on source and destination, stored and returned, deleted;
// AWS S3's refusals for an unversioned bucket and an invalid rule.

import {
  CreateBucketCommand,
  DeleteBucketReplicationCommand,
  GetBucketReplicationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type ReplicationConfiguration,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const ROLE = "arn:aws:iam::123456789012:role/parity-replication";

suite("bucket replication", () => {
  const f = fx!;
  let dest = "";
  const newBucket = async (versioned: boolean) => {
    const Bucket = f.bucketName("repl");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    if (versioned) {
      await f.s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }),
      );
    }
    return Bucket;
  };
  beforeAll(async () => {
    dest = await newBucket(true);
  });
  const config = (): ReplicationConfiguration => ({
    Role: ROLE,
    Rules: [
      {
        ID: "docs",
        Priority: 1,
        Status: "Enabled",
        Filter: { Prefix: "docs/" },
        DeleteMarkerReplication: { Status: "Disabled" },
        Destination: { Bucket: `arn:aws:s3:::${dest}`, StorageClass: "STANDARD" },
      },
    ],
  });
  const put = (Bucket: string, ReplicationConfiguration: ReplicationConfiguration) =>
    f.s3.send(new PutBucketReplicationCommand({ Bucket, ReplicationConfiguration }));
  const get = (Bucket: string) => f.s3.send(new GetBucketReplicationCommand({ Bucket }));

  check("PutBucketReplication", "put-bucket-replication.roundtrip", async () => {
    const Bucket = await newBucket(true);
    expect((await put(Bucket, config())).$metadata.httpStatusCode).toBe(200);
    expect((await get(Bucket)).ReplicationConfiguration).toEqual(config());
  });

  check("PutBucketReplication", "put-bucket-replication.unversioned-bucket-refused", async () => {
    await expectS3Error(put(await newBucket(false), config()), 400, "InvalidRequest");
  });

  check("PutBucketReplication", "put-bucket-replication.invalid-refused", async () => {
    const Bucket = await newBucket(true);
    const bad = config();
    bad.Rules![0].Status = "Paused" as "Enabled";
    await expectS3Error(put(Bucket, bad), 400, "MalformedXML");
    await expectS3Error(get(Bucket), 404, "ReplicationConfigurationNotFoundError");
  });

  check("GetBucketReplication", "get-bucket-replication.returns-config", async () => {
    const Bucket = await newBucket(true);
    const two = config();
    two.Rules!.push({
      ...two.Rules![0],
      ID: "tagged",
      Priority: 2,
      Filter: { Tag: { Key: "replicate", Value: "yes" } },
    });
    await put(Bucket, two);
    const out = await get(Bucket);
    expect(out.ReplicationConfiguration?.Rules?.map((r) => [r.ID, r.Priority])).toEqual([
      ["docs", 1],
      ["tagged", 2],
    ]);
    expect(out.ReplicationConfiguration?.Role).toBe(ROLE);
  });

  check("GetBucketReplication", "get-bucket-replication.not-configured", async () => {
    await expectS3Error(get(await newBucket(true)), 404, "ReplicationConfigurationNotFoundError");
  });

  check("DeleteBucketReplication", "delete-bucket-replication.removes", async () => {
    const Bucket = await newBucket(true);
    await put(Bucket, config());
    const out = await f.s3.send(new DeleteBucketReplicationCommand({ Bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(get(Bucket), 404, "ReplicationConfigurationNotFoundError");
  });
});
