// Network access per bucket, set through the management API and its CLI, enforced on every S3 request
// (signed, presigned, anonymous) over IPv4, IPv6 and IPv4-mapped IPv6.

import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAdmin } from "../../scripts/admin.ts";
import { type RunningAdminServer, startAdminServer } from "../admin/server.ts";
import { bucketName, errorOf } from "../api/test-support.ts";
import { DEFAULT_PRIVATE_CIDRS, networkAllows, normaliseCustomCidrs } from "./network.ts";
import { type AccessTestServer, anonymous, clientOf, presigned, startAccessServer } from "./test-support.ts";

let t: AccessTestServer;
let admin: RunningAdminServer;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(admin.endpoint + path, {
    method,
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function cli(args: string[]) {
  let stdout = "";
  const code = await runAdmin(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: () => {},
    env: { ADMIN_ENDPOINT: admin.endpoint, ADMIN_TOKEN: admin.token },
  });
  return { code, stdout };
}

beforeAll(async () => {
  // Dual-stack: IPv4 clients arrive as ::ffff:127.0.0.1, IPv6 ones as ::1.
  t = await startAccessServer({ host: "::" });
  admin = await startAdminServer({ engine: t.server.engine, accounts: t.server.accounts });
});
afterAll(async () => {
  await admin.close();
  await t.stop();
});

const port = () => new URL(t.server.endpoint.replace("[::]", "localhost")).port;
const v4 = () =>
  clientOf(
    { ...t.server, endpoint: `http://127.0.0.1:${port()}` },
    t.owner.accessKeyId,
    t.owner.secretAccessKey,
  );
const v6 = () =>
  clientOf({ ...t.server, endpoint: `http://[::1]:${port()}` }, t.owner.accessKeyId, t.owner.secretAccessKey);

async function reachable(s3: ReturnType<typeof v4>, Bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket }));
    return true;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) return false;
    throw e;
  } finally {
    s3.destroy();
  }
}

describe("network access per bucket", () => {
  test("management API: default public, custom normalised, bad input refused", async () => {
    const b = bucketName("net");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    expect((await api("GET", `/buckets/${b}/network`)).json).toEqual({
      bucket: b,
      mode: "public",
      cidrs: [],
    });
    const set = await api("PUT", `/buckets/${b}/network`, {
      mode: "custom",
      cidrs: ["10.1.2.3/8", "192.168.1.7"],
    });
    expect(set).toEqual({
      status: 200,
      json: { bucket: b, mode: "custom", cidrs: ["10.0.0.0/8", "192.168.1.7/32"] },
    });
    for (const body of [
      { mode: "custom", cidrs: [] },
      { mode: "custom", cidrs: ["::1/128"] },
      { mode: "custom", cidrs: ["10.0.0.0/33"] },
      { mode: "private", cidrs: ["10.0.0.0/8"] },
      { mode: "closed" },
    ]) {
      expect((await api("PUT", `/buckets/${b}/network`, body)).status).toBe(400);
    }
    expect((await api("GET", "/buckets/no-such-bucket-x/network")).status).toBe(404);
  });

  test("custom IPv4 list: enforced for signed, presigned and anonymous requests; mapped IPv4 matches; IPv6 refused", async () => {
    const b = bucketName("netc");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.owner.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x" }));
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` },
          ],
        }),
      }),
    );
    const endpoint4 = `http://127.0.0.1:${port()}`;
    const server4 = { ...t.server, endpoint: endpoint4 };
    expect((await anonymous(server4, "GET", `/${b}/k`)).status).toBe(200);

    expect((await cli(["buckets", "network", b, "custom", "10.0.0.0/8"])).code).toBe(0);
    expect(await reachable(v4(), b)).toBe(false);
    const e = await errorOf(t.owner.s3.send(new ListObjectsV2Command({ Bucket: b })));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(["AccessDenied", 403]);
    expect((await presigned(server4, t.owner, "GET", `/${b}/k`)).status).toBe(403);
    expect((await anonymous(server4, "GET", `/${b}/k`)).status).toBe(403);

    const shown = await cli(["buckets", "network", b, "custom", "127.0.0.0/8,10.0.0.0/8"]);
    expect(shown.stdout).toBe(`bucket ${b}: network custom (127.0.0.0/8, 10.0.0.0/8)\n`);
    expect(await reachable(v4(), b)).toBe(true); // ::ffff:127.0.0.1 is 127.0.0.1
    expect((await presigned(server4, t.owner, "GET", `/${b}/k`)).status).toBe(200);
    expect((await anonymous(server4, "GET", `/${b}/k`)).status).toBe(200);
    expect(await reachable(v6(), b)).toBe(false); // ::1 is in no IPv4 block
    const raw6 = await fetch(`http://[::1]:${port()}/${b}/k`);
    expect(raw6.status).toBe(403);
    await raw6.arrayBuffer();
  });

  test("private: the provider's networks only (loopback by default, IPv4 and IPv6); public: anyone", async () => {
    const b = bucketName("netp");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    expect((await cli(["buckets", "network", b, "private"])).stdout).toBe(
      `bucket ${b}: network private (the provider's networks only)\n`,
    );
    expect(await reachable(v4(), b)).toBe(true);
    expect(await reachable(v6(), b)).toBe(true);
    await api("PUT", `/buckets/${b}/network`, { mode: "public" });
    expect(await reachable(v6(), b)).toBe(true);
  });
});

