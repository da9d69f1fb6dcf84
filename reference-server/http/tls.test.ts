// HTTPS: a self-signed certificate generated once and kept; TLS 1.2 and 1.3 accepted, older refused;
// the AWS SDK works over it when it trusts the certificate.

import { mkdtemp, rm } from "node:fs/promises";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type SecureVersion } from "node:tls";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ReferenceServer, startReferenceServer } from "../server.ts";

let dataDir: string;
let srv: ReferenceServer;
const engine = { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false };
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-tls-"));
  srv = await startReferenceServer({ dataDir, port: 0, env: {}, tls: true, engine });
});
afterAll(async () => {
  await srv.close();
  await rm(dataDir, { recursive: true, force: true });
});

function handshake(version: { min: SecureVersion; max: SecureVersion }): Promise<string> {
  const url = new URL(srv.endpoint);
  return new Promise((resolve, reject) => {
    const sock = connect({
      host: url.hostname,
      port: Number(url.port),
      ca: srv.certificate,
      minVersion: version.min,
      maxVersion: version.max,
    });
    sock.once("secureConnect", () => {
      const p = sock.getProtocol() ?? "";
      sock.destroy();
      resolve(p);
    });
    sock.once("error", reject);
  });
}

describe("TLS listener", () => {
  test("serves HTTPS with a self-signed certificate the SDK can trust", async () => {
    expect(srv.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(srv.certificate).toContain("BEGIN CERTIFICATE");
    const s3 = new S3Client({
      endpoint: srv.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: srv.accessKeyId, secretAccessKey: srv.secretAccessKey },
      requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: srv.certificate }) }),
    });
    await s3.send(new CreateBucketCommand({ Bucket: "tls-bucket" }));
    await s3.send(new PutObjectCommand({ Bucket: "tls-bucket", Key: "k", Body: "over tls" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "tls-bucket", Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("over tls");
    s3.destroy();
  });

  test("TLS 1.2 and 1.3 only", async () => {
    expect(await handshake({ min: "TLSv1.3", max: "TLSv1.3" })).toBe("TLSv1.3");
    expect(await handshake({ min: "TLSv1.2", max: "TLSv1.2" })).toBe("TLSv1.2");
    await expect(handshake({ min: "TLSv1", max: "TLSv1.1" })).rejects.toThrow();
  });

  test("the certificate is kept across restarts", async () => {
    const first = srv.certificate;
    await srv.close();
    srv = await startReferenceServer({ dataDir, port: 0, env: {}, tls: true, engine });
    expect(srv.certificate).toBe(first);
  });
});
