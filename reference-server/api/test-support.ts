// Test-only: a reference server on a temp dir and port 0, and clients pointed at it.

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { httpRequest, sdkSigner } from "../auth/test-support.ts";
import { type ReferenceServer, startReferenceServer } from "../server.ts";

export interface TestServer {
  server: ReferenceServer;
  s3: S3Client;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(
  opts: { region?: string; regions?: string[]; baseDomains?: string[]; maxBucketsPerOwner?: number } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "parity-s3-"));
  const server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    ...opts,
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  const s3 = clientFor(server, opts.region);
  return {
    server,
    s3,
    dataDir,
    stop: async () => {
      s3.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function clientFor(server: ReferenceServer, region = "us-east-1", secret?: string): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: secret ?? server.secretAccessKey },
    maxAttempts: 1,
  });
}

export function bucketName(prefix = "b"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

/** A raw, unsigned HTTP request (for what SDKs will not send). */
export function rawRequest(
  endpoint: string,
  init: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  // The path goes out exactly as given (new URL() would resolve dot segments).
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const options = {
      hostname: url.hostname,
      port: url.port,
      path: init.path,
      method: init.method,
      headers: init.headers,
    };
    const req = request(options, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request signed with SigV4 (header auth, UNSIGNED-PAYLOAD unless given), sent as is. */
export async function signedRequest(
  server: ReferenceServer,
  init: {
    method: string;
    path: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: Buffer | string;
    host?: string;
    secret?: string;
    accessKeyId?: string;
  },
): Promise<RawResponse> {
  const url = new URL(server.endpoint);
  const host = init.host ?? url.host;
  const req = httpRequest({
    method: init.method,
    path: init.path,
    query: init.query,
    host,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...init.headers },
  });
  const signer = sdkSigner({
    accessKeyId: init.accessKeyId ?? server.accessKeyId,
    secretAccessKey: init.secret ?? server.secretAccessKey,
  });
  const signed = await signer.sign(req);
  const qs = new URLSearchParams(init.query ?? {}).toString();
  return rawRequest(server.endpoint, {
    method: init.method,
    path: init.path + (qs ? `?${qs}` : ""),
    headers: signed.headers as Record<string, string>,
    body: init.body,
  });
}

/** The S3 error a call fails with (fails the test if it succeeds or fails otherwise). */
export async function errorOf(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    if (e instanceof S3ServiceException) return e;
    throw e;
  }
  throw new Error("expected an S3 error");
}
