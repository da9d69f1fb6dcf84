// Versioning through the minio client: turning it on and off, and reading a version by id.

import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

/** Removes every version, null ones included (the shared emptyBucket leaves null versions behind). */
async function purge(s3: S3Client, Bucket: string): Promise<void> {
  for (let round = 0; round < 20; round += 1) {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    const all = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])];
    if (all.length === 0) return;
    for (const v of all)
      await s3.send(new DeleteObjectCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
  }
}

suite("versioning through minio", () => {
  const f = fx!;
  const buckets: string[] = [];
  afterAll(async () => {
    for (const b of buckets) {
      try {
        await purge(f.s3, b);
      } catch {
        // Best effort: the fixture still tries its own cleanup.
      }
    }
  });
  async function newBucket(): Promise<string> {
    const Bucket = f.bucketName("mver");
    buckets.push(Bucket);
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  }
  const text = async (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString("utf8");
  };

  check(
    "PutBucketVersioning",
    "put-bucket-versioning.enable",
    async () => {
      const mc = f.minio();
      const bucket = await newBucket();
      await mc.setBucketVersioning(bucket, { Status: "Enabled" });
      expect((await mc.getBucketVersioning(bucket)).Status).toBe("Enabled");
      const a = await mc.putObject(bucket, "k", Buffer.from("A"), 1);
      const b = await mc.putObject(bucket, "k", Buffer.from("B"), 1);
      expect(a.versionId).toBeTruthy();
      expect(b.versionId).toBeTruthy();
      expect([a.versionId === "null", a.versionId === b.versionId]).toEqual([false, false]);
    },
    { variant },
  );

  check(
    "GetBucketVersioning",
    "get-bucket-versioning.reports-status",
    async () => {
      const mc = f.minio();
      const bucket = await newBucket();
      await mc.setBucketVersioning(bucket, { Status: "Enabled" });
      expect((await mc.getBucketVersioning(bucket)).Status).toBe("Enabled");
      await mc.setBucketVersioning(bucket, { Status: "Suspended" });
      expect((await mc.getBucketVersioning(bucket)).Status).toBe("Suspended");
    },
    { variant },
  );

  check(
    "GetObject",
    "get-object.version-id",
    async () => {
      const mc = f.minio();
      const bucket = await newBucket();
      await mc.setBucketVersioning(bucket, { Status: "Enabled" });
      const a = await mc.putObject(bucket, "k", Buffer.from("old"), 3);
      const b = await mc.putObject(bucket, "k", Buffer.from("new"), 3);
      expect(await text(await mc.getObject(bucket, "k", { versionId: a.versionId ?? "" }))).toBe("old");
      expect(await text(await mc.getObject(bucket, "k"))).toBe("new");
      const stat = await mc.statObject(bucket, "k", { versionId: a.versionId ?? "" });
      expect([stat.versionId, stat.size]).toEqual([a.versionId, 3]);
      expect((await mc.statObject(bucket, "k")).versionId).toBe(b.versionId);
    },
    { variant },
  );
});
