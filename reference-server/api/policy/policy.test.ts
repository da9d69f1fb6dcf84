// The policy area through the HTTP path: Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus and
// Put/GetBucketAbac with @aws-sdk/client-s3 and minio (raw signed requests for bodies the SDK will not
// send). Enforcement of the stored policy is access/authorize.ts's and is proved by suites/policy.

import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketAbacCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  PutBucketAbacCommand,
  PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { Client } from "minio";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, signedRequest, startTestServer, type TestServer } from "../test-support.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

/** A bucket without Block Public Access (new buckets get it, as on AWS), so public policies can be put. */
async function newBucket(): Promise<string> {
  const Bucket = bucketName("pol");
  await t.s3.send(new CreateBucketCommand({ Bucket }));
  await t.server.engine.updateBucket(Bucket, (b) => {
    const { publicAccessBlock: _lifted, ...attrs } = b.attrs;
    return { ...b, attrs };
  });
  return Bucket;
}

const readPolicy = (bucket: string, more: object = {}) =>
  JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "read",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucket}/*`,
          ...more,
        },
      ],
    },
    null,
    2,
  );

describe("PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy", () => {
  test("round-trip keeps the document byte for byte; delete answers 204 and is idempotent", async () => {
    const Bucket = await newBucket();
    const Policy = readPolicy(Bucket);
    const put = await t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const got = await t.s3.send(new GetBucketPolicyCommand({ Bucket }));
    expect(got.Policy).toBe(Policy);
    const raw = await signedRequest(t.server, { method: "GET", path: `/${Bucket}`, query: { policy: "" } });
    expect(raw.status).toBe(200);
    expect(raw.headers["content-type"]).toBe("application/json");
    expect(raw.body).toBe(Policy);
    for (let i = 0; i < 2; i += 1) {
      const del = await t.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
      expect(del.$metadata.httpStatusCode).toBe(204);
    }
    const e = await errorOf(t.s3.send(new GetBucketPolicyCommand({ Bucket })));
    expect([e.$metadata.httpStatusCode, e.name, e.message]).toEqual([
      404,
      "NoSuchBucketPolicy",
      "The bucket policy does not exist",
    ]);
  });

  test("NoSuchBucketPolicy names the bucket", async () => {
    const Bucket = await newBucket();
    const raw = await signedRequest(t.server, { method: "GET", path: `/${Bucket}`, query: { policy: "" } });
    expect(raw.status).toBe(404);
    expect(raw.body).toContain("<Code>NoSuchBucketPolicy</Code>");
    expect(raw.body).toContain(`<BucketName>${Bucket}</BucketName>`);
  });

  test("a second put replaces the policy; x-amz-confirm-remove-self-bucket-access is accepted", async () => {
    const Bucket = await newBucket();
    await t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: readPolicy(Bucket) }));
    const second = readPolicy(Bucket, { Sid: "second" });
    await t.s3.send(
      new PutBucketPolicyCommand({ Bucket, Policy: second, ConfirmRemoveSelfBucketAccess: true }),
    );
    expect((await t.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(second);
  });

  test("malformed policies are refused with AWS's messages and nothing is stored", async () => {
    const Bucket = await newBucket();
    const arn = `arn:aws:s3:::${Bucket}`;
    const cases: Array<[string, string]> = [
      ["not json", "Policies must be valid JSON and the first byte must be '{'"],
      [readPolicy(Bucket, { Resource: "arn:aws:s3:::someone-else/*" }), "Policy has invalid resource"],
      [readPolicy(Bucket, { Principal: { AWS: "nobody" } }), "Invalid principal in policy"],
      [readPolicy(Bucket, { Resource: arn }), "Action does not apply to any resource(s) in statement"],
      [readPolicy(Bucket, { Action: "s3:Teleport" }), "Policy has invalid action"],
      [
        readPolicy(Bucket, { Condition: { StringEqualz: { "s3:prefix": "a" } } }),
        "Unknown condition operator",
      ],
      [
        readPolicy(Bucket, { Sid: "x".repeat(21 * 1024) }),
        "Policy exceeds the maximum allowed document size.",
      ],
    ];
    for (const [Policy, message] of cases) {
      const e = await errorOf(t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy })));
      expect([e.$metadata.httpStatusCode, e.name, e.message]).toEqual([400, "MalformedPolicy", message]);
    }
    expect((await errorOf(t.s3.send(new GetBucketPolicyCommand({ Bucket })))).name).toBe(
      "NoSuchBucketPolicy",
    );
  });

  test("BlockPublicPolicy refuses a public policy with AccessDenied, a private one passes", async () => {
    const Bucket = await newBucket();
    // PutPublicAccessBlock belongs to the access area; its stored form is set directly here.
    await t.server.engine.updateBucket(Bucket, (b) => ({
      ...b,
      attrs: {
        ...b.attrs,
        publicAccessBlock: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: false,
        },
      },
    }));
    const e = await errorOf(t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: readPolicy(Bucket) })));
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([403, "AccessDenied"]);
    expect(e.message).toContain("BlockPublicPolicy");
    const priv = readPolicy(Bucket, { Principal: { AWS: "111122223333" } });
    await t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: priv }));
    expect((await t.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(priv);
  });

  test("minio's setBucketPolicy / getBucketPolicy round-trip", async () => {
    const Bucket = await newBucket();
    const url = new URL(t.server.endpoint);
    const mc = new Client({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey: t.server.accessKeyId,
      secretKey: t.server.secretAccessKey,
      region: "us-east-1",
      pathStyle: true,
    });
    const Policy = readPolicy(Bucket);
    await mc.setBucketPolicy(Bucket, Policy);
    expect(await mc.getBucketPolicy(Bucket)).toBe(Policy);
    // minio-js deletes a policy by setting an empty one.
    await mc.setBucketPolicy(Bucket, "");
    await expect(mc.getBucketPolicy(Bucket)).rejects.toMatchObject({ code: "NoSuchBucketPolicy" });
  });
});

describe("GetBucketPolicyStatus", () => {
  test("public, private, and none", async () => {
    const Bucket = await newBucket();
    const none = await errorOf(t.s3.send(new GetBucketPolicyStatusCommand({ Bucket })));
    expect([none.$metadata.httpStatusCode, none.name]).toEqual([404, "NoSuchBucketPolicy"]);
    await t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: readPolicy(Bucket) }));
    expect((await t.s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus).toEqual({
      IsPublic: true,
    });
    const restricted = readPolicy(Bucket, { Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } });
    await t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: restricted }));
    expect((await t.s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus).toEqual({
      IsPublic: false,
    });
    const raw = await signedRequest(t.server, {
      method: "GET",
      path: `/${Bucket}`,
      query: { policyStatus: "" },
    });
    expect(raw.body).toContain("<PolicyStatus");
    expect(raw.body).toContain("<IsPublic>false</IsPublic>");
  });
});

describe("PutBucketAbac / GetBucketAbac", () => {
  test("defaults to Disabled, round-trips Enabled and Disabled", async () => {
    const Bucket = await newBucket();
    expect((await t.s3.send(new GetBucketAbacCommand({ Bucket }))).AbacStatus).toEqual({
      Status: "Disabled",
    });
    const put = await t.s3.send(new PutBucketAbacCommand({ Bucket, AbacStatus: { Status: "Enabled" } }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect((await t.s3.send(new GetBucketAbacCommand({ Bucket }))).AbacStatus).toEqual({ Status: "Enabled" });
    await t.s3.send(new PutBucketAbacCommand({ Bucket, AbacStatus: { Status: "Disabled" } }));
    expect((await t.s3.send(new GetBucketAbacCommand({ Bucket }))).AbacStatus).toEqual({
      Status: "Disabled",
    });
  });

  test("an invalid or missing status is MalformedXML", async () => {
    const Bucket = await newBucket();
    for (const body of [
      "<AbacStatus><Status>On</Status></AbacStatus>",
      "<AbacStatus></AbacStatus>",
      "<Wrong><Status>Enabled</Status></Wrong>",
      "<AbacStatus><Status>Enabled",
    ]) {
      const raw = await signedRequest(t.server, {
        method: "PUT",
        path: `/${Bucket}`,
        query: { abac: "" },
        body,
      });
      expect(raw.status, body).toBe(400);
      expect(raw.body).toContain("<Code>MalformedXML</Code>");
    }
    expect((await t.s3.send(new GetBucketAbacCommand({ Bucket }))).AbacStatus).toEqual({
      Status: "Disabled",
    });
  });
});
