import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import type { StorageEngine } from "../engine.ts";
import { isStorageError } from "../errors.ts";
import { chunks, collect, openTestEngine, readObject } from "./helpers.ts";

let engine: StorageEngine;
afterEach(async () => {
  await engine?.close();
});

async function put(bucket: string, key: string, data: Buffer, extra: Record<string, unknown> = {}) {
  return engine.putObject({ bucket, key, body: chunks(data, 7_777), size: data.length, ...extra });
}

describe("objects", () => {
  test("round-trips sizes around the inline threshold and block boundaries, ETag is the MD5", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    for (const size of [0, 1, 16 * 1024 - 17, 16 * 1024, 64 * 1024, 64 * 1024 + 1, 1_000_000]) {
      const data = randomBytes(size);
      const rec = await put("b", `k${size}`, data);
      expect(rec.etag).toBe(createHash("md5").update(data).digest("hex"));
      expect(rec.size).toBe(size);
      expect((await readObject(engine, "b", `k${size}`)).equals(data)).toBe(true);
    }
  });

  test("ranges read exactly the requested bytes", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(300_000);
    await put("b", "r", data);
    await fc.assert(
      fc.asyncProperty(fc.nat(data.length - 1), fc.nat(data.length + 10), async (a, len) => {
        const end = a + len;
        const r = await engine.getObject({ bucket: "b", key: "r", range: { start: a, end } });
        expect((await collect(r.body)).equals(data.subarray(a, Math.min(end, data.length - 1) + 1))).toBe(
          true,
        );
      }),
      { numRuns: 40 },
    );
    await expect(
      engine.getObject({ bucket: "b", key: "r", range: { start: data.length, end: data.length + 5 } }),
    ).rejects.toMatchObject({
      code: "InvalidRange",
    });
  });

  test("metadata, headers and attributes are stored and updated without touching data", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(100_000);
    await put("b", "m", data, { headers: { "content-type": "text/plain" }, userMeta: { color: "blue" } });
    const updated = await engine.updateVersion("b", "m", undefined, (r) => ({
      ...r,
      attrs: { tags: { a: "1" } },
    }));
    expect(updated.attrs).toEqual({ tags: { a: "1" } });
    const head = engine.headObject({ bucket: "b", key: "m" });
    expect(head.headers["content-type"]).toBe("text/plain");
    expect(head.userMeta).toEqual({ color: "blue" });
    expect(head.attrs).toEqual({ tags: { a: "1" } });
    expect((await readObject(engine, "b", "m")).equals(data)).toBe(true);
  });

  test("a lying Content-Length or a wrong Content-MD5 commits nothing", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(50_000);
    await expect(
      engine.putObject({ bucket: "b", key: "x", body: chunks(data), size: data.length + 1 }),
    ).rejects.toMatchObject({
      code: "IncompleteBody",
    });
    await expect(
      engine.putObject({
        bucket: "b",
        key: "x",
        body: chunks(data),
        expected: () => ({ contentMD5: Buffer.alloc(16).toString("base64") }),
      }),
    ).rejects.toMatchObject({ code: "BadDigest" });
    await expect(engine.getObject({ bucket: "b", key: "x" })).rejects.toMatchObject({ code: "NoSuchKey" });
    expect(engine.listObjects({ bucket: "b" }).objects).toHaveLength(0);
  });

  test("a body that fails mid-stream leaves nothing visible and no files behind", async () => {
    let dataDir: string;
    ({ engine, dataDir } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    async function* broken() {
      yield randomBytes(200_000);
      throw new Error("client went away");
    }
    await expect(engine.putObject({ bucket: "b", key: "gone", body: broken() })).rejects.toThrow(
      "client went away",
    );
    await expect(engine.getObject({ bucket: "b", key: "gone" })).rejects.toMatchObject({ code: "NoSuchKey" });
    const leftovers = (await fs.readdir(path.join(dataDir, "disks"), { recursive: true })).filter((f) =>
      String(f).includes("objects/b/"),
    );
    expect(leftovers.filter((f) => /\.meta$|part\./.test(String(f)))).toEqual([]);
  });

  test("conditional writes: If-None-Match * and If-Match", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const v1 = await put("b", "c", Buffer.from("one"), { conditions: { ifNoneMatch: "*" } });
    await expect(
      put("b", "c", Buffer.from("two"), { conditions: { ifNoneMatch: "*" } }),
    ).rejects.toMatchObject({ code: "PreconditionFailed" });
    await expect(
      put("b", "c", Buffer.from("two"), { conditions: { ifMatch: '"deadbeef"' } }),
    ).rejects.toMatchObject({ code: "PreconditionFailed" });
    await put("b", "c", Buffer.from("two"), { conditions: { ifMatch: `"${v1.etag}"` } });
    await expect(put("b", "nope", Buffer.from("x"), { conditions: { ifMatch: "*" } })).rejects.toMatchObject({
      code: "NoSuchKey",
    });
    expect((await readObject(engine, "b", "c")).toString()).toBe("two");
  });

  test("hostile keys are just keys", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const keys = ["../../etc/passwd", "a\u0000b", "x".repeat(1024), "é/ü/日本", " spaced + plus %41"];
    for (const k of keys) await put("b", k, Buffer.from(k));
    for (const k of keys) expect((await readObject(engine, "b", k)).toString()).toBe(k);
    expect(engine.listObjects({ bucket: "b" }).objects.map((o) => o.key)).toEqual(
      [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
  });
});

