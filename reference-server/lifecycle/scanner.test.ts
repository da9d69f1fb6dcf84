// The lifecycle scanner through the HTTP path: rules put with @aws-sdk/client-s3, the server's injected
// clock moved forward, runOnce(), then what remains (versions, delete markers, uploads) listed through the
// SDK. Object-locked versions (retention, legal hold) survive every expiry.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  type LifecycleRule,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, clientFor } from "../api/test-support.ts";
import { type ReferenceServer, startReferenceServer } from "../server.ts";
import { LifecycleScanner } from "./scanner.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2030-01-10 12:00 UTC; every test starts from its own later day so tests do not disturb each other. */
let now = Date.UTC(2030, 0, 10, 12, 0, 0);
let server: ReferenceServer;
let s3: S3Client;
let dataDir: string;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-lcscan-"));
  server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    // No periodic run during the tests: only runOnce() acts.
    lifecycle: { initialDelayMs: 3_600_000, log: (l) => lines.push(l) },
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  s3 = clientFor(server);
});
afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Each test starts at 12:00 UTC of a fresh day, a year after the previous test. */
function freshDay(): number {
  now = Math.floor(now / DAY) * DAY + 365 * DAY + 12 * HOUR;
  return now;
}

async function newBucket(opts: { versioning?: "Enabled" | "Suspended"; lock?: boolean } = {}) {
  const Bucket = bucketName("lcs");
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: opts.lock || undefined }));
  if (opts.versioning)
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: opts.versioning } }),
    );
  return Bucket;
}

const rules = (Bucket: string, Rules: LifecycleRule[]) =>
  s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));

const put = (Bucket: string, Key: string, Body = "x", extra: Record<string, unknown> = {}) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));

async function keys(Bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** Every version and marker as `key:versionId` (markers as `key:versionId:marker`), newest first per key. */
async function versions(Bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket }));
  const all = [
    ...(out.Versions ?? []).map((v) => ({ k: v.Key!, id: v.VersionId!, t: v.LastModified!, m: false })),
    ...(out.DeleteMarkers ?? []).map((v) => ({ k: v.Key!, id: v.VersionId!, t: v.LastModified!, m: true })),
  ];
  return all.map((v) => `${v.k}:${v.id}${v.m ? ":marker" : ""}`).sort();
}

const runOnce = () => server.lifecycle.runOnce();

describe("current versions", () => {
  test("unversioned: deleted at 00:00 UTC of the day after creation + Days, only under the rule's prefix", async () => {
    const t0 = freshDay();
    const Bucket = await newBucket();
    await rules(Bucket, [
      { ID: "logs", Filter: { Prefix: "logs/" }, Status: "Enabled", Expiration: { Days: 2 } },
    ]);
    await put(Bucket, "logs/a");
    await put(Bucket, "logs/b");
    await put(Bucket, "data/c");
    // Created day D 12:00 → expires D+3 00:00, not one millisecond earlier.
    now = Math.floor(t0 / DAY) * DAY + 3 * DAY - 1;
    const before = await runOnce();
    expect(before.currentExpired).toBe(0);
    expect(await keys(Bucket)).toEqual(["data/c", "logs/a", "logs/b"]);
    now += 1;
    const report = await runOnce();
    expect(report.currentExpired).toBe(2);
    expect(await keys(Bucket)).toEqual(["data/c"]);
    expect(lines.at(-1)).toMatch(/^lifecycle: .*expired 2 current/);
  });

  test("versioned: a delete marker hides the expired version, which stays as noncurrent", async () => {
    freshDay();
    const Bucket = await newBucket({ versioning: "Enabled" });
    await rules(Bucket, [{ ID: "all", Filter: { Prefix: "" }, Status: "Enabled", Expiration: { Days: 1 } }]);
    const v = await put(Bucket, "k");
    now += 2 * DAY;
    expect((await runOnce()).currentExpired).toBe(1);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((x) => [x.VersionId, x.IsLatest])).toEqual([[v.VersionId, false]]);
    expect(listed.DeleteMarkers?.map((m) => m.IsLatest)).toEqual([true]);
    // A second run does not stack markers: the current version is the marker now.
    expect((await runOnce()).currentExpired).toBe(0);
    expect(await versions(Bucket)).toHaveLength(2);
  });

  test("suspended: the marker is the null version", async () => {
    freshDay();
    const Bucket = await newBucket({ versioning: "Suspended" });
    await rules(Bucket, [{ ID: "all", Filter: {}, Status: "Enabled", Expiration: { Days: 1 } }]);
    await put(Bucket, "k");
    now += 2 * DAY;
    expect((await runOnce()).currentExpired).toBe(1);
    expect(await versions(Bucket)).toEqual(["k:null:marker"]);
  });

  test("a date rule expires matching objects from that date; tag and size filters select", async () => {
    const t0 = freshDay();
    const Bucket = await newBucket();
    const midnight = Math.floor(t0 / DAY) * DAY + 5 * DAY;
    await rules(Bucket, [
      { ID: "date", Filter: { Prefix: "d/" }, Status: "Enabled", Expiration: { Date: new Date(midnight) } },
      {
        ID: "tags",
        Filter: { And: { Prefix: "t/", Tags: [{ Key: "keep", Value: "no" }] } },
        Status: "Enabled",
        Expiration: { Days: 1 },
      },
      { ID: "size", Filter: { ObjectSizeGreaterThan: 3 }, Status: "Enabled", Expiration: { Days: 1 } },
      { ID: "off", Filter: { Prefix: "off/" }, Status: "Disabled", Expiration: { Days: 1 } },
    ]);
    await put(Bucket, "d/1");
    await put(Bucket, "t/yes", "x", { Tagging: "keep=no" });
    await put(Bucket, "t/no", "x", { Tagging: "keep=yes" });
    await put(Bucket, "big", "xxxx");
    await put(Bucket, "off/1");
    now = Math.floor(t0 / DAY) * DAY + 2 * DAY;
    await runOnce();
    expect(await keys(Bucket)).toEqual(["d/1", "off/1", "t/no"]);
    now = midnight;
    await runOnce();
    expect(await keys(Bucket)).toEqual(["off/1", "t/no"]);
  });
});

