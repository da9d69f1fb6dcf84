// Object lock through the HTTP path with @aws-sdk/client-s3 (raw signed requests where the SDK would add
// a checksum): bucket configuration, default retention, lock headers on every write, retention and legal
// hold rules, and every delete path refused. Time moves through the server's injected clock.

import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Client } from "minio";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ReferenceServer, startReferenceServer } from "../../server.ts";
import { bucketName, clientFor, errorOf, signedRequest } from "../test-support.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
let now = T0;
let server: ReferenceServer;
let s3: S3Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-lock-"));
  server = await startReferenceServer({
    dataDir,
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
  await rm(dataDir, { recursive: true, force: true });
});

const iso = (ms: number) => new Date(ms).toISOString();

async function lockedBucket(): Promise<string> {
  const Bucket = bucketName("lock");
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  return Bucket;
}

async function plainBucket(versioning?: "Enabled"): Promise<string> {
  const Bucket = bucketName("plain");
  await s3.send(new CreateBucketCommand({ Bucket }));
  if (versioning) {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: versioning } }),
    );
  }
  return Bucket;
}

async function put(
  Bucket: string,
  Key: string,
  extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {},
) {
  return s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ...extra }));
}

const setRetention = (
  Bucket: string,
  Key: string,
  VersionId: string | undefined,
  Mode: "GOVERNANCE" | "COMPLIANCE",
  until: number,
  bypass = false,
) =>
  s3.send(
    new PutObjectRetentionCommand({
      Bucket,
      Key,
      VersionId,
      Retention: { Mode, RetainUntilDate: new Date(until) },
      BypassGovernanceRetention: bypass || undefined,
    }),
  );

const setDefault = (
  Bucket: string,
  rule?: { Mode: "GOVERNANCE" | "COMPLIANCE"; Days?: number; Years?: number },
) =>
  s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: rule ? { DefaultRetention: rule } : undefined,
      },
    }),
  );

const md5 = (s: string) => createHash("md5").update(s).digest("base64");

/** A signed request with a body and its Content-MD5 (what the SDK cannot be made to send as is). */
function signed(
  method: string,
  path: string,
  query: Record<string, string>,
  body: string,
  headers: Record<string, string> = {},
) {
  return signedRequest(server, {
    method,
    path,
    query,
    body,
    headers: { "content-md5": md5(body), ...headers },
  });
}

