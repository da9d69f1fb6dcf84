// Browser POST uploads through HTTP: SigV4 forms (hand-signed and minio's presignedPostPolicy), SigV2
// forms, every policy condition kind, the success answers, and hostile forms that must end in clean S3
// errors with nothing stored.

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
} from "@aws-sdk/client-s3";
import { Client as MinioClient } from "minio";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";
import {
  expiresIn,
  hostRequest,
  multipartBody,
  postForm,
  signedV2Fields,
  signedV4Fields,
} from "./test-support.ts";

let t: TestServer;
let bucket: string;
let creds: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  t = await startTestServer();
  creds = { accessKeyId: t.server.accessKeyId, secretAccessKey: t.server.secretAccessKey };
  bucket = bucketName("post");
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => t.stop());

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const codeOf = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
const messageOf = (body: string) =>
  /<Message>([^<]*)<\/Message>/.exec(body)?.[1]?.replaceAll("&quot;", '"').replaceAll("&amp;", "&");

async function read(
  key: string,
): Promise<{ body: string; contentType?: string; meta?: Record<string, string> }> {
  const out = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: await out.Body!.transformToString(), contentType: out.ContentType, meta: out.Metadata };
}

async function absent(key: string): Promise<void> {
  const e = await errorOf(t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  expect(e.$metadata.httpStatusCode).toBe(404);
}

describe("SigV4 forms", () => {
  test("a signed form stores the file with its content type, metadata and tags; 204 by default", async () => {
    const fields = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
      ["key", "docs/${filename}"],
      ["Content-Type", "text/plain"],
      ["x-amz-meta-colour", "blue"],
      ["tagging", "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"],
      ["x-amz-server-side-encryption", "AES256"],
    ] as [string, string][];
    const policy = {
      expiration: expiresIn(60_000),
      conditions: [
        { bucket },
        ["starts-with", "$key", "docs/"],
        ["eq", "$Content-Type", "text/plain"],
        ["starts-with", "$x-amz-meta-colour", ""],
        { tagging: fields[3][1] },
        { "x-amz-server-side-encryption": "AES256" },
        ["content-length-range", 1, 100],
      ],
    };
    const res = await postForm(t.server.endpoint, bucket, [...fields, ...signedV4Fields(creds, policy)], {
      filename: "hello.txt",
      contentType: "application/x-ignored",
      data: "hello, form",
    });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    expect(res.headers.etag).toBe(`"${md5("hello, form")}"`);
    expect(res.headers.location).toBe(`${t.server.endpoint}/${bucket}/docs/hello.txt`);
    expect(res.headers["x-amz-server-side-encryption"]).toBe("AES256");
    expect(await read("docs/hello.txt")).toEqual({
      body: "hello, form",
      contentType: "text/plain",
      meta: { colour: "blue" },
    });
    const tags = await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "docs/hello.txt" }));
    expect(tags.TagSet).toEqual([{ Key: "k", Value: "v" }]);
  });

  test("minio's presignedPostPolicy form is accepted", async () => {
    const url = new URL(t.server.endpoint);
    const minio = new MinioClient({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey: creds.accessKeyId,
      secretKey: creds.secretAccessKey,
      region: "us-east-1",
      pathStyle: true,
    });
    const policy = minio.newPostPolicy();
    policy.setBucket(bucket);
    policy.setKey("from-minio.bin");
    policy.setExpires(new Date(Date.now() + 60_000));
    policy.setContentLengthRange(1, 1024);
    policy.setContentType("application/octet-stream");
    const { formData } = await minio.presignedPostPolicy(policy);
    const res = await postForm(t.server.endpoint, bucket, Object.entries(formData), { data: "minio bytes" });
    expect(res.status).toBe(204);
    expect((await read("from-minio.bin")).body).toBe("minio bytes");
  });

  test("success_action_status 201 answers PostResponse; 200 an empty body; redirect a 303", async () => {
    const sign = (key: string, extra: [string, string][]) =>
      signedV4Fields(creds, {
        expiration: expiresIn(60_000),
        conditions: [{ bucket }, { key }, ...extra.map(([k, v]) => ({ [k]: v }))],
      });
    const s201: [string, string][] = [["success_action_status", "201"]];
    const r201 = await postForm(
      t.server.endpoint,
      bucket,
      [["key", "a 1.txt"], ...s201, ...sign("a 1.txt", s201)],
      {
        data: "one",
      },
    );
    expect(r201.status).toBe(201);
    expect(r201.headers["content-type"]).toBe("application/xml");
    expect(r201.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${t.server.endpoint}/${bucket}/a%201.txt</Location>` +
        `<Bucket>${bucket}</Bucket><Key>a 1.txt</Key><ETag>&quot;${md5("one")}&quot;</ETag></PostResponse>`,
    );
    const s200: [string, string][] = [["success_action_status", "200"]];
    const r200 = await postForm(t.server.endpoint, bucket, [["key", "b"], ...s200, ...sign("b", s200)], {
      data: "x",
    });
    expect([r200.status, r200.body]).toEqual([200, ""]);
    const bogus: [string, string][] = [["success_action_status", "302"]];
    const rBogus = await postForm(t.server.endpoint, bucket, [["key", "c"], ...bogus, ...sign("c", bogus)], {
      data: "x",
    });
    expect(rBogus.status).toBe(204);
    const redirect: [string, string][] = [["success_action_redirect", "https://app.example/done?x=1"]];
    const r303 = await postForm(
      t.server.endpoint,
      bucket,
      [["key", "d/e"], ...redirect, ...sign("d/e", redirect)],
      {
        data: "x",
      },
    );
    expect(r303.status).toBe(303);
    expect(r303.headers.location).toBe(
      `https://app.example/done?x=1&bucket=${bucket}&key=d%2Fe&etag=%22${md5("x")}%22`,
    );
  });

  test("a versioned bucket answers the new version id", async () => {
    const b = bucketName("postv");
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.s3.send(
      new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const fields = signedV4Fields(creds, {
      expiration: expiresIn(60_000),
      conditions: [{ bucket: b }, { key: "v" }],
    });
    const res = await postForm(t.server.endpoint, b, [["key", "v"], ...fields], { data: "x" });
    expect(res.status).toBe(204);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: b, Key: "v" }));
    expect(res.headers["x-amz-version-id"]).toBe(head.VersionId);
  });
});

