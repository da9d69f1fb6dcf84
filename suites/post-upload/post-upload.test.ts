// Browser POST uploads (HTML forms with a SigV4-signed policy), in raw HTTP: the upload itself, the
// policy's conditions refusing a form that breaks them, success_action_status answers and
// content-length-range, asserted against what AWS S3 answers. The policy signing here is written from
// AWS's documentation, independently of any server.

import { createHash, createHmac } from "node:crypto";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error } from "../harness/assert.ts";
import { errorCode, type RawResponse, rawRequest } from "../harness/raw.ts";
import { type Fixture, suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/** The SigV4 form fields for a policy (with the algorithm, credential and date conditions AWS wants). */
function signedFields(f: Fixture, conditions: unknown[], expiresInMs = 10 * 60_000): [string, string][] {
  const { accessKeyId, secretAccessKey } = f.target.main;
  const now = new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const credential = `${accessKeyId}/${day}/${f.target.region}/s3/aws4_request`;
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(now.getTime() + expiresInMs).toISOString(),
      conditions: [
        ...conditions,
        { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
        { "x-amz-credential": credential },
        { "x-amz-date": amzDate },
      ],
    }),
  ).toString("base64");
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), f.target.region), "s3"), "aws4_request");
  return [
    ["x-amz-algorithm", "AWS4-HMAC-SHA256"],
    ["x-amz-credential", credential],
    ["x-amz-date", amzDate],
    ["policy", policy],
    ["x-amz-signature", hmac(key, policy).toString("hex")],
  ];
}

/** POSTs a multipart form (fields, then the file) to the bucket's URL in the target's addressing style. */
function postForm(
  f: Fixture,
  bucket: string,
  fields: [string, string][],
  data: string,
): Promise<RawResponse> {
  const boundary = `----parity${Math.random().toString(16).slice(2)}`;
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\n${data}\r\n--${boundary}--\r\n`,
  );
  const url = new URL(f.target.endpoint);
  const virtual = f.target.addressing === "virtual";
  return rawRequest(f, {
    method: "POST",
    path: virtual ? "/" : `/${bucket}`,
    headers: {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      ...(virtual ? { host: `${bucket}.${url.host}` } : {}),
    },
    body: Buffer.from(parts.join("")),
  });
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

suite("post-upload", () => {
  const f = fx!;
  const newBucket = async () => {
    const Bucket = f.bucketName("post");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  };
  const absent = (Bucket: string, Key: string) =>
    expectS3Error(f.s3.send(new HeadObjectCommand({ Bucket, Key })), 404);

  check("PutObject", "put-object.post-policy-upload", async () => {
    const bucket = await newBucket();
    const fields: [string, string][] = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
      ["key", "forms/${filename}"],
      ["Content-Type", "text/plain"],
      ["x-amz-meta-origin", "form"],
    ];
    const res = await postForm(
      f,
      bucket,
      [
        ...fields,
        ...signedFields(f, [
          { bucket },
          ["starts-with", "$key", "forms/"],
          { "Content-Type": "text/plain" },
          { "x-amz-meta-origin": "form" },
        ]),
      ],
      "posted body",
    );
    expect({ status: res.status, etag: res.headers.etag }).toEqual({
      status: 204,
      etag: `"${md5("posted body")}"`,
    });
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "forms/upload.txt" }));
    expect({
      body: (await bodyBytes(got.Body)).toString(),
      contentType: got.ContentType,
      meta: got.Metadata,
    }).toEqual({ body: "posted body", contentType: "text/plain", meta: { origin: "form" } });
  });

  check("PutObject", "put-object.post-policy-violation-refused", async () => {
    const bucket = await newBucket();
    const wrongKey = await postForm(
      f,
      bucket,
      [["key", "elsewhere/x"], ...signedFields(f, [{ bucket }, ["starts-with", "$key", "forms/"]])],
      "x",
    );
    expect({ status: wrongKey.status, code: errorCode(wrongKey.body) }).toEqual({
      status: 403,
      code: "AccessDenied",
    });
    expect(wrongKey.body).toContain("Invalid according to Policy: Policy Condition failed:");
    const extra = await postForm(
      f,
      bucket,
      [
        ["key", "forms/y"],
        ["x-amz-meta-extra", "1"],
        ...signedFields(f, [{ bucket }, ["starts-with", "$key", "forms/"]]),
      ],
      "x",
    );
    expect({ status: extra.status, code: errorCode(extra.body) }).toEqual({
      status: 403,
      code: "AccessDenied",
    });
    expect(extra.body).toContain("Invalid according to Policy: Extra input fields: x-amz-meta-extra");
    const expired = await postForm(
      f,
      bucket,
      [["key", "forms/z"], ...signedFields(f, [{ bucket }, { key: "forms/z" }], -60_000)],
      "x",
    );
    expect({ status: expired.status, code: errorCode(expired.body) }).toEqual({
      status: 403,
      code: "AccessDenied",
    });
    expect(expired.body).toContain("Invalid according to Policy: Policy expired.");
    await absent(bucket, "elsewhere/x");
    await absent(bucket, "forms/y");
    await absent(bucket, "forms/z");
  });

  check("PutObject", "put-object.post-policy-success-action-status", async () => {
    const bucket = await newBucket();
    const form = (key: string, status: string) => {
      const fields: [string, string][] = [
        ["key", key],
        ["success_action_status", status],
      ];
      return postForm(
        f,
        bucket,
        [...fields, ...signedFields(f, [{ bucket }, { key }, { success_action_status: status }])],
        "s",
      );
    };
    const created = await form("s201", "201");
    expect(created.status).toBe(201);
    expect(created.body).toMatch(/<PostResponse[^>]*>[\s\S]*<Bucket>/);
    expect(created.body).toContain(`<Key>s201</Key>`);
    expect(created.body).toContain(`<ETag>&quot;${md5("s")}&quot;</ETag>`);
    const ok = await form("s200", "200");
    expect({ status: ok.status, body: ok.body }).toEqual({ status: 200, body: "" });
    const other = await form("s999", "999");
    expect(other.status).toBe(204);
  });

  check("PutObject", "put-object.post-policy-content-length-range", async () => {
    const bucket = await newBucket();
    const form = (key: string, data: string) =>
      postForm(
        f,
        bucket,
        [["key", key], ...signedFields(f, [{ bucket }, { key }, ["content-length-range", 2, 5]])],
        data,
      );
    const large = await form("large", "123456");
    expect({ status: large.status, code: errorCode(large.body) }).toEqual({
      status: 400,
      code: "EntityTooLarge",
    });
    const small = await form("small", "1");
    expect({ status: small.status, code: errorCode(small.body) }).toEqual({
      status: 400,
      code: "EntityTooSmall",
    });
    const fits = await form("fits", "12345");
    expect(fits.status).toBe(204);
    await absent(bucket, "large");
    await absent(bucket, "small");
  });
});
