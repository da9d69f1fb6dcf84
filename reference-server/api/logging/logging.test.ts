// Put/GetBucketLogging and server access log delivery, through HTTP with @aws-sdk/client-s3: the
// configuration round-trips and is validated as AWS does; records of every request to a logged bucket
// are delivered as log objects into the target bucket, in AWS's format, field by field.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  type PutBucketLoggingCommandInput,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { httpRequest, sdkSigner } from "../../auth/test-support.ts";
import { type LogField, parseAwsRecord } from "../../logging/aws-format.ts";
import { type ReferenceServer, startReferenceServer } from "../../server.ts";
import { bucketName, clientFor, errorOf, rawRequest } from "../test-support.ts";

let now = Date.UTC(2026, 2, 14, 10, 30, 15);
let server: ReferenceServer;
let s3: S3Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-logging-"));
  server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    regions: ["us-east-1", "eu-west-3"],
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
    accessLogs: { flushIntervalMs: 0 },
    metering: { intervalMs: 0, sampleOnStart: false },
  });
  s3 = clientFor(server);
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function newBucket(region?: string): Promise<string> {
  const Bucket = bucketName("log");
  await s3.send(
    new CreateBucketCommand({
      Bucket,
      ...(region ? { CreateBucketConfiguration: { LocationConstraint: region as never } } : {}),
    }),
  );
  return Bucket;
}

const putLogging = (Bucket: string, status: PutBucketLoggingCommandInput["BucketLoggingStatus"]) =>
  s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: status }));

async function text(Bucket: string, Key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return out.Body!.transformToString();
}

describe("Put/GetBucketLogging", () => {
  test("a configuration with grants and a partitioned key format round-trips", async () => {
    const [src, target] = [await newBucket(), await newBucket()];
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled).toBeUndefined();
    const put = await putLogging(src, {
      LoggingEnabled: {
        TargetBucket: target,
        TargetPrefix: "access/",
        TargetGrants: [
          { Grantee: { Type: "CanonicalUser", ID: server.principal }, Permission: "READ" },
          {
            Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" },
            Permission: "WRITE",
          },
        ],
        TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "EventTime" } },
      },
    });
    expect(put.$metadata.httpStatusCode).toBe(200);
    const got = await s3.send(new GetBucketLoggingCommand({ Bucket: src }));
    expect(got.LoggingEnabled).toEqual({
      TargetBucket: target,
      TargetPrefix: "access/",
      TargetGrants: [
        { Grantee: { Type: "CanonicalUser", ID: server.principal }, Permission: "READ" },
        {
          Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" },
          Permission: "WRITE",
        },
      ],
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "EventTime" } },
    });
    // SimplePrefix, an empty prefix, no grants.
    await putLogging(src, {
      LoggingEnabled: { TargetBucket: target, TargetPrefix: "", TargetObjectKeyFormat: { SimplePrefix: {} } },
    });
    const simple = await s3.send(new GetBucketLoggingCommand({ Bucket: src }));
    expect(simple.LoggingEnabled).toEqual({
      TargetBucket: target,
      TargetPrefix: "",
      TargetObjectKeyFormat: { SimplePrefix: {} },
    });
  });

  test("an empty BucketLoggingStatus disables logging", async () => {
    const [src, target] = [await newBucket(), await newBucket()];
    await putLogging(src, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "p/" } });
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled?.TargetBucket).toBe(
      target,
    );
    const off = await putLogging(src, {});
    expect(off.$metadata.httpStatusCode).toBe(200);
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled).toBeUndefined();
  });

  test("a target that does not exist, is in another region or has another owner is refused", async () => {
    const src = await newBucket();
    const missing = await errorOf(
      putLogging(src, { LoggingEnabled: { TargetBucket: bucketName("none"), TargetPrefix: "" } }),
    );
    expect([missing.$metadata.httpStatusCode, missing.name, missing.message]).toEqual([
      400,
      "InvalidTargetBucketForLogging",
      "The target bucket for logging does not exist",
    ]);
    const far = await newBucket("eu-west-3");
    const cross = await errorOf(putLogging(src, { LoggingEnabled: { TargetBucket: far, TargetPrefix: "" } }));
    expect([cross.$metadata.httpStatusCode, cross.name]).toEqual([403, "CrossLocationLoggingProhibited"]);

    await server.accounts.createTenant("logging-other");
    const other = await server.accounts.createAccount("logging-other", "app");
    const otherS3 = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey },
      maxAttempts: 1,
    });
    const theirs = bucketName("theirs");
    await otherS3.send(new CreateBucketCommand({ Bucket: theirs }));
    otherS3.destroy();
    const foreign = await errorOf(
      putLogging(src, { LoggingEnabled: { TargetBucket: theirs, TargetPrefix: "" } }),
    );
    expect([foreign.$metadata.httpStatusCode, foreign.name, foreign.message]).toEqual([
      400,
      "InvalidTargetBucketForLogging",
      "The owner for the bucket to be logged and the target bucket must be the same.",
    ]);
    // Nothing was stored by the refused requests.
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled).toBeUndefined();
  });

  test("documents that do not validate are MalformedXML; bad grantees are refused", async () => {
    const [src, target] = [await newBucket(), await newBucket()];
    const noPrefix = await errorOf(putLogging(src, { LoggingEnabled: { TargetBucket: target } as never }));
    expect([noPrefix.$metadata.httpStatusCode, noPrefix.name]).toEqual([400, "MalformedXML"]);
    const badPermission = await errorOf(
      putLogging(src, {
        LoggingEnabled: {
          TargetBucket: target,
          TargetPrefix: "",
          TargetGrants: [
            { Grantee: { Type: "CanonicalUser", ID: server.principal }, Permission: "ALL" as never },
          ],
        },
      }),
    );
    expect([badPermission.$metadata.httpStatusCode, badPermission.name]).toEqual([400, "MalformedXML"]);
    const badGroup = await errorOf(
      putLogging(src, {
        LoggingEnabled: {
          TargetBucket: target,
          TargetPrefix: "",
          TargetGrants: [
            { Grantee: { Type: "Group", URI: "http://example.com/everyone" }, Permission: "READ" },
          ],
        },
      }),
    );
    expect([badGroup.$metadata.httpStatusCode, badGroup.name, badGroup.message]).toEqual([
      400,
      "InvalidArgument",
      "Invalid group uri",
    ]);
    for (const body of [
      "<BucketLoggingStatus><LoggingEnabled><TargetBucket>x</TargetBucket>",
      "<Other/>",
      `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix/><TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix/></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`,
      `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix/><TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>Yesterday</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`,
    ]) {
      const res = await signed("PUT", `/${src}`, { logging: "" }, body);
      expect([res.status, /<Code>([^<]+)<\/Code>/.exec(res.body)?.[1]], body).toEqual([400, "MalformedXML"]);
    }
  });
});

