// CORS through HTTP: Put/Get/DeleteBucketCors with the SDK (AWS's validation), OPTIONS preflights sent
// raw (unauthenticated), and the grant on actual responses, errors included.

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, signedRequest, startTestServer, type TestServer } from "../test-support.ts";
import { hostRequest } from "./test-support.ts";

let t: TestServer;
let bucket: string;

const RULES = [
  {
    ID: "app",
    AllowedOrigins: ["https://app.example", "https://*.preview.example"],
    AllowedMethods: ["GET", "PUT"],
    AllowedHeaders: ["content-type", "x-amz-*"],
    ExposeHeaders: ["ETag", "x-amz-request-id"],
    MaxAgeSeconds: 600,
  },
  { AllowedOrigins: ["*"], AllowedMethods: ["GET", "HEAD"] },
];

beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName("cors");
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await t.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: RULES } }));
  await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "obj", Body: "hi" }));
});
afterAll(() => t.stop());

const codeOf = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
const options = (path: string, headers: Record<string, string>) =>
  hostRequest(t.server.endpoint, { method: "OPTIONS", path, headers });

describe("configuration", () => {
  test("round-trips the rules in AWS's shape", async () => {
    const got = await t.s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(got.CORSRules).toEqual(RULES);
  });

  test("not configured, then deleted", async () => {
    const b = bucketName("nocors");
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    const e = await errorOf(t.s3.send(new GetBucketCorsCommand({ Bucket: b })));
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([404, "NoSuchCORSConfiguration"]);
    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: b,
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"] }] },
      }),
    );
    const del = await t.s3.send(new DeleteBucketCorsCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const after = await errorOf(t.s3.send(new GetBucketCorsCommand({ Bucket: b })));
    expect(after.name).toBe("NoSuchCORSConfiguration");
    const pre = await options(`/${b}/k`, {
      origin: "https://a.example",
      "access-control-request-method": "GET",
    });
    expect([pre.status, codeOf(pre.body)]).toEqual([403, "AccessForbidden"]);
    expect(pre.body).toContain("CORSResponse: CORS is not enabled for this bucket.");
  });

  test("invalid configurations are refused as AWS refuses them", async () => {
    const put = (CORSRules: unknown) =>
      errorOf(
        t.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules } as never })),
      );
    const cases: [unknown, string, string | undefined][] = [
      [
        [{ AllowedOrigins: ["*"], AllowedMethods: ["PATCH"] }],
        "InvalidRequest",
        "Unsupported method is PATCH",
      ],
      [
        [{ AllowedOrigins: ["http://*.*.example"], AllowedMethods: ["GET"] }],
        "InvalidRequest",
        "can not have more than one wildcard",
      ],
      [
        [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"], AllowedHeaders: ["*-*-*"] }],
        "InvalidRequest",
        "can not have more than one wildcard",
      ],
      [
        [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"], ExposeHeaders: ["*"] }],
        "InvalidRequest",
        "wildcard for ExposeHeader",
      ],
      [[{ AllowedOrigins: ["*"], AllowedMethods: [] }], "MalformedXML", undefined],
      [[{ AllowedOrigins: [], AllowedMethods: ["GET"] }], "MalformedXML", undefined],
      [[], "MalformedXML", undefined],
      [
        Array.from({ length: 101 }, () => ({ AllowedOrigins: ["*"], AllowedMethods: ["GET"] })),
        "InvalidRequest",
        "100 rules",
      ],
    ];
    for (const [rules, code, text] of cases) {
      const e = await put(rules);
      expect([e.$metadata.httpStatusCode, e.name], JSON.stringify(rules).slice(0, 80)).toEqual([400, code]);
      if (text) expect(e.message).toContain(text);
    }
    const doc =
      "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>" +
      "<MaxAgeSeconds>ten</MaxAgeSeconds></CORSRule></CORSConfiguration>";
    const send = (md5?: string) =>
      signedRequest(t.server, {
        method: "PUT",
        path: `/${bucket}`,
        query: { cors: "" },
        body: doc,
        headers: md5 ? { "content-md5": md5 } : {},
      });
    const notInt = await send(createHash("md5").update(doc).digest("base64"));
    expect([notInt.status, codeOf(notInt.body)]).toEqual([400, "MalformedXML"]);
    const wrongDigest = await send("AAAAAAAAAAAAAAAAAAAAAA==");
    expect([wrongDigest.status, codeOf(wrongDigest.body)]).toEqual([400, "BadDigest"]);
    // AWS wants Content-MD5 (or an x-amz-checksum-*) on PutBucketCors.
    const noDigest = await send();
    expect([noDigest.status, codeOf(noDigest.body)]).toEqual([400, "InvalidRequest"]);
    // The stored configuration is untouched by refused ones.
    expect((await t.s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual(RULES);
  });
});

