// Lifecycle configuration through the HTTP path: Put/Get/DeleteBucketLifecycle(Configuration) with
// @aws-sdk/client-s3 (every filter form and action round-trips), AWS's validation answers through raw
// signed requests (documents the SDK would not send), and x-amz-expiration on object responses.

import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type LifecycleRule,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ReferenceServer, startReferenceServer } from "../../server.ts";
import { bucketName, clientFor, errorOf, signedRequest } from "../test-support.ts";

const T0 = Date.UTC(2030, 0, 10, 12, 0, 0);
const now = T0;
let server: ReferenceServer;
let s3: S3Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-lc-"));
  server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    lifecycle: { log: () => {} },
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  s3 = clientFor(server);
});
afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function newBucket(): Promise<string> {
  const Bucket = bucketName("lc");
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

const putRules = (Bucket: string, Rules: LifecycleRule[]) =>
  s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));

const getRules = async (Bucket: string) =>
  (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules;

/** PUT ?lifecycle with a document as given (Content-MD5 unless `md5` is false). */
function putRaw(Bucket: string, xml: string, md5 = true, headers: Record<string, string> = {}) {
  return signedRequest(server, {
    method: "PUT",
    path: `/${Bucket}`,
    query: { lifecycle: "" },
    body: xml,
    headers: {
      ...(md5 ? { "content-md5": createHash("md5").update(xml).digest("base64") } : {}),
      ...headers,
    },
  });
}

const doc = (rules: string) =>
  `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</LifecycleConfiguration>`;
const rule = (inner: string) => `<Rule>${inner}</Rule>`;
const prefixFilter = "<Filter><Prefix>logs/</Prefix></Filter>";

describe("configuration", () => {
  test("a bucket without one answers NoSuchLifecycleConfiguration naming the bucket", async () => {
    const Bucket = await newBucket();
    const e = await errorOf(getRules(Bucket));
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([404, "NoSuchLifecycleConfiguration"]);
    const raw = await signedRequest(server, { method: "GET", path: `/${Bucket}`, query: { lifecycle: "" } });
    expect(raw.body).toContain("<Message>The lifecycle configuration does not exist</Message>");
    expect(raw.body).toContain(`<BucketName>${Bucket}</BucketName>`);
  });

  test("every filter form and action round-trips as it was put", async () => {
    const Bucket = await newBucket();
    const rules: LifecycleRule[] = [
      { ID: "days", Filter: { Prefix: "logs/" }, Status: "Enabled", Expiration: { Days: 30 } },
      {
        ID: "date",
        Filter: { Tag: { Key: "class", Value: "temp" } },
        Status: "Disabled",
        Expiration: { Date: new Date("2031-02-03T00:00:00.000Z") },
      },
      {
        ID: "and",
        Filter: {
          And: {
            Prefix: "data/",
            Tags: [
              { Key: "a", Value: "1" },
              { Key: "b", Value: "2" },
            ],
            ObjectSizeGreaterThan: 100,
            ObjectSizeLessThan: 1_000_000,
          },
        },
        Status: "Enabled",
        Transitions: [
          { Days: 30, StorageClass: "STANDARD_IA" },
          { Days: 90, StorageClass: "GLACIER" },
        ],
        Expiration: { Days: 365 },
      },
      {
        ID: "noncurrent",
        Filter: { ObjectSizeGreaterThan: 5 },
        Status: "Enabled",
        NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: "GLACIER_IR" }],
        NoncurrentVersionExpiration: { NoncurrentDays: 60, NewerNoncurrentVersions: 3 },
      },
      {
        ID: "markers-and-uploads",
        Filter: { ObjectSizeLessThan: 10 },
        Status: "Enabled",
        Expiration: { ExpiredObjectDeleteMarker: true },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
      { ID: "legacy", Prefix: "old/", Status: "Enabled", Expiration: { Days: 1 } },
      {
        ID: "everything",
        Filter: {},
        Status: "Enabled",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
      },
    ];
    const put = await putRules(Bucket, rules);
    expect(put.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    expect(got.Rules).toEqual(rules);
  });

  test("a rule without an ID gets one; a new document replaces the whole configuration", async () => {
    const Bucket = await newBucket();
    await putRules(Bucket, [
      { ID: "a", Filter: { Prefix: "a/" }, Status: "Enabled", Expiration: { Days: 1 } },
      { ID: "b", Filter: { Prefix: "b/" }, Status: "Enabled", Expiration: { Days: 2 } },
    ]);
    await putRules(Bucket, [{ Filter: { Prefix: "c/" }, Status: "Enabled", Expiration: { Days: 3 } }]);
    const rules = await getRules(Bucket);
    expect(rules).toHaveLength(1);
    expect(rules![0].ID).toMatch(/^[A-Za-z0-9+/=]{1,255}$/);
    expect(rules![0].Filter).toEqual({ Prefix: "c/" });
    // An empty <ID/> counts as none.
    const empty = doc(
      rule(`<ID></ID>${prefixFilter}<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`),
    );
    expect((await putRaw(Bucket, empty)).status).toBe(200);
    expect((await getRules(Bucket))![0].ID).toMatch(/^[A-Za-z0-9+/=]{1,255}$/);
  });

  test("the transition minimum object size header is stored and echoed", async () => {
    const Bucket = await newBucket();
    const put = await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
        LifecycleConfiguration: {
          Rules: [
            { ID: "t", Filter: {}, Status: "Enabled", Transitions: [{ Days: 0, StorageClass: "GLACIER" }] },
          ],
        },
      }),
    );
    expect(put.TransitionDefaultMinimumObjectSize).toBe("varies_by_storage_class");
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.TransitionDefaultMinimumObjectSize).toBe("varies_by_storage_class");
    const bad = await putRaw(
      Bucket,
      doc(rule(`<ID>x</ID>${prefixFilter}<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`)),
      true,
      {
        "x-amz-transition-default-minimum-object-size": "tiny",
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("<Code>InvalidRequest</Code>");
  });

  test("DeleteBucketLifecycle removes it and answers 204 even when there is none", async () => {
    const Bucket = await newBucket();
    await putRules(Bucket, [{ ID: "a", Filter: { Prefix: "" }, Status: "Enabled", Expiration: { Days: 1 } }]);
    const del = await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect((await errorOf(getRules(Bucket))).name).toBe("NoSuchLifecycleConfiguration");
    const again = await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
    expect(again.$metadata.httpStatusCode).toBe(204);
  });

  test("a document up to 1000 rules is accepted, 1001 are refused", async () => {
    const Bucket = await newBucket();
    const many = (n: number) =>
      doc(
        Array.from({ length: n }, (_, i) =>
          rule(
            `<ID>r${i}</ID><Filter><Prefix>p${i}/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`,
          ),
        ).join(""),
      );
    expect((await putRaw(Bucket, many(1000))).status).toBe(200);
    expect(await getRules(Bucket)).toHaveLength(1000);
    const over = await putRaw(Bucket, many(1001));
    expect(over.status).toBe(400);
    expect(over.body).toContain("<Code>InvalidRequest</Code>");
  });
});