describe("bucket configuration", () => {
  test("a bucket created with object lock is versioned, cannot be suspended, and reports lock enabled", async () => {
    const Bucket = await lockedBucket();
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
    const cfg = await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
    expect(cfg.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
    const e = await errorOf(
      s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } })),
    );
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([409, "InvalidBucketState"]);
  });

  test("default retention round-trips; a configuration without Rule removes it", async () => {
    const Bucket = await lockedBucket();
    await setDefault(Bucket, { Mode: "COMPLIANCE", Years: 2 });
    const got = await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
    expect(got.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 2 } },
    });
    const raw = await signedRequest(server, {
      method: "GET",
      path: `/${Bucket}`,
      query: { "object-lock": "" },
    });
    expect(raw.body).toContain(
      "<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention></Rule>",
    );
    await setDefault(Bucket);
    const after = await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
    expect(after.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
  });

  test("a bucket without lock: Get answers ObjectLockConfigurationNotFoundError, Put InvalidBucketState unless versioning is Enabled", async () => {
    const Bucket = await plainBucket();
    const g = await errorOf(s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
    expect([g.$metadata.httpStatusCode, g.name, g.message]).toEqual([
      404,
      "ObjectLockConfigurationNotFoundError",
      "Object Lock configuration does not exist for this bucket",
    ]);
    const p = await errorOf(setDefault(Bucket));
    expect([p.$metadata.httpStatusCode, p.name]).toEqual([409, "InvalidBucketState"]);
    expect(p.message).toBe("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    // As AWS allows since 2023: a versioned bucket gets object lock enabled by the configuration.
    const versioned = await plainBucket("Enabled");
    await setDefault(versioned, { Mode: "GOVERNANCE", Days: 1 });
    const cfg = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: versioned }));
    expect(cfg.ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
    const e = await errorOf(
      s3.send(
        new PutBucketVersioningCommand({
          Bucket: versioned,
          VersioningConfiguration: { Status: "Suspended" },
        }),
      ),
    );
    expect(e.name).toBe("InvalidBucketState");
  });

  test("invalid configurations are refused with AWS's codes; Content-MD5 or a checksum is required", async () => {
    const Bucket = await lockedBucket();
    const doc = (inner: string) => `<ObjectLockConfiguration>${inner}</ObjectLockConfiguration>`;
    const rule = (dr: string) =>
      `<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>${dr}</DefaultRetention></Rule>`;
    const cases: [string, number, string][] = [
      [doc(rule("<Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years>")), 400, "MalformedXML"],
      [doc(rule("<Mode>GOVERNANCE</Mode>")), 400, "MalformedXML"],
      [doc(rule("<Mode>governance</Mode><Days>1</Days>")), 400, "MalformedXML"],
      [doc(rule("<Mode>GOVERNANCE</Mode><Days>1.5</Days>")), 400, "MalformedXML"],
      [doc(rule("<Mode>GOVERNANCE</Mode><Days>0</Days>")), 400, "InvalidRetentionPeriod"],
      [doc(rule("<Mode>COMPLIANCE</Mode><Years>-1</Years>")), 400, "InvalidRetentionPeriod"],
      [doc("<ObjectLockEnabled>Disabled</ObjectLockEnabled>"), 400, "MalformedXML"],
      ["<ObjectLockConfiguration><ObjectLockEnabled>Enabled", 400, "MalformedXML"],
    ];
    for (const [body, status, code] of cases) {
      const res = await signed("PUT", `/${Bucket}`, { "object-lock": "" }, body);
      expect([res.status, /<Code>([^<]+)/.exec(res.body)?.[1], body]).toEqual([status, code, body]);
    }
    const body = doc("<ObjectLockEnabled>Enabled</ObjectLockEnabled>");
    const noMd5 = await signedRequest(server, {
      method: "PUT",
      path: `/${Bucket}`,
      query: { "object-lock": "" },
      body,
    });
    expect(noMd5.status).toBe(400);
    expect(noMd5.body).toContain("<Code>InvalidRequest</Code>");
    const badMd5 = await signed("PUT", `/${Bucket}`, { "object-lock": "" }, body, {
      "content-md5": md5("other"),
    });
    expect(badMd5.body).toContain("<Code>BadDigest</Code>");
    // Nothing refused changed the configuration.
    expect(
      (await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration,
    ).toEqual({
      ObjectLockEnabled: "Enabled",
    });
  });
});

