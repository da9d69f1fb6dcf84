import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, test } from "vitest";

const PARITY = path.join(import.meta.dirname, "parity.ts");

/** Start `parity serve` on free ports and read the lines it prints for `eval`. */
async function serve(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; vars: Record<string, string> }> {
  const child = spawn(
    process.execPath,
    [PARITY, "serve", "--data-dir", dataDir, "--port", "0", "--admin-port", "0"],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const vars: Record<string, string> = {};
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => {
    err += d;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      for (const line of out.split("\n")) {
        const m = /^([A-Z_0-9]+)=(.*)$/.exec(line);
        if (m) vars[m[1]] = m[2];
      }
      if (vars.AWS_SECRET_ACCESS_KEY) resolve();
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, vars };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

function client(vars: Record<string, string>): S3Client {
  return new S3Client({
    endpoint: vars.S3_ENDPOINT,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: vars.AWS_ACCESS_KEY_ID, secretAccessKey: vars.AWS_SECRET_ACCESS_KEY },
  });
}

describe("parity serve", () => {
  test("prints eval-able lines, serves S3 and the admin API, stops cleanly and keeps data across restarts", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "parity-serve-"));
    const first = await serve(dataDir);
    expect(Object.keys(first.vars).sort()).toEqual([
      "ADMIN_ENDPOINT",
      "ADMIN_TOKEN",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "S3_ENDPOINT",
    ]);
    const s3 = client(first.vars);
    await s3.send(new CreateBucketCommand({ Bucket: "kept" }));
    await s3.send(new PutObjectCommand({ Bucket: "kept", Key: "a/b.txt", Body: "across restarts" }));
    const topo = await fetch(`${first.vars.ADMIN_ENDPOINT}/topology`, {
      headers: { authorization: `Bearer ${first.vars.ADMIN_TOKEN}` },
    });
    expect(topo.status).toBe(200);
    s3.destroy();
    expect(await stop(first.child, "SIGTERM")).toBe(0);

    const second = await serve(dataDir);
    expect(second.vars.AWS_ACCESS_KEY_ID).toBe(first.vars.AWS_ACCESS_KEY_ID);
    const s3b = client(second.vars);
    const got = await s3b.send(new GetObjectCommand({ Bucket: "kept", Key: "a/b.txt" }));
    expect(await got.Body!.transformToString()).toBe("across restarts");
    s3b.destroy();
    expect(await stop(second.child, "SIGINT")).toBe(0);
  });

  test("root credentials can be fixed by the environment", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "parity-serve-"));
    const { child, vars } = await serve(dataDir, {
      PARITY_ROOT_ACCESS_KEY: "ROOTKEYFIXED1",
      PARITY_ROOT_SECRET_KEY: "fixed-secret-value-123",
    });
    expect(vars.AWS_ACCESS_KEY_ID).toBe("ROOTKEYFIXED1");
    expect(vars.AWS_SECRET_ACCESS_KEY).toBe("fixed-secret-value-123");
    expect(await stop(child, "SIGTERM")).toBe(0);
  });
});
