// startReferenceServer: root credentials generated once and kept (sealed, never in clear on disk),
// fixed by options or PARITY_ROOT_* variables, and data kept across restarts.

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, test } from "vitest";
import { clientFor } from "./api/test-support.ts";
import { startReferenceServer } from "./server.ts";

const engine = { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false };
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "parity-srv-"));
  dirs.push(d);
  return d;
}

describe("startReferenceServer", () => {
  test("generates root credentials once, keeps them and the data across restarts", async () => {
    const dataDir = await tempDir();
    const a = await startReferenceServer({ dataDir, port: 0, env: {}, engine });
    expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.accessKeyId).toMatch(/^[A-Z0-9]{20}$/);
    expect(a.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    const s3 = clientFor(a);
    await s3.send(new CreateBucketCommand({ Bucket: "keep" }));
    await s3.send(new PutObjectCommand({ Bucket: "keep", Key: "k", Body: "kept" }));
    s3.destroy();
    await a.close();

    const b = await startReferenceServer({ dataDir, port: 0, env: {}, engine });
    expect([b.accessKeyId, b.secretAccessKey, b.principal]).toEqual([
      a.accessKeyId,
      a.secretAccessKey,
      a.principal,
    ]);
    const s3b = clientFor(b);
    const got = await s3b.send(new GetObjectCommand({ Bucket: "keep", Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("kept");
    s3b.destroy();
    await b.close();

    // The secret is sealed under the master key: nowhere in clear under the data dir's top level.
    for (const f of await readdir(dataDir, { withFileTypes: true })) {
      if (f.isFile()) expect(await readFile(join(dataDir, f.name), "utf8")).not.toContain(a.secretAccessKey);
    }
  });

  test("PARITY_ROOT_ACCESS_KEY / PARITY_ROOT_SECRET_KEY and options fix the root credentials", async () => {
    const dataDir = await tempDir();
    const env = { PARITY_ROOT_ACCESS_KEY: "ENVACCESSKEY", PARITY_ROOT_SECRET_KEY: "env-secret-0123456789" };
    const a = await startReferenceServer({ dataDir, port: 0, env, engine });
    expect([a.accessKeyId, a.secretAccessKey]).toEqual([
      env.PARITY_ROOT_ACCESS_KEY,
      env.PARITY_ROOT_SECRET_KEY,
    ]);
    const s3 = clientFor(a);
    await s3.send(new CreateBucketCommand({ Bucket: "envb" }));
    s3.destroy();
    await a.close();
    const b = await startReferenceServer({
      dataDir,
      port: 0,
      env,
      engine,
      rootAccessKey: "OPTKEY",
      rootSecretKey: "opt-secret",
    });
    expect([b.accessKeyId, b.secretAccessKey]).toEqual(["OPTKEY", "opt-secret"]);
    // Same account: the bucket created under the previous key is still its own.
    expect(b.principal).toBe(a.principal);
    expect(b.engine.getBucket("envb")?.owner).toBe(b.principal);
    await b.close();
  });
});