describe("lock settings of new versions", () => {
  test("default retention applies to every new version, timed by the server clock (days of 24 h, calendar years)", async () => {
    const Bucket = await lockedBucket();
    await setDefault(Bucket, { Mode: "GOVERNANCE", Days: 3 });
    const v = await put(Bucket, "k");
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "k" }));
    expect([
      head.ObjectLockMode,
      head.ObjectLockRetainUntilDate?.getTime(),
      head.ObjectLockLegalHoldStatus,
    ]).toEqual(["GOVERNANCE", now + 3 * DAY, undefined]);
    const ret = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v.VersionId }));
    expect(ret.Retention).toEqual({ Mode: "GOVERNANCE", RetainUntilDate: new Date(now + 3 * DAY) });
    await setDefault(Bucket, { Mode: "COMPLIANCE", Years: 1 });
    await put(Bucket, "k");
    const get = await s3.send(new GetObjectCommand({ Bucket, Key: "k" }));
    await get.Body?.transformToString();
    expect([get.ObjectLockMode, get.ObjectLockRetainUntilDate?.toISOString()]).toEqual([
      "COMPLIANCE",
      "2031-01-01T12:00:00.000Z",
    ]);
    // The raw header is ISO 8601 with milliseconds.
    const raw = await signedRequest(server, { method: "HEAD", path: `/${Bucket}/k` });
    expect(raw.headers["x-amz-object-lock-retain-until-date"]).toBe("2031-01-01T12:00:00.000Z");
    expect(raw.headers["x-amz-object-lock-mode"]).toBe("COMPLIANCE");
  });

  test("explicit headers win over the default; each is validated as AWS does", async () => {
    const Bucket = await lockedBucket();
    await setDefault(Bucket, { Mode: "GOVERNANCE", Days: 1 });
    const until = now + 10 * DAY;
    await put(Bucket, "explicit", {
      ObjectLockMode: "COMPLIANCE",
      ObjectLockRetainUntilDate: new Date(until),
      ObjectLockLegalHoldStatus: "ON",
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "explicit" }));
    expect([
      head.ObjectLockMode,
      head.ObjectLockRetainUntilDate?.getTime(),
      head.ObjectLockLegalHoldStatus,
    ]).toEqual(["COMPLIANCE", until, "ON"]);
    const body = "x";
    const refused = async (headers: Record<string, string>) => {
      const res = await signed("PUT", `/${Bucket}/bad`, {}, body, headers);
      return [
        res.status,
        /<Code>([^<]+)/.exec(res.body)?.[1],
        /<Message>([^<]+)/.exec(res.body)?.[1].replaceAll("&apos;", "'"),
      ];
    };
    expect(await refused({ "x-amz-object-lock-mode": "GOVERNANCE" })).toEqual([
      400,
      "InvalidArgument",
      "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
    ]);
    expect(await refused({ "x-amz-object-lock-retain-until-date": iso(until) })).toEqual([
      400,
      "InvalidArgument",
      "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
    ]);
    expect(
      await refused({
        "x-amz-object-lock-mode": "FOREVER",
        "x-amz-object-lock-retain-until-date": iso(until),
      }),
    ).toEqual([400, "InvalidArgument", "Unknown wormMode directive."]);
    expect(
      await refused({
        "x-amz-object-lock-mode": "GOVERNANCE",
        "x-amz-object-lock-retain-until-date": iso(now - 1000),
      }),
    ).toEqual([400, "InvalidArgument", "The retain until date must be in the future!"]);
    expect(await refused({ "x-amz-object-lock-legal-hold": "on" })).toEqual([
      400,
      "InvalidArgument",
      "Legal Hold must be either of 'ON' or 'OFF'",
    ]);
    expect(
      (await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: "bad" }))).Versions,
    ).toBeUndefined();
  });

  test("a locked write without Content-MD5 or a checksum is refused; with one it is stored", async () => {
    const Bucket = await lockedBucket();
    const plain = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      maxAttempts: 1,
    });
    try {
      const e = await errorOf(
        plain.send(
          new PutObjectCommand({
            Bucket,
            Key: "k",
            Body: "x",
            ObjectLockMode: "GOVERNANCE",
            ObjectLockRetainUntilDate: new Date(now + DAY),
          }),
        ),
      );
      const message =
        "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters";
      expect([e.$metadata.httpStatusCode, e.name, e.message]).toEqual([400, "InvalidRequest", message]);
      // Without lock parameters and without a default retention, no checksum is needed.
      await plain.send(new PutObjectCommand({ Bucket, Key: "free", Body: "x" }));
      // A default retention makes every write a locked write.
      await setDefault(Bucket, { Mode: "GOVERNANCE", Days: 1 });
      const d = await errorOf(plain.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" })));
      expect([d.name, d.message]).toEqual(["InvalidRequest", message]);
      await plain.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ContentMD5: md5("x") }));
      expect((await s3.send(new HeadObjectCommand({ Bucket, Key: "k" }))).ObjectLockMode).toBe("GOVERNANCE");
    } finally {
      plain.destroy();
    }
  });

  test("lock parameters on a bucket without object lock are refused", async () => {
    const Bucket = await plainBucket("Enabled");
    const e = await errorOf(put(Bucket, "k", { ObjectLockLegalHoldStatus: "ON" }));
    expect([e.$metadata.httpStatusCode, e.name, e.message]).toEqual([
      400,
      "InvalidRequest",
      "Bucket is missing Object Lock Configuration",
    ]);
    await put(Bucket, "k");
    for (const p of [
      s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k" })),
      s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k" })),
      setRetention(Bucket, "k", undefined, "GOVERNANCE", now + DAY),
      s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: "k", LegalHold: { Status: "ON" } })),
    ]) {
      const err = await errorOf(p);
      expect([err.$metadata.httpStatusCode, err.name, err.message]).toEqual([
        400,
        "InvalidRequest",
        "Bucket is missing Object Lock Configuration",
      ]);
    }
  });

  test("CopyObject and multipart uploads take lock headers and the default retention", async () => {
    const Bucket = await lockedBucket();
    await put(Bucket, "src", { ObjectLockLegalHoldStatus: "ON" });
    const until = now + 5 * DAY;
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: "copy",
        CopySource: `${Bucket}/src`,
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: new Date(until),
      }),
    );
    const copy = await s3.send(new HeadObjectCommand({ Bucket, Key: "copy" }));
    // The source's legal hold is not copied: lock settings come from the copy request or the bucket.
    expect([
      copy.ObjectLockMode,
      copy.ObjectLockRetainUntilDate?.getTime(),
      copy.ObjectLockLegalHoldStatus,
    ]).toEqual(["GOVERNANCE", until, undefined]);
    await setDefault(Bucket, { Mode: "COMPLIANCE", Days: 2 });
    await s3.send(new CopyObjectCommand({ Bucket, Key: "copy2", CopySource: `${Bucket}/src` }));
    const c2 = await s3.send(new HeadObjectCommand({ Bucket, Key: "copy2" }));
    expect([c2.ObjectLockMode, c2.ObjectLockRetainUntilDate?.getTime()]).toEqual([
      "COMPLIANCE",
      now + 2 * DAY,
    ]);

    const up = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key: "mpu",
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: new Date(until),
        ObjectLockLegalHoldStatus: "ON",
      }),
    );
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key: "mpu", UploadId: up.UploadId, PartNumber: 1, Body: "part one" }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: "mpu",
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const mpu = await s3.send(new HeadObjectCommand({ Bucket, Key: "mpu", VersionId: done.VersionId }));
    expect([
      mpu.ObjectLockMode,
      mpu.ObjectLockRetainUntilDate?.getTime(),
      mpu.ObjectLockLegalHoldStatus,
    ]).toEqual(["GOVERNANCE", until, "ON"]);
    const e = await errorOf(
      s3.send(new DeleteObjectCommand({ Bucket, Key: "mpu", VersionId: done.VersionId })),
    );
    expect(e.name).toBe("AccessDenied");
  });
});