describe("noncurrent versions and delete markers", () => {
  test("NoncurrentDays counts from when a version became noncurrent; NewerNoncurrentVersions are kept", async () => {
    const t0 = freshDay();
    const day0 = Math.floor(t0 / DAY) * DAY;
    const Bucket = await newBucket({ versioning: "Enabled" });
    await rules(Bucket, [
      {
        ID: "nc",
        Filter: { Prefix: "" },
        Status: "Enabled",
        NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 },
      },
    ]);
    const v1 = await put(Bucket, "k", "1"); // day 0 12:00
    now = day0 + DAY + 12 * HOUR;
    const v2 = await put(Bucket, "k", "2"); // v1 noncurrent since day 1 12:00 → due day 3 00:00
    now = day0 + 2 * DAY + 12 * HOUR;
    const v3 = await put(Bucket, "k", "3"); // v2 noncurrent since day 2 12:00 → due day 4 00:00
    const v4 = await put(Bucket, "k", "4"); // v3 noncurrent since day 2 12:00 → due day 4, but newest noncurrent
    now = day0 + 3 * DAY - 1;
    expect((await runOnce()).noncurrentExpired).toBe(0);
    now = day0 + 3 * DAY;
    expect((await runOnce()).noncurrentExpired).toBe(1);
    const ids = (list: string[]) => list.map((x) => x.split(":")[1]).sort();
    expect(ids(await versions(Bucket))).toEqual([v2.VersionId, v3.VersionId, v4.VersionId].sort());
    now = day0 + 30 * DAY;
    expect((await runOnce()).noncurrentExpired).toBe(1);
    // v3 is the one newer noncurrent version the rule keeps, whatever its age.
    expect(ids(await versions(Bucket))).toEqual([v3.VersionId, v4.VersionId].sort());
    expect(v1.VersionId).not.toBe(v2.VersionId);
  });

  test("an expired object delete marker (the only version left) is removed after its versions expire", async () => {
    freshDay();
    const Bucket = await newBucket({ versioning: "Enabled" });
    await rules(Bucket, [
      {
        ID: "cleanup",
        Filter: { Prefix: "" },
        Status: "Enabled",
        Expiration: { ExpiredObjectDeleteMarker: true },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
    await put(Bucket, "gone");
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "gone" }));
    await put(Bucket, "kept");
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "kept" }));
    await put(Bucket, "kept"); // a current version: its old version and marker are noncurrent
    now += 3 * DAY;
    const report = await runOnce();
    expect(report.noncurrentExpired).toBe(3);
    expect(report.deleteMarkersRemoved).toBe(1);
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(left.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([["kept", true]]);
    expect(left.DeleteMarkers ?? []).toEqual([]);
  });

  test("Expiration Days also removes a lone delete marker once it is old enough", async () => {
    const t0 = freshDay();
    const Bucket = await newBucket({ versioning: "Enabled" });
    await rules(Bucket, [{ ID: "days", Filter: { Prefix: "" }, Status: "Enabled", Expiration: { Days: 5 } }]);
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "never-existed" }));
    now = Math.floor(t0 / DAY) * DAY + 6 * DAY - 1;
    expect((await runOnce()).deleteMarkersRemoved).toBe(0);
    expect(await versions(Bucket)).toHaveLength(1);
    now += 1;
    expect((await runOnce()).deleteMarkersRemoved).toBe(1);
    expect(await versions(Bucket)).toEqual([]);
  });
});

