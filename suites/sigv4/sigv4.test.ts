// Signature V4 in every payload mode, and presigned URLs, through raw signed requests: the suites' own
// signer (harness/sigv4.ts) lets a check break exactly one thing — a chunk signature, the payload hash,
// the expiry — and assert AWS's answer, and that nothing half-written becomes visible.

import { crc32 } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error } from "../harness/assert.ts";
import { errorCode, type RawResponse, rawRequest } from "../harness/raw.ts";
import { awsChunked, EMPTY_SHA256, presign, signRequest } from "../harness/sigv4.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

// 3 chunks of 8 KiB (AWS's minimum chunk size) and a short last one.
const DATA = Buffer.from(Array.from({ length: 8192 * 3 + 100 }, (_, i) => (i * 31 + 7) & 0xff));
const crc32b64 = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b) >>> 0);
  return out.toString("base64");
};

suite("signature v4 payload modes and presigned URLs", () => {
  const f = fx!;
  let bucket = "";
  const creds = () => f.target.main;
  const enc = (key: string) => key.split("/").map(encodeURIComponent).join("/");

  beforeAll(async () => {
    bucket = f.bucketName("sigv4");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  async function getBody(key: string): Promise<RawResponse> {
    const path = `/${bucket}/${enc(key)}`;
    const s = signRequest({
      method: "GET",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: creds(),
      payloadHash: EMPTY_SHA256,
    });
    return rawRequest(f, { method: "GET", path, headers: s.headers });
  }

  async function expectAbsent(key: string): Promise<void> {
    await expectS3Error(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), 404);
  }

  /** PUT with aws-chunked framing in one of the streaming modes. */
  async function putChunked(
    key: string,
    mode: "signed" | "signed-trailer" | "unsigned-trailer",
    extra: { breakChunk?: number; crc?: string } = {},
  ): Promise<RawResponse> {
    const path = `/${bucket}/${enc(key)}`;
    const trailer = mode !== "signed";
    const payloadHash = {
      signed: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "signed-trailer": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      "unsigned-trailer": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    }[mode];
    const headers: Record<string, string> = {
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": String(DATA.length),
    };
    if (trailer) headers["x-amz-trailer"] = "x-amz-checksum-crc32";
    // The framed length depends on the signatures only through their fixed width: sign, then frame.
    const s = signRequest({
      method: "PUT",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: creds(),
      payloadHash,
      headers: { ...headers, "content-length": String(framedLength(mode)) },
    });
    const body = awsChunked(DATA, {
      chunkSize: 8192,
      ...(mode === "unsigned-trailer" ? {} : { seed: s }),
      ...(trailer ? { trailers: { "x-amz-checksum-crc32": extra.crc ?? crc32b64(DATA) } } : {}),
      ...(extra.breakChunk !== undefined ? { breakChunk: extra.breakChunk } : {}),
    });
    expect(body.length).toBe(framedLength(mode));
    return rawRequest(f, { method: "PUT", path, headers: s.headers, body });
  }

  function framedLength(mode: "signed" | "signed-trailer" | "unsigned-trailer"): number {
    const fake = { signature: "0".repeat(64), signingKey: Buffer.alloc(32), scope: "s", amzDate: "d" };
    return awsChunked(DATA, {
      chunkSize: 8192,
      ...(mode === "unsigned-trailer" ? {} : { seed: fake }),
      ...(mode !== "signed" ? { trailers: { "x-amz-checksum-crc32": crc32b64(DATA) } } : {}),
    }).length;
  }

  check("PutObject", "put-object.sigv4-streaming-signed", async () => {
    const res = await putChunked("streaming-signed", "signed");
    expect(res.status).toBe(200);
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "streaming-signed" }));
    expect((await bodyBytes(got.Body)).equals(DATA)).toBe(true);
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "streaming-signed" }));
    expect(head.ContentLength).toBe(DATA.length);
    // The framing never leaks into the object.
    expect(head.ContentEncoding ?? "").not.toContain("aws-chunked");
  });

  check("PutObject", "put-object.sigv4-streaming-signed-trailer", async () => {
    const res = await putChunked("streaming-signed-trailer", "signed-trailer");
    expect(res.status).toBe(200);
    expect(res.headers["x-amz-checksum-crc32"]).toBe(crc32b64(DATA));
    const head = await f.s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "streaming-signed-trailer", ChecksumMode: "ENABLED" }),
    );
    expect({ size: head.ContentLength, crc: head.ChecksumCRC32 }).toEqual({
      size: DATA.length,
      crc: crc32b64(DATA),
    });
  });

  check("PutObject", "put-object.sigv4-streaming-unsigned-trailer", async () => {
    const res = await putChunked("streaming-unsigned-trailer", "unsigned-trailer");
    expect(res.status).toBe(200);
    const head = await f.s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "streaming-unsigned-trailer", ChecksumMode: "ENABLED" }),
    );
    expect({ size: head.ContentLength, crc: head.ChecksumCRC32 }).toEqual({
      size: DATA.length,
      crc: crc32b64(DATA),
    });
  });

  check("PutObject", "put-object.sigv4-bad-chunk-signature-refused", async () => {
    // The second chunk's signature is wrong: refused, and the object never appears.
    const res = await putChunked("bad-chunk", "signed", { breakChunk: 1 });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
    await expectAbsent("bad-chunk");
  });

  check("PutObject", "put-object.sigv4-trailer-checksum-mismatch-refused", async () => {
    const res = await putChunked("bad-trailer", "unsigned-trailer", { crc: "AAAAAA==" });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status: 400, code: "BadDigest" });
    await expectAbsent("bad-trailer");
  });

  check("PutObject", "put-object.sigv4-payload-hash-mismatch", async () => {
    const path = `/${bucket}/hash-mismatch`;
    const s = signRequest({
      method: "PUT",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: creds(),
      payloadHash: EMPTY_SHA256, // signed as empty, sent with a body
    });
    const res = await rawRequest(f, { method: "PUT", path, headers: s.headers, body: "not empty" });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 400,
      code: "XAmzContentSHA256Mismatch",
    });
    await expectAbsent("hash-mismatch");
  });

  check("PutObject", "put-object.sigv4-unsigned-payload", async () => {
    const path = `/${bucket}/unsigned-payload`;
    const s = signRequest({
      method: "PUT",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: creds(),
      payloadHash: "UNSIGNED-PAYLOAD",
    });
    const res = await rawRequest(f, { method: "PUT", path, headers: s.headers, body: "unsigned body" });
    expect(res.status).toBe(200);
    expect((await getBody("unsigned-payload")).body).toBe("unsigned body");
  });

  check("PutObject", "put-object.presigned", async () => {
    const url = presign({
      method: "PUT",
      endpoint: f.target.endpoint,
      path: `/${bucket}/presigned-put`,
      region: f.target.region,
      credentials: creds(),
      expiresSeconds: 300,
    });
    const res = await rawRequest(f, { method: "PUT", path: url, body: "via presigned url" });
    expect(res.status).toBe(200);
    expect((await getBody("presigned-put")).body).toBe("via presigned url");
  });

  async function putText(key: string, text: string): Promise<void> {
    const path = `/${bucket}/${enc(key)}`;
    const s = signRequest({
      method: "PUT",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: creds(),
      payloadHash: "UNSIGNED-PAYLOAD",
    });
    const res = await rawRequest(f, { method: "PUT", path, headers: s.headers, body: text });
    expect(res.status).toBe(200);
  }

  check("GetObject", "get-object.presigned", async () => {
    await putText("presigned get/ünï", "read me");
    const url = presign({
      method: "GET",
      endpoint: f.target.endpoint,
      path: `/${bucket}/${enc("presigned get/ünï")}`,
      region: f.target.region,
      credentials: creds(),
      expiresSeconds: 300,
    });
    const res = await rawRequest(f, { method: "GET", path: url });
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: "read me" });
  });

  check("GetObject", "get-object.presigned-expired", async () => {
    await putText("presigned-expired", "x");
    const url = presign({
      method: "GET",
      endpoint: f.target.endpoint,
      path: `/${bucket}/presigned-expired`,
      region: f.target.region,
      credentials: creds(),
      expiresSeconds: 60,
      date: new Date(Date.now() - 5 * 60_000),
    });
    const res = await rawRequest(f, { method: "GET", path: url });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status: 403, code: "AccessDenied" });
    expect(res.body).toContain("Request has expired");
  });

  check("GetObject", "get-object.presigned-tampered-refused", async () => {
    await putText("tamper-a", "a");
    await putText("tamper-b", "b");
    const url = presign({
      method: "GET",
      endpoint: f.target.endpoint,
      path: `/${bucket}/tamper-a`,
      region: f.target.region,
      credentials: creds(),
      expiresSeconds: 300,
    });
    // The signature for tamper-a does not open tamper-b.
    const res = await rawRequest(f, { method: "GET", path: url.replace("tamper-a", "tamper-b") });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
  });

  check("GetObject", "get-object.presigned-over-a-week-refused", async () => {
    await putText("week", "w");
    const url = presign({
      method: "GET",
      endpoint: f.target.endpoint,
      path: `/${bucket}/week`,
      region: f.target.region,
      credentials: creds(),
      expiresSeconds: 7 * 24 * 3600 + 1,
    });
    const res = await rawRequest(f, { method: "GET", path: url });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 400,
      code: "AuthorizationQueryParametersError",
    });
  });

  check("GetObject", "get-object.sigv4-mismatch-shows-canonical-request", async () => {
    await putText("mismatch", "m");
    const path = `/${bucket}/mismatch`;
    const s = signRequest({
      method: "GET",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: { ...creds(), secretAccessKey: `${creds().secretAccessKey}x` },
      payloadHash: EMPTY_SHA256,
    });
    const res = await rawRequest(f, { method: "GET", path, headers: s.headers });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
    // AWS explains a mismatch with what it computed, so a client author can diff it with theirs.
    // Newlines may come literally or as character references: both are the same XML text.
    const text = res.body.replace(/&#(?:xA|10);/gi, "\n");
    expect(text).toMatch(/<CanonicalRequest>GET\n\/[^<]*mismatch/);
    expect(text).toMatch(/<StringToSign>AWS4-HMAC-SHA256\n/);
    expect(text).toContain(`<AWSAccessKeyId>${creds().accessKeyId}</AWSAccessKeyId>`);
  });

  check("GetObject", "get-object.sigv4-wrong-region-refused", async () => {
    const path = `/${bucket}/mismatch`;
    const wrong = f.target.region === "eu-west-3" ? "ap-south-1" : "eu-west-3";
    const s = signRequest({
      method: "GET",
      endpoint: f.target.endpoint,
      path,
      region: wrong,
      credentials: creds(),
      payloadHash: EMPTY_SHA256,
    });
    const res = await rawRequest(f, { method: "GET", path, headers: s.headers });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 400,
      code: "AuthorizationHeaderMalformed",
    });
    expect(res.body).toContain(`<Region>${f.target.region}</Region>`);
  });
});