describe("versioning", () => {
  test("versions, delete markers and the null version", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "v", owner: "o" });
    await put("v", "k", Buffer.from("unversioned"));
    await engine.updateBucket("v", (b) => ({ ...b, versioning: "Enabled" }));
    const a = await put("v", "k", Buffer.from("A"));
    const b = await put("v", "k", Buffer.from("B"));
    expect(a.versionId).not.toBe("null");
    expect((await readObject(engine, "v", "k")).toString()).toBe("B");
    expect((await readObject(engine, "v", "k", { versionId: a.versionId })).toString()).toBe("A");
    expect((await readObject(engine, "v", "k", { versionId: "null" })).toString()).toBe("unversioned");
    const del = await engine.deleteObject({ bucket: "v", key: "k" });
    expect(del.deleteMarker).toBe(true);
    await expect(engine.getObject({ bucket: "v", key: "k" })).rejects.toMatchObject({
      code: "NoSuchKey",
      detail: { deleteMarker: true },
    });
    await expect(engine.getObject({ bucket: "v", key: "k", versionId: del.versionId })).rejects.toMatchObject(
      { code: "MethodNotAllowed" },
    );
    const listed = engine.listObjectVersions({ bucket: "v" });
    expect(listed.versions.map((v) => [v.versionId, v.deleteMarker === true, v.isLatest])).toEqual([
      [del.versionId, true, true],
      [b.versionId, false, false],
      [a.versionId, false, false],
      ["null", false, false],
    ]);
    expect(engine.listObjects({ bucket: "v" }).objects).toEqual([]);
    await engine.deleteObject({ bucket: "v", key: "k", versionId: del.versionId });
    expect((await readObject(engine, "v", "k")).toString()).toBe("B");
    await engine.updateBucket("v", (x) => ({ ...x, versioning: "Suspended" }));
    const n = await put("v", "k", Buffer.from("null again"));
    expect(n.versionId).toBe("null");
    expect(engine.versionsOf("v", "k").map((v) => v.versionId)).toEqual(["null", b.versionId, a.versionId]);
  });
});

