// Bucket actions through @aws-sdk/client-s3: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation.

import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketNameProblem } from "./CreateBucket.ts";
import { bucketName, clientFor, errorOf, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ region: "fr1", regions: ["fr1", "fr2"] });
  t.s3.destroy();
  t.s3 = clientFor(t.server, "fr1");
});
afterAll(() => t.stop());

describe("CreateBucket", () => {
  test("creates, then BucketAlreadyOwnedByYou on the same name", async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    const e = await errorOf(t.s3.send(new CreateBucketCommand({ Bucket: name })));
    expect(e.name).toBe("BucketAlreadyOwnedByYou");
    expect(e.$metadata.httpStatusCode).toBe(409);
  });

  test("BucketAlreadyExists when another account owns the name", async () => {
    const name = bucketName();
    await t.server.engine.createBucket({ name, owner: "someone-else", region: "fr1" });
    const e = await errorOf(t.s3.send(new CreateBucketCommand({ Bucket: name })));
    expect(e.name).toBe("BucketAlreadyExists");
  });

  test("naming rules", async () => {
    for (const bad of [
      "ab",
      "a".repeat(64),
      "Upper",
      "a..b",
      "192.168.1.1",
      "-ab",
      "ab-",
      "xn--ab",
      "ab-s3alias",
      "a_b",
    ]) {
      expect(bucketNameProblem(bad), bad).toBeDefined();
    }
    for (const good of ["abc", "a.b-c", "a".repeat(63), "0ab"])
      expect(bucketNameProblem(good), good).toBeUndefined();
    const e = await errorOf(t.s3.send(new CreateBucketCommand({ Bucket: "bad..name" })));
    expect(e.name).toBe("InvalidBucketName");
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  test("location constraint: configured regions accepted and reported, others refused", async () => {
    const name = bucketName();
    await t.s3.send(
      new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: { LocationConstraint: "fr2" as never },
      }),
    );
    const loc = await t.s3.send(new GetBucketLocationCommand({ Bucket: name }));
    expect(loc.LocationConstraint).toBe("fr2");
    const dflt = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: dflt }));
    expect((await t.s3.send(new GetBucketLocationCommand({ Bucket: dflt }))).LocationConstraint).toBe("fr1");
    const e = await errorOf(
      t.s3.send(
        new CreateBucketCommand({
          Bucket: bucketName(),
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      ),
    );
    expect(e.name).toBe("InvalidLocationConstraint");
  });
});

describe("HeadBucket / DeleteBucket / ListBuckets", () => {
  test("HeadBucket: 200 with the region, 404 for a missing bucket, 403 for another owner's", async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    const head = await t.s3.send(new HeadBucketCommand({ Bucket: name }));
    expect(head.BucketRegion).toBe("fr1");
    const missing = await errorOf(t.s3.send(new HeadBucketCommand({ Bucket: bucketName() })));
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const other = bucketName();
    await t.server.engine.createBucket({ name: other, owner: "someone-else", region: "fr1" });
    const denied = await errorOf(t.s3.send(new HeadBucketCommand({ Bucket: other })));
    expect(denied.$metadata.httpStatusCode).toBe(403);
  });

  test("DeleteBucket: BucketNotEmpty, then gone once empty", async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    await t.s3.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" }));
    const e = await errorOf(t.s3.send(new DeleteBucketCommand({ Bucket: name })));
    expect(e.name).toBe("BucketNotEmpty");
    expect(e.$metadata.httpStatusCode).toBe(409);
    await t.server.engine.deleteObject({ bucket: name, key: "k" });
    await t.s3.send(new DeleteBucketCommand({ Bucket: name }));
    const gone = await errorOf(t.s3.send(new DeleteBucketCommand({ Bucket: name })));
    expect(gone.name).toBe("NoSuchBucket");
  });

  test("ListBuckets: only the caller's, sorted, with prefix and pagination", async () => {
    const prefix = bucketName("lb");
    const names = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
    for (const n of names) await t.s3.send(new CreateBucketCommand({ Bucket: n }));
    await t.server.engine.createBucket({ name: `${prefix}-z`, owner: "someone-else", region: "fr1" });
    const all = await t.s3.send(new ListBucketsCommand({ Prefix: prefix }));
    expect(all.Buckets?.map((b) => b.Name)).toEqual([...names].sort());
    expect(all.Owner?.ID).toBe(t.server.principal);
    expect(all.Buckets?.[0].CreationDate).toBeInstanceOf(Date);
    const page1 = await t.s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2 }));
    expect(page1.Buckets?.map((b) => b.Name)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const page2 = await t.s3.send(
      new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ContinuationToken: page1.ContinuationToken }),
    );
    expect(page2.Buckets?.map((b) => b.Name)).toEqual([`${prefix}-c`]);
    expect(page2.ContinuationToken).toBeUndefined();
  });
});

describe("TooManyBuckets", () => {
  test("an owner past its bucket limit is refused", async () => {
    const small = await startTestServer({ maxBucketsPerOwner: 2 });
    try {
      await small.s3.send(new CreateBucketCommand({ Bucket: bucketName() }));
      await small.s3.send(new CreateBucketCommand({ Bucket: bucketName() }));
      const e = await errorOf(small.s3.send(new CreateBucketCommand({ Bucket: bucketName() })));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(["TooManyBuckets", 400]);
    } finally {
      await small.stop();
    }
  });
});