async function signed(method: string, path: string, query: Record<string, string>, body?: string) {
  const url = new URL(server.endpoint);
  const req = httpRequest({
    method,
    path,
    query,
    host: url.host,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  const s = await sdkSigner({
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  }).sign(req);
  const qs = new URLSearchParams(query).toString();
  const res = await rawRequest(server.endpoint, {
    method,
    path: path + (qs ? `?${qs}` : ""),
    headers: s.headers as Record<string, string>,
    body,
  });
  return { ...res, authorization: String(s.headers.authorization) };
}

describe("server access log delivery", () => {
  test("every request to a logged bucket is delivered to the target in AWS's format", async () => {
    const [src, target] = [await newBucket(), await newBucket()];
    await putLogging(src, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "logs/" } });
    // The PutBucketLogging itself is the first record; later requests go to a later log object.
    await server.flushLogs();
    const first = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: "logs/" }));
    const firstKeys = (first.Contents ?? []).map((o) => o.Key!);
    expect(firstKeys).toHaveLength(1);
    expect(parseAwsRecord((await text(target, firstKeys[0])).trim()).operation).toBe(
      "REST.PUT.LOGGING_STATUS",
    );
    now = Date.UTC(2026, 2, 14, 11, 0, 5);
    const body = "hello access log";
    const put = await s3.send(
      new PutObjectCommand({ Bucket: src, Key: "dir/a b.txt", Body: body, ContentType: "text/plain" }),
    );
    now += 1000;
    const get = await s3.send(new GetObjectCommand({ Bucket: src, Key: "dir/a b.txt", Range: "bytes=0-4" }));
    expect(await get.Body!.transformToString()).toBe("hello");
    const head = await s3.send(new HeadObjectCommand({ Bucket: src, Key: "dir/a b.txt" }));
    const missing = await errorOf(s3.send(new GetObjectCommand({ Bucket: src, Key: "nope" })));
    const list = await s3.send(new ListObjectsV2Command({ Bucket: src }));
    const anonymous = await rawRequest(server.endpoint, {
      method: "GET",
      path: `/${src}/dir/a%20b.txt`,
      headers: { "user-agent": 'agent "quoted"', referer: "https://example.com/page" },
    });
    expect(anonymous.status).toBe(403);
    // A presigned GET: its signature must not reach the log.
    const url = new URL(server.endpoint);
    const presigned = await sdkSigner({
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    }).presign(
      httpRequest({
        method: "GET",
        path: `/${src}/dir/a%20b.txt`,
        host: url.host,
        // As @aws-sdk/s3-request-presigner does: the payload is declared unsigned, and that header hoisted.
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      }),
      {
        expiresIn: 300,
      },
    );
    const presignedQuery = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const viaUrl = await rawRequest(server.endpoint, {
      method: "GET",
      path: `/${src}/dir/a%20b.txt?${presignedQuery}`,
      headers: { host: url.host },
    });
    expect(viaUrl.status).toBe(200);
    const signature = (presigned.query as Record<string, string>)["X-Amz-Signature"];

    now = Date.UTC(2026, 2, 14, 11, 5, 0);
    const stats = await server.flushLogs();
    expect(stats.pending).toBe(0);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: "logs/" }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => !firstKeys.includes(k));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^logs\/2026-03-14-11-05-00-[0-9A-F]{16}$/);
    const log = await text(target, keys[0]);
    expect(log).not.toContain(signature);
    expect(log).not.toContain(server.secretAccessKey);
    const lines = log.split("\n").filter((l) => l !== "");
    const records = lines.map(parseAwsRecord);
    const byId = (id: string | undefined) => {
      const rec = records.find((r) => r.requestId === id);
      expect(rec, `no record for request ${id}`).toBeDefined();
      return rec!;
    };
    const anonId = anonymous.headers["x-amz-request-id"] as string;
    const urlId = viaUrl.headers["x-amz-request-id"] as string;
    const ids = [put, get, head, missing, list].map((o) => o.$metadata.requestId);
    expect(records.map((r) => r.requestId).sort()).toEqual([...ids, anonId, urlId].sort());

    // Fields common to every record.
    for (const r of records) {
      expect(r.bucketOwner).toBe(server.principal);
      expect(r.bucket).toBe(src);
      expect(r.time).toMatch(/^\[14\/Mar\/2026:11:00:0[56] \+0000\]$/);
      expect(r.remoteIp).toBe("127.0.0.1");
      expect(r.hostId).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
      expect(r.hostHeader).toBe(url.host);
      expect(r.totalTime).toMatch(/^\d+$/);
      expect([r.cipherSuite, r.tlsVersion, r.accessPointArn, r.aclRequired]).toEqual(["-", "-", "-", "-"]);
    }
    const expectRecord = (rec: Record<LogField, string>, want: Partial<Record<LogField, string>>) =>
      expect(Object.fromEntries(Object.keys(want).map((k) => [k, rec[k as LogField]]))).toEqual(want);

    const sdkSigned = {
      requester: server.principal,
      signatureVersion: "SigV4",
      authenticationType: "AuthHeader",
    };
    expectRecord(byId(put.$metadata.requestId), {
      ...sdkSigned,
      time: "[14/Mar/2026:11:00:05 +0000]",
      operation: "REST.PUT.OBJECT",
      key: "dir/a%20b.txt",
      requestUri: `PUT /${src}/dir/a%20b.txt?x-id=PutObject HTTP/1.1`,
      httpStatus: "200",
      errorCode: "-",
      bytesSent: "-",
      objectSize: String(body.length),
      referer: "-",
      versionId: "-",
    });
    expect(byId(put.$metadata.requestId).userAgent).toMatch(/aws-sdk-js/);
    expect(byId(put.$metadata.requestId).turnAroundTime).toMatch(/^\d+$/);
    expectRecord(byId(get.$metadata.requestId), {
      ...sdkSigned,
      time: "[14/Mar/2026:11:00:06 +0000]",
      operation: "REST.GET.OBJECT",
      key: "dir/a%20b.txt",
      httpStatus: "206",
      errorCode: "-",
      bytesSent: "5",
      objectSize: String(body.length),
    });
    expectRecord(byId(head.$metadata.requestId), {
      operation: "REST.HEAD.OBJECT",
      httpStatus: "200",
      bytesSent: "-",
      objectSize: String(body.length),
    });
    expectRecord(byId(missing.$metadata.requestId), {
      operation: "REST.GET.OBJECT",
      key: "nope",
      httpStatus: "404",
      errorCode: "NoSuchKey",
      objectSize: "-",
    });
    expect(Number(byId(missing.$metadata.requestId).bytesSent)).toBeGreaterThan(100);
    expectRecord(byId(list.$metadata.requestId), {
      operation: "REST.GET.BUCKET",
      key: "-",
      requestUri: `GET /${src}/?list-type=2 HTTP/1.1`,
      httpStatus: "200",
    });
    expectRecord(byId(anonId), {
      requester: "-",
      operation: "REST.GET.OBJECT",
      httpStatus: "403",
      errorCode: "AccessDenied",
      referer: "https://example.com/page",
      userAgent: 'agent "quoted"',
      signatureVersion: "-",
      authenticationType: "-",
    });
    const viaUrlRec = byId(urlId);
    expectRecord(viaUrlRec, {
      requester: server.principal,
      operation: "REST.GET.OBJECT",
      httpStatus: "200",
      bytesSent: String(body.length),
      signatureVersion: "SigV4",
      authenticationType: "QueryString",
    });
    expect(viaUrlRec.requestUri).toContain("X-Amz-Signature=REDACTED");
    expect(viaUrlRec.requestUri).toContain("X-Amz-Credential=");

    // Logging off: later requests are not delivered.
    await putLogging(src, {});
    await s3.send(new HeadObjectCommand({ Bucket: src, Key: "dir/a b.txt" }));
    await server.flushLogs();
    const after = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: "logs/" }));
    const all = await Promise.all((after.Contents ?? []).map((o) => text(target, o.Key!)));
    const ops = all.flatMap((t) =>
      t
        .split("\n")
        .filter(Boolean)
        .map((l) => parseAwsRecord(l).operation),
    );
    expect(ops.filter((o) => o === "REST.HEAD.OBJECT")).toHaveLength(1);
    expect(ops).toContain("REST.PUT.LOGGING_STATUS");
  });

  test("PartitionedPrefix keys: owner/region/bucket/YYYY/MM/DD by event time", async () => {
    const [src, target] = [await newBucket(), await newBucket()];
    await putLogging(src, {
      LoggingEnabled: {
        TargetBucket: target,
        TargetPrefix: "p/",
        TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "EventTime" } },
      },
    });
    now = Date.UTC(2026, 2, 14, 23, 59, 58);
    await s3.send(new PutObjectCommand({ Bucket: src, Key: "k", Body: "x" }));
    now = Date.UTC(2026, 2, 15, 0, 0, 3);
    await s3.send(new GetObjectCommand({ Bucket: src, Key: "k" }));
    now = Date.UTC(2026, 2, 15, 0, 10, 0);
    await server.flushLogs();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: "p/" }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
    const base = `p/${server.principal}/us-east-1/${src}`;
    // One object per event day, both named by the delivery time.
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(new RegExp(`^${base}/2026/03/14/2026-03-15-00-10-00-[0-9A-F]{16}$`));
    expect(keys[1]).toMatch(new RegExp(`^${base}/2026/03/15/2026-03-15-00-10-00-[0-9A-F]{16}$`));
    const [day1, day2] = await Promise.all(keys.map((k) => text(target, k)));
    // The PutBucketLogging request was logged on the 14th too.
    expect(
      day1
        .split("\n")
        .filter(Boolean)
        .map((l) => parseAwsRecord(l).operation),
    ).toEqual(["REST.PUT.LOGGING_STATUS", "REST.PUT.OBJECT"]);
    expect(
      day2
        .split("\n")
        .filter(Boolean)
        .map((l) => parseAwsRecord(l).operation),
    ).toEqual(["REST.GET.OBJECT"]);
  });

  test("a copy is logged in the source bucket's log too", async () => {
    const [src, dst, target] = [await newBucket(), await newBucket(), await newBucket()];
    await putLogging(src, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "src/" } });
    await putLogging(dst, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "dst/" } });
    await s3.send(new PutObjectCommand({ Bucket: src, Key: "orig", Body: "copy me" }));
    const { CopyObjectCommand } = await import("@aws-sdk/client-s3");
    await s3.send(new CopyObjectCommand({ Bucket: dst, Key: "copy", CopySource: `${src}/orig` }));
    await server.flushLogs();
    const read = async (prefix: string) => {
      const l = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: prefix }));
      const texts = await Promise.all((l.Contents ?? []).map((o) => text(target, o.Key!)));
      return texts.flatMap((t) => t.split("\n").filter(Boolean).map(parseAwsRecord));
    };
    const srcOps = (await read("src/")).map((r) => [r.operation, r.key, r.bucket]);
    const dstOps = (await read("dst/")).map((r) => [r.operation, r.key, r.bucket]);
    expect(srcOps).toContainEqual(["REST.COPY.OBJECT_GET", "orig", src]);
    expect(dstOps).toContainEqual(["REST.COPY.OBJECT", "copy", dst]);
  });
});