describe("listing", () => {
  test("every key once across pages; common prefixes correct, for any keys and delimiter", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "l", owner: "o" });
    const alphabet = fc.constantFrom("a", "b", "/", "-", "é", "z");
    const keys = fc.uniqueArray(
      fc.array(alphabet, { minLength: 1, maxLength: 6 }).map((a) => a.join("")),
      { minLength: 1, maxLength: 30 },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.constantFrom("", "/", "a", "-é"),
        fc.constantFrom("", "a", "b/"),
        fc.integer({ min: 1, max: 7 }),
        async (ks, delimiter, prefix, max) => {
          const bucket = `l${n++}`;
          await engine.createBucket({ name: bucket, owner: "o" });
          for (const k of ks) await put(bucket, k, Buffer.from(k));
          const expectedKeys = new Set<string>();
          const expectedPrefixes = new Set<string>();
          for (const k of ks) {
            if (!k.startsWith(prefix)) continue;
            const i = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
            if (i >= 0) expectedPrefixes.add(k.slice(0, i + delimiter.length));
            else expectedKeys.add(k);
          }
          const seenKeys: string[] = [];
          const seenPrefixes: string[] = [];
          let after: string | undefined;
          for (let page = 0; page < 100; page++) {
            const r = engine.listObjects({ bucket, prefix, delimiter, after, maxKeys: max });
            seenKeys.push(...r.objects.map((o) => o.key));
            seenPrefixes.push(...r.commonPrefixes);
            expect(r.objects.length + r.commonPrefixes.length).toBeLessThanOrEqual(max);
            if (!r.isTruncated) break;
            after = r.nextMarker;
          }
          expect(seenKeys).toEqual(
            [...expectedKeys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
          );
          expect(seenPrefixes.sort()).toEqual([...expectedPrefixes].sort());
        },
      ),
      { numRuns: 25 },
    );
  });

  test("max-keys 0 and unknown bucket", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "l", owner: "o" });
    await put("l", "a", Buffer.from("a"));
    expect(engine.listObjects({ bucket: "l", maxKeys: 0 })).toMatchObject({
      objects: [],
      isTruncated: false,
    });
    expect(() => engine.listObjects({ bucket: "nope" })).toThrow(
      expect.objectContaining({ code: "NoSuchBucket" }),
    );
  });
});

