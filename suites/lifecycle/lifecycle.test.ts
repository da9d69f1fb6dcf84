// Lifecycle configuration, black-box: Put/Get/DeleteBucketLifecycle(Configuration) round-trips (every
// filter form and action), AWS's refusals, the transition minimum size header, and x-amz-expiration on
// object responses. Expiry itself is not asserted: a suite cannot move the target's clock, and AWS runs
// lifecycle on its own schedule (once a day).

import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type LifecycleRule,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  type PutBucketLifecycleConfigurationCommandInput,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const DAY = 86_400_000;

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

suite("lifecycle", () => {
  const f = fx!;

  async function bucket(): Promise<string> {
    const Bucket = f.bucketName("lc");
    await ok(f.s3.send(new CreateBucketCommand({ Bucket })));
    return Bucket;
  }
  const put = (
    Bucket: string,
    Rules: LifecycleRule[],
    extra: Partial<PutBucketLifecycleConfigurationCommandInput> = {},
  ) =>
    f.s3.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules }, ...extra }),
    );
  const get = (Bucket: string) => f.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  const expireLogs: LifecycleRule = {
    ID: "expire-logs",
    Filter: { Prefix: "logs/" },
    Status: "Enabled",
    Expiration: { Days: 30 },
  };

  check("PutBucketLifecycleConfiguration", "put-bucket-lifecycle-configuration.roundtrip", async () => {
    const Bucket = await bucket();
    const out = await ok(put(Bucket, [expireLogs]));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await ok(get(Bucket))).Rules).toEqual([expireLogs]);
  });

  check("PutBucketLifecycleConfiguration", "put-bucket-lifecycle-configuration.filter-forms", async () => {
    const Bucket = await bucket();
    const rules: LifecycleRule[] = [
      { ID: "prefix", Filter: { Prefix: "a/" }, Status: "Enabled", Expiration: { Days: 1 } },
      {
        ID: "tag",
        Filter: { Tag: { Key: "class", Value: "tmp" } },
        Status: "Enabled",
        Expiration: { Days: 2 },
      },
      { ID: "larger", Filter: { ObjectSizeGreaterThan: 1024 }, Status: "Enabled", Expiration: { Days: 3 } },
      { ID: "smaller", Filter: { ObjectSizeLessThan: 2048 }, Status: "Disabled", Expiration: { Days: 4 } },
      {
        ID: "and",
        Filter: {
          And: {
            Prefix: "b/",
            Tags: [
              { Key: "k1", Value: "v1" },
              { Key: "k2", Value: "v2" },
            ],
            ObjectSizeGreaterThan: 10,
            ObjectSizeLessThan: 100_000,
          },
        },
        Status: "Enabled",
        Expiration: { Days: 5 },
      },
    ];
    await ok(put(Bucket, rules));
    expect((await ok(get(Bucket))).Rules).toEqual(rules);
  });

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.actions-roundtrip",
    async () => {
      const Bucket = await bucket();
      const rules: LifecycleRule[] = [
        {
          ID: "noncurrent",
          Filter: { Prefix: "v/" },
          Status: "Enabled",
          NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: "STANDARD_IA" }],
          NoncurrentVersionExpiration: { NoncurrentDays: 60, NewerNoncurrentVersions: 2 },
        },
        {
          ID: "markers-and-uploads",
          Filter: { Prefix: "" },
          Status: "Enabled",
          Expiration: { ExpiredObjectDeleteMarker: true },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
        {
          ID: "tiering",
          Filter: { Prefix: "archive/" },
          Status: "Enabled",
          Transitions: [
            { Days: 30, StorageClass: "STANDARD_IA" },
            { Days: 90, StorageClass: "GLACIER" },
          ],
          Expiration: { Days: 365 },
        },
        {
          ID: "by-date",
          Filter: { Prefix: "dated/" },
          Status: "Enabled",
          Expiration: { Date: new Date("2040-01-01T00:00:00.000Z") },
        },
      ];
      await ok(put(Bucket, rules));
      expect((await ok(get(Bucket))).Rules).toEqual(rules);
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.replaces-configuration",
    async () => {
      const Bucket = await bucket();
      await ok(put(Bucket, [expireLogs, { ...expireLogs, ID: "second", Filter: { Prefix: "tmp/" } }]));
      const only: LifecycleRule = {
        ID: "only",
        Filter: { Prefix: "x/" },
        Status: "Enabled",
        Expiration: { Days: 9 },
      };
      await ok(put(Bucket, [only]));
      expect((await ok(get(Bucket))).Rules).toEqual([only]);
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.invalid-rule-refused",
    async () => {
      const Bucket = await bucket();
      // Status outside Enabled/Disabled does not validate against the schema.
      const bad = { ...expireLogs, Status: "On" } as unknown as LifecycleRule;
      await expectS3Error(put(Bucket, [bad]), 400, "MalformedXML");
      await expectS3Error(get(Bucket), 404, "NoSuchLifecycleConfiguration");
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.duplicate-id-refused",
    async () => {
      const Bucket = await bucket();
      await expectS3Error(
        put(Bucket, [expireLogs, { ...expireLogs, Filter: { Prefix: "other/" } }]),
        400,
        "InvalidArgument",
      );
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.id-too-long-refused",
    async () => {
      const Bucket = await bucket();
      await expectS3Error(put(Bucket, [{ ...expireLogs, ID: "i".repeat(256) }]), 400, "InvalidArgument");
      // 255 characters is the limit, not past it.
      await ok(put(Bucket, [{ ...expireLogs, ID: "i".repeat(255) }]));
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.days-must-be-positive",
    async () => {
      const Bucket = await bucket();
      await expectS3Error(put(Bucket, [{ ...expireLogs, Expiration: { Days: 0 } }]), 400, "InvalidArgument");
      await expectS3Error(
        put(Bucket, [
          {
            ID: "nc",
            Filter: { Prefix: "" },
            Status: "Enabled",
            NoncurrentVersionExpiration: { NoncurrentDays: 0 },
          },
        ]),
        400,
        "InvalidArgument",
      );
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.abort-upload-with-tags-refused",
    async () => {
      const Bucket = await bucket();
      await expectS3Error(
        put(Bucket, [
          {
            ID: "abort",
            Filter: { Tag: { Key: "k", Value: "v" } },
            Status: "Enabled",
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ]),
        400,
        "InvalidRequest",
      );
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.transition-minimum-size-header",
    async () => {
      const Bucket = await bucket();
      const byDefault = await ok(put(Bucket, [expireLogs]));
      expect(byDefault.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
      expect((await ok(get(Bucket))).TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
      const varies = await ok(
        put(Bucket, [expireLogs], { TransitionDefaultMinimumObjectSize: "varies_by_storage_class" }),
      );
      expect(varies.TransitionDefaultMinimumObjectSize).toBe("varies_by_storage_class");
      expect((await ok(get(Bucket))).TransitionDefaultMinimumObjectSize).toBe("varies_by_storage_class");
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.expiration-header",
    async () => {
      const Bucket = await bucket();
      await ok(put(Bucket, [expireLogs]));
      const written = await ok(f.s3.send(new PutObjectCommand({ Bucket, Key: "logs/a", Body: "a" })));
      const head = await ok(f.s3.send(new HeadObjectCommand({ Bucket, Key: "logs/a" })));
      // 30 days after creation, rounded up to the next midnight UTC.
      const created = head.LastModified!.getTime();
      const at = new Date(Math.floor(created / DAY) * DAY + 31 * DAY).toUTCString();
      const expected = `expiry-date="${at}", rule-id="expire-logs"`;
      expect(head.Expiration).toBe(expected);
      expect(written.Expiration).toBe(expected);
      const got = await ok(f.s3.send(new GetObjectCommand({ Bucket, Key: "logs/a" })));
      await got.Body?.transformToString();
      expect(got.Expiration).toBe(expected);
      // An object no rule selects carries no header.
      const other = await ok(f.s3.send(new PutObjectCommand({ Bucket, Key: "data/b", Body: "b" })));
      expect(other.Expiration).toBeUndefined();
      expect(
        (await ok(f.s3.send(new HeadObjectCommand({ Bucket, Key: "data/b" })))).Expiration,
      ).toBeUndefined();
    },
  );

  check(
    "PutBucketLifecycleConfiguration",
    "put-bucket-lifecycle-configuration.abort-date-header",
    async () => {
      const Bucket = await bucket();
      await ok(
        put(Bucket, [
          {
            ID: "abort-tmp",
            Filter: { Prefix: "tmp/" },
            Status: "Enabled",
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
          },
        ]),
      );
      const created = await ok(f.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "tmp/upload" })));
      const listed = await ok(f.s3.send(new ListMultipartUploadsCommand({ Bucket })));
      const initiated = listed.Uploads?.find((u) => u.UploadId === created.UploadId)?.Initiated;
      expect(initiated).toBeInstanceOf(Date);
      // DaysAfterInitiation after initiation, rounded up to the next midnight UTC.
      const at = Math.floor(initiated!.getTime() / DAY) * DAY + 4 * DAY;
      expect([created.AbortDate?.getTime(), created.AbortRuleId]).toEqual([at, "abort-tmp"]);
      const parts = await ok(
        f.s3.send(new ListPartsCommand({ Bucket, Key: "tmp/upload", UploadId: created.UploadId })),
      );
      expect([parts.AbortDate?.getTime(), parts.AbortRuleId]).toEqual([at, "abort-tmp"]);
      // Outside the rule's prefix: no abort date.
      const other = await ok(f.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "keep/upload" })));
      expect([other.AbortDate, other.AbortRuleId]).toEqual([undefined, undefined]);
    },
  );

  check("GetBucketLifecycleConfiguration", "get-bucket-lifecycle-configuration.returns-rules", async () => {
    const Bucket = await bucket();
    const rules: LifecycleRule[] = [
      { ID: "first", Filter: { Prefix: "1/" }, Status: "Enabled", Expiration: { Days: 1 } },
      { ID: "second", Filter: { Prefix: "2/" }, Status: "Disabled", Expiration: { Days: 2 } },
      {
        ID: "third",
        Filter: { Prefix: "3/" },
        Status: "Enabled",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
    ];
    await ok(put(Bucket, rules));
    const got = await ok(get(Bucket));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.Rules).toEqual(rules);
  });

  check("GetBucketLifecycleConfiguration", "get-bucket-lifecycle-configuration.not-configured", async () => {
    const Bucket = await bucket();
    await expectS3Error(get(Bucket), 404, "NoSuchLifecycleConfiguration");
  });

  check("GetBucketLifecycleConfiguration", "get-bucket-lifecycle-configuration.generated-id", async () => {
    const Bucket = await bucket();
    await ok(put(Bucket, [{ Filter: { Prefix: "n/" }, Status: "Enabled", Expiration: { Days: 1 } }]));
    const [rule] = (await ok(get(Bucket))).Rules ?? [];
    expect(rule?.ID).toBeTypeOf("string");
    expect(rule.ID!.length).toBeGreaterThan(0);
    expect(rule.ID!.length).toBeLessThanOrEqual(255);
    expect(rule.Filter).toEqual({ Prefix: "n/" });
  });

  check("DeleteBucketLifecycle", "delete-bucket-lifecycle.removes", async () => {
    const Bucket = await bucket();
    await ok(put(Bucket, [expireLogs]));
    const out = await ok(f.s3.send(new DeleteBucketLifecycleCommand({ Bucket })));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(get(Bucket), 404, "NoSuchLifecycleConfiguration");
    // No expiration is announced any more.
    const after = await ok(f.s3.send(new PutObjectCommand({ Bucket, Key: "logs/a", Body: "a" })));
    expect(after.Expiration).toBeUndefined();
  });

  check("DeleteBucketLifecycle", "delete-bucket-lifecycle.idempotent", async () => {
    const Bucket = await bucket();
    const out = await ok(f.s3.send(new DeleteBucketLifecycleCommand({ Bucket })));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const again = await ok(f.s3.send(new DeleteBucketLifecycleCommand({ Bucket })));
    expect(again.$metadata.httpStatusCode).toBe(204);
  });
});