describe("object lock", () => {
  test("locked versions survive noncurrent expiry until retention ends; legal hold until released", async () => {
    const t0 = freshDay();
    const Bucket = await newBucket({ lock: true });
    await rules(Bucket, [
      {
        ID: "all",
        Filter: { Prefix: "" },
        Status: "Enabled",
        Expiration: { Days: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
    const retained = await put(Bucket, "k", "r", {
      ObjectLockMode: "COMPLIANCE",
      ObjectLockRetainUntilDate: new Date(t0 + 10 * DAY),
    });
    const held = await put(Bucket, "k", "h", { ObjectLockLegalHoldStatus: "ON" });
    const free = await put(Bucket, "k", "f");
    const current = await put(Bucket, "k", "c", {
      ObjectLockMode: "GOVERNANCE",
      ObjectLockRetainUntilDate: new Date(t0 + 100 * DAY),
    });
    now = t0 + 3 * DAY;
    const report = await runOnce();
    // The current version is hidden by a marker (that removes nothing); the free noncurrent one goes.
    expect(report.currentExpired).toBe(1);
    expect(report.noncurrentExpired).toBe(1);
    expect(report.lockedKept).toBe(2);
    const ids = async () =>
      ((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? [])
        .map((v) => v.VersionId)
        .sort();
    expect(await ids()).toEqual([retained.VersionId, held.VersionId, current.VersionId].sort());
    // COMPLIANCE retention over: that version goes; GOVERNANCE (current, now noncurrent) still holds.
    now = t0 + 11 * DAY;
    await runOnce();
    expect(await ids()).toEqual([held.VersionId, current.VersionId].sort());
    await s3.send(
      new PutObjectLegalHoldCommand({
        Bucket,
        Key: "k",
        VersionId: held.VersionId,
        LegalHold: { Status: "OFF" },
      }),
    );
    await runOnce();
    expect(await ids()).toEqual([current.VersionId]);
    expect(free.VersionId).toBeDefined();
    now = t0 + 101 * DAY;
    await runOnce();
    // Everything expired: the marker that was left alone is an expired delete marker under Days → gone.
    expect(await ids()).toEqual([]);
    expect(await versions(Bucket)).toEqual([]);
  });
});

describe("multipart uploads and bounds", () => {
  test("AbortIncompleteMultipartUpload aborts uploads under the prefix DaysAfterInitiation after initiation", async () => {
    const t0 = freshDay();
    const Bucket = await newBucket();
    await rules(Bucket, [
      {
        ID: "abort",
        Filter: { Prefix: "tmp/" },
        Status: "Enabled",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "tmp/a" }));
    const keep = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "keep/b" }));
    now = Math.floor(t0 / DAY) * DAY + 2 * DAY - 1;
    expect((await runOnce()).uploadsAborted).toBe(0);
    now += 1;
    expect((await runOnce()).uploadsAborted).toBe(1);
    const left = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(left.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([["keep/b", keep.UploadId]]);
  });

  test("work per run is bounded; the next run continues where the last stopped", async () => {
    freshDay();
    const Bucket = await newBucket();
    await rules(Bucket, [{ ID: "all", Filter: { Prefix: "" }, Status: "Enabled", Expiration: { Days: 1 } }]);
    for (let i = 0; i < 5; i++) await put(Bucket, `k${i}`);
    now += 3 * DAY;
    const scanner = new LifecycleScanner(server.engine, () => now, { maxActions: 2, log: () => {} });
    const first = await scanner.runOnce();
    expect([first.currentExpired, first.truncated]).toEqual([2, true]);
    expect(await keys(Bucket)).toEqual(["k2", "k3", "k4"]);
    const second = await scanner.runOnce();
    expect([second.currentExpired, second.truncated]).toEqual([2, true]);
    const third = await scanner.runOnce();
    expect([third.currentExpired, third.truncated]).toEqual([1, false]);
    expect(await keys(Bucket)).toEqual([]);
  });

  test("the periodic run fires on its own timer and stop() waits for it", async () => {
    freshDay();
    const Bucket = await newBucket();
    await rules(Bucket, [{ ID: "all", Filter: { Prefix: "" }, Status: "Enabled", Expiration: { Days: 1 } }]);
    await put(Bucket, "k");
    now += 3 * DAY;
    let fired!: (line: string) => void;
    const logged = new Promise<string>((resolve) => {
      fired = resolve;
    });
    const scanner = new LifecycleScanner(server.engine, () => now, {
      initialDelayMs: 1,
      log: (l) => fired(l),
    });
    scanner.start();
    expect(await logged).toMatch(/expired 1 current/);
    await scanner.stop();
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: "k" }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});
