// The id-keyed bucket configurations (analytics, inventory, metrics, intelligent-tiering): each family is
// put, read, listed and deleted by id, as AWS S3 answers it. One table-driven body serves the four
// families; each family gives its commands, a valid configuration and one it must refuse.

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
  type S3Client,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import type { CheckIdOf, OperationName } from "../catalog/catalog.ts";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

type Config = { Id?: string };
interface Page {
  configs: Config[];
  truncated: boolean | undefined;
  next: string | undefined;
}

interface Family<
  P extends OperationName,
  G extends OperationName,
  L extends OperationName,
  D extends OperationName,
> {
  name: string;
  ops: { put: P; get: G; list: L; del: D };
  ids: {
    roundtrip: CheckIdOf<P>;
    refused: CheckIdOf<P>;
    returns: CheckIdOf<G>;
    getMissing: CheckIdOf<G>;
    listsAll: CheckIdOf<L>;
    empty: CheckIdOf<L>;
    removes: CheckIdOf<D>;
    delMissing: CheckIdOf<D>;
  };
  /** A valid configuration with this id. */
  sample(id: string, dest: string): Config;
  /** A request the target must refuse, and the error it answers (AWS's). */
  refused(s3: S3Client, bucket: string, dest: string): [Promise<unknown>, number, string];
  put(s3: S3Client, bucket: string, id: string, config: Config): Promise<unknown>;
  get(s3: S3Client, bucket: string, id: string): Promise<Config | undefined>;
  list(s3: S3Client, bucket: string, token?: string): Promise<Page>;
  del(s3: S3Client, bucket: string, id: string): Promise<{ $metadata: { httpStatusCode?: number } }>;
}

function familySuite<
  P extends OperationName,
  G extends OperationName,
  L extends OperationName,
  D extends OperationName,
>(fam: Family<P, G, L, D>): void {
  suite(`${fam.name} configurations`, () => {
    const f = fx!;
    let bucket = "";
    let dest = "";
    beforeAll(async () => {
      bucket = f.bucketName(fam.name.slice(0, 6));
      dest = f.bucketName("dest");
      for (const Bucket of [bucket, dest]) await f.s3.send(new CreateBucketCommand({ Bucket }));
    });
    const newBucket = async () => {
      const Bucket = f.bucketName(fam.name.slice(0, 6));
      await f.s3.send(new CreateBucketCommand({ Bucket }));
      return Bucket;
    };

    check(fam.ops.put, fam.ids.roundtrip, async () => {
      const config = fam.sample("round-trip.1", dest);
      await fam.put(f.s3, bucket, "round-trip.1", config);
      expect(await fam.get(f.s3, bucket, "round-trip.1")).toEqual(config);
    });

    check(fam.ops.put, fam.ids.refused, async () => {
      const [request, status, code] = fam.refused(f.s3, bucket, dest);
      await expectS3Error(request, status, code);
    });

    check(fam.ops.get, fam.ids.returns, async () => {
      const b = await newBucket();
      await fam.put(f.s3, b, "a", fam.sample("a", dest));
      await fam.put(f.s3, b, "b_2", fam.sample("b_2", dest));
      expect(await fam.get(f.s3, b, "b_2")).toEqual(fam.sample("b_2", dest));
    });

    check(fam.ops.get, fam.ids.getMissing, async () => {
      await expectS3Error(fam.get(f.s3, bucket, "never-put"), 404, "NoSuchConfiguration");
    });

    check(fam.ops.list, fam.ids.listsAll, async () => {
      const b = await newBucket();
      for (const id of ["c", "a", "b"]) await fam.put(f.s3, b, id, fam.sample(id, dest));
      const page = await fam.list(f.s3, b);
      expect(page.truncated).toBe(false);
      expect(page.configs).toEqual(["a", "b", "c"].map((id) => fam.sample(id, dest)));
    });

    check(fam.ops.list, fam.ids.empty, async () => {
      const page = await fam.list(f.s3, await newBucket());
      expect([page.truncated, page.configs]).toEqual([false, []]);
    });

    check(fam.ops.del, fam.ids.removes, async () => {
      const b = await newBucket();
      await fam.put(f.s3, b, "gone", fam.sample("gone", dest));
      await fam.put(f.s3, b, "kept", fam.sample("kept", dest));
      expect((await fam.del(f.s3, b, "gone")).$metadata.httpStatusCode).toBe(204);
      await expectS3Error(fam.get(f.s3, b, "gone"), 404, "NoSuchConfiguration");
      expect((await fam.list(f.s3, b)).configs.map((c) => c.Id)).toEqual(["kept"]);
    });

    check(fam.ops.del, fam.ids.delMissing, async () => {
      await expectS3Error(fam.del(f.s3, bucket, "never-put"), 404, "NoSuchConfiguration");
    });
  });
}

const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;

