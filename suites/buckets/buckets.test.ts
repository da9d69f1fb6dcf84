// Buckets: create, list, head, delete, location — the exact statuses and codes AWS S3 gives.

import {
  CreateBucketCommand,
  type CreateBucketCommandInput,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error, s3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("buckets", () => {
  // Assigned in the suite body only: `suite` skips the body when there is no target.
  const f = fx!;
  const s3 = () => f.s3;
  const create = (Bucket: string, extra: Partial<CreateBucketCommandInput> = {}) =>
    s3().send(new CreateBucketCommand({ Bucket, ...extra }));

  check("CreateBucket", "create-bucket.creates", async () => {
    const bucket = f.bucketName("create");
    const out = await create(bucket);
    expect(out.$metadata.httpStatusCode).toBe(200);
    if (f.target.region === "us-east-1") expect(out.Location).toBe(`/${bucket}`);
    const head = await s3().send(new HeadBucketCommand({ Bucket: bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
  });

  check("CreateBucket", "create-bucket.already-owned-by-you", async () => {
    const bucket = f.bucketName("owned");
    await create(bucket);
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: "keep", Body: "kept" }));
    if (f.target.region === "us-east-1") {
      // AWS answers 409 in every region but us-east-1, where a legacy 200 no-op is also its answer.
      const again = await create(bucket).then(
        (o) => ({ status: o.$metadata.httpStatusCode, code: undefined as string | undefined }),
        async (e) => s3Error(Promise.reject(e)),
      );
      if (again.status !== 200) {
        expect({ status: again.status, code: again.code }).toEqual({
          status: 409,
          code: "BucketAlreadyOwnedByYou",
        });
      }
    } else {
      await expectS3Error(create(bucket), 409, "BucketAlreadyOwnedByYou");
    }
    // Either way the bucket and its contents are untouched.
    await expectS3Error(s3().send(new DeleteBucketCommand({ Bucket: bucket })), 409, "BucketNotEmpty");
  });

  check("CreateBucket", "create-bucket.name-taken-by-other-account", async (ctx) => {
    if (!f.target.alternate) ctx.skip("the target declares no alternate account");
    const bucket = f.bucketName("taken");
    await create(bucket);
    const alt = f.client({ account: "alternate" });
    await expectS3Error(alt.send(new CreateBucketCommand({ Bucket: bucket })), 409, "BucketAlreadyExists");
  });

  check("CreateBucket", "create-bucket.invalid-name", async () => {
    const invalid = [
      "ab", // shorter than 3
      "a".repeat(64), // longer than 63
      "Parity-Upper", // uppercase
      "parity_underscore",
      "-parity-start",
      "parity-end-",
      "parity..dots",
      "192.168.5.4", // formatted as an IP address
      "xn--parity", // reserved prefix
      "parity-s3alias", // reserved suffix
    ];
    const seen: Record<string, string> = {};
    for (const name of invalid) {
      const e = await s3Error(create(name));
      seen[name] = `${e.status} ${e.code}`;
    }
    expect(seen).toEqual(Object.fromEntries(invalid.map((n) => [n, "400 InvalidBucketName"])));
  });

  check("CreateBucket", "create-bucket.location-constraint", async () => {
    const bucket = f.bucketName("loc");
    if (f.target.region === "us-east-1") {
      // us-east-1 is the default location: AWS refuses it spelled out.
      await expectS3Error(
        create(bucket, { CreateBucketConfiguration: { LocationConstraint: "us-east-1" as never } }),
        400,
        "InvalidLocationConstraint",
      );
      return;
    }
    await create(bucket, { CreateBucketConfiguration: { LocationConstraint: f.target.region as never } });
    const loc = await s3().send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(loc.LocationConstraint).toBe(f.target.region);
  });

  check("DeleteBucket", "delete-bucket.deletes-empty", async () => {
    const bucket = f.bucketName("del");
    await create(bucket);
    const out = await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3().send(new HeadBucketCommand({ Bucket: bucket })), 404);
  });

  check("DeleteBucket", "delete-bucket.not-empty-refused", async () => {
    const bucket = f.bucketName("full");
    await create(bucket);
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: "x", Body: "x" }));
    await expectS3Error(s3().send(new DeleteBucketCommand({ Bucket: bucket })), 409, "BucketNotEmpty");
  });

  check("DeleteBucket", "delete-bucket.no-such-bucket", async () => {
    await expectS3Error(
      s3().send(new DeleteBucketCommand({ Bucket: f.bucketName("none") })),
      404,
      "NoSuchBucket",
    );
  });

  check("DeleteBucket", "delete-bucket.other-account-refused", async (ctx) => {
    if (!f.target.alternate) ctx.skip("the target declares no alternate account");
    const bucket = f.bucketName("other");
    await create(bucket);
    const alt = f.client({ account: "alternate" });
    await expectS3Error(alt.send(new DeleteBucketCommand({ Bucket: bucket })), 403, "AccessDenied");
  });

  check("HeadBucket", "head-bucket.exists-with-region", async () => {
    const bucket = f.bucketName("head");
    await create(bucket);
    const out = await s3().send(new HeadBucketCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.BucketRegion).toBe(f.target.region);
  });

  check("HeadBucket", "head-bucket.no-such-bucket", async () => {
    // HEAD carries no body, so no code: the status is the whole answer.
    await expectS3Error(s3().send(new HeadBucketCommand({ Bucket: f.bucketName("nohead") })), 404);
  });

  check("HeadBucket", "head-bucket.other-account-forbidden", async (ctx) => {
    if (!f.target.alternate) ctx.skip("the target declares no alternate account");
    const bucket = f.bucketName("headother");
    await create(bucket);
    const alt = f.client({ account: "alternate" });
    await expectS3Error(alt.send(new HeadBucketCommand({ Bucket: bucket })), 403);
  });

  check("ListBuckets", "list-buckets.lists-own-buckets", async () => {
    const names = [f.bucketName("list"), f.bucketName("list")];
    for (const n of names) await create(n);
    const out = await s3().send(new ListBucketsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const listed = new Map((out.Buckets ?? []).map((b) => [b.Name, b]));
    for (const n of names) {
      expect(listed.has(n), `${n} listed`).toBe(true);
      expect(listed.get(n)?.CreationDate).toBeInstanceOf(Date);
    }
    expect(out.Owner?.ID).toBeTruthy();
  });

  check("ListBuckets", "list-buckets.excludes-other-accounts", async (ctx) => {
    if (!f.target.alternate) ctx.skip("the target declares no alternate account");
    const mine = f.bucketName("mine");
    await create(mine);
    const alt = f.client({ account: "alternate" });
    const out = await alt.send(new ListBucketsCommand({}));
    expect((out.Buckets ?? []).map((b) => b.Name)).not.toContain(mine);
  });

  check("ListBuckets", "list-buckets.prefix-filter", async () => {
    const a = f.bucketName("pfx");
    const other = f.bucketName("zzz");
    await create(a);
    await create(other);
    const prefix = a.slice(0, a.lastIndexOf("-"));
    const out = await s3().send(new ListBucketsCommand({ Prefix: prefix }));
    const names = (out.Buckets ?? []).map((b) => b.Name);
    expect(names).toContain(a);
    expect(names).not.toContain(other);
    expect(names.every((n) => n?.startsWith(prefix))).toBe(true);
    expect(out.Prefix).toBe(prefix);
  });

  check("ListBuckets", "list-buckets.pagination", async () => {
    const names = [f.bucketName("page"), f.bucketName("page"), f.bucketName("page")];
    for (const n of names) await create(n);
    const prefix = names[0].slice(0, names[0].lastIndexOf("-"));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await s3().send(
        new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 1, ContinuationToken: token }),
      );
      expect(out.Buckets?.length ?? 0).toBeLessThanOrEqual(1);
      seen.push(...(out.Buckets ?? []).map((b) => b.Name ?? ""));
      token = out.ContinuationToken;
      pages += 1;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual([...names].sort());
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  const altered = (change: { accessKeyId?: string; secretAccessKey?: string }, clockOffsetMs = 0) =>
    f.client({ credentials: { ...f.target.main, ...change }, clockOffsetMs });

  check("ListBuckets", "list-buckets.sigv4-bad-signature-refused", async () => {
    const client = altered({ secretAccessKey: "wrong-secret-wrong-secret-wrong-secret00" });
    await expectS3Error(client.send(new ListBucketsCommand({})), 403, "SignatureDoesNotMatch");
  });

  check("ListBuckets", "list-buckets.sigv4-unknown-access-key-refused", async () => {
    const client = altered({ accessKeyId: "AKIAPARITYUNKNOWN000" });
    await expectS3Error(client.send(new ListBucketsCommand({})), 403, "InvalidAccessKeyId");
  });

  check("ListBuckets", "list-buckets.sigv4-request-time-skew-refused", async () => {
    // AWS allows 15 minutes of skew; 20 is refused.
    const client = altered({}, 20 * 60_000);
    await expectS3Error(client.send(new ListBucketsCommand({})), 403, "RequestTimeTooSkewed");
  });

  check("GetBucketLocation", "get-bucket-location.returns-region", async () => {
    const bucket = f.bucketName("where");
    await create(bucket);
    const out = await s3().send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    // AWS answers an empty LocationConstraint for us-east-1.
    if (f.target.region === "us-east-1") expect(out.LocationConstraint ?? "").toBe("");
    else expect(out.LocationConstraint).toBe(f.target.region);
  });

  check("GetBucketLocation", "get-bucket-location.no-such-bucket", async () => {
    await expectS3Error(
      s3().send(new GetBucketLocationCommand({ Bucket: f.bucketName("nowhere") })),
      404,
      "NoSuchBucket",
    );
  });
});
