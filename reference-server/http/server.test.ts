// The HTTP front end end to end: request ids, authentication outcomes, NotImplemented over the wire,
// virtual-hosted-style addressing, and hostile bodies that must leave nothing behind.

import { randomBytes } from "node:crypto";
import { CreateBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  bucketName,
  clientFor,
  errorOf,
  rawRequest,
  signedRequest,
  startTestServer,
  type TestServer,
} from "../api/test-support.ts";
import { ROUTES, routeKey, SUB_RESOURCES } from "./routes.ts";

let t: TestServer;
let bucket: string;
beforeAll(async () => {
  t = await startTestServer({ baseDomains: ["s3.parity.test"] });
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => t.stop());

const listed = async (prefix: string) =>
  (await t.server.engine.listObjects({ bucket, prefix })).objects.map((o) => o.key);

describe("every response", () => {
  test("carries x-amz-request-id and x-amz-id-2, errors included, and the XML names the same id", async () => {
    const anon = await rawRequest(t.server.endpoint, { method: "GET", path: "/" });
    expect(anon.status).toBe(403);
    expect(anon.headers["x-amz-request-id"]).toMatch(/^[0-9A-F]{16}$/);
    expect(anon.headers["x-amz-id-2"]).toBeTruthy();
    expect(anon.body).toContain("<Code>AccessDenied</Code>");
    expect(anon.body).toContain(`<RequestId>${anon.headers["x-amz-request-id"]}</RequestId>`);
    const ok = await signedRequest(t.server, { method: "GET", path: "/" });
    expect(ok.status).toBe(200);
    expect(ok.headers["x-amz-request-id"]).toMatch(/^[0-9A-F]{16}$/);
    const missing = await signedRequest(t.server, { method: "GET", path: `/${bucket}/nope` });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain(`<Resource>/${bucket}/nope</Resource>`);
    expect(missing.headers["x-amz-id-2"]).toBeTruthy();
  });
});

describe("authentication", () => {
  test("wrong secret → SignatureDoesNotMatch, unknown key → InvalidAccessKeyId, anonymous → AccessDenied", async () => {
    const bad = clientFor(t.server, "us-east-1", "wrong-secret");
    const e1 = await errorOf(bad.send(new ListBucketsCommand({})));
    expect(e1.name).toBe("SignatureDoesNotMatch");
    expect(e1.$metadata.httpStatusCode).toBe(403);
    bad.destroy();
    const unknown = await signedRequest(t.server, { method: "GET", path: "/", accessKeyId: "AKIDUNKNOWN" });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toContain("<Code>InvalidAccessKeyId</Code>");
    const anonPut = await rawRequest(t.server.endpoint, {
      method: "PUT",
      path: `/${bucket}/anon`,
      body: "x",
    });
    expect(anonPut.status).toBe(403);
    expect(await listed("anon")).toEqual([]);
  });
});

describe("NotImplemented", () => {
  test("over the wire, every unrouted sub-resource at bucket and object level answers 501", async () => {
    for (const sub of SUB_RESOURCES) {
      for (const [level, path] of [
        ["bucket", `/${bucket}`],
        ["object", `/${bucket}/k`],
      ] as const) {
        for (const method of ["GET", "PUT", "POST", "DELETE"]) {
          if (ROUTES.has(routeKey(method, level, sub))) continue;
          const res = await signedRequest(t.server, { method, path, query: { [sub]: "" } });
          expect(res.status, `${method} ${path}?${sub}`).toBe(501);
          expect(res.body).toContain("<Code>NotImplemented</Code>");
        }
      }
    }
  });
});

describe("addressing", () => {
  test("virtual-hosted-style: the bucket comes from the Host header", async () => {
    const port = new URL(t.server.endpoint).port;
    const host = `${bucket}.s3.parity.test:${port}`;
    const put = await signedRequest(t.server, {
      method: "PUT",
      path: "/vh/key.txt",
      host,
      body: "hello vhost",
    });
    expect(put.status).toBe(200);
    const get = await signedRequest(t.server, { method: "GET", path: "/vh/key.txt", host });
    expect(get.body).toBe("hello vhost");
    const path = await signedRequest(t.server, { method: "GET", path: `/${bucket}/vh/key.txt` });
    expect(path.body).toBe("hello vhost");
    const list = await signedRequest(t.server, {
      method: "GET",
      path: "/",
      host,
      query: { "list-type": "2", prefix: "vh/" },
    });
    expect(list.body).toContain("<Key>vh/key.txt</Key>");
  });

  test("invalid percent-encoding in the path is InvalidURI", async () => {
    const res = await rawRequest(t.server.endpoint, { method: "GET", path: `/${bucket}/%ff%fe` });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>InvalidURI</Code>");
  });
});

describe("other signing modes through the whole stack", () => {
  test("presigned GET works; a tampered presigned URL does not", async () => {
    const { httpRequest, sdkSigner } = await import("../auth/test-support.ts");
    await signedRequest(t.server, {
      method: "PUT",
      path: `/${bucket}/presigned.txt`,
      body: "presigned body",
    });
    const host = new URL(t.server.endpoint).host;
    const signer = sdkSigner({
      accessKeyId: t.server.accessKeyId,
      secretAccessKey: t.server.secretAccessKey,
    });
    // As the SDK's presigner does: S3 presigned URLs carry an unsigned payload.
    const unsigned = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    const p = await signer.presign(
      httpRequest({ method: "GET", path: `/${bucket}/presigned.txt`, host, headers: unsigned }),
      {
        expiresIn: 300,
      },
    );
    const qs = new URLSearchParams(p.query as Record<string, string>).toString();
    const ok = await rawRequest(t.server.endpoint, { method: "GET", path: `${p.path}?${qs}` });
    expect(ok.body).toBe("presigned body");
    expect(ok.status).toBe(200);
    const other = await rawRequest(t.server.endpoint, { method: "GET", path: `/${bucket}/other.txt?${qs}` });
    expect(other.status).toBe(403);
    expect(other.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  test("STREAMING-AWS4-HMAC-SHA256-PAYLOAD: signed chunks accepted; a forged chunk is refused and not stored", async () => {
    const { encodeAwsChunked, httpRequest, sdkSigner } = await import("../auth/test-support.ts");
    const { signingKey } = await import("../auth/signing-key.ts");
    const host = new URL(t.server.endpoint).host;
    const data = randomBytes(40_000);
    const put = async (key: string, tamper: boolean) => {
      const opts = { chunkSize: 16_384 };
      const length = encodeAwsChunked(data, {
        ...opts,
        signing: { seed: "0".repeat(64), key: Buffer.alloc(32), scope: "", timestamp: "" },
      }).length;
      const req = httpRequest({
        method: "PUT",
        path: `/${bucket}/${key}`,
        host,
        headers: {
          "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
          "content-encoding": "aws-chunked",
          "x-amz-decoded-content-length": String(data.length),
          "content-length": String(length),
        },
      });
      const s = await sdkSigner({
        accessKeyId: t.server.accessKeyId,
        secretAccessKey: t.server.secretAccessKey,
      }).sign(req);
      const h = s.headers as Record<string, string>;
      const seed = /Signature=([0-9a-f]{64})/.exec(h.authorization)![1];
      const timestamp = h["x-amz-date"];
      const date = timestamp.slice(0, 8);
      const scope = `${date}/us-east-1/s3/aws4_request`;
      const body = encodeAwsChunked(data, {
        ...opts,
        signing: {
          seed,
          key: signingKey(t.server.secretAccessKey, date, "us-east-1", "s3"),
          scope,
          timestamp,
        },
      });
      expect(body.length).toBe(length);
      if (tamper) body[body.length - 200] ^= 1;
      return rawRequest(t.server.endpoint, { method: "PUT", path: `/${bucket}/${key}`, headers: h, body });
    };
    const ok = await put("chunked/good", false);
    expect(ok.status).toBe(200);
    const got = await t.server.engine.getObject({ bucket, key: "chunked/good" });
    const parts: Buffer[] = [];
    for await (const c of got.body) parts.push(c);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    const bad = await put("chunked/bad", true);
    expect(bad.status).toBe(403);
    expect(bad.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(await listed("chunked/")).toEqual(["chunked/good"]);
  });
});

describe("Signature V2 (legacy clients) through the server", () => {
  test("header-signed PUT and GET, path-style and virtual-hosted-style", async () => {
    const { signV2, stringToSignV2 } = await import("../auth/sigv2.ts");
    const port = new URL(t.server.endpoint).port;
    const v2 = (
      method: string,
      rawPath: string,
      headers: Record<string, string>,
      virtualHostBucket?: string,
    ) => {
      const all = { date: new Date().toUTCString(), ...headers };
      const sts = stringToSignV2({ method, rawPath, query: [], headers: all, virtualHostBucket }, all.date);
      return {
        ...all,
        authorization: `AWS ${t.server.accessKeyId}:${signV2(t.server.secretAccessKey, sts)}`,
      };
    };
    const path = `/${bucket}/v2/key.txt`;
    const put = await rawRequest(t.server.endpoint, {
      method: "PUT",
      path,
      headers: v2("PUT", path, { "content-type": "text/plain", "content-length": "7" }),
      body: "v2 body",
    });
    expect(put.status).toBe(200);
    const get = await rawRequest(t.server.endpoint, { method: "GET", path, headers: v2("GET", path, {}) });
    expect(get.body).toBe("v2 body");
    const host = `${bucket}.s3.parity.test:${port}`;
    const vh = await rawRequest(t.server.endpoint, {
      method: "GET",
      path: "/v2/key.txt",
      headers: { host, ...v2("GET", "/v2/key.txt", {}, bucket) },
    });
    expect(vh.body).toBe("v2 body");
    const forged = await rawRequest(t.server.endpoint, {
      method: "GET",
      path: `/${bucket}/v2/other.txt`,
      headers: v2("GET", path, {}),
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
