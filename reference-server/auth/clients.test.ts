// The real clients (@aws-sdk/client-s3, minio) against a minimal loopback node:http server that uses this
// layer as the HTTP layer will: authenticate → verifyBody → commit, S3Error → renderErrorXml.

import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Client as MinioClient } from "minio";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderErrorXml, S3Error } from "../http/s3-error.ts";
import { authenticate } from "./authenticate.ts";
import { verifyBody } from "./payload.ts";
import { collect, EXAMPLE, lookupOf } from "./test-support.ts";
import type { AuthContext } from "./types.ts";

interface Stored {
  data: Buffer;
  trailers: Record<string, string>;
  ctx: AuthContext;
}
const objects = new Map<string, Stored>();
let server: Server;
let endpoint: string;
let port: number;

async function handle(req: IncomingMessage, res: ServerResponse) {
  const rawPath = req.url!.split("?")[0];
  const query = new URL(req.url!, "http://placeholder").searchParams;
  try {
    const ctx = authenticate(
      { method: req.method!, rawPath, query, headers: req.headersDistinct },
      lookupOf(EXAMPLE),
      { now: new Date(), region: "us-east-1" },
    );
    if (req.method === "PUT") {
      const body = verifyBody(req, ctx.payload, req.headersDistinct);
      const data = await collect(body);
      objects.set(rawPath, { data, trailers: { ...body.trailers }, ctx });
      res.writeHead(200, { etag: `"${createHash("md5").update(data).digest("hex")}"` }).end();
      return;
    }
    const found = objects.get(rawPath);
    if (!found) throw new S3Error("NoSuchKey", { resource: rawPath });
    res.writeHead(200, { "content-length": found.data.length }).end(found.data);
  } catch (e) {
    const err = e instanceof S3Error ? e : new S3Error("InternalError");
    req.resume();
    res
      .writeHead(err.status, { "content-type": "application/xml" })
      .end(renderErrorXml(err, "req-1", "host-1"));
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sdk(secretAccessKey = EXAMPLE.secretAccessKey) {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: EXAMPLE.accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

function crc32Base64(data: Buffer) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data));
  return b.toString("base64");
}

describe("@aws-sdk/client-s3", () => {
  const key = "dir/français 🙂/a+b (1)!.bin";

  test("PutObject with a buffer: x-amz-content-sha256 verified", async () => {
    const data = randomBytes(100_000);
    await sdk().send(new PutObjectCommand({ Bucket: "bucket", Key: key, Body: data }));
    const stored = [...objects.values()].at(-1)!;
    expect(stored.data.equals(data)).toBe(true);
    expect(stored.ctx).toMatchObject({ kind: "signed", version: "v4", method: "header" });
    expect(["sha256", "unsigned"]).toContain(stored.ctx.payload.mode);
  });

  test("PutObject with a stream: aws-chunked with a CRC32 trailer (the SDK default)", async () => {
    const data = randomBytes(300_000);
    const stream = Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]);
    await sdk().send(
      new PutObjectCommand({ Bucket: "bucket", Key: "streamed", Body: stream, ContentLength: data.length }),
    );
    const stored = objects.get("/bucket/streamed")!;
    expect(stored.ctx.payload.mode).toBe("streaming-unsigned-trailer");
    expect(stored.data.equals(data)).toBe(true);
    expect(stored.trailers).toEqual({ "x-amz-checksum-crc32": crc32Base64(data) });
  });

  test("GetObject round trip and S3 errors parsed by the SDK", async () => {
    const got = await sdk().send(new GetObjectCommand({ Bucket: "bucket", Key: "streamed" }));
    expect((await got.Body!.transformToByteArray()).length).toBe(300_000);
    await expect(
      sdk("wrong-secret").send(new GetObjectCommand({ Bucket: "bucket", Key: "streamed" })),
    ).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      $metadata: { httpStatusCode: 403, requestId: "req-1" },
    });
    await expect(
      sdk().send(new GetObjectCommand({ Bucket: "bucket", Key: "missing" })),
    ).rejects.toMatchObject({
      name: "NoSuchKey",
    });
  });
});

describe("minio client", () => {
  const minio = () =>
    new MinioClient({
      endPoint: "127.0.0.1",
      port,
      useSSL: false,
      accessKey: EXAMPLE.accessKeyId,
      secretKey: EXAMPLE.secretAccessKey,
      region: "us-east-1",
      pathStyle: true,
    });

  test("putObject (signed SHA-256 payload) and a presigned GET", async () => {
    const data = randomBytes(50_000);
    await minio().putObject("bucket", "minio/key with spaces & ü.txt", data, data.length);
    const stored = [...objects.values()].at(-1)!;
    expect(stored.ctx.payload.mode).toBe("sha256");
    expect(stored.data.equals(data)).toBe(true);

    const url = await minio().presignedGetObject("bucket", "minio/key with spaces & ü.txt", 60);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
    const forged = await fetch(url.replace("minio%2Fkey", "minio%2Fkez").replace("minio/key", "minio/kez"));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
