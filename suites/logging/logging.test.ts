// Server access logging configuration: Put/GetBucketLogging round-trips (simple and partitioned key
// formats), disabling with an empty status, and AWS's refusals (missing target, another account's target,
// a document that is not XML). Delivery itself is not asserted: AWS delivers logs within hours, on its
// own schedule, so a black-box check cannot wait for it.

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLoggingCommand,
  PutBucketLoggingCommand,
  type PutBucketLoggingCommandInput,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { errorCode, rawRequest } from "../harness/raw.ts";
import { signRequest } from "../harness/sigv4.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

/** Awaits a request AWS answers with success; an S3 error instead fails the check as a wrong answer. */
async function ok<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === undefined) throw error;
    return expect.fail(`expected success, got HTTP ${status} ${(error as Error).name}`);
  }
}

suite("logging", () => {
  const f = fx!;

  async function bucket(tag: string): Promise<string> {
    const Bucket = f.bucketName(tag);
    await ok(f.s3.send(new CreateBucketCommand({ Bucket })));
    return Bucket;
  }
  const put = (Bucket: string, status: PutBucketLoggingCommandInput["BucketLoggingStatus"]) =>
    f.s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: status }));
  const get = (Bucket: string) => f.s3.send(new GetBucketLoggingCommand({ Bucket }));

  check("PutBucketLogging", "put-bucket-logging.roundtrip", async () => {
    const [src, target] = [await bucket("logsrc"), await bucket("logdst")];
    const out = await ok(put(src, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "access/" } }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const got = await ok(get(src));
    expect(got.LoggingEnabled?.TargetBucket).toBe(target);
    expect(got.LoggingEnabled?.TargetPrefix).toBe("access/");
  });

  check("PutBucketLogging", "put-bucket-logging.partitioned-prefix-roundtrip", async () => {
    const [src, target] = [await bucket("logsrc"), await bucket("logdst")];
    await ok(
      put(src, {
        LoggingEnabled: {
          TargetBucket: target,
          TargetPrefix: "part/",
          TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "EventTime" } },
        },
      }),
    );
    const got = await ok(get(src));
    expect(got.LoggingEnabled?.TargetObjectKeyFormat).toEqual({
      PartitionedPrefix: { PartitionDateSource: "EventTime" },
    });
    await ok(
      put(src, {
        LoggingEnabled: {
          TargetBucket: target,
          TargetPrefix: "",
          TargetObjectKeyFormat: { SimplePrefix: {} },
        },
      }),
    );
    const simple = await ok(get(src));
    expect(simple.LoggingEnabled?.TargetPrefix ?? "").toBe("");
    expect(simple.LoggingEnabled?.TargetObjectKeyFormat?.SimplePrefix).toBeDefined();
    expect(simple.LoggingEnabled?.TargetObjectKeyFormat?.PartitionedPrefix).toBeUndefined();
  });

  check("PutBucketLogging", "put-bucket-logging.disable-with-empty-status", async () => {
    const [src, target] = [await bucket("logsrc"), await bucket("logdst")];
    await ok(put(src, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "p/" } }));
    const off = await ok(put(src, {}));
    expect(off.$metadata.httpStatusCode).toBe(200);
    expect((await ok(get(src))).LoggingEnabled).toBeUndefined();
  });

  check("PutBucketLogging", "put-bucket-logging.invalid-target-refused", async () => {
    const src = await bucket("logsrc");
    const missing = f.bucketName("nologs");
    await expectS3Error(
      put(src, { LoggingEnabled: { TargetBucket: missing, TargetPrefix: "p/" } }),
      400,
      "InvalidTargetBucketForLogging",
    );
    expect((await ok(get(src))).LoggingEnabled).toBeUndefined();
  });

  check("PutBucketLogging", "put-bucket-logging.other-account-target-refused", async (ctx) => {
    if (!f.target.alternate) ctx.skip("the target declares no alternate account");
    const alt = f.client({ account: "alternate" });
    const src = await bucket("logsrc");
    const theirs = f.bucketName("altlogs");
    await ok(alt.send(new CreateBucketCommand({ Bucket: theirs })));
    try {
      await expectS3Error(
        put(src, { LoggingEnabled: { TargetBucket: theirs, TargetPrefix: "p/" } }),
        400,
        "InvalidTargetBucketForLogging",
      );
      expect((await ok(get(src))).LoggingEnabled).toBeUndefined();
    } finally {
      await alt.send(new DeleteBucketCommand({ Bucket: theirs })).catch(() => {});
    }
  });

  check("PutBucketLogging", "put-bucket-logging.malformed-xml-refused", async () => {
    const src = await bucket("logsrc");
    const body = "<BucketLoggingStatus><LoggingEnabled><TargetBucket>x</TargetBucket>";
    const path = `/${src}?logging=`;
    const s = signRequest({
      method: "PUT",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: f.target.main,
      payloadHash: createHash("sha256").update(body).digest("hex"),
      headers: {
        "content-type": "application/xml",
        "content-md5": createHash("md5").update(body).digest("base64"),
      },
    });
    const res = await rawRequest(f, { method: "PUT", path, headers: s.headers, body });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status: 400, code: "MalformedXML" });
  });

  check("GetBucketLogging", "get-bucket-logging.returns-config", async () => {
    const [src, target] = [await bucket("logsrc"), await bucket("logdst")];
    await ok(put(src, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "logs/src/" } }));
    const got = await ok(get(src));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect({
      TargetBucket: got.LoggingEnabled?.TargetBucket,
      TargetPrefix: got.LoggingEnabled?.TargetPrefix,
    }).toEqual({
      TargetBucket: target,
      TargetPrefix: "logs/src/",
    });
  });

  check("GetBucketLogging", "get-bucket-logging.disabled-empty", async () => {
    const src = await bucket("logsrc");
    const got = await ok(get(src));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.LoggingEnabled).toBeUndefined();
  });

  check("GetBucketLogging", "get-bucket-logging.no-such-bucket", async () => {
    await expectS3Error(get(f.bucketName("nosuch")), 404, "NoSuchBucket");
  });
});