describe("retention and legal hold", () => {
  test("GetObjectRetention / GetObjectLegalHold answer NoSuchObjectLockConfiguration when none was set", async () => {
    const Bucket = await lockedBucket();
    await put(Bucket, "k");
    for (const p of [
      s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k" })),
      s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k" })),
    ]) {
      const e = await errorOf(p);
      expect([e.$metadata.httpStatusCode, e.name, e.message]).toEqual([
        404,
        "NoSuchObjectLockConfiguration",
        "The specified object does not have a ObjectLock configuration",
      ]);
    }
    const missing = await errorOf(s3.send(new GetObjectRetentionCommand({ Bucket, Key: "nope" })));
    expect(missing.name).toBe("NoSuchKey");
  });

  test("GOVERNANCE: extend freely; shorten, remove or change mode only with the bypass; delete only with the bypass", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await setRetention(Bucket, "k", v, "GOVERNANCE", now + 2 * DAY);
    await setRetention(Bucket, "k", v, "GOVERNANCE", now + 4 * DAY);
    for (const change of [
      () => setRetention(Bucket, "k", v, "GOVERNANCE", now + DAY),
      () => setRetention(Bucket, "k", v, "COMPLIANCE", now + 4 * DAY),
      () => s3.send(new PutObjectRetentionCommand({ Bucket, Key: "k", VersionId: v, Retention: {} })),
    ]) {
      const e = await errorOf(change());
      expect([e.$metadata.httpStatusCode, e.name]).toEqual([403, "AccessDenied"]);
    }
    const del = await errorOf(s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v })));
    expect([del.$metadata.httpStatusCode, del.name, del.message]).toEqual([
      403,
      "AccessDenied",
      "Access Denied because object protected by object lock.",
    ]);
    await setRetention(Bucket, "k", v, "GOVERNANCE", now + DAY, true);
    const ret = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v }));
    expect(ret.Retention?.RetainUntilDate?.getTime()).toBe(now + DAY);
    // An empty Retention document removes it (with the bypass).
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket,
        Key: "k",
        VersionId: v,
        Retention: {},
        BypassGovernanceRetention: true,
      }),
    );
    expect(
      (await errorOf(s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v })))).name,
    ).toBe("NoSuchObjectLockConfiguration");
    await setRetention(Bucket, "k", v, "GOVERNANCE", now + DAY);
    await s3.send(
      new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v, BypassGovernanceRetention: true }),
    );
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toBeUndefined();
  });

  test("COMPLIANCE: only extension, by anyone, bypass or not; no delete until the date passes", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await setRetention(Bucket, "k", v, "COMPLIANCE", now + 2 * DAY);
    await setRetention(Bucket, "k", v, "COMPLIANCE", now + 3 * DAY);
    for (const change of [
      () => setRetention(Bucket, "k", v, "COMPLIANCE", now + DAY, true),
      () => setRetention(Bucket, "k", v, "GOVERNANCE", now + 5 * DAY, true),
      () =>
        s3.send(
          new PutObjectRetentionCommand({
            Bucket,
            Key: "k",
            VersionId: v,
            Retention: {},
            BypassGovernanceRetention: true,
          }),
        ),
      () =>
        s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v, BypassGovernanceRetention: true })),
    ]) {
      const e = await errorOf(change());
      expect([e.$metadata.httpStatusCode, e.name]).toEqual([403, "AccessDenied"]);
    }
    const ret = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v }));
    expect(ret.Retention).toEqual({ Mode: "COMPLIANCE", RetainUntilDate: new Date(now + 3 * DAY) });
    const past = await errorOf(setRetention(Bucket, "k", v, "COMPLIANCE", now - DAY));
    expect([past.$metadata.httpStatusCode, past.name, past.message]).toEqual([
      400,
      "InvalidArgument",
      "The retain until date must be in the future!",
    ]);
    const saved = now;
    try {
      now += 3 * DAY + 1;
      // Expired: still reported, no longer enforced.
      expect((await s3.send(new HeadObjectCommand({ Bucket, Key: "k" }))).ObjectLockMode).toBe("COMPLIANCE");
      await s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v }));
    } finally {
      now = saved;
    }
  });

  test("legal hold: ON blocks every delete, even with the bypass and without retention; OFF lifts it", async () => {
    const Bucket = await lockedBucket();
    const v1 = (await put(Bucket, "k")).VersionId!;
    const v2 = (await put(Bucket, "k")).VersionId!;
    await s3.send(
      new PutObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v1, LegalHold: { Status: "ON" } }),
    );
    expect(
      (await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v1 }))).LegalHold,
    ).toEqual({
      Status: "ON",
    });
    // Per version: the latest one has none.
    expect((await errorOf(s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k" })))).name).toBe(
      "NoSuchObjectLockConfiguration",
    );
    const e = await errorOf(
      s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v1, BypassGovernanceRetention: true })),
    );
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([403, "AccessDenied"]);
    const bad = await signed(
      "PUT",
      `/${Bucket}/k`,
      { "legal-hold": "", versionId: v1 },
      "<LegalHold><Status>on</Status></LegalHold>",
    );
    expect(bad.body).toContain("<Code>MalformedXML</Code>");
    await s3.send(
      new PutObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v1, LegalHold: { Status: "OFF" } }),
    );
    expect(
      (await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v1 }))).LegalHold,
    ).toEqual({
      Status: "OFF",
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: v1 }));
    expect(head.ObjectLockLegalHoldStatus).toBe("OFF");
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v1 }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v2 }));
  });
});

