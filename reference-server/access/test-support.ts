// Test-only: a reference server with a second account (own tenant), clients for both, anonymous and
// presigned requests.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { type RawResponse, rawRequest } from "../api/test-support.ts";
import { httpRequest, sdkSigner } from "../auth/test-support.ts";
import { type ReferenceServer, type ReferenceServerOptions, startReferenceServer } from "../server.ts";

export interface Account {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  s3: S3Client;
}

export interface AccessTestServer {
  server: ReferenceServer;
  owner: Account;
  other: Account;
  /** Another account, in the owner's tenant. */
  third: Account;
  stop(): Promise<void>;
}

export function clientOf(server: ReferenceServer, accessKeyId: string, secretAccessKey: string): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

export async function startAccessServer(
  opts: Partial<Omit<ReferenceServerOptions, "dataDir">> = {},
): Promise<AccessTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "parity-access-"));
  const server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    ...opts,
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  await server.accounts.createTenant("other-tenant");
  await server.accounts.createTenant("main-tenant");
  const mk = async (tenant: string, name: string): Promise<Account> => {
    const c = await server.accounts.createAccount(tenant, name);
    return { ...c, s3: clientOf(server, c.accessKeyId, c.secretAccessKey) };
  };
  const owner: Account = {
    accountId: server.principal,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    s3: clientOf(server, server.accessKeyId, server.secretAccessKey),
  };
  const other = await mk("other-tenant", "other");
  const third = await mk("main-tenant", "third");
  return {
    server,
    owner,
    other,
    third,
    stop: async () => {
      for (const a of [owner, other, third]) a.s3.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An unsigned request. */
export function anonymous(
  server: ReferenceServer,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return rawRequest(server.endpoint, { method, path, ...opts });
}

/** A presigned SigV4 URL of `account` for method + path, fetched. */
export async function presigned(
  server: ReferenceServer,
  account: Pick<Account, "accessKeyId" | "secretAccessKey">,
  method: string,
  path: string,
  query: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  const url = new URL(server.endpoint);
  const signer = sdkSigner({ accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey });
  // As @aws-sdk/s3-request-presigner does: the payload is declared unsigned, and that header is hoisted.
  const req = httpRequest({
    method,
    path,
    query,
    host: url.host,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  const signed = await signer.presign(req, { expiresIn: 300 });
  const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
  return rawRequest(server.endpoint, { method, path: `${path}?${qs}`, headers: { host: url.host }, body });
}

/** The S3 error code of an XML error body, or undefined. */
export function codeIn(body: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}
