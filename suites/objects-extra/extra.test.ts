// GetObjectTorrent, and commands AWS reserves for directory buckets answered on a general-purpose bucket.

import {
  CreateBucketCommand,
  CreateSessionCommand,
  GetObjectTorrentCommand,
  PutObjectCommand,
  RenameObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error, s3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("objects-extra", () => {
  const f = fx!;
  async function newBucket(): Promise<string> {
    const Bucket = f.bucketName("xtra");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  }

  check("GetObjectTorrent", "get-object-torrent.bencoded-metainfo", async () => {
    const bucket = await newBucket();
    await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "t.txt", Body: "torrent me" }));
    const out = await f.s3.send(new GetObjectTorrentCommand({ Bucket: bucket, Key: "t.txt" }));
    const meta = (await bodyBytes(out.Body)).toString("latin1");
    // A bencoded dictionary with an info dictionary naming the length and 20-byte SHA-1 pieces.
    expect(meta.startsWith("d")).toBe(true);
    expect(meta).toContain("4:infod");
    expect(meta).toContain("6:lengthi10e");
    expect(meta).toMatch(/6:pieces(20|40|60):/);
  });

  check("GetObjectTorrent", "get-object-torrent.no-such-key", async () => {
    const bucket = await newBucket();
    await expectS3Error(
      f.s3.send(new GetObjectTorrentCommand({ Bucket: bucket, Key: "absent" })),
      404,
      "NoSuchKey",
    );
  });

  check("CreateSession", "create-session.general-purpose-bucket-answer", async () => {
    const bucket = await newBucket();
    // No session credentials for a general-purpose bucket: a clean 4xx S3 error.
    const seen = await s3Error(f.s3.send(new CreateSessionCommand({ Bucket: bucket })));
    expect(seen.status).toBeGreaterThanOrEqual(400);
    expect(seen.status).toBeLessThan(500);
    expect(seen.code).toBeTruthy();
  });

  check("RenameObject", "rename-object.general-purpose-bucket-answer", async () => {
    const bucket = await newBucket();
    await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a", Body: "x" }));
    const seen = await s3Error(
      f.s3.send(new RenameObjectCommand({ Bucket: bucket, Key: "b", RenameSource: `${bucket}/a` })),
    );
    expect(seen.status).toBeGreaterThanOrEqual(400);
    expect(seen.status).toBeLessThan(502);
    expect(seen.code).toBeTruthy();
  });
});