describe("every delete path is refused for a locked version", () => {
  test("DeleteObject without a version id adds a delete marker; the locked version stays readable", async () => {
    const Bucket = await lockedBucket();
    const v = (
      await put(Bucket, "k", { ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: new Date(now + DAY) })
    ).VersionId!;
    const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: "k" }));
    expect(del.DeleteMarker).toBe(true);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v }));
    expect(await got.Body?.transformToString()).toBe("body of k");
    // The marker itself carries no lock and goes away.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: del.VersionId }));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: "k" }))).VersionId).toBe(v);
  });

  test("an overwrite is a new version: the locked one keeps its bytes and its lock", async () => {
    const Bucket = await lockedBucket();
    const v1 = (await put(Bucket, "k", { ObjectLockLegalHoldStatus: "ON" })).VersionId!;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "second" }))).VersionId!;
    expect(v2).not.toBe(v1);
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v1 }));
    expect([await old.Body?.transformToString(), old.ObjectLockLegalHoldStatus]).toEqual(["body of k", "ON"]);
    await s3.send(
      new PutObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v1, LegalHold: { Status: "OFF" } }),
    );
  });

  test("DeleteObjects: each locked version fails on its own with AccessDenied; the bypass lifts GOVERNANCE only", async () => {
    const Bucket = await lockedBucket();
    const gov = (
      await put(Bucket, "gov", {
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: new Date(now + DAY),
      })
    ).VersionId!;
    const comp = (
      await put(Bucket, "comp", {
        ObjectLockMode: "COMPLIANCE",
        ObjectLockRetainUntilDate: new Date(now + DAY),
      })
    ).VersionId!;
    const held = (await put(Bucket, "held", { ObjectLockLegalHoldStatus: "ON" })).VersionId!;
    const free = (await put(Bucket, "free")).VersionId!;
    const objects = [
      { Key: "gov", VersionId: gov },
      { Key: "comp", VersionId: comp },
      { Key: "held", VersionId: held },
      { Key: "free", VersionId: free },
    ];
    const first = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: objects } }));
    expect(first.Deleted?.map((d) => d.Key)).toEqual(["free"]);
    expect(first.Errors?.map((e) => [e.Key, e.VersionId, e.Code, e.Message])).toEqual(
      [
        ["gov", gov],
        ["comp", comp],
        ["held", held],
      ].map(([k, id]) => [k, id, "AccessDenied", "Access Denied because object protected by object lock."]),
    );
    const second = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: objects.slice(0, 3) },
        BypassGovernanceRetention: true,
      }),
    );
    expect([second.Deleted?.map((d) => d.Key), second.Errors?.map((e) => e.Key)]).toEqual([
      ["gov"],
      ["comp", "held"],
    ]);
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(left.Versions?.map((x) => x.Key).sort()).toEqual(["comp", "held"]);
    await s3.send(
      new PutObjectLegalHoldCommand({ Bucket, Key: "held", VersionId: held, LegalHold: { Status: "OFF" } }),
    );
  });
});

