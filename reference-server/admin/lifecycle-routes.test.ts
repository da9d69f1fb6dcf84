// The console's retention setting end to end: management API (and `parity admin buckets retention`) →
// the "parity-retention" lifecycle rule seen through S3 → the scanner expires on the moved clock.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAdmin } from "../../scripts/admin.ts";
import { bucketName, clientFor, errorOf } from "../api/test-support.ts";
import { type ReferenceServer, startReferenceServer } from "../server.ts";
import { type RunningAdminServer, startAdminServer } from "./server.ts";

const DAY = 86_400_000;
let now = Date.UTC(2030, 2, 1, 12, 0, 0);
let server: ReferenceServer;
let admin: RunningAdminServer;
let s3: S3Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-retention-"));
  server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    lifecycle: { initialDelayMs: 3_600_000, log: () => {} },
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  admin = await startAdminServer({ engine: server.engine, accounts: server.accounts });
  s3 = clientFor(server);
});
afterAll(async () => {
  s3.destroy();
  await admin.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(admin.endpoint + path, {
    method,
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runAdmin(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: { ADMIN_ENDPOINT: admin.endpoint, ADMIN_TOKEN: admin.token },
  });
  return { code, stdout, stderr };
}

async function newBucket(): Promise<string> {
  const Bucket = bucketName("ret");
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

const s3Rules = async (Bucket: string) =>
  (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules;

describe("retention over the management API", () => {
  test("days map onto the parity-retention rule; 0 removes it; other rules are kept", async () => {
    const Bucket = await newBucket();
    expect(await api("GET", `/buckets/${Bucket}/retention`)).toEqual({
      status: 200,
      json: { bucket: Bucket, days: 0 },
    });
    expect((await api("PUT", `/buckets/${Bucket}/retention`, { days: 30 })).json).toEqual({
      bucket: Bucket,
      days: 30,
    });
    expect(await s3Rules(Bucket)).toEqual([
      {
        ID: "parity-retention",
        Filter: { Prefix: "" },
        Status: "Enabled",
        Expiration: { Days: 30 },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
    ]);
    // A rule of the bucket's own survives changes of the retention.
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [
            ...((await s3Rules(Bucket)) ?? []),
            {
              ID: "uploads",
              Filter: {},
              Status: "Enabled",
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
            },
          ],
        },
      }),
    );
    await api("PUT", `/buckets/${Bucket}/retention`, { days: 7 });
    expect((await s3Rules(Bucket))?.map((r) => [r.ID, r.Expiration?.Days])).toEqual([
      ["parity-retention", 7],
      ["uploads", undefined],
    ]);
    expect((await api("GET", `/buckets/${Bucket}/retention`)).json.days).toBe(7);
    await api("PUT", `/buckets/${Bucket}/retention`, { days: 0 });
    expect((await s3Rules(Bucket))?.map((r) => r.ID)).toEqual(["uploads"]);
    // Without other rules, 0 leaves no configuration at all.
    const other = await newBucket();
    await api("PUT", `/buckets/${other}/retention`, { days: 2 });
    await api("PUT", `/buckets/${other}/retention`, { days: 0 });
    expect((await errorOf(s3Rules(other))).name).toBe("NoSuchLifecycleConfiguration");
  });

  test("bad days and unknown buckets are refused", async () => {
    const Bucket = await newBucket();
    for (const days of [-1, 1.5, "7", null, 36_501]) {
      const res = await api("PUT", `/buckets/${Bucket}/retention`, { days });
      expect([res.status, (res.json.error as { code: string }).code]).toEqual([400, "InvalidField"]);
    }
    const missing = await api("GET", "/buckets/no-such-bucket-here/retention");
    expect([missing.status, (missing.json.error as { code: string }).code]).toEqual([404, "NoSuchBucket"]);
    expect((await api("PUT", "/buckets/no-such-bucket-here/retention", { days: 1 })).status).toBe(404);
  });

  test("objects go N days after they were written, replaced versions N days after they were replaced", async () => {
    const t0 = now;
    const Bucket = await newBucket();
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await api("PUT", `/buckets/${Bucket}/retention`, { days: 2 });
    const old = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "old" }));
    now = t0 + DAY;
    const cur = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "new" }));
    const listed = async () => {
      const v = await s3.send(new ListObjectVersionsCommand({ Bucket }));
      return {
        versions: (v.Versions ?? []).map((x) => x.VersionId),
        markers: (v.DeleteMarkers ?? []).length,
      };
    };
    // old: noncurrent since day 1 12:00 → due day 4 00:00; cur: written day 1 12:00 → due day 4 00:00.
    const day0 = Math.floor(t0 / DAY) * DAY;
    now = day0 + 4 * DAY - 1;
    await server.lifecycle.runOnce();
    expect(await listed()).toEqual({ versions: [cur.VersionId, old.VersionId], markers: 0 });
    now = day0 + 4 * DAY;
    const report = await server.lifecycle.runOnce();
    expect([report.currentExpired, report.noncurrentExpired]).toEqual([1, 1]);
    expect(await listed()).toEqual({ versions: [cur.VersionId], markers: 1 });
  });
});

describe("parity admin buckets retention", () => {
  test("shows and sets the days", async () => {
    const Bucket = await newBucket();
    expect(await cli(["buckets", "retention", Bucket])).toEqual({
      code: 0,
      stdout: `bucket ${Bucket}: objects are kept forever\n`,
      stderr: "",
    });
    const set = await cli(["buckets", "retention", Bucket, "14"]);
    expect([set.code, set.stdout]).toEqual([
      0,
      `bucket ${Bucket}: objects are deleted 14 day(s) after written or replaced\n`,
    ]);
    expect(JSON.parse((await cli(["buckets", "retention", Bucket, "--json"])).stdout)).toEqual({
      bucket: Bucket,
      days: 14,
    });
    const bad = await cli(["buckets", "retention", Bucket, "soon"]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringContaining("DAYS must be a non-negative integer"),
    ]);
    const missing = await cli(["buckets", "retention", "no-such-bucket-here", "3"]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining("NoSuchBucket (404)")]);
  });
});
