// Multipart uploads into an object-lock bucket, through @aws-sdk/client-s3: every UploadPart of an upload
// whose object will be locked carries Content-MD5 or an x-amz-checksum-* (InvalidRequest otherwise, as
// AWS), and the default retention of a multipart object is dated from the upload's initiation.

import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf } from "../api/test-support.ts";
import { type ReferenceServer, startReferenceServer } from "../server.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2031, 2, 1, 8, 0, 0);
let now = T0;
let server: ReferenceServer;
let dataDir: string;
// A client that sends no checksum of its own: what the integrity rule is about.
let bare: S3Client;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-lock-mpu-"));
  server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  bare = new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
});
afterAll(async () => {
  bare.destroy();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

const md5 = (s: string) => createHash("md5").update(s).digest("base64");

async function lockBucket(rule?: { Mode: "GOVERNANCE" | "COMPLIANCE"; Days: number }): Promise<string> {
  const Bucket = bucketName("lmpu");
  await bare.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  if (rule) {
    await bare.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: rule } },
        ChecksumAlgorithm: "CRC32",
      }),
    );
  }
  return Bucket;
}

const part = (Bucket: string, UploadId: string, PartNumber: number, extra: Record<string, string> = {}) =>
  bare.send(
    new UploadPartCommand({ Bucket, Key: "k", UploadId, PartNumber, Body: `part ${PartNumber}`, ...extra }),
  );

describe("UploadPart integrity header", () => {
  test("lock headers on the upload: a part without Content-MD5 or checksum is InvalidRequest", async () => {
    const Bucket = await lockBucket();
    const up = await bare.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key: "k",
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: new Date(now + DAY),
      }),
    );
    const e = await errorOf(part(Bucket, up.UploadId!, 1));
    expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual([
      "InvalidRequest",
      400,
      "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Part requests with Object Lock parameters",
    ]);
    const p1 = await part(Bucket, up.UploadId!, 1, { ContentMD5: md5("part 1") });
    expect((await part(Bucket, up.UploadId!, 2, { ChecksumAlgorithm: "SHA256" })).ETag).toBeTruthy();
    await bare.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: "k",
        UploadId: up.UploadId,
        // Part 2 only proved a checksum suffices; part 1 alone is a valid (last, small) part.
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] },
      }),
    );
    const head = await bare.send(new HeadObjectCommand({ Bucket, Key: "k" }));
    expect(head.ObjectLockMode).toBe("GOVERNANCE");
  });

  test("a legal hold or the bucket's default retention counts too; a lock bucket without either does not", async () => {
    const held = await lockBucket();
    const h = await bare.send(
      new CreateMultipartUploadCommand({ Bucket: held, Key: "k", ObjectLockLegalHoldStatus: "OFF" }),
    );
    expect((await errorOf(part(held, h.UploadId!, 1))).name).toBe("InvalidRequest");
    const withDefault = await lockBucket({ Mode: "GOVERNANCE", Days: 1 });
    const d = await bare.send(new CreateMultipartUploadCommand({ Bucket: withDefault, Key: "k" }));
    expect((await errorOf(part(withDefault, d.UploadId!, 1))).name).toBe("InvalidRequest");
    const plain = await lockBucket();
    const p = await bare.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: "k" }));
    expect((await part(plain, p.UploadId!, 1)).ETag).toBeTruthy();
  });
});

describe("default retention of a multipart object", () => {
  test("dated from the upload's initiation (the object's creation time on S3), not its completion", async () => {
    const Bucket = await lockBucket({ Mode: "COMPLIANCE", Days: 1 });
    const initiated = now;
    const up = await bare.send(new CreateMultipartUploadCommand({ Bucket, Key: "k" }));
    now += 10 * 3_600_000; // completed ten hours later
    try {
      const p1 = await part(Bucket, up.UploadId!, 1, { ContentMD5: md5("part 1") });
      const done = await bare.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: "k",
          UploadId: up.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] },
        }),
      );
      const head = await bare.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: done.VersionId }));
      expect([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.getTime()]).toEqual([
        "COMPLIANCE",
        initiated + DAY,
      ]);
    } finally {
      now = T0;
    }
  });
});
