// Object lock: buckets created with lock, the lock configuration and its default retention, per-version
// retention (GOVERNANCE with its bypass, COMPLIANCE) and legal hold, the x-amz-object-lock-* headers of
// writes and reads, and every delete path refused for a locked version — asserted against AWS's answers.
//
// COMPLIANCE versions cannot be removed by anyone until their date: those checks lock for two minutes
// only, so a bucket on a real service can be emptied shortly after the run. Legal holds are lifted at the
// end of each check for the same reason; GOVERNANCE versions go with the fixture's bypassing cleanup.

import {
  CreateBucketCommand,
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
  type PutObjectCommandInput,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const MINUTE = 60_000;
const DAY = 86_400_000;
// The target's clock and ours may differ a little: dates it derives from "now" are compared within this.
const CLOCK_SLACK = 5 * MINUTE;

/** Awaits a request AWS answers with success; an S3 error instead fails the check as a wrong answer. */
async function ok<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === undefined) throw error;
    return expect.fail(`expected success, got HTTP ${status} ${e.name ?? ""}`.trim());
  }
}

/** A whole second in the future: S3 keeps retention dates to the second at least. */
const inFuture = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

suite("object-lock", () => {
  const f = fx!;

  async function lockedBucket(): Promise<string> {
    const Bucket = f.bucketName("lock");
    await ok(f.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true })));
    return Bucket;
  }
  async function plainBucket(versioned: boolean): Promise<string> {
    const Bucket = f.bucketName("nolock");
    await ok(f.s3.send(new CreateBucketCommand({ Bucket })));
    if (versioned) {
      await ok(
        f.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } })),
      );
    }
    return Bucket;
  }
  /** PutObject with a checksum, as AWS requires for locked writes (the suite's client sends none by default). */
  const sendPut = (Bucket: string, Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
    f.s3.send(
      new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ChecksumAlgorithm: "CRC32", ...extra }),
    );
  const put = (Bucket: string, Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
    ok(sendPut(Bucket, Key, extra));
  const retain = (
    Bucket: string,
    Key: string,
    VersionId: string,
    Mode: "GOVERNANCE" | "COMPLIANCE",
    RetainUntilDate: Date,
    bypass = false,
  ) =>
    f.s3.send(
      new PutObjectRetentionCommand({
        Bucket,
        Key,
        VersionId,
        Retention: { Mode, RetainUntilDate },
        ...(bypass ? { BypassGovernanceRetention: true } : {}),
      }),
    );
  const hold = (Bucket: string, Key: string, VersionId: string, Status: "ON" | "OFF") =>
    f.s3.send(new PutObjectLegalHoldCommand({ Bucket, Key, VersionId, LegalHold: { Status } }));
  const deleteVersion = (Bucket: string, Key: string, VersionId: string, bypass = false) =>
    f.s3.send(
      new DeleteObjectCommand({
        Bucket,
        Key,
        VersionId,
        ...(bypass ? { BypassGovernanceRetention: true } : {}),
      }),
    );
  const versionIds = async (Bucket: string) =>
    ((await ok(f.s3.send(new ListObjectVersionsCommand({ Bucket })))).Versions ?? []).map((v) => v.VersionId);

  // ── PutObjectLockConfiguration ────────────────────────────────────────────────────────────────────
  check("PutObjectLockConfiguration", "put-object-lock-configuration.bucket-created-with-lock", async () => {
    const Bucket = await lockedBucket();
    expect((await ok(f.s3.send(new GetBucketVersioningCommand({ Bucket })))).Status).toBe("Enabled");
    const cfg = await ok(f.s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
    expect(cfg.ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
    await expectS3Error(
      f.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } })),
      409,
      "InvalidBucketState",
    );
  });

  check("PutObjectLockConfiguration", "put-object-lock-configuration.default-retention-applied", async () => {
    const Bucket = await lockedBucket();
    const out = await ok(
      f.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: {
            ObjectLockEnabled: "Enabled",
            Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } },
          },
        }),
      ),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    const before = Date.now();
    const v = await put(Bucket, "k");
    const after = Date.now();
    const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: v.VersionId })));
    expect(head.ObjectLockMode).toBe("GOVERNANCE");
    const until = head.ObjectLockRetainUntilDate?.getTime() ?? 0;
    expect(until).toBeGreaterThanOrEqual(before + DAY - CLOCK_SLACK);
    expect(until).toBeLessThanOrEqual(after + DAY + CLOCK_SLACK);
    const ret = await ok(
      f.s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v.VersionId })),
    );
    expect(ret.Retention?.Mode).toBe("GOVERNANCE");
    expect(ret.Retention?.RetainUntilDate?.getTime()).toBe(until);
    await expectS3Error(deleteVersion(Bucket, "k", v.VersionId!), 403, "AccessDenied");
  });

  check("PutObjectLockConfiguration", "put-object-lock-configuration.unlocked-bucket-refused", async () => {
    // An unversioned bucket cannot take a lock configuration (AWS: InvalidBucketState).
    const Bucket = await plainBucket(false);
    await expectS3Error(
      f.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: {
            ObjectLockEnabled: "Enabled",
            Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } },
          },
        }),
      ),
      409,
      "InvalidBucketState",
    );
    await expectS3Error(
      f.s3.send(new GetObjectLockConfigurationCommand({ Bucket })),
      404,
      "ObjectLockConfigurationNotFoundError",
    );
  });

  check("PutObjectLockConfiguration", "put-object-lock-configuration.invalid-refused", async () => {
    const Bucket = await lockedBucket();
    const send = (DefaultRetention: Record<string, unknown>, ObjectLockEnabled = "Enabled") =>
      f.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: {
            ObjectLockEnabled: ObjectLockEnabled as "Enabled",
            Rule: { DefaultRetention },
          },
        }),
      );
    await expectS3Error(send({ Mode: "GOVERNANCE", Days: 1, Years: 1 }), 400, "MalformedXML");
    await expectS3Error(send({ Mode: "governance", Days: 1 }), 400, "MalformedXML");
    await expectS3Error(send({ Mode: "GOVERNANCE", Days: 1 }, "Disabled"), 400, "MalformedXML");
    await expectS3Error(send({ Mode: "COMPLIANCE", Days: 0 }), 400);
    // Nothing refused took effect.
    const cfg = await ok(f.s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
    expect(cfg.ObjectLockConfiguration?.Rule).toBeUndefined();
  });

  check(
    "PutObjectLockConfiguration",
    "put-object-lock-configuration.overwrite-keeps-locked-version",
    async () => {
      const Bucket = await lockedBucket();
      const v1 = await put(Bucket, "k", {
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: inFuture(DAY),
      });
      const v2 = await put(Bucket, "k", { Body: "second" });
      expect(v2.VersionId).not.toBe(v1.VersionId);
      const old = await ok(f.s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v1.VersionId })));
      expect([(await bodyBytes(old.Body)).toString(), old.ObjectLockMode]).toEqual([
        "body of k",
        "GOVERNANCE",
      ]);
      // A delete without a version id is a delete marker: allowed, and the locked version stays.
      const marker = await ok(f.s3.send(new DeleteObjectCommand({ Bucket, Key: "k" })));
      expect(marker.DeleteMarker).toBe(true);
      expect(await versionIds(Bucket)).toContain(v1.VersionId);
    },
  );

  // ── GetObjectLockConfiguration ────────────────────────────────────────────────────────────────────
  check("GetObjectLockConfiguration", "get-object-lock-configuration.returns-config", async () => {
    const Bucket = await lockedBucket();
    await ok(
      f.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: {
            ObjectLockEnabled: "Enabled",
            Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 1 } },
          },
        }),
      ),
    );
    const cfg = await ok(f.s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
    expect(cfg.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 1 } },
    });
    // Without Rule, the default retention is gone.
    await ok(
      f.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" },
        }),
      ),
    );
    const after = await ok(f.s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
    expect(after.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
  });

  check("GetObjectLockConfiguration", "get-object-lock-configuration.not-configured", async () => {
    const Bucket = await plainBucket(true);
    await expectS3Error(
      f.s3.send(new GetObjectLockConfigurationCommand({ Bucket })),
      404,
      "ObjectLockConfigurationNotFoundError",
    );
  });

  // ── PutObjectRetention ────────────────────────────────────────────────────────────────────────────
  check("PutObjectRetention", "put-object-retention.governance-blocks-delete", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    const out = await ok(retain(Bucket, "k", v, "GOVERNANCE", inFuture(DAY)));
    expect(out.$metadata.httpStatusCode).toBe(200);
    await expectS3Error(deleteVersion(Bucket, "k", v), 403, "AccessDenied");
    // Shortening needs the bypass too; extending does not.
    await expectS3Error(retain(Bucket, "k", v, "GOVERNANCE", inFuture(DAY / 2)), 403, "AccessDenied");
    await ok(retain(Bucket, "k", v, "GOVERNANCE", inFuture(2 * DAY)));
    expect(await versionIds(Bucket)).toEqual([v]);
  });

  check("PutObjectRetention", "put-object-retention.governance-bypass", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await ok(retain(Bucket, "k", v, "GOVERNANCE", inFuture(2 * DAY)));
    await ok(retain(Bucket, "k", v, "GOVERNANCE", inFuture(DAY), true));
    const del = await ok(deleteVersion(Bucket, "k", v, true));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await versionIds(Bucket)).toEqual([]);
  });

  check("PutObjectRetention", "put-object-retention.compliance-blocks-delete", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await ok(retain(Bucket, "k", v, "COMPLIANCE", inFuture(2 * MINUTE)));
    // Nobody removes a COMPLIANCE version, bypass or not.
    await expectS3Error(deleteVersion(Bucket, "k", v), 403, "AccessDenied");
    await expectS3Error(deleteVersion(Bucket, "k", v, true), 403, "AccessDenied");
    expect(await versionIds(Bucket)).toEqual([v]);
  });

  check("PutObjectRetention", "put-object-retention.compliance-cannot-shorten", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    const until = inFuture(2 * MINUTE);
    await ok(retain(Bucket, "k", v, "COMPLIANCE", until));
    await expectS3Error(retain(Bucket, "k", v, "COMPLIANCE", inFuture(MINUTE), true), 403, "AccessDenied");
    await expectS3Error(retain(Bucket, "k", v, "GOVERNANCE", inFuture(DAY), true), 403, "AccessDenied");
    const got = await ok(f.s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v })));
    expect(got.Retention).toEqual({ Mode: "COMPLIANCE", RetainUntilDate: until });
    // Extending is allowed.
    const later = new Date(until.getTime() + MINUTE);
    await ok(retain(Bucket, "k", v, "COMPLIANCE", later));
    const extended = await ok(f.s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v })));
    expect(extended.Retention?.RetainUntilDate).toEqual(later);
  });

  check("PutObjectRetention", "put-object-retention.unlocked-bucket-refused", async () => {
    const Bucket = await plainBucket(true);
    const v = (await put(Bucket, "k")).VersionId!;
    await expectS3Error(retain(Bucket, "k", v, "GOVERNANCE", inFuture(DAY)), 400, "InvalidRequest");
    await expectS3Error(
      sendPut(Bucket, "k2", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inFuture(DAY) }),
      400,
      "InvalidRequest",
    );
  });

  check("PutObjectRetention", "put-object-retention.past-date-refused", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await expectS3Error(
      retain(Bucket, "k", v, "GOVERNANCE", new Date(Date.now() - DAY)),
      400,
      "InvalidArgument",
    );
    await expectS3Error(
      sendPut(Bucket, "k", {
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: new Date(Date.now() - DAY),
      }),
      400,
      "InvalidArgument",
    );
  });

  check("PutObjectRetention", "put-object-retention.put-object-headers", async () => {
    const Bucket = await lockedBucket();
    const until = inFuture(DAY);
    const v = await put(Bucket, "k", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: until });
    const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: v.VersionId })));
    expect([head.ObjectLockMode, head.ObjectLockRetainUntilDate]).toEqual(["GOVERNANCE", until]);
    const get = await ok(f.s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v.VersionId })));
    await bodyBytes(get.Body);
    expect([get.ObjectLockMode, get.ObjectLockRetainUntilDate]).toEqual(["GOVERNANCE", until]);
    // A mode without a date (or the reverse) is refused.
    await expectS3Error(sendPut(Bucket, "k", { ObjectLockMode: "GOVERNANCE" }), 400, "InvalidArgument");
    await expectS3Error(sendPut(Bucket, "k", { ObjectLockRetainUntilDate: until }), 400, "InvalidArgument");
  });

  check("PutObjectRetention", "put-object-retention.locked-put-needs-integrity-header", async () => {
    const Bucket = await lockedBucket();
    // No ChecksumAlgorithm and no ContentMD5: the suite's client then sends no integrity header.
    const bare = f.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: "k",
        Body: "x",
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: inFuture(DAY),
      }),
    );
    await expectS3Error(bare, 400, "InvalidRequest");
    expect(await versionIds(Bucket)).toEqual([]);
  });

  check("PutObjectRetention", "put-object-retention.delete-objects-per-key", async () => {
    const Bucket = await lockedBucket();
    const locked = (
      await put(Bucket, "locked", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inFuture(DAY) })
    ).VersionId!;
    const free = (await put(Bucket, "free")).VersionId!;
    const out = await ok(
      f.s3.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: {
            Objects: [
              { Key: "locked", VersionId: locked },
              { Key: "free", VersionId: free },
            ],
          },
        }),
      ),
    );
    expect(out.Deleted?.map((d) => [d.Key, d.VersionId])).toEqual([["free", free]]);
    expect(out.Errors?.map((e) => [e.Key, e.VersionId, e.Code])).toEqual([
      ["locked", locked, "AccessDenied"],
    ]);
    const bypassed = await ok(
      f.s3.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: [{ Key: "locked", VersionId: locked }] },
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect([bypassed.Deleted?.map((d) => d.Key), bypassed.Errors ?? []]).toEqual([["locked"], []]);
  });

  // ── GetObjectRetention ────────────────────────────────────────────────────────────────────────────
  check("GetObjectRetention", "get-object-retention.returns-mode-and-date", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    const until = inFuture(3 * DAY);
    await ok(retain(Bucket, "k", v, "GOVERNANCE", until));
    const got = await ok(f.s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v })));
    expect(got.Retention).toEqual({ Mode: "GOVERNANCE", RetainUntilDate: until });
    // Without a version id: the latest version's.
    const latest = await ok(f.s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k" })));
    expect(latest.Retention).toEqual({ Mode: "GOVERNANCE", RetainUntilDate: until });
  });

  check("GetObjectRetention", "get-object-retention.none-set", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await expectS3Error(
      f.s3.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v })),
      404,
      "NoSuchObjectLockConfiguration",
    );
  });

  // ── PutObjectLegalHold / GetObjectLegalHold ───────────────────────────────────────────────────────
  check("PutObjectLegalHold", "put-object-legal-hold.on-blocks-delete", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    const out = await ok(hold(Bucket, "k", v, "ON"));
    expect(out.$metadata.httpStatusCode).toBe(200);
    try {
      await expectS3Error(deleteVersion(Bucket, "k", v), 403, "AccessDenied");
      await expectS3Error(deleteVersion(Bucket, "k", v, true), 403, "AccessDenied");
      expect(await versionIds(Bucket)).toEqual([v]);
    } finally {
      await hold(Bucket, "k", v, "OFF").catch(() => undefined);
    }
  });

  check("PutObjectLegalHold", "put-object-legal-hold.off-allows-delete", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await ok(hold(Bucket, "k", v, "ON"));
    await ok(hold(Bucket, "k", v, "OFF"));
    const del = await ok(deleteVersion(Bucket, "k", v));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await versionIds(Bucket)).toEqual([]);
  });

  check("PutObjectLegalHold", "put-object-legal-hold.put-object-header", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k", { ObjectLockLegalHoldStatus: "ON" })).VersionId!;
    try {
      const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: v })));
      expect(head.ObjectLockLegalHoldStatus).toBe("ON");
      const got = await ok(f.s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v })));
      expect(got.LegalHold).toEqual({ Status: "ON" });
      await expectS3Error(deleteVersion(Bucket, "k", v, true), 403, "AccessDenied");
    } finally {
      await hold(Bucket, "k", v, "OFF").catch(() => undefined);
    }
  });

  check("GetObjectLegalHold", "get-object-legal-hold.returns-status", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await ok(hold(Bucket, "k", v, "ON"));
    try {
      const on = await ok(f.s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v })));
      expect(on.LegalHold).toEqual({ Status: "ON" });
    } finally {
      await ok(hold(Bucket, "k", v, "OFF"));
    }
    const off = await ok(f.s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v })));
    expect(off.LegalHold).toEqual({ Status: "OFF" });
  });

  check("GetObjectLegalHold", "get-object-legal-hold.none-set", async () => {
    const Bucket = await lockedBucket();
    const v = (await put(Bucket, "k")).VersionId!;
    await expectS3Error(
      f.s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k", VersionId: v })),
      404,
      "NoSuchObjectLockConfiguration",
    );
  });
});