describe("SigV2 forms", () => {
  test("signed with HMAC-SHA1 over the policy", async () => {
    const policy = {
      expiration: expiresIn(60_000),
      conditions: [{ bucket }, ["starts-with", "$key", "v2/"]],
    };
    const res = await postForm(
      t.server.endpoint,
      bucket,
      [["key", "v2/x"], ...signedV2Fields(creds, policy)],
      {
        data: "v2 body",
      },
    );
    expect(res.status).toBe(204);
    expect((await read("v2/x")).body).toBe("v2 body");
    const forged = signedV2Fields({ ...creds, secretAccessKey: "wrong" }, policy);
    const bad = await postForm(t.server.endpoint, bucket, [["key", "v2/y"], ...forged], { data: "x" });
    expect([bad.status, codeOf(bad.body)]).toEqual([403, "SignatureDoesNotMatch"]);
    await absent("v2/y");
  });
});

describe("policy conditions", () => {
  async function refused(
    key: string,
    fields: [string, string][],
    conditions: unknown[],
    data = "data",
    expiration = expiresIn(60_000),
  ) {
    const res = await postForm(
      t.server.endpoint,
      bucket,
      [["key", key], ...fields, ...signedV4Fields(creds, { expiration, conditions })],
      { data },
    );
    await absent(key);
    return { status: res.status, code: codeOf(res.body), message: messageOf(res.body), body: res.body };
  }

  test("eq, starts-with, bucket and the extra-field rule", async () => {
    expect(await refused("k1", [], [{ bucket }, ["eq", "$key", "other"]])).toMatchObject({
      status: 403,
      code: "AccessDenied",
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "other"]',
    });
    expect(await refused("k2", [], [{ bucket: "another-bucket" }, { key: "k2" }])).toMatchObject({
      status: 403,
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "another-bucket"]',
    });
    expect(
      await refused(
        "k3",
        [["Content-Type", "image/png"]],
        [{ key: "k3" }, ["starts-with", "$Content-Type", "text/"]],
      ),
    ).toMatchObject({
      status: 403,
      message:
        'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "text/"]',
    });
    expect(await refused("k4", [["x-amz-meta-sneaky", "1"]], [{ key: "k4" }])).toMatchObject({
      status: 403,
      message: "Invalid according to Policy: Extra input fields: x-amz-meta-sneaky",
    });
    // x-ignore-* fields need no condition.
    const ok = await postForm(
      t.server.endpoint,
      bucket,
      [
        ["key", "k5"],
        ["x-ignore-submit", "Upload"],
        ...signedV4Fields(creds, { expiration: expiresIn(60_000), conditions: [{ key: "k5" }] }),
      ],
      { data: "x" },
    );
    expect(ok.status).toBe(204);
  });

  test("content-length-range: too large, too small, nothing stored", async () => {
    const big = await refused("big", [], [{ key: "big" }, ["content-length-range", 0, 10]], "x".repeat(11));
    expect(big).toMatchObject({ status: 400, code: "EntityTooLarge" });
    expect(big.body).toContain("<MaxSizeAllowed>10</MaxSizeAllowed>");
    const small = await refused("small", [], [{ key: "small" }, ["content-length-range", 5, 10]], "x");
    expect(small).toMatchObject({ status: 400, code: "EntityTooSmall" });
    expect(small.body).toContain("<ProposedSize>1</ProposedSize><MinSizeAllowed>5</MinSizeAllowed>");
  });

  test("expired and malformed policies", async () => {
    expect(
      await refused("old", [], [{ key: "old" }], "x", new Date(Date.now() - 1000).toISOString()),
    ).toMatchObject({
      status: 403,
      code: "AccessDenied",
      message: "Invalid according to Policy: Policy expired.",
    });
    expect(await refused("op", [], [{ key: "op" }, ["matches", "$key", "op"]])).toMatchObject({
      status: 400,
      code: "InvalidPolicyDocument",
    });
    expect(await refused("nonstring", [], [{ key: 5 }])).toMatchObject({
      status: 400,
      code: "InvalidPolicyDocument",
      message: "Invalid Policy: Invalid Simple-Condition: value must be a string.",
    });
  });
});

