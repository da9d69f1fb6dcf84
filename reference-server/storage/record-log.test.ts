// The record log against a Map: any sequence of puts, deletes, reopens (with compaction in between)
// leaves exactly the model's names and bytes; a torn tail is cut; a damaged entry reads as damage, also
// after a reopen, never as an older version.

import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { LogDamage, RecordLog } from "./record-log.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), "record-log-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function openLog(dir: string, maxSegmentBytes = 4096): Promise<RecordLog> {
  const log = new RecordLog(dir, { durable: false, maxSegmentBytes });
  await log.open();
  return log;
}

async function expectSame(log: RecordLog, model: Map<string, Buffer>): Promise<void> {
  expect(log.namesUnder("o").sort()).toEqual([...model.keys()].sort());
  for (const [name, data] of model) expect((await log.get(name))?.equals(data), name).toBe(true);
}

describe("record log", () => {
  test("matches a Map through puts, deletes (lazy too), reopens and compaction", async () => {
    const names = ["o/a/1.meta", "o/a/2.meta", "o/b/1.meta", "o/c/d/e.meta"];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("put" as const),
        name: fc.constantFrom(...names),
        size: fc.integer({ min: 0, max: 1500 }),
      }),
      fc.record({ kind: fc.constant("delete" as const), name: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant("retire" as const), name: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant("reopen" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const dir = await tempDir();
        let log = await openLog(dir);
        const model = new Map<string, Buffer>();
        for (const o of ops) {
          if (o.kind === "put") {
            const data = randomBytes(o.size);
            // Concurrent puts of other names ride in the same group commit.
            await Promise.all([log.put(o.name, data), log.put("o/z/noise", randomBytes(10))]);
            model.set(o.name, data);
            model.set("o/z/noise", (await log.get("o/z/noise"))!);
          } else if (o.kind === "delete") {
            await log.delete(o.name);
            model.delete(o.name);
          } else if (o.kind === "retire") {
            // A lazy delete rides in the commit of a write made in the same turn.
            const noise = randomBytes(10);
            await Promise.all([log.delete(o.name, true), log.put("o/z/noise", noise)]);
            model.delete(o.name);
            model.set("o/z/noise", noise);
          } else {
            await log.close();
            log = await openLog(dir);
          }
          await expectSame(log, model);
        }
        await log.close();
        const reopened = await openLog(dir);
        await expectSame(reopened, model);
        await reopened.close();
      }),
      { numRuns: 40 },
    );
  });

  test("listing: children of a directory, counted until the last name under them goes", async () => {
    const log = await openLog(await tempDir());
    await log.put("objects/ab/k1/w1.meta", Buffer.from("1"));
    await log.put("objects/ab/k1/w2.meta", Buffer.from("2"));
    await log.put("objects/cd/k2/w3.meta", Buffer.from("3"));
    expect(log.list("objects").sort()).toEqual(["ab", "cd"]);
    expect(log.list("objects/ab/k1").sort()).toEqual(["w1.meta", "w2.meta"]);
    await log.delete("objects/ab/k1/w1.meta");
    expect(log.list("objects/ab")).toEqual(["k1"]);
    await log.delete("objects/ab/k1/w2.meta");
    expect(log.list("objects").sort()).toEqual(["cd"]);
    expect(log.isDirectory("objects/ab")).toBe(false);
    await log.close();
  });

  test("a torn tail (crash mid-append) is cut off; everything before it stays", async () => {
    const dir = await tempDir();
    const log = await openLog(dir, 1 << 20);
    await log.put("o/kept", Buffer.from("kept"));
    await log.put("o/torn", Buffer.alloc(500, 1));
    await log.close();
    const seg = path.join(dir, "00000001.seg");
    const { size } = await fs.stat(seg);
    await fs.truncate(seg, size - 100);
    const again = await openLog(dir, 1 << 20);
    expect(again.namesUnder("o")).toEqual(["o/kept"]);
    expect((await fs.stat(seg)).size).toBeLessThan(size - 100);
    // Appends continue where the valid log ends.
    await again.put("o/after", Buffer.from("after"));
    await again.close();
    const third = await openLog(dir, 1 << 20);
    expect(third.namesUnder("o").sort()).toEqual(["o/after", "o/kept"]);
    await third.close();
  });

  test("a damaged entry reads as damage, also after a reopen, never as the older version", async () => {
    const dir = await tempDir();
    const log = await openLog(dir, 1 << 20);
    await log.put("o/r", Buffer.from("version one"));
    await log.put("o/r", Buffer.from("version two"));
    expect(await log.corrupt("o/r")).toBe(true);
    await expect(log.get("o/r")).rejects.toBeInstanceOf(LogDamage);
    await log.close();
    const again = await openLog(dir, 1 << 20);
    await expect(again.get("o/r")).rejects.toBeInstanceOf(LogDamage);
    // Rewriting the record (heal) replaces the damage.
    await again.put("o/r", Buffer.from("healed"));
    expect((await again.get("o/r"))?.toString()).toBe("healed");
    await again.close();
  });

  test("readDataSyncInto: the data read into the caller's buffer, framing checked, content left to the caller", async () => {
    const dir = await tempDir();
    const log = await openLog(dir, 1 << 20);
    const data = randomBytes(300);
    await log.put("o/a", Buffer.from("first"));
    await log.put("o/r", data);
    const into = Buffer.alloc(4096);
    const got = log.readDataSyncInto("o/r", into)!;
    expect(got.equals(data)).toBe(true);
    expect(got.buffer).toBe(into.buffer);
    expect(log.readDataSyncInto("o/missing", into)).toBeUndefined();
    expect(log.readDataSyncInto("o/r", Buffer.alloc(100))).toBeUndefined(); // does not fit
    // A flipped data byte is not its business (no CRC): the caller authenticates what it uses.
    expect(await log.corrupt("o/r")).toBe(true);
    expect(log.readDataSyncInto("o/r", into)!.equals(data)).toBe(false);
    await expect(log.get("o/r")).rejects.toBeInstanceOf(LogDamage);
    // Framing is checked: an entry header that is not what the location says is damage.
    const [seg] = (await fs.readdir(dir)).map((f) => path.join(dir, f));
    const bytes = await fs.readFile(seg);
    const entry = bytes.lastIndexOf(Buffer.from("o/r")) - 28; // 12-byte header and 16-byte body header
    const fh = await fs.open(seg, "r+");
    await fh.write(Buffer.from([bytes[entry + 8] ^ 1]), 0, 1, entry + 8); // its body length
    await fh.close();
    expect(() => log.readDataSyncInto("o/r", into)).toThrow(LogDamage);
    expect(log.readDataSyncInto("o/a", into)?.toString()).toBe("first");
    await log.close();
  });

  test("group commit: concurrent puts share writes", async () => {
    const dir = await tempDir();
    const log = new RecordLog(dir, { durable: true });
    await log.open();
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.put(`o/${i}`, Buffer.alloc(100, i))));
    for (let i = 0; i < 200; i += 37) expect((await log.get(`o/${i}`))?.[0]).toBe(i);
    const stats = log.stats();
    expect(stats.live).toBe(stats.bytes);
    // One O_DSYNC write carried many puts.
    expect(stats.commits).toBeLessThan(50);
    await log.close();
  });

  test("a durable log's segments are O_DSYNC (each append durable when it returns); others are not", async () => {
    // The descriptors of the segment files this process holds open, and their flags (/proc fdinfo).
    const segmentFlags = async (dir: string) => {
      const out: number[] = [];
      for (const fd of await fs.readdir("/proc/self/fd")) {
        const target = await fs.readlink(`/proc/self/fd/${fd}`).catch(() => "");
        if (!target.startsWith(`${dir}/`) || !target.endsWith(".seg")) continue;
        const info = await fs.readFile(`/proc/self/fdinfo/${fd}`, "utf8").catch(() => "");
        out.push(Number.parseInt(info.match(/flags:\s+([0-7]+)/)![1], 8));
      }
      return out;
    };
    for (const durable of [true, false]) {
      const dir = await tempDir();
      // A small segment limit: the second segment is made by newSegment, the first reopened by open.
      let log = new RecordLog(dir, { durable, maxSegmentBytes: 200 });
      await log.open();
      await log.put("o/a", Buffer.alloc(300, 1));
      await log.close();
      log = new RecordLog(dir, { durable, maxSegmentBytes: 200 });
      await log.open();
      await log.put("o/b", Buffer.alloc(300, 2));
      const flags = await segmentFlags(dir);
      expect(flags.length).toBeGreaterThanOrEqual(2);
      for (const f of flags) expect((f & fsConstants.O_DSYNC) !== 0, `durable ${durable}`).toBe(durable);
      expect((await log.get("o/a"))?.[0]).toBe(1);
      expect((await log.get("o/b"))?.[0]).toBe(2);
      await log.close();
    }
  });

  test("a lazy delete rides with the next write, goes on its own after a while, and close writes it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const dir = await tempDir();
      const log = await openLog(dir, 1 << 20);
      for (const n of ["a", "b", "c"]) await log.put(`o/${n}`, Buffer.from(n));
      const c0 = log.stats().commits;
      const gone = log.delete("o/a", true);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      // Waiting for a write to carry it: nothing committed yet.
      expect(log.stats().commits).toBe(c0);
      expect(log.has("o/a")).toBe(true);
      await Promise.all([gone, log.put("o/d", Buffer.from("d"))]);
      expect(log.stats().commits).toBe(c0 + 1); // one commit carried both
      expect(log.has("o/a")).toBe(false);
      // No write comes: it goes once the lazy delay is over.
      const alone = log.delete("o/b", true);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      expect(log.has("o/b")).toBe(true);
      vi.advanceTimersByTime(1000);
      await alone;
      expect(log.has("o/b")).toBe(false);
      expect(log.stats().commits).toBe(c0 + 2);
      // flushLazy (shutdown) writes it without waiting for the delay.
      const soon = log.delete("o/d", true);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      expect(log.has("o/d")).toBe(true);
      log.flushLazy();
      await soon;
      expect(log.has("o/d")).toBe(false);
      await log.put("o/d", Buffer.from("d"));
      // Closing writes what is still waiting.
      const last = log.delete("o/c", true);
      await log.close();
      await last;
      const again = await openLog(dir, 1 << 20);
      expect(again.namesUnder("o")).toEqual(["o/d"]);
      await again.close();
    } finally {
      vi.useRealTimers();
    }
  });

  test("a failed group commit rejects each of its entries with the mapped error; nothing of it shows", async () => {
    const dir = await tempDir();
    const log = new RecordLog(dir, {
      durable: true,
      mapError: (e) => new Error(`mapped: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`),
    });
    await log.open();
    await log.put("o/kept", Buffer.from("old"));
    // The active segment's descriptor swapped for one that is not open: the batch's write fails (EBADF).
    const seg = (log as unknown as { active: { fh: { fd: number } } }).active;
    const real = seg.fh;
    seg.fh = { fd: 1 << 20 };
    const failed = await Promise.allSettled([
      log.put("o/new", Buffer.from("a")),
      log.put("o/kept", Buffer.from("b")),
      log.delete("o/kept"),
    ]);
    seg.fh = real;
    for (const r of failed) {
      expect(r.status).toBe("rejected");
      expect(String((r as PromiseRejectedResult).reason)).toContain("mapped: EBADF");
    }
    expect(log.has("o/new")).toBe(false);
    expect((await log.get("o/kept"))?.toString()).toBe("old");
    // The next batch lands (over the failed bytes, if any were written), and so does a reopen.
    await log.put("o/after", Buffer.from("c"));
    await log.close();
    const again = await openLog(dir);
    expect(again.namesUnder("o").sort()).toEqual(["o/after", "o/kept"]);
    expect((await again.get("o/kept"))?.toString()).toBe("old");
    await again.close();
    // A closed log rejects through the mapping too.
    await expect(log.put("o/late", Buffer.from("d"))).rejects.toThrow("mapped: record log closed");
  });
  test("compaction reclaims rewritten records: segments do not pile up", async () => {
    const dir = await tempDir();
    const log = await openLog(dir, 4096);
    for (let i = 0; i < 200; i++) await log.put("o/hot", Buffer.alloc(1000, i));
    await log.put("o/cold", Buffer.from("cold"));
    for (let i = 0; i < 50; i++) await log.put("o/hot", Buffer.alloc(1000, i));
    const { segments, bytes } = log.stats();
    // ~250 KB were written; what stays is a few segments.
    expect(segments).toBeLessThanOrEqual(4);
    expect(bytes).toBeLessThan(4 * 4096 + 2000);
    expect((await log.get("o/cold"))?.toString()).toBe("cold");
    await log.close();
    const again = await openLog(dir, 4096);
    expect((await again.get("o/hot"))?.[0]).toBe(49);
    expect((await again.get("o/cold"))?.toString()).toBe("cold");
    await again.close();
  });
});

describe("metadata record encoder", () => {
  test("splicing the shard index gives exactly what encoding each record gives", async () => {
    const { encodeMetaRecord, metaRecordEncoder, decodeMetaRecord } = await import("./meta-record.ts");
    const record = {
      format: 1,
      bucket: "b",
      key: 'k "index":1',
      versionId: "null",
      writeId: "w",
      modTime: 1,
      size: 3,
      etag: "e",
      headers: {},
      userMeta: { index: "0" },
      storageClass: "STANDARD",
      multipart: false,
      parts: [],
      erasure: { index: 0, dataShards: 12, parityShards: 4, blockSize: 1024, distribution: {} },
      inline: true,
      attrs: {},
    } as unknown as Parameters<typeof encodeMetaRecord>[0];
    const encode = metaRecordEncoder(record);
    for (const i of [0, 7, 15]) {
      const inline = Buffer.from([i, i + 1]);
      const expected = encodeMetaRecord({ ...record, erasure: { ...record.erasure!, index: i } }, inline);
      expect(encode(i, inline).equals(expected)).toBe(true);
      expect(decodeMetaRecord(encode(i, inline)).record.erasure?.index).toBe(i);
    }
  });
});
