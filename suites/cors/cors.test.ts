// CORS: Put/Get/DeleteBucketCors through the SDK, OPTIONS preflights and actual requests with an Origin
// in raw HTTP, asserted against what AWS S3 answers.

import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { errorCode, rawRequest } from "../harness/raw.ts";
import { type Fixture, suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const RULES = [
  {
    ID: "app",
    AllowedOrigins: ["https://app.example"],
    AllowedMethods: ["GET", "PUT"],
    AllowedHeaders: ["content-type", "x-amz-*"],
    ExposeHeaders: ["ETag"],
    MaxAgeSeconds: 300,
  },
  { AllowedOrigins: ["*"], AllowedMethods: ["GET"] },
];

/** The path of a bucket or object URL in the target's addressing style, with the Host it needs. */
function address(f: Fixture, bucket: string, key?: string): { path: string; host?: string } {
  const suffix = key === undefined ? "" : `/${encodeURIComponent(key)}`;
  if (f.target.addressing !== "virtual") return { path: `/${bucket}${suffix}` };
  return { path: suffix || "/", host: `${bucket}.${new URL(f.target.endpoint).host}` };
}

function preflight(f: Fixture, bucket: string, key: string | undefined, headers: Record<string, string>) {
  const a = address(f, bucket, key);
  return rawRequest(f, {
    method: "OPTIONS",
    path: a.path,
    headers: { ...(a.host ? { host: a.host } : {}), ...headers },
  });
}

suite("cors", () => {
  const f = fx!;
  const newBucket = async (rules = true) => {
    const Bucket = f.bucketName("cors");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    if (rules) await f.s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: RULES } }));
    return Bucket;
  };
  const putRules = (Bucket: string, CORSRules: unknown) =>
    f.s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules } as never }));

  check("PutBucketCors", "put-bucket-cors.roundtrip", async () => {
    const bucket = await newBucket(false);
    const out = await f.s3.send(
      new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: RULES } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await f.s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual(RULES);
  });

  check("PutBucketCors", "put-bucket-cors.preflight-allowed", async () => {
    const bucket = await newBucket();
    const res = await preflight(f, bucket, "obj", {
      origin: "https://app.example",
      "access-control-request-method": "PUT",
      "access-control-request-headers": "content-type",
    });
    expect({
      status: res.status,
      origin: res.headers["access-control-allow-origin"],
      methods: res.headers["access-control-allow-methods"],
      headers: res.headers["access-control-allow-headers"],
      expose: res.headers["access-control-expose-headers"],
      maxAge: res.headers["access-control-max-age"],
    }).toEqual({
      status: 200,
      origin: "https://app.example",
      methods: "GET, PUT",
      headers: "content-type",
      expose: "ETag",
      maxAge: "300",
    });
    const any = await preflight(f, bucket, "obj", {
      origin: "https://other.example",
      "access-control-request-method": "GET",
    });
    expect({ status: any.status, origin: any.headers["access-control-allow-origin"] }).toEqual({
      status: 200,
      origin: "*",
    });
  });

  check("PutBucketCors", "put-bucket-cors.preflight-refused", async () => {
    const bucket = await newBucket();
    const res = await preflight(f, bucket, "obj", {
      origin: "https://other.example",
      "access-control-request-method": "PUT",
    });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 403,
      code: "AccessForbidden",
    });
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    const header = await preflight(f, bucket, "obj", {
      origin: "https://app.example",
      "access-control-request-method": "PUT",
      "access-control-request-headers": "x-not-allowed",
    });
    expect({ status: header.status, code: errorCode(header.body) }).toEqual({
      status: 403,
      code: "AccessForbidden",
    });
  });

  check("PutBucketCors", "put-bucket-cors.preflight-incomplete-bad-request", async () => {
    const bucket = await newBucket();
    const noOrigin = await preflight(f, bucket, "obj", { "access-control-request-method": "GET" });
    expect({ status: noOrigin.status, code: errorCode(noOrigin.body) }).toEqual({
      status: 400,
      code: "BadRequest",
    });
    const noMethod = await preflight(f, bucket, "obj", { origin: "https://app.example" });
    expect({ status: noMethod.status, code: errorCode(noMethod.body) }).toEqual({
      status: 400,
      code: "BadRequest",
    });
  });

  check("PutBucketCors", "put-bucket-cors.actual-request-headers", async () => {
    const bucket = await newBucket();
    const client = f.client();
    let seen: Record<string, string> = {};
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers.origin = "https://app.example";
        const out = await next(args);
        seen = (out.response as { headers: Record<string, string> }).headers;
        return out;
      },
      { step: "finalizeRequest", name: "parityOrigin", priority: "low" },
    );
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "obj", Body: "x" }));
    expect({
      origin: seen["access-control-allow-origin"],
      methods: seen["access-control-allow-methods"],
      expose: seen["access-control-expose-headers"],
      credentials: seen["access-control-allow-credentials"],
    }).toEqual({ origin: "https://app.example", methods: "GET, PUT", expose: "ETag", credentials: "true" });
  });

  check("PutBucketCors", "put-bucket-cors.malformed-refused", async () => {
    const bucket = await newBucket();
    await expectS3Error(putRules(bucket, []), 400, "MalformedXML");
    await expectS3Error(
      putRules(bucket, [{ AllowedOrigins: ["*"], AllowedMethods: [] }]),
      400,
      "MalformedXML",
    );
    await expectS3Error(
      putRules(bucket, [{ AllowedOrigins: ["http://*.*.example"], AllowedMethods: ["GET"] }]),
      400,
      "InvalidRequest",
    );
    await expectS3Error(
      putRules(bucket, [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"], ExposeHeaders: ["*"] }]),
      400,
      "InvalidRequest",
    );
    // Refused configurations leave the stored one as it was.
    expect((await f.s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual(RULES);
  });

  check("PutBucketCors", "put-bucket-cors.unsupported-method-refused", async () => {
    const bucket = await newBucket(false);
    const seen = await expectS3Error(
      putRules(bucket, [{ AllowedOrigins: ["*"], AllowedMethods: ["PATCH"] }]),
      400,
      "InvalidRequest",
    );
    expect(seen.code).toBe("InvalidRequest");
    await expectS3Error(
      f.s3.send(new GetBucketCorsCommand({ Bucket: bucket })),
      404,
      "NoSuchCORSConfiguration",
    );
  });

  check("GetBucketCors", "get-bucket-cors.returns-rules", async () => {
    const bucket = await newBucket();
    const out = await f.s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect({ status: out.$metadata.httpStatusCode, rules: out.CORSRules }).toEqual({
      status: 200,
      rules: RULES,
    });
  });

  check("GetBucketCors", "get-bucket-cors.not-configured", async () => {
    const bucket = await newBucket(false);
    await expectS3Error(
      f.s3.send(new GetBucketCorsCommand({ Bucket: bucket })),
      404,
      "NoSuchCORSConfiguration",
    );
  });

  check("DeleteBucketCors", "delete-bucket-cors.removes-and-preflight-refused", async () => {
    const bucket = await newBucket();
    const out = await f.s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new GetBucketCorsCommand({ Bucket: bucket })),
      404,
      "NoSuchCORSConfiguration",
    );
    const res = await preflight(f, bucket, "obj", {
      origin: "https://app.example",
      "access-control-request-method": "GET",
    });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 403,
      code: "AccessForbidden",
    });
  });
});