describe("minio client", () => {
  test("bucket with object locking, retention and legal hold through minio", async () => {
    const url = new URL(server.endpoint);
    const mc = new Client({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey: server.accessKeyId,
      secretKey: server.secretAccessKey,
      region: "us-east-1",
      pathStyle: true,
    });
    const Bucket = bucketName("mlock");
    await mc.makeBucket(Bucket, "us-east-1", { ObjectLocking: true });
    // Over plain HTTP minio-js signs the payload instead of sending Content-MD5, which a locked write
    // needs: the object goes in before the default retention.
    const info = await mc.putObject(Bucket, "k", Buffer.from("minio body"));
    await mc.setObjectLockConfig(Bucket, { mode: "GOVERNANCE", unit: "Days", validity: 2 });
    expect(await mc.getObjectLockConfig(Bucket)).toMatchObject({
      objectLockEnabled: "Enabled",
      mode: "GOVERNANCE",
      unit: "Days",
      validity: 2,
    });
    const until = iso(now + 7 * DAY);
    await mc.putObjectRetention(Bucket, "k", {
      mode: "GOVERNANCE",
      retainUntilDate: until,
      versionId: info.versionId!,
    });
    expect(await mc.getObjectRetention(Bucket, "k", { versionId: info.versionId! })).toMatchObject({
      mode: "GOVERNANCE",
      retainUntilDate: until,
    });
    await mc.setObjectLegalHold(Bucket, "k", { status: "ON", versionId: info.versionId! });
    expect(await mc.getObjectLegalHold(Bucket, "k", { versionId: info.versionId! })).toEqual({
      Status: "ON",
    });
    await expect(
      mc.removeObject(Bucket, "k", { versionId: info.versionId!, governanceBypass: true }),
    ).rejects.toMatchObject({ code: "AccessDenied" });
    await mc.setObjectLegalHold(Bucket, "k", { status: "OFF", versionId: info.versionId! });
    await mc.removeObject(Bucket, "k", { versionId: info.versionId!, governanceBypass: true });
  });
});
