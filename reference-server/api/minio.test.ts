// The MinIO JavaScript client against the reference server: buckets, streamed PUT, GET, stat, list, remove.

import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { Client } from "minio";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, startTestServer, type TestServer } from "./test-support.ts";

let t: TestServer;
let mc: Client;
beforeAll(async () => {
  t = await startTestServer();
  const url = new URL(t.server.endpoint);
  mc = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: t.server.accessKeyId,
    secretKey: t.server.secretAccessKey,
    region: "us-east-1",
    pathStyle: true,
  });
});
afterAll(() => t.stop());

async function collect(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe("minio client", () => {
  test("make bucket, put (buffer and stream), get, range, stat, list, remove", async () => {
    const bucket = bucketName("mc");
    await mc.makeBucket(bucket, "us-east-1");
    expect(await mc.bucketExists(bucket)).toBe(true);
    expect((await mc.listBuckets()).map((b) => b.name)).toContain(bucket);
    const data = randomBytes(200_000);
    await mc.putObject(bucket, "dir/buf.bin", data, data.length, {
      "Content-Type": "x/buf",
      "X-Amz-Meta-Color": "red",
    });
    await mc.putObject(
      bucket,
      "dir/stream.bin",
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
    );
    expect((await collect(await mc.getObject(bucket, "dir/buf.bin"))).equals(data)).toBe(true);
    expect((await collect(await mc.getObject(bucket, "dir/stream.bin"))).equals(data)).toBe(true);
    expect(
      (await collect(await mc.getPartialObject(bucket, "dir/buf.bin", 10, 20))).equals(data.subarray(10, 30)),
    ).toBe(true);
    const stat = await mc.statObject(bucket, "dir/buf.bin");
    expect(stat.size).toBe(data.length);
    expect(stat.metaData["content-type"]).toBe("x/buf");
    expect(stat.metaData.color).toBe("red");
    const names: string[] = [];
    for await (const o of mc.listObjectsV2(bucket, "dir/", true)) names.push((o as { name: string }).name);
    expect(names).toEqual(["dir/buf.bin", "dir/stream.bin"]);
    await mc.removeObjects(bucket, ["dir/buf.bin", "dir/stream.bin"]);
    const after: string[] = [];
    for await (const o of mc.listObjects(bucket, "", true)) after.push((o as { name: string }).name);
    expect(after).toEqual([]);
    await mc.removeBucket(bucket);
    expect(await mc.bucketExists(bucket)).toBe(false);
  });
});
