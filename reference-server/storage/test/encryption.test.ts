import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { afterEach, describe, expect, test } from "vitest";
import type { StorageEngine } from "../engine.ts";
import { decodeMetaRecord } from "../meta-record.ts";
import { metaFile } from "../paths.ts";
import { allFiles, chunks, openTestEngine, readObject } from "./helpers.ts";

let engine: StorageEngine;
afterEach(async () => {
  await engine?.close();
});

describe("encryption at rest", () => {
  test("a known marker never appears in plaintext anywhere under the data dir (SSE-S3 and SSE-C)", async () => {
    let dataDir: string;
    ({ engine, dataDir } = await openTestEngine());
    await engine.createBucket({ name: "e", owner: "o" });
    const marker = Buffer.from("PARITY-PLAINTEXT-MARKER-7f3a9c");
    const body = (n: number) => Buffer.concat(Array.from({ length: n }, () => marker));
    const ckey = randomBytes(32);
    const sseC = {
      scheme: "SSE-C" as const,
      key: ckey,
      keyMD5: createHash("md5").update(ckey).digest("base64"),
    };
    await engine.putObject({ bucket: "e", key: "small-s3", body: chunks(body(10)) });
    await engine.putObject({ bucket: "e", key: "large-s3", body: chunks(body(20_000)) });
    await engine.putObject({ bucket: "e", key: "small-c", body: chunks(body(10)), sse: sseC });
    await engine.putObject({ bucket: "e", key: "large-c", body: chunks(body(20_000)), sse: sseC });
    const up = await engine.createMultipartUpload({ bucket: "e", key: "mp" });
    const p = await engine.uploadPart({
      bucket: "e",
      key: "mp",
      uploadId: up.uploadId,
      partNumber: 1,
      body: chunks(body(5_000)),
    });
    await engine.completeMultipartUpload({
      bucket: "e",
      key: "mp",
      uploadId: up.uploadId,
      parts: [{ number: 1, etag: p.etag }],
    });
    await engine.close();
    const files = await allFiles(dataDir);
    expect(files.length).toBeGreaterThan(100);
    const hits: string[] = [];
    for (const f of files) {
      const content = await fs.readFile(f);
      // Any 16-byte window of the marker would betray plaintext; check the marker and its halves.
      for (const needle of [marker, marker.subarray(0, 15), marker.subarray(15)]) {
        if (content.includes(needle)) hits.push(f);
      }
    }
    expect(hits).toEqual([]);
    // The SSE-C key itself is not stored either.
    for (const f of files) expect((await fs.readFile(f)).includes(ckey)).toBe(false);
  });

  test("master key rotation re-seals object keys without rewriting data; old key can then be dropped", async () => {
    let dataDir: string;
    let keyring: import("../../crypto/master-key.ts").Keyring;
    ({ engine, dataDir, keyring } = await openTestEngine());
    await engine.createBucket({ name: "r", owner: "o" });
    const data = randomBytes(200_000);
    const rec = await engine.putObject({ bucket: "r", key: "obj", body: chunks(data) });
    const shardFile = engine.ctx.disks.get(rec.erasure!.distribution.az1[0])!.absolute(`objects`);
    const before = await allFiles(shardFile);
    const stats = new Map(
      await Promise.all(
        before.filter((f) => !f.endsWith(".meta")).map(async (f) => [f, (await fs.stat(f)).mtimeMs] as const),
      ),
    );
    const oldId = keyring.current.id;
    const rotated = keyring.withNewCurrent();
    const { resealed } = await engine.rotateMasterKey(rotated);
    expect(resealed).toBe(1);
    const head = engine.headObject({ bucket: "r", key: "obj" });
    expect((head.encryption!.sealed as { masterKeyId: string }).masterKeyId).toBe(rotated.current.id);
    // Every disk's record now names the new key; shard files untouched.
    const disk = engine.ctx.disks.get(rec.erasure!.distribution.az2[3])!;
    const onDisk = decodeMetaRecord(await disk.readFile(metaFile("r", "obj", rec.writeId))).record;
    expect((onDisk.encryption!.sealed as { masterKeyId: string }).masterKeyId).toBe(rotated.current.id);
    for (const [f, mtime] of stats) expect((await fs.stat(f)).mtimeMs).toBe(mtime);
    await engine.close();
    ({ engine } = await openTestEngine({ dataDir, keyring: rotated.without(oldId) }));
    expect((await readObject(engine, "r", "obj")).equals(data)).toBe(true);
  });
});
