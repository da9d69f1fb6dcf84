// Analytics, inventory, metrics and intelligent-tiering configurations through the HTTP path with
// @aws-sdk/client-s3: round-trips, ids in ?id=, Get/List on one route, paging by 100 with continuation
// tokens, NoSuchConfiguration, and each family's validation.

import {
  type AnalyticsConfiguration,
  CreateBucketCommand,
  DeleteBucketAnalyticsConfigurationCommand,
  DeleteBucketIntelligentTieringConfigurationCommand,
  DeleteBucketInventoryConfigurationCommand,
  DeleteBucketMetricsConfigurationCommand,
  GetBucketAnalyticsConfigurationCommand,
  GetBucketIntelligentTieringConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketMetricsConfigurationCommand,
  type IntelligentTieringConfiguration,
  type InventoryConfiguration,
  ListBucketAnalyticsConfigurationsCommand,
  ListBucketIntelligentTieringConfigurationsCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketMetricsConfigurationsCommand,
  type MetricsConfiguration,
  PutBucketAnalyticsConfigurationCommand,
  PutBucketIntelligentTieringConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketMetricsConfigurationCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";
import { codeOf, getRaw, putXml } from "./config-test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function newBucket(): Promise<string> {
  const b = bucketName("ids");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  return b;
}

async function expectError(p: Promise<unknown>, status: number, code: string) {
  const e = await errorOf(p);
  expect([e.$metadata.httpStatusCode, e.name]).toEqual([status, code]);
  return e;
}

const analytics = (Id: string, extra: Partial<AnalyticsConfiguration> = {}): AnalyticsConfiguration => ({
  Id,
  Filter: { And: { Prefix: "logs/", Tags: [{ Key: "team", Value: "a" }] } },
  StorageClassAnalysis: {
    DataExport: {
      OutputSchemaVersion: "V_1",
      Destination: {
        S3BucketDestination: { Format: "CSV", Bucket: "arn:aws:s3:::dest-bucket", Prefix: "out/" },
      },
    },
  },
  ...extra,
});

const inventory = (Id: string, extra: Partial<InventoryConfiguration> = {}): InventoryConfiguration => ({
  Id,
  IsEnabled: true,
  IncludedObjectVersions: "Current",
  Destination: {
    S3BucketDestination: {
      Bucket: "arn:aws:s3:::dest-bucket",
      Format: "Parquet",
      AccountId: "123456789012",
      Prefix: "inv",
      Encryption: { SSES3: {} },
    },
  },
  Schedule: { Frequency: "Weekly" },
  Filter: { Prefix: "data/" },
  OptionalFields: ["Size", "ETag", "StorageClass"],
  ...extra,
});

const metrics = (Id: string, extra: Partial<MetricsConfiguration> = {}): MetricsConfiguration => ({
  Id,
  Filter: { Tag: { Key: "k", Value: "v" } },
  ...extra,
});

const tiering = (
  Id: string,
  extra: Partial<IntelligentTieringConfiguration> = {},
): IntelligentTieringConfiguration => ({
  Id,
  Status: "Enabled",
  Filter: { Prefix: "cold/" },
  Tierings: [
    { AccessTier: "ARCHIVE_ACCESS", Days: 90 },
    { AccessTier: "DEEP_ARCHIVE_ACCESS", Days: 180 },
  ],
  ...extra,
});