describe("validation as AWS answers it", () => {
  const ok = `${prefixFilter}<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`;
  const cases: [name: string, xml: string, code: string, message?: string][] = [
    ["no rule", doc(""), "MalformedXML"],
    ["not XML", "<LifecycleConfiguration><Rule>", "MalformedXML"],
    ["wrong root", `<Lifecycle>${rule(`<ID>a</ID>${ok}`)}</Lifecycle>`, "MalformedXML"],
    ["unknown element", doc(rule(`<ID>a</ID>${ok}<Colour>red</Colour>`)), "MalformedXML"],
    [
      "bad status",
      doc(rule(`<ID>a</ID>${prefixFilter}<Status>On</Status><Expiration><Days>1</Days></Expiration>`)),
      "MalformedXML",
    ],
    [
      "no status",
      doc(rule(`<ID>a</ID>${prefixFilter}<Expiration><Days>1</Days></Expiration>`)),
      "MalformedXML",
    ],
    [
      "neither Filter nor Prefix",
      doc(rule("<ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>")),
      "MalformedXML",
    ],
    ["both Filter and Prefix", doc(rule(`<ID>a</ID><Prefix>x</Prefix>${ok}`)), "MalformedXML"],
    [
      "two conditions without And",
      doc(
        rule(
          "<ID>a</ID><Filter><Prefix>x</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>",
        ),
      ),
      "MalformedXML",
    ],
    [
      "ID over 255 characters",
      doc(rule(`<ID>${"i".repeat(256)}</ID>${ok}`)),
      "InvalidArgument",
      "ID length should not exceed allowed limit of 255",
    ],
    [
      "duplicate IDs",
      doc(rule(`<ID>same</ID>${ok}`) + rule(`<ID>same</ID>${ok}`)),
      "InvalidArgument",
      "Rule ID must be unique. Found same ID for more than one rule",
    ],
    [
      "Days 0",
      doc(rule(`<ID>a</ID>${prefixFilter}<Status>Enabled</Status><Expiration><Days>0</Days></Expiration>`)),
      "InvalidArgument",
      "'Days' for Expiration action must be a positive integer",
    ],
    [
      "Days not a number",
      doc(rule(`<ID>a</ID>${prefixFilter}<Status>Enabled</Status><Expiration><Days>x</Days></Expiration>`)),
      "MalformedXML",
    ],
    [
      "Date not at midnight",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><Expiration><Date>2031-01-01T10:00:00Z</Date></Expiration>`,
        ),
      ),
      "InvalidArgument",
      "'Date' must be at midnight GMT",
    ],
    [
      "Days and Date",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><Expiration><Days>1</Days><Date>2031-01-01T00:00:00Z</Date></Expiration>`,
        ),
      ),
      "MalformedXML",
    ],
    [
      "no action",
      doc(rule(`<ID>a</ID>${prefixFilter}<Status>Enabled</Status>`)),
      "InvalidRequest",
      "At least one action needs to be specified in a rule",
    ],
    [
      "abort uploads with a tag filter",
      doc(
        rule(
          "<ID>a</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>",
        ),
      ),
      "InvalidRequest",
      "AbortIncompleteMultipartUpload cannot be specified with Tags.",
    ],
    [
      "DaysAfterInitiation 0",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>`,
        ),
      ),
      "InvalidArgument",
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
    ],
    [
      "NoncurrentDays 0",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>`,
        ),
      ),
      "InvalidArgument",
      "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
    ],
    [
      "NewerNoncurrentVersions over 100",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>`,
        ),
      ),
      "InvalidArgument",
    ],
    [
      "unknown transition storage class",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><Transition><Days>1</Days><StorageClass>STANDARD</StorageClass></Transition>`,
        ),
      ),
      "MalformedXML",
    ],
    [
      "STANDARD_IA before 30 days",
      doc(
        rule(
          `<ID>a</ID>${prefixFilter}<Status>Enabled</Status><Transition><Days>10</Days><StorageClass>STANDARD_IA</StorageClass></Transition>`,
        ),
      ),
      "InvalidArgument",
      "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'",
    ],
    [
      "duplicate tag keys in And",
      doc(
        rule(
          "<ID>a</ID><Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>",
        ),
      ),
      "InvalidRequest",
      "Duplicate Tag Keys are not allowed.",
    ],
  ];

  test.each(cases)("%s → %s", async (_name, xml, code, message) => {
    const Bucket = await newBucket();
    const res = await putRaw(Bucket, xml);
    expect(res.status).toBe(400);
    expect(res.body).toContain(`<Code>${code}</Code>`);
    if (message) expect(res.body).toContain(`<Message>${message.replaceAll("'", "&apos;")}</Message>`);
    // Nothing was stored.
    const get = await signedRequest(server, { method: "GET", path: `/${Bucket}`, query: { lifecycle: "" } });
    expect(get.status).toBe(404);
  });

  test("Content-MD5 (or a checksum) is required", async () => {
    const Bucket = await newBucket();
    const res = await putRaw(Bucket, doc(rule(`<ID>a</ID>${ok}`)), false);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>InvalidRequest</Code>");
    expect(res.body).toContain("Missing required header for this request: Content-MD5");
  });
});