familySuite({
  name: "analytics",
  ops: {
    put: "PutBucketAnalyticsConfiguration",
    get: "GetBucketAnalyticsConfiguration",
    list: "ListBucketAnalyticsConfigurations",
    del: "DeleteBucketAnalyticsConfiguration",
  },
  ids: {
    roundtrip: "put-bucket-analytics-configuration.roundtrip",
    refused: "put-bucket-analytics-configuration.id-mismatch-refused",
    returns: "get-bucket-analytics-configuration.returns-config",
    getMissing: "get-bucket-analytics-configuration.no-such-configuration",
    listsAll: "list-bucket-analytics-configurations.lists-all",
    empty: "list-bucket-analytics-configurations.empty",
    removes: "delete-bucket-analytics-configuration.removes",
    delMissing: "delete-bucket-analytics-configuration.no-such-configuration",
  },
  sample: (Id, dest): AnalyticsConfiguration => ({
    Id,
    Filter: { And: { Prefix: "logs/", Tags: [{ Key: "team", Value: "storage" }] } },
    StorageClassAnalysis: {
      DataExport: {
        OutputSchemaVersion: "V_1",
        Destination: { S3BucketDestination: { Format: "CSV", Bucket: arn(dest), Prefix: "analysis/" } },
      },
    },
  }),
  refused(s3, Bucket, dest) {
    const config = this.sample("in-body", dest) as AnalyticsConfiguration;
    const request = s3.send(
      new PutBucketAnalyticsConfigurationCommand({ Bucket, Id: "in-query", AnalyticsConfiguration: config }),
    );
    return [request, 400, "InvalidArgument"];
  },
  put: (s3, Bucket, Id, c) =>
    s3.send(
      new PutBucketAnalyticsConfigurationCommand({
        Bucket,
        Id,
        AnalyticsConfiguration: c as AnalyticsConfiguration,
      }),
    ),
  get: async (s3, Bucket, Id) =>
    (await s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id }))).AnalyticsConfiguration,
  list: async (s3, Bucket, ContinuationToken) => {
    const out = await s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket, ContinuationToken }));
    return {
      configs: out.AnalyticsConfigurationList ?? [],
      truncated: out.IsTruncated,
      next: out.NextContinuationToken,
    };
  },
  del: (s3, Bucket, Id) => s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket, Id })),
});

familySuite({
  name: "inventory",
  ops: {
    put: "PutBucketInventoryConfiguration",
    get: "GetBucketInventoryConfiguration",
    list: "ListBucketInventoryConfigurations",
    del: "DeleteBucketInventoryConfiguration",
  },
  ids: {
    roundtrip: "put-bucket-inventory-configuration.roundtrip",
    refused: "put-bucket-inventory-configuration.id-mismatch-refused",
    returns: "get-bucket-inventory-configuration.returns-config",
    getMissing: "get-bucket-inventory-configuration.no-such-configuration",
    listsAll: "list-bucket-inventory-configurations.lists-all",
    empty: "list-bucket-inventory-configurations.empty",
    removes: "delete-bucket-inventory-configuration.removes",
    delMissing: "delete-bucket-inventory-configuration.no-such-configuration",
  },
  sample: (Id, dest): InventoryConfiguration => ({
    Id,
    IsEnabled: true,
    IncludedObjectVersions: "All",
    Destination: {
      S3BucketDestination: {
        Bucket: arn(dest),
        Format: "CSV",
        Prefix: "inventory",
        Encryption: { SSES3: {} },
      },
    },
    Schedule: { Frequency: "Daily" },
    Filter: { Prefix: "data/" },
    OptionalFields: ["Size", "LastModifiedDate", "ETag"],
  }),
  refused(s3, Bucket, dest) {
    const config = this.sample("in-body", dest) as InventoryConfiguration;
    const request = s3.send(
      new PutBucketInventoryConfigurationCommand({ Bucket, Id: "in-query", InventoryConfiguration: config }),
    );
    return [request, 400, "InvalidArgument"];
  },
  put: (s3, Bucket, Id, c) =>
    s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket,
        Id,
        InventoryConfiguration: c as InventoryConfiguration,
      }),
    ),
  get: async (s3, Bucket, Id) =>
    (await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id }))).InventoryConfiguration,
  list: async (s3, Bucket, ContinuationToken) => {
    const out = await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket, ContinuationToken }));
    return {
      configs: out.InventoryConfigurationList ?? [],
      truncated: out.IsTruncated,
      next: out.NextContinuationToken,
    };
  },
  del: (s3, Bucket, Id) => s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id })),
});

const metricsFamily: Family<
  "PutBucketMetricsConfiguration",
  "GetBucketMetricsConfiguration",
  "ListBucketMetricsConfigurations",
  "DeleteBucketMetricsConfiguration"