describe("preflight", () => {
  test("an allowed origin, method and headers get the grant of the first matching rule", async () => {
    const res = await options(`/${bucket}/obj`, {
      origin: "https://pr-7.preview.example",
      "access-control-request-method": "PUT",
      "access-control-request-headers": "Content-Type, X-Amz-Date",
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect(res.headers).toMatchObject({
      "access-control-allow-origin": "https://pr-7.preview.example",
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "content-type, x-amz-date",
      "access-control-expose-headers": "ETag, x-amz-request-id",
      "access-control-max-age": "600",
      "access-control-allow-credentials": "true",
      vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    });
    expect(res.headers["x-amz-request-id"]).toBeTruthy();
  });

  test("a wildcard origin answers * without credentials; bucket URLs work too", async () => {
    const res = await options(`/${bucket}`, {
      origin: "https://any.example",
      "access-control-request-method": "HEAD",
    });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-methods"]).toBe("GET, HEAD");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  test("refused: no rule matches; 400 without Origin or method; unknown bucket", async () => {
    const noRule = await options(`/${bucket}/obj`, {
      origin: "https://evil.example",
      "access-control-request-method": "PUT",
    });
    expect([noRule.status, codeOf(noRule.body)]).toEqual([403, "AccessForbidden"]);
    expect(noRule.body).toContain("CORSResponse: This CORS request is not allowed.");
    expect(noRule.body).toContain("<Method>PUT</Method><ResourceType>OBJECT</ResourceType>");
    const badHeader = await options(`/${bucket}/obj`, {
      origin: "https://app.example",
      "access-control-request-method": "PUT",
      "access-control-request-headers": "authorization",
    });
    expect(badHeader.status).toBe(403);
    const noOrigin = await options(`/${bucket}/obj`, { "access-control-request-method": "GET" });
    expect([noOrigin.status, codeOf(noOrigin.body)]).toEqual([400, "BadRequest"]);
    const noMethod = await options(`/${bucket}/obj`, { origin: "https://app.example" });
    expect([noMethod.status, codeOf(noMethod.body)]).toEqual([400, "BadRequest"]);
    const noBucket = await options("/no-such-bucket-cors/x", {
      origin: "https://app.example",
      "access-control-request-method": "GET",
    });
    expect([noBucket.status, codeOf(noBucket.body)]).toEqual([404, "NoSuchBucket"]);
  });
});

describe("actual requests", () => {
  test("a matching Origin gets the grant on the answer, errors included", async () => {
    const ok = await signedRequest(t.server, {
      method: "GET",
      path: `/${bucket}/obj`,
      headers: { origin: "https://app.example" },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers).toMatchObject({
      "access-control-allow-origin": "https://app.example",
      "access-control-allow-methods": "GET, PUT",
      "access-control-expose-headers": "ETag, x-amz-request-id",
      "access-control-allow-credentials": "true",
      "access-control-max-age": "600",
    });
    const missing = await signedRequest(t.server, {
      method: "GET",
      path: `/${bucket}/missing`,
      headers: { origin: "https://app.example" },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers["access-control-allow-origin"]).toBe("https://app.example");
    // Unsigned, refused: still carries the grant, so the browser shows the page the real error.
    const anon = await hostRequest(t.server.endpoint, {
      method: "GET",
      path: `/${bucket}/obj`,
      headers: { origin: "https://x.example" },
    });
    expect(anon.status).toBe(403);
    expect(anon.headers["access-control-allow-origin"]).toBe("*");
  });

  test("no Origin, or an Origin no rule allows: no grant", async () => {
    const plain = await signedRequest(t.server, { method: "GET", path: `/${bucket}/obj` });
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
    const del = await signedRequest(t.server, {
      method: "DELETE",
      path: `/${bucket}/nothing`,
      headers: { origin: "https://app.example" },
    });
    expect(del.status).toBe(204);
    expect(del.headers["access-control-allow-origin"]).toBeUndefined();
    expect(del.headers.vary).toBe("Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  });
});
