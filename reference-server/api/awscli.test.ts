// Real-client smoke test with the AWS CLI (when installed): mb, cp of a 40 MB file (multipart), ls, sync,
// and s3api calls. Skipped, with the reason printed, when `aws` is not available.

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./test-support.ts";

const run = promisify(execFile);

async function awsVersion(): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run("aws", ["--version"], { timeout: 30_000 });
    return (stdout || stderr).trim();
  } catch {
    return undefined;
  }
}

const version = await awsVersion();
if (!version) console.warn("awscli.test.ts skipped: the AWS CLI (`aws`) is not installed");

describe.skipIf(!version)("AWS CLI against the reference server", () => {
  let t: TestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const aws = async (...args: string[]) =>
    (await run("aws", ["--endpoint-url", t.server.endpoint, ...args], { env, timeout: 120_000 })).stdout;

  beforeAll(async () => {
    t = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), "parity-awscli-"));
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: t.server.accessKeyId,
      AWS_SECRET_ACCESS_KEY: t.server.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    };
  });
  afterAll(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(`mb, cp 40 MB (multipart), ls, sync, s3api (${version})`, async () => {
    await aws("s3", "mb", "s3://cli-bucket");
    const big = randomBytes(40 * 1024 * 1024);
    await writeFile(join(dir, "big.bin"), big);
    await aws("s3", "cp", join(dir, "big.bin"), "s3://cli-bucket/big.bin");
    const rec = t.server.engine.headObject({ bucket: "cli-bucket", key: "big.bin" });
    expect(rec.size).toBe(big.length);
    expect(rec.multipart).toBe(true);
    await aws("s3", "cp", "s3://cli-bucket/big.bin", join(dir, "back.bin"));
    const back = await readFile(join(dir, "back.bin"));
    expect(createHash("md5").update(back).digest("hex")).toBe(createHash("md5").update(big).digest("hex"));

    const ls = await aws("s3", "ls", "s3://cli-bucket/");
    expect(ls).toContain("big.bin");
    expect(await aws("s3", "ls")).toContain("cli-bucket");

    const src = join(dir, "tree");
    await mkdir(join(src, "sub"), { recursive: true });
    await writeFile(join(src, "a.txt"), "alpha");
    await writeFile(join(src, "sub", "b.txt"), "beta");
    await aws("s3", "sync", src, "s3://cli-bucket/tree");
    const listed = JSON.parse(
      await aws("s3api", "list-objects-v2", "--bucket", "cli-bucket", "--prefix", "tree/"),
    );
    expect(listed.Contents.map((c: { Key: string }) => c.Key)).toEqual(["tree/a.txt", "tree/sub/b.txt"]);
    // A second sync finds nothing to do.
    expect((await aws("s3", "sync", src, "s3://cli-bucket/tree")).trim()).toBe("");

    const head = JSON.parse(
      await aws("s3api", "head-object", "--bucket", "cli-bucket", "--key", "tree/a.txt"),
    );
    expect(head.ContentLength).toBe(5);
    expect(head.ServerSideEncryption).toBe("AES256");
    await aws("s3", "rm", "--recursive", "s3://cli-bucket/");
    await aws("s3", "rb", "s3://cli-bucket");
    expect(t.server.engine.getBucket("cli-bucket")).toBeUndefined();
  });
});