> = {
  name: "metrics",
  ops: {
    put: "PutBucketMetricsConfiguration",
    get: "GetBucketMetricsConfiguration",
    list: "ListBucketMetricsConfigurations",
    del: "DeleteBucketMetricsConfiguration",
  },
  ids: {
    roundtrip: "put-bucket-metrics-configuration.roundtrip",
    refused: "put-bucket-metrics-configuration.id-mismatch-refused",
    returns: "get-bucket-metrics-configuration.returns-config",
    getMissing: "get-bucket-metrics-configuration.no-such-configuration",
    listsAll: "list-bucket-metrics-configurations.lists-all",
    empty: "list-bucket-metrics-configurations.empty",
    removes: "delete-bucket-metrics-configuration.removes",
    delMissing: "delete-bucket-metrics-configuration.no-such-configuration",
  },
  sample: (Id): MetricsConfiguration => ({ Id, Filter: { Tag: { Key: "class", Value: Id } } }),
  refused: (s3, Bucket) => [
    s3.send(
      new PutBucketMetricsConfigurationCommand({
        Bucket,
        Id: "in-query",
        MetricsConfiguration: { Id: "in-body" },
      }),
    ),
    400,
    "InvalidArgument",
  ],
  put: (s3, Bucket, Id, c) =>
    s3.send(
      new PutBucketMetricsConfigurationCommand({
        Bucket,
        Id,
        MetricsConfiguration: c as MetricsConfiguration,
      }),
    ),
  get: async (s3, Bucket, Id) =>
    (await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket, Id }))).MetricsConfiguration,
  list: async (s3, Bucket, ContinuationToken) => {
    const out = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket, ContinuationToken }));
    return {
      configs: out.MetricsConfigurationList ?? [],
      truncated: out.IsTruncated,
      next: out.NextContinuationToken,
    };
  },
  del: (s3, Bucket, Id) => s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket, Id })),
};
familySuite(metricsFamily);

suite("metrics configurations paging", () => {
  const f = fx!;
  check("ListBucketMetricsConfigurations", "list-bucket-metrics-configurations.paginates", async () => {
    const Bucket = f.bucketName("mpage");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    const ids = Array.from({ length: 101 }, (_, i) => `m${String(i).padStart(3, "0")}`);
    for (const id of ids) await metricsFamily.put(f.s3, Bucket, id, { Id: id });
    const first = await metricsFamily.list(f.s3, Bucket);
    expect([first.truncated, first.configs.length, typeof first.next]).toEqual([true, 100, "string"]);
    const second = await metricsFamily.list(f.s3, Bucket, first.next);
    expect([second.truncated, second.next]).toEqual([false, undefined]);
    expect([...first.configs, ...second.configs].map((c) => c.Id)).toEqual(ids);
  });
});

familySuite({
  name: "intelligent-tiering",
  ops: {
    put: "PutBucketIntelligentTieringConfiguration",
    get: "GetBucketIntelligentTieringConfiguration",
    list: "ListBucketIntelligentTieringConfigurations",
    del: "DeleteBucketIntelligentTieringConfiguration",
  },
  ids: {
    roundtrip: "put-bucket-intelligent-tiering-configuration.roundtrip",
    refused: "put-bucket-intelligent-tiering-configuration.invalid-refused",
    returns: "get-bucket-intelligent-tiering-configuration.returns-config",
    getMissing: "get-bucket-intelligent-tiering-configuration.no-such-configuration",
    listsAll: "list-bucket-intelligent-tiering-configurations.lists-all",
    empty: "list-bucket-intelligent-tiering-configurations.empty",
    removes: "delete-bucket-intelligent-tiering-configuration.removes",
    delMissing: "delete-bucket-intelligent-tiering-configuration.no-such-configuration",
  },
  sample: (Id): IntelligentTieringConfiguration => ({
    Id,
    Status: "Enabled",
    Filter: { Prefix: "cold/" },
    Tierings: [
      { AccessTier: "ARCHIVE_ACCESS", Days: 90 },
      { AccessTier: "DEEP_ARCHIVE_ACCESS", Days: 180 },
    ],
  }),
  // The archive tier starts at 90 days without access: 30 is refused.
  refused: (s3, Bucket) => [
    s3.send(
      new PutBucketIntelligentTieringConfigurationCommand({
        Bucket,
        Id: "too-soon",
        IntelligentTieringConfiguration: {
          Id: "too-soon",
          Status: "Enabled",
          Tierings: [{ AccessTier: "ARCHIVE_ACCESS", Days: 30 }],
        },
      }),
    ),
    400,
    "InvalidArgument",
  ],
  put: (s3, Bucket, Id, c) =>
    s3.send(
      new PutBucketIntelligentTieringConfigurationCommand({
        Bucket,
        Id,
        IntelligentTieringConfiguration: c as IntelligentTieringConfiguration,
      }),
    ),
  get: async (s3, Bucket, Id) =>
    (await s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket, Id })))
      .IntelligentTieringConfiguration,
  list: async (s3, Bucket, ContinuationToken) => {
    const out = await s3.send(
      new ListBucketIntelligentTieringConfigurationsCommand({ Bucket, ContinuationToken }),
    );
    return {
      configs: out.IntelligentTieringConfigurationList ?? [],
      truncated: out.IsTruncated,
      next: out.NextContinuationToken,
    };
  },
  del: (s3, Bucket, Id) => s3.send(new DeleteBucketIntelligentTieringConfigurationCommand({ Bucket, Id })),
});
