// The archive tier through the HTTP path with @aws-sdk/client-s3 and an injected S3 clock: GLACIER /
// DEEP_ARCHIVE objects and archive-type buckets, GET refused until RestoreObject's copy is ready,
// x-amz-restore on HEAD/GET, RestoreAlreadyInProgress, 200 on a restored copy, expiry enforced.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ReferenceServer, startReferenceServer } from "../../server.ts";
import { bucketName, clientFor, errorOf, signedRequest } from "../test-support.ts";

const DAY = 86_400_000;
let now = Date.UTC(2030, 0, 10, 12, 0, 0);
let server: ReferenceServer;
let s3: S3Client;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parity-restore-"));
  server = await startReferenceServer({
    dataDir: dir,
    port: 0,
    env: {},
    clock: () => now,
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  s3 = clientFor(server);
});
afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function newBucket(): Promise<string> {
  const b = bucketName("rs");
  await s3.send(new CreateBucketCommand({ Bucket: b }));
  return b;
}

const restore = (Bucket: string, Key: string, Days: number, Tier: "Expedited" | "Standard" | "Bulk") =>
  s3.send(
    new RestoreObjectCommand({ Bucket, Key, RestoreRequest: { Days, GlacierJobParameters: { Tier } } }),
  );

describe("archive tier", () => {
  test("GLACIER: refused, restore 202, in progress 409, readable once ready, 200 again, expires", async () => {
    const b = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "cold", Body: "frozen", StorageClass: "GLACIER" }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "cold" }));
    expect(head.StorageClass).toBe("GLACIER");
    expect(head.Restore).toBeUndefined();
    const e = await errorOf(s3.send(new GetObjectCommand({ Bucket: b, Key: "cold" })));
    expect(e.name).toBe("InvalidObjectState");
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect((e as unknown as { StorageClass?: string }).StorageClass).toBe("GLACIER");
    const raw = await signedRequest(server, { method: "GET", path: `/${b}/cold` });
    expect(raw.body).toContain("<StorageClass>GLACIER</StorageClass>");

    const started = await restore(b, "cold", 2, "Expedited");
    expect(started.$metadata.httpStatusCode).toBe(202);
    const ongoing = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "cold" }));
    expect(ongoing.Restore).toBe('ongoing-request="true"');
    expect((await errorOf(restore(b, "cold", 2, "Expedited"))).name).toBe("RestoreAlreadyInProgress");
    expect((await errorOf(s3.send(new GetObjectCommand({ Bucket: b, Key: "cold" })))).name).toBe(
      "InvalidObjectState",
    );

    now += 60_000; // Expedited default: a few seconds
    const get = await s3.send(new GetObjectCommand({ Bucket: b, Key: "cold" }));
    expect(await get.Body?.transformToString()).toBe("frozen");
    // Completed at t+2 s, plus 2 days, rounded up to midnight UTC: 2030-01-13 00:00.
    expect(get.Restore).toBe('ongoing-request="false", expiry-date="Sun, 13 Jan 2030 00:00:00 GMT"');
    // A restored copy can be copied.
    const copy = await s3.send(new CopyObjectCommand({ Bucket: b, Key: "warm", CopySource: `${b}/cold` }));
    expect(copy.CopyObjectResult?.ETag).toBeDefined();

    const again = await restore(b, "cold", 5, "Standard");
    expect(again.$metadata.httpStatusCode).toBe(200);
    const extended = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "cold" }));
    expect(extended.Restore).toBe('ongoing-request="false", expiry-date="Wed, 16 Jan 2030 00:00:00 GMT"');

    now += 7 * DAY;
    const expired = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "cold" }));
    expect(expired.Restore).toBeUndefined();
    expect((await errorOf(s3.send(new GetObjectCommand({ Bucket: b, Key: "cold" })))).name).toBe(
      "InvalidObjectState",
    );
    expect((await restore(b, "cold", 1, "Bulk")).$metadata.httpStatusCode).toBe(202);
  });

  test("GLACIER_IR and STANDARD are readable at once; restoring them is InvalidObjectState", async () => {
    const b = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "ir", Body: "x", StorageClass: "GLACIER_IR" }));
    expect(
      await (await s3.send(new GetObjectCommand({ Bucket: b, Key: "ir" }))).Body?.transformToString(),
    ).toBe("x");
    const e = await errorOf(restore(b, "ir", 1, "Standard"));
    expect(e.name).toBe("InvalidObjectState");
    expect(e.message).toBe("Restore is not allowed for the object's current storage class");
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "std", Body: "x" }));
    expect((await errorOf(restore(b, "std", 1, "Standard"))).name).toBe("InvalidObjectState");
    expect((await errorOf(restore(b, "missing", 1, "Standard"))).name).toBe("NoSuchKey");
  });

  test("DEEP_ARCHIVE has no Expedited tier; bad requests are refused", async () => {
    const b = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "deep", Body: "x", StorageClass: "DEEP_ARCHIVE" }));
    expect((await errorOf(restore(b, "deep", 1, "Expedited"))).name).toBe("InvalidArgument");
    expect((await errorOf(restore(b, "deep", 0, "Standard"))).name).toBe("InvalidArgument");
    const select = await errorOf(
      s3.send(new RestoreObjectCommand({ Bucket: b, Key: "deep", RestoreRequest: { Type: "SELECT" } })),
    );
    expect(select.$metadata.httpStatusCode).toBe(400);
    expect((await restore(b, "deep", 1, "Bulk")).$metadata.httpStatusCode).toBe(202);
    now += 2 * 3_600_000;
    const get = await s3.send(new GetObjectCommand({ Bucket: b, Key: "deep" }));
    expect(await get.Body?.transformToString()).toBe("x");
  });

  test("a bucket of type archive stores every object archived", async () => {
    const b = await newBucket();
    await server.engine.updateBucket(b, (rec) => ({ ...rec, attrs: { ...rec.attrs, type: "archive" } }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "a", Body: "x" }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "a" }));
    expect(head.StorageClass).toBe("GLACIER");
    expect((await errorOf(s3.send(new GetObjectCommand({ Bucket: b, Key: "a" })))).name).toBe(
      "InvalidObjectState",
    );
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "d", Body: "x", StorageClass: "DEEP_ARCHIVE" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: b, Key: "d" }))).StorageClass).toBe("DEEP_ARCHIVE");
    expect(
      (await errorOf(s3.send(new CopyObjectCommand({ Bucket: b, Key: "c", CopySource: `${b}/a` })))).name,
    ).toBe("InvalidObjectState");
  });
});
