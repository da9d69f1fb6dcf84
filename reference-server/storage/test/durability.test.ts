import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import type { Keyring } from "../../crypto/master-key.ts";
import type { StorageEngine } from "../engine.ts";
import { decodeMetaRecord, type ObjectVersionRecord } from "../meta-record.ts";
import { dataDir, metaFile } from "../paths.ts";
import {
  blockDataLength,
  blockLayout,
  shardBlockSpan,
  shardLengthFor,
  verifyShardBlock,
} from "../shard-file.ts";
import { chunks, openTestEngine, readObject } from "./helpers.ts";

let engine: StorageEngine;
afterEach(async () => {
  await engine?.close();
});

const SIZES = [5_000, 150_000]; // one inline object, one with shard files over several blocks

async function seed(): Promise<Map<string, Buffer>> {
  await engine.createBucket({ name: "d", owner: "o" });
  const objects = new Map<string, Buffer>();
  for (const [i, size] of SIZES.entries()) {
    const data = randomBytes(size);
    objects.set(`obj${i}`, data);
    await engine.putObject({ bucket: "d", key: `obj${i}`, body: chunks(data) });
  }
  return objects;
}

async function expectAllReadable(objects: Map<string, Buffer>): Promise<void> {
  for (const [k, data] of objects) expect((await readObject(engine, "d", k)).equals(data)).toBe(true);
}

async function expectAllUnreadable(objects: Map<string, Buffer>): Promise<void> {
  for (const k of objects.keys()) {
    await expect(readObject(engine, "d", k)).rejects.toMatchObject({ code: "InsufficientReadQuorum" });
  }
}

function shardDisks(key: string, zone: string): string[] {
  return engine.headObject({ bucket: "d", key }).erasure!.distribution[zone];
}

/** Full redundancy, checked on the files themselves: every record and every shard block of every zone. */
async function expectFullRedundancy(objects: Map<string, Buffer>): Promise<void> {
  for (const key of objects.keys()) {
    const rec = engine.headObject({ bucket: "d", key });
    for (const [zone, ids] of Object.entries(rec.erasure!.distribution)) {
      for (const [i, id] of ids.entries()) {
        const disk = engine.ctx.disks.get(id)!;
        const { record, inline } = decodeMetaRecord(await disk.readFile(metaFile("d", key, rec.writeId)), id);
        expect(record.erasure?.index, `${zone} ${id}`).toBe(i);
        const part = rec.parts[0];
        const l = blockLayout(part.cipherSize, rec.erasure!.blockSize, rec.erasure!.dataShards);
        const file = rec.inline
          ? inline
          : await disk.readFile(`${dataDir("d", key, rec.writeId)}/${part.dataFile}`);
        for (let b = 0; b < l.blocks; b++) {
          const span = shardBlockSpan(l, b);
          const ok = verifyShardBlock(
            file.subarray(span.offset, span.offset + span.length),
            shardLengthFor(blockDataLength(l, b), l.dataShards),
          );
          expect(ok, `${id} block ${b}`).not.toBeNull();
        }
      }
    }
  }
}

describe("tolerances of 12+4 × 3 zones", () => {
  test("any 4 disks of a zone (random), then a 5th in every zone fails cleanly", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...Array(16).keys()], { minLength: 4, maxLength: 4 }),
        async (idx) => {
          const ids = shardDisks("obj1", "az1");
          for (const i of idx) await engine.faults.inject(ids[i], "offline");
          await expectAllReadable(objects);
          await engine.faults.restoreAll();
        },
      ),
      { numRuns: 8 },
    );
    // 5 shards of obj1 lost in every zone: beyond tolerance, typed error, never wrong bytes.
    for (const z of ["az1", "az2", "az3"])
      for (const id of shardDisks("obj1", z).slice(0, 5)) await engine.faults.inject(id, "offline");
    await expect(readObject(engine, "d", "obj1")).rejects.toMatchObject({ code: "InsufficientReadQuorum" });
  });

  test("any one rack of a zone", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    for (const r of [1, 2, 3, 4]) {
      const f = await engine.faults.inject(`az2-r${r}`, "offline");
      await expectAllReadable(objects);
      await engine.faults.restore(f.id);
    }
  });

  test("one whole zone, then one zone plus 4 disks in each other zone, then one more", async () => {
    ({ engine } = await openTestEngine({ preferredZone: "az1" }));
    const objects = await seed();
    await engine.faults.inject("az1", "offline");
    await expectAllReadable(objects);
    for (const z of ["az2", "az3"]) {
      for (const key of objects.keys()) {
        // 4 shards of each object in each remaining zone (some disks overlap between objects: fine).
        for (const id of shardDisks(key, z).slice(0, 4)) await engine.faults.inject(id, "offline");
      }
    }
    // Objects may share disks; make sure each object lost at most 4 per zone, else skip the check.
    const lostPerZone = (key: string, z: string) =>
      shardDisks(key, z).filter((id) => !engine.ctx.disks.get(id)!.online).length;
    const tolerable = [...objects.keys()].every(
      (k) => lostPerZone(k, "az2") <= 4 && lostPerZone(k, "az3") <= 4,
    );
    if (tolerable) await expectAllReadable(objects);
    await engine.faults.inject("az2", "offline");
    await expectAllUnreadable(objects);
  });

  test("writes are refused when fewer than 2 zones can take them, accepted (and queued for heal) with one zone down", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "d", owner: "o" });
    await engine.faults.inject("az3", "offline");
    const data = randomBytes(100_000);
    await engine.putObject({ bucket: "d", key: "degraded", body: chunks(data) });
    expect(engine.ctx.index.healQueue().map((h) => h.key)).toContain("degraded");
    await engine.faults.inject("az2-r1", "offline");
    await engine.faults.inject("az2-r2-n1", "offline"); // az2 now has fewer than 12 disks
    await expect(engine.putObject({ bucket: "d", key: "refused", body: chunks(data) })).rejects.toMatchObject(
      {
        code: "InsufficientWriteQuorum",
      },
    );
    await expect(readObject(engine, "d", "refused")).rejects.toMatchObject({ code: "NoSuchKey" });
    await engine.faults.restoreAll();
    expect((await readObject(engine, "d", "degraded")).equals(data)).toBe(true);
    const report = await engine.heal();
    expect(report.repaired.map((r) => r.key)).toContain("degraded");
    await expectFullRedundancy(new Map([["degraded", data]]));
  });
});

