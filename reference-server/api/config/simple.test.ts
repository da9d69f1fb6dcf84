// Accelerate, request payment and bucket tagging through the HTTP path with @aws-sdk/client-s3 (raw signed
// requests for documents the SDK will not send).

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketRequestPaymentCommand,
  PutBucketTaggingCommand,
  type Tag,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, signedRequest, startTestServer, type TestServer } from "../test-support.ts";
import { codeOf, getRaw, putXml } from "./config-test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function newBucket(name = bucketName("cfg")): Promise<string> {
  await t.s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

describe("accelerate", () => {
  test("never set: empty configuration; Enabled / Suspended round-trip", async () => {
    const b = await newBucket();
    const empty = await t.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }));
    expect(empty.Status).toBeUndefined();
    for (const Status of ["Enabled", "Suspended"] as const) {
      await t.s3.send(
        new PutBucketAccelerateConfigurationCommand({ Bucket: b, AccelerateConfiguration: { Status } }),
      );
      expect((await t.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }))).Status).toBe(
        Status,
      );
    }
  });

  test("invalid status and missing status are MalformedXML; dotted bucket names are refused", async () => {
    const b = await newBucket();
    const bad = await errorOf(
      t.s3.send(
        new PutBucketAccelerateConfigurationCommand({
          Bucket: b,
          AccelerateConfiguration: { Status: "On" as "Enabled" },
        }),
      ),
    );
    expect([bad.$metadata.httpStatusCode, bad.name]).toEqual([400, "MalformedXML"]);
    const missing = await putXml(t.server, b, "accelerate", "<AccelerateConfiguration/>");
    expect([missing.status, codeOf(missing)]).toEqual([400, "MalformedXML"]);
    const dotted = await newBucket(`${bucketName("cfg")}.dots`);
    const e = await errorOf(
      t.s3.send(
        new PutBucketAccelerateConfigurationCommand({
          Bucket: dotted,
          AccelerateConfiguration: { Status: "Enabled" },
        }),
      ),
    );
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([400, "InvalidRequest"]);
    expect(e.message).toMatch(/periods/);
  });

  test("an unknown bucket is NoSuchBucket", async () => {
    const e = await errorOf(
      t.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: bucketName("none") })),
    );
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([404, "NoSuchBucket"]);
  });
});

describe("request payment", () => {
  test("default BucketOwner; Requester round-trip; back to BucketOwner", async () => {
    const b = await newBucket();
    expect((await t.s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer).toBe("BucketOwner");
    await t.s3.send(
      new PutBucketRequestPaymentCommand({ Bucket: b, RequestPaymentConfiguration: { Payer: "Requester" } }),
    );
    expect((await t.s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer).toBe("Requester");
    await t.s3.send(
      new PutBucketRequestPaymentCommand({
        Bucket: b,
        RequestPaymentConfiguration: { Payer: "BucketOwner" },
      }),
    );
    expect((await t.s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer).toBe("BucketOwner");
  });

  test("invalid payer is MalformedXML; a document without Content-MD5 is refused", async () => {
    const b = await newBucket();
    const e = await errorOf(
      t.s3.send(
        new PutBucketRequestPaymentCommand({
          Bucket: b,
          RequestPaymentConfiguration: { Payer: "Nobody" as "Requester" },
        }),
      ),
    );
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([400, "MalformedXML"]);
    const xml = "<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>";
    const noMd5 = await putXml(t.server, b, "requestPayment", xml, { md5: false });
    expect([noMd5.status, codeOf(noMd5)]).toEqual([400, "InvalidRequest"]);
    const wrong = await putXml(t.server, b, "requestPayment", "<Other/>");
    expect([wrong.status, codeOf(wrong)]).toEqual([400, "MalformedXML"]);
  });
});

describe("bucket tagging", () => {
  const put = (Bucket: string, TagSet: Tag[]) =>
    t.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));

  test("round-trip, replace, NoSuchTagSet, delete is idempotent", async () => {
    const b = await newBucket();
    const none = await errorOf(t.s3.send(new GetBucketTaggingCommand({ Bucket: b })));
    expect([none.$metadata.httpStatusCode, none.name]).toEqual([404, "NoSuchTagSet"]);
    const tags = [
      { Key: "cost-center", Value: "42" },
      { Key: "empty", Value: "" },
      { Key: "unicodé key", Value: "a+b=c/d:e@f.g_h-i" },
    ];
    const out = await put(b, tags);
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await t.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual(tags);
    await put(b, [{ Key: "only", Value: "one" }]);
    expect((await t.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual([
      { Key: "only", Value: "one" },
    ]);
    const del = await t.s3.send(new DeleteBucketTaggingCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect((await errorOf(t.s3.send(new GetBucketTaggingCommand({ Bucket: b })))).name).toBe("NoSuchTagSet");
    expect((await t.s3.send(new DeleteBucketTaggingCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(
      204,
    );
    // An empty tag set leaves the bucket untagged.
    await put(b, [{ Key: "a", Value: "b" }]);
    await put(b, []);
    expect((await errorOf(t.s3.send(new GetBucketTaggingCommand({ Bucket: b })))).name).toBe("NoSuchTagSet");
  });

  test("limits and tag rules: 50 tags, lengths, characters, duplicates, aws: prefix", async () => {
    const b = await newBucket();
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await put(b, fifty);
    expect((await t.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toHaveLength(50);
    const cases: [Tag[], string][] = [
      [[...fifty, { Key: "k50", Value: "v" }], "BadRequest"],
      [[{ Key: "k".repeat(129), Value: "v" }], "InvalidTag"],
      [[{ Key: "k", Value: "v".repeat(257) }], "InvalidTag"],
      [
        [
          { Key: "a", Value: "1" },
          { Key: "a", Value: "2" },
        ],
        "InvalidTag",
      ],
      [[{ Key: "aws:reserved", Value: "v" }], "InvalidTag"],
      [[{ Key: "bad<char>", Value: "v" }], "InvalidTag"],
      [[{ Key: "", Value: "v" }], "InvalidTag"],
    ];
    for (const [tags, code] of cases) {
      const e = await errorOf(put(b, tags));
      expect([e.$metadata.httpStatusCode, e.name]).toEqual([400, code]);
    }
    // Refusals leave the stored set as it was.
    expect((await t.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toHaveLength(50);
  });

  test("Content-MD5 is required; a wrong one is BadDigest; unknown elements are MalformedXML", async () => {
    const b = await newBucket();
    const xml = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";
    const noMd5 = await putXml(t.server, b, "tagging", xml, { md5: false });
    expect([noMd5.status, codeOf(noMd5)]).toEqual([400, "InvalidRequest"]);
    const bad = await signedRequest(t.server, {
      method: "PUT",
      path: `/${b}`,
      query: { tagging: "" },
      headers: { "content-md5": createHash("md5").update("other").digest("base64") },
      body: xml,
    });
    expect([bad.status, codeOf(bad)]).toEqual([400, "BadDigest"]);
    const extra = await putXml(t.server, b, "tagging", "<Tagging><TagSet/><Other/></Tagging>");
    expect([extra.status, codeOf(extra)]).toEqual([400, "MalformedXML"]);
    const noValue = await putXml(
      t.server,
      b,
      "tagging",
      "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",
    );
    expect([noValue.status, codeOf(noValue)]).toEqual([400, "MalformedXML"]);
    const raw = await putXml(t.server, b, "tagging", xml);
    expect(raw.status).toBe(204);
    const got = await getRaw(t.server, b, "tagging");
    expect(got.body).toContain(
      '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>',
    );
  });
});