describe("x-amz-expiration", () => {
  // Created 2030-01-10 12:00 UTC: 3 days → 2030-01-14 00:00 UTC (next midnight after creation + days).
  const expected = (rule: string) => `expiry-date="Mon, 14 Jan 2030 00:00:00 GMT", rule-id="${rule}"`;

  test("PutObject, HeadObject, GetObject and CopyObject announce the expiry of a matching rule", async () => {
    const Bucket = await newBucket();
    await putRules(Bucket, [
      { ID: "logs rule", Filter: { Prefix: "logs/" }, Status: "Enabled", Expiration: { Days: 3 } },
      { ID: "later", Filter: { Prefix: "logs/" }, Status: "Enabled", Expiration: { Days: 10 } },
      { ID: "off", Filter: { Prefix: "" }, Status: "Disabled", Expiration: { Days: 1 } },
      {
        ID: "nc",
        Filter: { Prefix: "" },
        Status: "Enabled",
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
    const header = (o: { $metadata: unknown }) => (o as unknown as { Expiration?: string }).Expiration;
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "logs/a", Body: "x" }));
    // The earliest expiry wins; the rule id is URL-encoded.
    expect(header(put)).toBe(expected("logs%20rule"));
    expect(header(await s3.send(new HeadObjectCommand({ Bucket, Key: "logs/a" })))).toBe(
      expected("logs%20rule"),
    );
    const get = await s3.send(new GetObjectCommand({ Bucket, Key: "logs/a" }));
    await get.Body?.transformToString();
    expect(header(get)).toBe(expected("logs%20rule"));
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket, Key: "logs/b", CopySource: `${Bucket}/logs/a` }),
    );
    expect(header(copy)).toBe(expected("logs%20rule"));
    // Outside every enabled Expiration rule: no header.
    const other = await s3.send(new PutObjectCommand({ Bucket, Key: "other", Body: "x" }));
    expect(header(other)).toBeUndefined();
    expect(header(await s3.send(new HeadObjectCommand({ Bucket, Key: "other" })))).toBeUndefined();
  });

  test("tag and size filters decide; a date rule announces its date; noncurrent versions get none", async () => {
    const Bucket = await newBucket();
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await putRules(Bucket, [
      {
        ID: "tagged",
        Filter: { And: { Prefix: "", Tags: [{ Key: "t", Value: "1" }] } },
        Status: "Enabled",
        Expiration: { Days: 3 },
      },
      {
        ID: "big",
        Filter: { ObjectSizeGreaterThan: 10 },
        Status: "Enabled",
        Expiration: { Date: new Date("2030-06-01T00:00:00Z") },
      },
    ]);
    const tagged = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", Tagging: "t=1" }));
    expect(tagged.Expiration).toBe(expected("tagged"));
    const untagged = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", Tagging: "t=2" }));
    expect(untagged.Expiration).toBeUndefined();
    // The first version is noncurrent now: Expiration no longer applies to it.
    const old = await s3.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: tagged.VersionId }));
    expect(old.Expiration).toBeUndefined();
    const big = await s3.send(new PutObjectCommand({ Bucket, Key: "big", Body: "x".repeat(11) }));
    expect(big.Expiration).toBe('expiry-date="Sat, 01 Jun 2030 00:00:00 GMT", rule-id="big"');
  });
});