describe("multipart", () => {
  test("an upload keeps its block size across a restart with another; an upload that did not record one uses the old default", async () => {
    const first = await openTestEngine();
    const { dataDir, keyring } = first;
    engine = first.engine;
    await engine.createBucket({ name: "mp", owner: "o" });
    const up = await engine.createMultipartUpload({ bucket: "mp", key: "k" });
    const parts = [randomBytes(300_000), randomBytes(123_457)];
    const part = async (uploadId: string, i: number) => ({
      number: i + 1,
      etag: (
        await engine.uploadPart({
          bucket: "mp",
          key: "k",
          uploadId,
          partNumber: i + 1,
          body: chunks(parts[i]),
        })
      ).etag,
    });
    const p1 = await part(up.uploadId, 0);
    await engine.close();
    // Restarted with another block size between the parts (an upgrade changed the default once).
    ({ engine } = await openTestEngine({ dataDir, keyring, blockSize: 64 * 1024 }));
    const done = [p1, await part(up.uploadId, 1)];
    const rec = await engine.completeMultipartUpload({
      bucket: "mp",
      key: "k",
      uploadId: up.uploadId,
      parts: done,
      minPartSize: 1,
    });
    expect(rec.erasure!.blockSize).toBe(first.engine.ctx.settings.blockSize);
    expect((await readObject(engine, "mp", "k")).equals(Buffer.concat(parts))).toBe(true);
    await engine.close();

    // An upload written before uploads recorded their block size: its parts used the engine's option,
    // or 1 MiB when none was given.
    ({ engine } = await openTestEngine({ dataDir, keyring, blockSize: undefined }));
    expect(engine.ctx.settings.legacyBlockSize).toBe(1 << 20);
    const old = await engine.createMultipartUpload({ bucket: "mp", key: "k" });
    engine.ctx.index.putUpload({ ...engine.ctx.index.getUpload(old.uploadId)!, blockSize: undefined });
    const olds = [await part(old.uploadId, 0), await part(old.uploadId, 1)];
    const oldRec = await engine.completeMultipartUpload({
      bucket: "mp",
      key: "k",
      uploadId: old.uploadId,
      parts: olds,
      minPartSize: 1,
    });
    expect(oldRec.erasure!.blockSize).toBe(1 << 20);
    expect((await readObject(engine, "mp", "k")).equals(Buffer.concat(parts))).toBe(true);
  });

  test("parts assemble into one object with S3's ETag; ranges span parts; abort cleans up", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "mp", owner: "o" });
    const up = await engine.createMultipartUpload({ bucket: "mp", key: "big", checksumAlgorithm: "SHA256" });
    const parts = [randomBytes(200_000), randomBytes(150_001), randomBytes(99)];
    const done = [];
    // Upload out of order, and part 2 twice (the second one wins).
    for (const i of [2, 0, 1, 1]) {
      const p = await engine.uploadPart({
        bucket: "mp",
        key: "big",
        uploadId: up.uploadId,
        partNumber: i + 1,
        body: chunks(parts[i]),
      });
      done[i] = { number: i + 1, etag: p.etag };
    }
    expect(engine.listParts("mp", "big", up.uploadId).parts.map((p) => p.number)).toEqual([1, 2, 3]);
    expect(engine.listMultipartUploads({ bucket: "mp" }).uploads.map((u) => u.uploadId)).toEqual([
      up.uploadId,
    ]);
    await expect(
      engine.completeMultipartUpload({ bucket: "mp", key: "big", uploadId: up.uploadId, parts: done }),
    ).rejects.toMatchObject({ code: "EntityTooSmall" });
    await expect(
      engine.completeMultipartUpload({
        bucket: "mp",
        key: "big",
        uploadId: up.uploadId,
        parts: [done[1], done[0]],
        minPartSize: 1,
      }),
    ).rejects.toMatchObject({ code: "InvalidPartOrder" });
    const rec = await engine.completeMultipartUpload({
      bucket: "mp",
      key: "big",
      uploadId: up.uploadId,
      parts: done,
      minPartSize: 1,
    });
    const md5s = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
    expect(rec.etag).toBe(`${createHash("md5").update(md5s).digest("hex")}-3`);
    expect(rec.checksum?.value).toMatch(/-3$/);
    const all = Buffer.concat(parts);
    expect((await readObject(engine, "mp", "big")).equals(all)).toBe(true);
    const r = await engine.getObject({ bucket: "mp", key: "big", range: { start: 199_990, end: 350_010 } });
    expect((await collect(r.body)).equals(all.subarray(199_990, 350_011))).toBe(true);
    const p2 = await engine.getObject({ bucket: "mp", key: "big", partNumber: 2 });
    expect((await collect(p2.body)).equals(parts[1])).toBe(true);
    expect(engine.listMultipartUploads({ bucket: "mp" }).uploads).toEqual([]);

    const up2 = await engine.createMultipartUpload({ bucket: "mp", key: "aborted" });
    await engine.uploadPart({
      bucket: "mp",
      key: "aborted",
      uploadId: up2.uploadId,
      partNumber: 1,
      body: chunks(randomBytes(1000)),
    });
    await engine.abortMultipartUpload("mp", "aborted", up2.uploadId);
    expect(() => engine.listParts("mp", "aborted", up2.uploadId)).toThrow(
      expect.objectContaining({ code: "NoSuchUpload" }),
    );
  });
});

describe("encryption", () => {
  test("SSE-C needs the same key; a wrong key is refused", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "c", owner: "o" });
    const key = randomBytes(32);
    const keyMD5 = createHash("md5").update(key).digest("base64");
    const data = randomBytes(70_000);
    await put("c", "secret", data, { sse: { scheme: "SSE-C", key, keyMD5 } });
    expect(
      (await readObject(engine, "c", "secret", { sse: { scheme: "SSE-C", key, keyMD5 } })).equals(data),
    ).toBe(true);
    await expect(engine.getObject({ bucket: "c", key: "secret" })).rejects.toMatchObject({
      code: "MissingCustomerKey",
    });
    const wrong = randomBytes(32);
    await expect(
      engine.getObject({
        bucket: "c",
        key: "secret",
        sse: { scheme: "SSE-C", key: wrong, keyMD5: createHash("md5").update(wrong).digest("base64") },
      }),
    ).rejects.toMatchObject({ code: "WrongCustomerKey" });
    expect(
      isStorageError(
        await engine
          .getObject({ bucket: "c", key: "secret", sse: { scheme: "SSE-C", key: wrong, keyMD5 } })
          .catch((e) => e),
        "WrongCustomerKey",
      ),
    ).toBe(true);
  });
});