describe("bitrot and heal", () => {
  test("a corrupt shard is never served; heal rewrites it", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    for (const key of objects.keys()) {
      for (const z of ["az1", "az2", "az3"]) {
        for (const id of shardDisks(key, z).slice(0, 4))
          await engine.faults.inject(id, "corrupt", { bucket: "d", key });
      }
    }
    await expectAllReadable(objects);
    const report = await engine.heal({ deep: true });
    expect(report.unrecoverable).toEqual([]);
    expect(report.repaired.length).toBe(objects.size);
    await expectFullRedundancy(objects);
    const again = await engine.heal({ deep: true });
    expect(again.repaired).toEqual([]);
  });

  test("a damaged data shard that only the GCM tag catches is found by the checked re-read, rebuilt and queued for heal", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    const key = "obj1"; // shard files over several blocks: read without block checksums first
    const rec = engine.headObject({ bucket: "d", key });
    expect(rec.inline).toBe(false);
    // Damage one data shard in the zone reads are served from; a range and the whole object are right.
    const id = shardDisks(key, "az1")[5];
    await engine.faults.inject(id, "corrupt", { bucket: "d", key });
    expect(engine.ctx.index.healQueue()).toEqual([]);
    const data = objects.get(key)!;
    expect(
      (await readObject(engine, "d", key, { range: { start: 70_000, end: 140_000 } })).equals(
        data.subarray(70_000, 140_001),
      ),
    ).toBe(true);
    await expectAllReadable(objects);
    const queued = engine.ctx.index.healQueue();
    expect(queued.map((q) => q.key)).toContain(key);
    expect(queued.find((q) => q.key === key)?.reason).toMatch(/checksum|corrupt/i);
  });

  test("wiped (replaced) disks, a wiped zone and a wiped rack are rebuilt to full redundancy", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    await engine.faults.inject("az1", "wipe");
    await engine.faults.inject("az2-r3", "wipe");
    await engine.faults.inject("az3-r1-n2-d1", "wipe");
    await expectAllReadable(objects);
    const report = await engine.heal();
    expect(report.unrecoverable).toEqual([]);
    await expectFullRedundancy(objects);
    // The bucket record is back on every disk too.
    for (const d of engine.ctx.disks.values()) expect(await d.exists("buckets/d.json")).toBe(true);
  });
});