describe("x-amz-abort-date", () => {
  test("CreateMultipartUpload and ListParts announce when an abort rule will abort the upload", async () => {
    const Bucket = await newBucket();
    await putRules(Bucket, [
      {
        ID: "abort-tmp",
        Filter: { Prefix: "tmp/" },
        Status: "Enabled",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
      {
        ID: "abort-all",
        Filter: {},
        Status: "Enabled",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 30 },
      },
      {
        ID: "off",
        Filter: {},
        Status: "Disabled",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
    // Initiated 2030-01-10 12:00 UTC + 7 days → 2030-01-18 00:00 UTC; the earliest rule wins.
    const tmp = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "tmp/x" }));
    expect([tmp.AbortDate?.toISOString(), tmp.AbortRuleId]).toEqual([
      "2030-01-18T00:00:00.000Z",
      "abort-tmp",
    ]);
    const parts = await s3.send(new ListPartsCommand({ Bucket, Key: "tmp/x", UploadId: tmp.UploadId }));
    expect([parts.AbortDate?.toISOString(), parts.AbortRuleId]).toEqual([
      "2030-01-18T00:00:00.000Z",
      "abort-tmp",
    ]);
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "keep/x" }));
    expect([other.AbortDate?.toISOString(), other.AbortRuleId]).toEqual([
      "2030-02-10T00:00:00.000Z",
      "abort-all",
    ]);
    const plain = await newBucket();
    const none = await s3.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: "tmp/x" }));
    expect([none.AbortDate, none.AbortRuleId]).toEqual([undefined, undefined]);
  });
});

test("the configuration is part of the bucket record: it survives a restart", async () => {
  const dir = await mkdtemp(join(tmpdir(), "parity-lc-restart-"));
  const start = () =>
    startReferenceServer({
      dataDir: dir,
      port: 0,
      env: {},
      lifecycle: { log: () => {} },
      engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
    });
  const Rules: LifecycleRule[] = [
    { ID: "kept", Filter: { Prefix: "k/" }, Status: "Enabled", Expiration: { Days: 4 } },
  ];
  const first = await start();
  const c1 = clientFor(first);
  const Bucket = bucketName("lcr");
  await c1.send(new CreateBucketCommand({ Bucket }));
  await c1.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
  c1.destroy();
  await first.close();
  const second = await start();
  const c2 = clientFor(second);
  try {
    const got = await c2.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.Rules).toEqual(Rules);
  } finally {
    c2.destroy();
    await second.close();
    await rm(dir, { recursive: true, force: true });
  }
});