describe("analytics", () => {
  test("round-trip, overwrite, list, delete, NoSuchConfiguration", async () => {
    const b = await newBucket();
    const empty = await t.s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: b }));
    expect([empty.IsTruncated, empty.AnalyticsConfigurationList]).toEqual([false, undefined]);
    await t.s3.send(
      new PutBucketAnalyticsConfigurationCommand({
        Bucket: b,
        Id: "a1",
        AnalyticsConfiguration: analytics("a1"),
      }),
    );
    const got = await t.s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: b, Id: "a1" }));
    expect(got.AnalyticsConfiguration).toEqual(analytics("a1"));
    const bare = analytics("a1", { Filter: undefined, StorageClassAnalysis: {} });
    await t.s3.send(
      new PutBucketAnalyticsConfigurationCommand({ Bucket: b, Id: "a1", AnalyticsConfiguration: bare }),
    );
    expect(
      (await t.s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: b, Id: "a1" })))
        .AnalyticsConfiguration,
    ).toEqual({
      Id: "a1",
      StorageClassAnalysis: {},
    });
    await t.s3.send(
      new PutBucketAnalyticsConfigurationCommand({
        Bucket: b,
        Id: "a0",
        AnalyticsConfiguration: analytics("a0"),
      }),
    );
    const list = await t.s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: b }));
    expect(list.AnalyticsConfigurationList?.map((c) => c.Id)).toEqual(["a0", "a1"]);
    const del = await t.s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket: b, Id: "a0" }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectError(
      t.s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: b, Id: "a0" })),
      404,
      "NoSuchConfiguration",
    );
    await expectError(
      t.s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket: b, Id: "a0" })),
      404,
      "NoSuchConfiguration",
    );
  });

  test("id rules, mismatch, destination ARN, filter union, tags", async () => {
    const b = await newBucket();
    const put = (Id: string, c: AnalyticsConfiguration) =>
      t.s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket: b, Id, AnalyticsConfiguration: c }));
    const e = await expectError(put("one", analytics("two")), 400, "InvalidArgument");
    expect(e.message).toMatch(/does not match/);
    await expectError(put("bad id!", analytics("bad id!")), 400, "InvalidArgument");
    await expectError(put("x".repeat(65), analytics("x".repeat(65))), 400, "InvalidArgument");
    const badArn = analytics("d", {
      StorageClassAnalysis: {
        DataExport: {
          OutputSchemaVersion: "V_1",
          Destination: { S3BucketDestination: { Format: "CSV", Bucket: "dest-bucket" } },
        },
      },
    });
    await expectError(put("d", badArn), 400, "InvalidArgument");
    await expectError(
      put("f", analytics("f", { Filter: { Prefix: "a", Tag: { Key: "k", Value: "v" } } as never })),
      400,
      "MalformedXML",
    );
    await expectError(
      put("g", analytics("g", { Filter: { Tag: { Key: "aws:x", Value: "v" } } })),
      400,
      "InvalidTag",
    );
    const noId = await putXml(
      t.server,
      b,
      "analytics",
      "<AnalyticsConfiguration><Id>n</Id><StorageClassAnalysis/></AnalyticsConfiguration>",
    );
    expect([noId.status, codeOf(noId)]).toEqual([400, "InvalidArgument"]);
    const noAnalysis = await putXml(
      t.server,
      b,
      "analytics",
      "<AnalyticsConfiguration><Id>n</Id></AnalyticsConfiguration>",
      { query: { id: "n" } },
    );
    expect([noAnalysis.status, codeOf(noAnalysis)]).toEqual([400, "MalformedXML"]);
    expect(
      (await t.s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: b })))
        .AnalyticsConfigurationList,
    ).toBeUndefined();
  });
});

describe("inventory", () => {
  test("round-trip and validation", async () => {
    const b = await newBucket();
    const put = (Id: string, c: InventoryConfiguration) =>
      t.s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: b, Id, InventoryConfiguration: c }));
    await put("inv-1", inventory("inv-1"));
    expect(
      (await t.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: b, Id: "inv-1" })))
        .InventoryConfiguration,
    ).toEqual(inventory("inv-1"));
    const kms = inventory("inv-2", {
      IsEnabled: false,
      Destination: {
        S3BucketDestination: {
          Bucket: "arn:aws:s3:::dest-2",
          Format: "CSV",
          Encryption: { SSEKMS: { KeyId: "arn:aws:kms:us-east-1:123456789012:key/k" } },
        },
      },
    });
    await put("inv-2", kms);
    const list = await t.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: b }));
    expect(list.InventoryConfigurationList).toEqual([inventory("inv-1"), kms]);
    await expectError(
      put("x", inventory("x", { IncludedObjectVersions: "Some" as "All" })),
      400,
      "MalformedXML",
    );
    await expectError(
      put("x", inventory("x", { OptionalFields: ["Colour" as "Size"] })),
      400,
      "MalformedXML",
    );
    await expectError(put("x", inventory("x", { OptionalFields: ["Size", "Size"] })), 400, "InvalidArgument");
    await expectError(
      put("x", inventory("x", { Schedule: { Frequency: "Hourly" as "Daily" } })),
      400,
      "MalformedXML",
    );
    await expectError(put("x", inventory("y")), 400, "InvalidArgument");
    const missing = await putXml(
      t.server,
      b,
      "inventory",
      "<InventoryConfiguration><Id>z</Id></InventoryConfiguration>",
      { query: { id: "z" } },
    );
    expect([missing.status, codeOf(missing)]).toEqual([400, "MalformedXML"]);
    await t.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: b, Id: "inv-1" }));
    await expectError(
      t.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: b, Id: "inv-1" })),
      404,
      "NoSuchConfiguration",
    );
  });
});