describe("hostile and malformed forms", () => {
  const post = (body: Buffer | string, contentType: string) =>
    hostRequest(t.server.endpoint, {
      method: "POST",
      path: `/${bucket}`,
      headers: { "content-type": contentType },
      body,
    });

  test("not a form, no file, no key, broken multipart, lying boundary", async () => {
    const notForm = await post("key=x", "application/x-www-form-urlencoded");
    expect([notForm.status, codeOf(notForm.body)]).toEqual([400, "RequestIsNotMultiPartContent"]);
    const fields = signedV4Fields(creds, { expiration: expiresIn(60_000), conditions: [{ key: "nf" }] });
    const noFile = multipartBody([["key", "nf"], ...fields], undefined);
    const r1 = await post(noFile.body, noFile.contentType);
    expect([r1.status, codeOf(r1.body), messageOf(r1.body)]).toEqual([
      400,
      "InvalidArgument",
      "POST requires exactly one file upload per request.",
    ]);
    const noKey = multipartBody(fields, { data: "x" });
    const r2 = await post(noKey.body, noKey.contentType);
    expect([r2.status, codeOf(r2.body)]).toEqual([400, "InvalidArgument"]);
    expect(r2.body).toContain("<ArgumentName>key</ArgumentName>");
    const lbFields = signedV4Fields(creds, { expiration: expiresIn(60_000), conditions: [{ key: "lb" }] });
    const good = multipartBody([["key", "lb"], ...lbFields], { data: "x" });
    const lying = await post(good.body, "multipart/form-data; boundary=not-the-boundary");
    expect([lying.status, codeOf(lying.body)]).toEqual([400, "MalformedPOSTRequest"]);
    const truncated = await post(good.body.subarray(0, good.body.length - 30), good.contentType);
    expect([truncated.status, codeOf(truncated.body)]).toEqual([400, "MalformedPOSTRequest"]);
    const noBoundary = await post(good.body, "multipart/form-data");
    expect([noBoundary.status, codeOf(noBoundary.body)]).toEqual([400, "MalformedPOSTRequest"]);
    await absent("lb");
  });

  test("huge fields before the file are refused without being held", async () => {
    const huge = multipartBody(
      [
        ["key", "h"],
        ["x-amz-meta-pad", "p".repeat(2 << 20)],
      ],
      { data: "x" },
    );
    const res = await post(huge.body, huge.contentType);
    expect([res.status, codeOf(res.body)]).toEqual([400, "MaxPostPreDataLengthExceededError"]);
    await absent("h");
  });

  test("a file bigger than its part claims: the truncated file part is never stored", async () => {
    const fields = signedV4Fields(creds, { expiration: expiresIn(60_000), conditions: [{ key: "cut" }] });
    const { body, contentType } = multipartBody([["key", "cut"], ...fields], {
      data: Buffer.alloc(300_000, 1),
    });
    // The closing delimiter is cut off: the file part never ends.
    const res = await post(body.subarray(0, body.length - 10), contentType);
    expect([res.status, codeOf(res.body)]).toEqual([400, "MalformedPOSTRequest"]);
    await absent("cut");
  });

  test("the server keeps serving after all of it", async () => {
    const fields = signedV4Fields(creds, { expiration: expiresIn(60_000), conditions: [{ key: "after" }] });
    const res = await postForm(t.server.endpoint, bucket, [["key", "after"], ...fields], {
      data: Buffer.alloc(3 << 20, 9),
    });
    expect(res.status).toBe(204);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "after" }));
    expect(head.ContentLength).toBe(3 << 20);
  });
});