describe("website endpoint requests", () => {
  test("are logged in the site bucket's log as WEBSITE.GET.OBJECT", async () => {
    const { PutBucketWebsiteCommand } = await import("@aws-sdk/client-s3");
    const [site, target] = [await newBucket(), await newBucket()];
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: site,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    await putLogging(site, { LoggingEnabled: { TargetBucket: target, TargetPrefix: "web/" } });
    const url = new URL(server.endpoint);
    const res = await rawRequest(server.endpoint, {
      method: "GET",
      path: "/docs/page%201.html",
      headers: { host: `${site}.s3-website.localhost:${url.port}` },
    });
    await server.flushLogs();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: "web/" }));
    const texts = await Promise.all((listed.Contents ?? []).map((o) => text(target, o.Key!)));
    const records = texts.flatMap((t) => t.split("\n").filter(Boolean).map(parseAwsRecord));
    const web = records.find((r) => r.requestId === res.headers["x-amz-request-id"]);
    expect(web).toMatchObject({
      bucket: site,
      operation: "WEBSITE.GET.OBJECT",
      key: "docs/page%201.html",
      httpStatus: String(res.status),
      requester: "-",
      authenticationType: "-",
    });
  });
});

describe("the platform's own access log", () => {
  test("every request, one JSON line each, a file per day, and no secrets", async () => {
    const { readFile } = await import("node:fs/promises");
    now = Date.UTC(2026, 5, 1, 23, 59, 0);
    const b = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "v" }));
    const url = new URL(server.endpoint);
    const presigned = await sdkSigner({
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      sessionToken: "session-token-value",
    }).presign(
      httpRequest({
        method: "GET",
        path: `/${b}/k`,
        host: url.host,
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      }),
      { expiresIn: 300 },
    );
    const query = presigned.query as Record<string, string>;
    // A session token the server does not know: refused, and still logged without the token or signature.
    const refused = await rawRequest(server.endpoint, {
      method: "GET",
      path: `/${b}/k?${new URLSearchParams(query)}`,
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const signedRaw = await signed("GET", `/${b}`, { "list-type": "2" });
    expect(signedRaw.status).toBe(200);
    // The next day's requests go to the next day's file.
    now = Date.UTC(2026, 5, 2, 0, 0, 1);
    await s3.send(new ListObjectsV2Command({ Bucket: b }));
    await server.flushLogs();

    const day1 = await readFile(join(dataDir, "logs", "access-2026-06-01.jsonl"), "utf8");
    const day2 = await readFile(join(dataDir, "logs", "access-2026-06-02.jsonl"), "utf8");
    const lines1 = day1
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const lines2 = day2
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines2.map((l) => [l.action, l.bucket, l.status, l.time])).toEqual([
      ["ListObjectsV2", b, 200, "2026-06-02T00:00:01.000Z"],
    ]);
    const put = lines1.find((l) => l.action === "PutObject" && l.bucket === b);
    expect(put).toMatchObject({
      time: "2026-06-01T23:59:00.000Z",
      method: "PUT",
      key: "k",
      operation: "REST.PUT.OBJECT",
      status: 200,
      requester: server.principal,
      accessKeyId: server.accessKeyId,
      signatureVersion: "SigV4",
      authType: "AuthHeader",
      remoteIp: "127.0.0.1",
      objectSize: 1,
    });
    expect(put.requestId).toMatch(/^[0-9A-F]{16}$/);
    const denied = lines1.find((l) => l.requestId === refused.headers["x-amz-request-id"]);
    expect(denied).toMatchObject({ status: refused.status, authType: "QueryString", bucket: b, key: "k" });
    expect(denied.errorCode).toBeTruthy();
    expect(denied.uri).toContain("X-Amz-Signature=REDACTED");
    expect(denied.uri).toContain("X-Amz-Security-Token=REDACTED");
    // No secret anywhere: not the secret key, not a signature (header or query), not the session token.
    const headerSignature = /Signature=([0-9a-f]{64})/.exec(signedRaw.authorization)?.[1];
    expect(headerSignature).toMatch(/^[0-9a-f]{64}$/);
    for (const text of [day1, day2]) {
      expect(text).not.toContain(server.secretAccessKey);
      expect(text).not.toContain(query["X-Amz-Signature"]);
      expect(text).not.toContain("session-token-value");
      expect(text).not.toMatch(/AWS4-HMAC-SHA256 Credential/);
      expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
      expect(text).not.toContain(headerSignature);
    }
  });
});
