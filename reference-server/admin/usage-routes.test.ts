// Usage and billing end to end: objects written over S3 by a tenant's account, the reference server's
// meter sampling on an injected clock, GET /usage and GET /billing on the management API, and
// `parity admin usage|billing`.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAdmin } from "../../scripts/admin.ts";
import { HOUR_MS } from "../metering/billing.ts";
import { type ReferenceServer, startReferenceServer } from "../server.ts";
import { type RunningAdminServer, startAdminServer } from "./server.ts";

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);
let now = T0;
let server: ReferenceServer;
let admin: RunningAdminServer;
let dataDir: string;
let acme: S3Client;
let root: S3Client;
const GiB = 1024 ** 3;

const client = (accessKeyId: string, secretAccessKey: string) =>
  new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });

// biome-ignore lint/suspicious/noExplicitAny: response JSON of several shapes.
async function api(path: string): Promise<{ status: number; json: any }> {
  const res = await fetch(admin.endpoint + path, { headers: { authorization: `Bearer ${admin.token}` } });
  return { status: res.status, json: await res.json() };
}

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runAdmin(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: { ADMIN_ENDPOINT: admin.endpoint, ADMIN_TOKEN: admin.token },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parity-usage-"));
  server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
    accessLogs: { flushIntervalMs: 0 },
    metering: { intervalMs: 0, sampleOnStart: false },
  });
  admin = await startAdminServer({ engine: server.engine, accounts: server.accounts });
  await server.accounts.createTenant("acme");
  const app = await server.accounts.createAccount("acme", "app");
  acme = client(app.accessKeyId, app.secretAccessKey);
  root = client(server.accessKeyId, server.secretAccessKey);
});

afterAll(async () => {
  acme?.destroy();
  root?.destroy();
  await admin?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("usage and billing over the management API", () => {
  test("usage per bucket, billing per tenant in GiB-hours over the metered hours", async () => {
    await acme.send(new CreateBucketCommand({ Bucket: "acme-photos" }));
    await acme.send(
      new PutBucketVersioningCommand({
        Bucket: "acme-photos",
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
    await root.send(new CreateBucketCommand({ Bucket: "root-data" }));
    await acme.send(
      new PutObjectCommand({ Bucket: "acme-photos", Key: "a.jpg", Body: Buffer.alloc(1000, 1) }),
    );
    await root.send(new PutObjectCommand({ Bucket: "root-data", Key: "r", Body: Buffer.alloc(300, 2) }));
    // Hour 0: 1000 bytes; hours 1 and 2: a second version of 3000 bytes, both versions stored.
    await server.sampleUsage();
    now = T0 + HOUR_MS + 5 * 60_000;
    await acme.send(
      new PutObjectCommand({ Bucket: "acme-photos", Key: "a.jpg", Body: Buffer.alloc(3000, 3) }),
    );
    await server.sampleUsage();
    now = T0 + 2 * HOUR_MS;
    await server.sampleUsage();

    const usage = await api("/usage?tenant=acme");
    expect(usage.status).toBe(200);
    expect(usage.json.buckets).toEqual([
      {
        bucket: "acme-photos",
        owner: expect.any(String),
        tenant: "acme",
        objects: 1,
        bytes: 3000,
        versions: 2,
        storedBytes: 4000,
      },
    ]);
    expect(usage.json.tenants).toEqual([
      { tenant: "acme", buckets: 1, objects: 1, bytes: 3000, storedBytes: 4000 },
    ]);
    const everyone = await api("/usage");
    expect(everyone.json.tenants.map((t: { tenant: string }) => t.tenant).sort()).toEqual(["acme", "system"]);

    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 3 * HOUR_MS).toISOString();
    const bill = await api(`/billing?tenant=acme&from=${from}&to=${to}`);
    expect(bill.status).toBe(200);
    const byteHours = 1000 * 1 + 4000 * 2;
    expect(bill.json).toEqual({
      from,
      to,
      hoursPerMonth: 720,
      hoursMetered: 3,
      tenants: [
        {
          tenant: "acme",
          gibHours: byteHours / GiB,
          gibMonths: byteHours / GiB / 720,
          buckets: [
            {
              bucket: "acme-photos",
              owner: usage.json.buckets[0].owner,
              hours: 3,
              gibHours: byteHours / GiB,
              gibMonths: byteHours / GiB / 720,
            },
          ],
        },
      ],
    });
    // Without a tenant: every tenant, root's buckets under "system".
    const all = await api(`/billing?from=${from}&to=${to}`);
    expect(all.json.tenants.map((t: { tenant: string; gibHours: number }) => [t.tenant, t.gibHours])).toEqual(
      [
        ["acme", byteHours / GiB],
        ["system", (300 * 3) / GiB],
      ],
    );
    // The default period is this month (of the server's clock) so far.
    const month = await api("/billing?tenant=acme");
    expect([month.json.from, month.json.to]).toEqual([
      "2026-05-01T00:00:00.000Z",
      new Date(now).toISOString(),
    ]);
    expect(month.json.tenants[0].gibHours).toBe((1000 + 4000) / GiB);
  });

  test("bad periods and unknown tenants are refused", async () => {
    expect((await api("/billing?from=yesterday")).json.error.code).toBe("InvalidArgument");
    const backwards = await api("/billing?from=2026-05-02&to=2026-05-01");
    expect([backwards.status, backwards.json.error.code]).toEqual([400, "InvalidArgument"]);
    const unknown = await api("/billing?tenant=nobody");
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "NoSuchTenant"]);
    expect((await api("/usage?tenant=nobody")).status).toBe(404);
  });

  test("parity admin usage and billing", async () => {
    const usage = await cli(["usage", "--tenant", "acme"]);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^BUCKET\s+TENANT\s+OBJECTS\s+SIZE\s+VERSIONS\s+STORED$/m);
    expect(usage.stdout).toMatch(/^acme-photos\s+acme\s+1\s+2\.93 KiB\s+2\s+3\.91 KiB$/m);
    const bill = await cli([
      "billing",
      "--tenant",
      "acme",
      "--from",
      new Date(T0).toISOString(),
      "--to",
      new Date(T0 + 3 * HOUR_MS).toISOString(),
      "--json",
    ]);
    expect(bill.code).toBe(0);
    expect(JSON.parse(bill.stdout).tenants[0].gibHours).toBe(9000 / GiB);
    const text = await cli(["billing", "--from", "2026-05-01", "--to", "2026-05-02"]);
    expect(text.stdout).toMatch(
      /^period 2026-05-01T00:00:00.000Z – 2026-05-02T00:00:00.000Z: 3 hour\(s\) metered/,
    );
    expect(text.stdout).toMatch(/^acme\s+\(all\)\s+0\.000008\s+0$/m);
    const bad = await cli(["billing", "--from", "soon"]);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining("InvalidArgument (400)")]);
  });
});