describe("metrics", () => {
  test("round-trip, every filter form, paging by 100 with continuation tokens", async () => {
    const b = await newBucket();
    const put = (Id: string, c: MetricsConfiguration) =>
      t.s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: b, Id, MetricsConfiguration: c }));
    const forms: MetricsConfiguration[] = [
      { Id: "m-all" },
      metrics("m-tag"),
      { Id: "m-prefix", Filter: { Prefix: "p/" } },
      { Id: "m-ap", Filter: { AccessPointArn: "arn:aws:s3:us-east-1:123456789012:accesspoint/ap" } },
      {
        Id: "m-and",
        Filter: {
          And: {
            Prefix: "p/",
            Tags: [
              { Key: "a", Value: "1" },
              { Key: "b", Value: "2" },
            ],
          },
        },
      },
    ];
    for (const c of forms) {
      await put(c.Id!, c);
      expect(
        (await t.s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: b, Id: c.Id })))
          .MetricsConfiguration,
      ).toEqual(c);
    }
    for (let i = 0; i < 100; i++)
      await put(`n-${String(i).padStart(3, "0")}`, { Id: `n-${String(i).padStart(3, "0")}` });
    const first = await t.s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: b }));
    expect([first.IsTruncated, first.MetricsConfigurationList?.length]).toEqual([true, 100]);
    expect(first.ContinuationToken).toBeUndefined();
    const second = await t.s3.send(
      new ListBucketMetricsConfigurationsCommand({
        Bucket: b,
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect([second.IsTruncated, second.NextContinuationToken, second.ContinuationToken]).toEqual([
      false,
      undefined,
      first.NextContinuationToken,
    ]);
    const ids = [...first.MetricsConfigurationList!, ...second.MetricsConfigurationList!].map((c) => c.Id);
    expect(ids).toEqual(
      [
        ...forms.map((c) => c.Id!),
        ...Array.from({ length: 100 }, (_, i) => `n-${String(i).padStart(3, "0")}`),
      ].sort(),
    );
    await expectError(
      t.s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: b, ContinuationToken: "not a token" })),
      400,
      "InvalidArgument",
    );
    const del = await t.s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: b, Id: "m-all" }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectError(
      t.s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: b, Id: "m-all" })),
      404,
      "NoSuchConfiguration",
    );
    // One route serves Get and List: the id decides, whatever x-id says.
    const raw = await getRaw(t.server, b, "metrics", { id: "m-tag" });
    expect(raw.body).toContain("<MetricsConfiguration xmlns=");
    expect(raw.body).toContain("<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>");
    const rawList = await getRaw(t.server, b, "metrics");
    expect(rawList.body).toContain("<ListMetricsConfigurationsResult xmlns=");
  });

  test("filter with two forms, duplicate And tags and an unknown bucket are refused", async () => {
    const b = await newBucket();
    const put = (c: MetricsConfiguration, Bucket = b) =>
      t.s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: c.Id, MetricsConfiguration: c }));
    await expectError(
      put({ Id: "m", Filter: { Prefix: "a", AccessPointArn: "arn:x" } as never }),
      400,
      "MalformedXML",
    );
    await expectError(
      put({
        Id: "m",
        Filter: {
          And: {
            Tags: [
              { Key: "a", Value: "1" },
              { Key: "a", Value: "2" },
            ],
          },
        },
      }),
      400,
      "InvalidTag",
    );
    await expectError(put({ Id: "m" }, bucketName("none")), 404, "NoSuchBucket");
  });
});

describe("intelligent-tiering", () => {
  test("round-trip, list, delete and the tier rules", async () => {
    const b = await newBucket();
    const put = (c: IntelligentTieringConfiguration) =>
      t.s3.send(
        new PutBucketIntelligentTieringConfigurationCommand({
          Bucket: b,
          Id: c.Id,
          IntelligentTieringConfiguration: c,
        }),
      );
    await put(tiering("it"));
    const got = await t.s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: "it" }));
    expect(got.IntelligentTieringConfiguration).toEqual(tiering("it"));
    const list = await t.s3.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: b }));
    expect(list.IntelligentTieringConfigurationList).toEqual([tiering("it")]);
    const bad: [Partial<IntelligentTieringConfiguration>, string][] = [
      [{ Tierings: [{ AccessTier: "ARCHIVE_ACCESS", Days: 30 }] }, "InvalidArgument"],
      [{ Tierings: [{ AccessTier: "DEEP_ARCHIVE_ACCESS", Days: 731 }] }, "InvalidArgument"],
      [
        {
          Tierings: [
            { AccessTier: "ARCHIVE_ACCESS", Days: 100 },
            { AccessTier: "ARCHIVE_ACCESS", Days: 120 },
          ],
        },
        "InvalidArgument",
      ],
      [
        {
          Tierings: [
            { AccessTier: "ARCHIVE_ACCESS", Days: 200 },
            { AccessTier: "DEEP_ARCHIVE_ACCESS", Days: 180 },
          ],
        },
        "InvalidArgument",
      ],
      [{ Tierings: [] }, "MalformedXML"],
      [{ Status: "On" as "Enabled" }, "MalformedXML"],
    ];
    for (const [extra, code] of bad) await expectError(put(tiering("bad", extra)), 400, code);
    await t.s3.send(new DeleteBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: "it" }));
    await expectError(
      t.s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: "it" })),
      404,
      "NoSuchConfiguration",
    );
    const empty = await t.s3.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: b }));
    expect([empty.IsTruncated, empty.IntelligentTieringConfigurationList]).toEqual([false, undefined]);
  });
});