describe("the index is derived", () => {
  test("deleting the index and rebuilding it from the disks gives the same listings", async () => {
    let dataDir: string;
    let keyring: Keyring;
    ({ engine, dataDir, keyring } = await openTestEngine());
    await engine.createBucket({ name: "i", owner: "o" });
    await engine.createBucket({ name: "iv", owner: "o" });
    await engine.updateBucket("iv", (b) => ({ ...b, versioning: "Enabled" }));
    for (let i = 0; i < 30; i++) {
      await engine.putObject({ bucket: "i", key: `dir${i % 3}/k${i}`, body: chunks(randomBytes(i * 1000)) });
      await engine.putObject({ bucket: "iv", key: `k${i % 4}`, body: chunks(randomBytes(100)) });
    }
    await engine.putObject({ bucket: "i", key: "dir0/k0", body: chunks(Buffer.from("overwritten")) });
    await engine.deleteObject({ bucket: "iv", key: "k1" });
    await engine.deleteObject({ bucket: "i", key: "dir1/k1" });
    const up = await engine.createMultipartUpload({ bucket: "i", key: "pending" });
    await engine.uploadPart({
      bucket: "i",
      key: "pending",
      uploadId: up.uploadId,
      partNumber: 1,
      body: chunks(randomBytes(10)),
    });
    const snapshot = () => ({
      buckets: engine.listBuckets().map((b) => [b.name, b.versioning]),
      i: engine
        .listObjects({ bucket: "i" })
        .objects.map((o: ObjectVersionRecord) => [o.key, o.etag, o.versionId]),
      iDelim: engine.listObjects({ bucket: "i", delimiter: "/" }).commonPrefixes,
      iv: engine
        .listObjectVersions({ bucket: "iv" })
        .versions.map((v) => [v.key, v.versionId, v.isLatest, !!v.deleteMarker]),
      uploads: engine.listMultipartUploads({ bucket: "i" }).uploads.map((u) => u.uploadId),
      parts: engine.listParts("i", "pending", up.uploadId).parts.map((p) => [p.number, p.etag]),
    });
    const before = snapshot();
    await engine.close();
    await fs.rm(`${dataDir}/index`, { recursive: true });
    ({ engine } = await openTestEngine({ dataDir, keyring }));
    expect(snapshot()).toEqual(before);
    expect((await readObject(engine, "i", "dir0/k0")).toString()).toBe("overwritten");
  });
});

describe("slow and full disks, heal under traffic", () => {
  test("slow disks slow things down but change no byte; full disks degrade writes, a full zone is survivable", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    const slow = await engine.faults.inject("az1-r1", "slow", { slowMs: 5 });
    await expectAllReadable(objects);
    await engine.faults.restore(slow.id);
    await engine.faults.inject("az1-r2-n1", "full");
    await engine.faults.inject("az2", "full");
    const data = randomBytes(120_000);
    await engine.putObject({ bucket: "d", key: "while-full", body: chunks(data) });
    expect(engine.ctx.index.healQueue().map((h) => h.key)).toContain("while-full");
    await engine.faults.inject("az3", "full");
    await expect(engine.putObject({ bucket: "d", key: "no-room", body: chunks(data) })).rejects.toMatchObject(
      {
        code: "InsufficientWriteQuorum",
      },
    );
    await engine.faults.restoreAll();
    await engine.heal();
    await expectFullRedundancy(new Map([["while-full", data]]));
  });

  test("heal is safe while writes, overwrites and deletes continue", async () => {
    ({ engine } = await openTestEngine());
    const objects = await seed();
    await engine.faults.inject("az2-r1", "wipe");
    const expected = new Map(objects);
    const writer = (async () => {
      for (let i = 0; i < 40; i++) {
        const key = `live${i % 7}`;
        const data = randomBytes(i % 2 ? 90_000 : 3_000);
        await engine.putObject({ bucket: "d", key, body: chunks(data) });
        expected.set(key, data);
        if (i % 9 === 8) {
          await engine.deleteObject({ bucket: "d", key });
          expected.delete(key);
        }
      }
    })();
    const heals = (async () => {
      for (let i = 0; i < 3; i++) await engine.heal();
    })();
    await Promise.all([writer, heals]);
    await engine.heal();
    for (const [k, data] of expected) expect((await readObject(engine, "d", k)).equals(data)).toBe(true);
    await expectFullRedundancy(expected);
  });
});

describe("recovery never mistakes disks that are down for records that are absent", () => {
  test("an undecided commit waits while zones are down, then rolls forward", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "d", owner: "o" });
    const data = randomBytes(90_000);
    const rec = await engine.putObject({ bucket: "d", key: "undecided", body: chunks(data) });
    // As if the process died after writing the records but before indexing them.
    engine.ctx.index.deleteVersion("d", "undecided", rec.versionId);
    engine.ctx.index.addIntent({
      kind: "put",
      bucket: "d",
      key: "undecided",
      writeId: rec.writeId,
      payload: { distribution: rec.erasure!.distribution },
    });
    await engine.faults.inject("az1", "offline");
    await engine.faults.inject("az2-r1", "offline");
    await engine.faults.inject("az2-r2", "offline");
    const { recoverIntents } = await import("../recovery.ts");
    const first = await recoverIntents(engine.ctx);
    expect(first).toMatchObject({ deferred: 1, rolledBack: 0, rolledForward: 0 });
    await engine.faults.restoreAll();
    await engine.heal();
    expect(engine.ctx.index.intents()).toEqual([]);
    expect((await readObject(engine, "d", "undecided")).equals(data)).toBe(true);
  });
});