describe("authorization", () => {
  test("an anonymous form (no policy) on a private bucket is refused", async () => {
    const res = await postForm(t.server.endpoint, bucket, [["key", "anon"]], { data: "x" });
    expect([res.status, codeOf(res.body)]).toEqual([403, "AccessDenied"]);
    await absent("anon");
  });

  test("an anonymous form is accepted where a bucket policy lets anyone write", async () => {
    const b = bucketName("postpub");
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    await t.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${b}/drop/*` },
          ],
        }),
      }),
    );
    const ok = await postForm(t.server.endpoint, b, [["key", "drop/anon.txt"]], { data: "anonymous" });
    expect(ok.status).toBe(204);
    const got = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: "drop/anon.txt" }));
    expect(await got.Body!.transformToString()).toBe("anonymous");
    const outside = await postForm(t.server.endpoint, b, [["key", "other/anon.txt"]], { data: "x" });
    expect([outside.status, codeOf(outside.body)]).toEqual([403, "AccessDenied"]);
  });

  test("the acl field: public-read where ACLs are enabled, refused under BucketOwnerEnforced", async () => {
    const sign = (b: string, key: string, acl: string) =>
      signedV4Fields(creds, { expiration: expiresIn(60_000), conditions: [{ bucket: b }, { key }, { acl }] });
    const enforced = await postForm(
      t.server.endpoint,
      bucket,
      [["key", "acl1"], ["acl", "public-read"], ...sign(bucket, "acl1", "public-read")],
      { data: "x" },
    );
    expect([enforced.status, codeOf(enforced.body)]).toEqual([400, "AccessControlListNotSupported"]);
    await absent("acl1");
    const b = bucketName("postacl");
    await t.s3.send(new CreateBucketCommand({ Bucket: b, ObjectOwnership: "ObjectWriter" }));
    await t.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    const res = await postForm(
      t.server.endpoint,
      b,
      [["key", "pub"], ["acl", "public-read"], ...sign(b, "pub", "public-read")],
      {
        data: "for everyone",
      },
    );
    expect(res.status).toBe(204);
    const anon = await hostRequest(t.server.endpoint, { method: "GET", path: `/${b}/pub` });
    expect([anon.status, anon.body]).toEqual([200, "for everyone"]);
    const bad = await postForm(
      t.server.endpoint,
      b,
      [["key", "bad"], ["acl", "everyone"], ...sign(b, "bad", "everyone")],
      {
        data: "x",
      },
    );
    expect([bad.status, codeOf(bad.body)]).toEqual([400, "InvalidArgument"]);
  });

  test("another account's signed policy cannot write into the bucket", async () => {
    await t.server.accounts.createTenant("other-post").catch(() => undefined);
    const other = await t.server.accounts.createAccount("other-post", "writer");
    const fields = signedV4Fields(
      { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey },
      { expiration: expiresIn(60_000), conditions: [{ key: "theirs" }] },
    );
    const res = await postForm(t.server.endpoint, bucket, [["key", "theirs"], ...fields], { data: "x" });
    expect([res.status, codeOf(res.body)]).toEqual([403, "AccessDenied"]);
    await absent("theirs");
  });
});