describe("a provider whose networks are not loopback", () => {
  let other: AccessTestServer;
  beforeAll(async () => {
    other = await startAccessServer({ privateCidrs: ["10.0.0.0/8", "fd00::/8"] });
  });
  afterAll(() => other.stop());

  test("private buckets refuse loopback clients; other buckets still answer them", async () => {
    const priv = bucketName("netq");
    const open = bucketName("neto");
    await other.owner.s3.send(new CreateBucketCommand({ Bucket: priv }));
    await other.owner.s3.send(new CreateBucketCommand({ Bucket: open }));
    await other.server.engine.updateBucket(priv, (b) => ({
      ...b,
      attrs: { ...b.attrs, network: { mode: "private" } },
    }));
    const e = await errorOf(other.owner.s3.send(new HeadBucketCommand({ Bucket: priv })));
    expect(e.$metadata.httpStatusCode).toBe(403);
    await other.owner.s3.send(new HeadBucketCommand({ Bucket: open }));
  });
});

test("address matching: mapped IPv4, IPv6 blocks, garbage", () => {
  const priv = { mode: "private" as const, cidrs: [] };
  expect(networkAllows(priv, "127.0.0.1", DEFAULT_PRIVATE_CIDRS)).toBe(true);
  expect(networkAllows(priv, "::ffff:127.1.2.3", DEFAULT_PRIVATE_CIDRS)).toBe(true);
  expect(networkAllows(priv, "::1", DEFAULT_PRIVATE_CIDRS)).toBe(true);
  expect(networkAllows(priv, "::2", DEFAULT_PRIVATE_CIDRS)).toBe(false);
  expect(networkAllows(priv, "10.0.0.1", DEFAULT_PRIVATE_CIDRS)).toBe(false);
  expect(networkAllows(priv, undefined, DEFAULT_PRIVATE_CIDRS)).toBe(false);
  const custom = { mode: "custom" as const, cidrs: ["192.168.0.0/16"] };
  expect(networkAllows(custom, "::ffff:192.168.4.5", [])).toBe(true);
  expect(networkAllows(custom, "192.169.0.1", [])).toBe(false);
  expect(networkAllows({ mode: "public", cidrs: [] }, "garbage", [])).toBe(true);
  expect(normaliseCustomCidrs(["1.2.3.4/24", "0.0.0.0/0"])).toEqual({ cidrs: ["1.2.3.0/24", "0.0.0.0/0"] });
  expect(normaliseCustomCidrs(["1.2.3.4/24", "fe80::/10"])).toEqual({ invalid: "fe80::/10" });
});
