import { randomBytes } from "node:crypto";
import { afterEach, expect, test } from "vitest";
import { DIRECT_IO_ALIGNMENT } from "./aligned-memory.ts";
import { BodyDigests } from "./body-digests.ts";
import type { LocalDisk, ShardWriter } from "./disk.ts";
import { createCodec } from "./erasure/index.ts";
import { StorageError } from "./errors.ts";
import { flushSlots, PoolSlots } from "./io-threads.ts";
import { writeBody } from "./object-write.ts";
import { StripeWriter, type ZoneTarget } from "./stripe-writer.ts";

/** What the disks saw, in order: writes and flushes per file, and the most flushes at once. */
interface Seen {
  events: string[];
  flushing: number;
  maxFlushing: number;
}

function fakeTargets(seen: Seen, opts: { flushMs?: number } = {}): ZoneTarget[] {
  const disk = (name: string) =>
    ({
      createWriter: async (): Promise<ShardWriter> => {
        let bytes = 0;
        return {
          direct: false,
          write: async (d) => {
            bytes += d.length;
            seen.events.push(`write ${name} ${bytes}`);
          },
          writev: async (ds) => {
            for (const d of ds) bytes += d.length;
            seen.events.push(`write ${name} ${bytes}`);
          },
          flush: async () => {
            seen.flushing++;
            seen.maxFlushing = Math.max(seen.maxFlushing, seen.flushing);
            seen.events.push(`flush ${name} ${bytes}`);
            await new Promise((r) => setTimeout(r, opts.flushMs ?? 1));
            seen.flushing--;
          },
          close: async () => {
            seen.events.push(`close ${name} ${bytes}`);
          },
          abort: async () => {},
        };
      },
    }) as unknown as LocalDisk;
  return ["az1", "az2", "az3"].map((zone) => ({
    zone,
    disks: Array.from({ length: 16 }, (_, i) => disk(`${zone}-d${i}`)),
  }));
}

const savedFlushEvery = StripeWriter.flushEvery;
afterEach(() => {
  StripeWriter.flushEvery = savedFlushEvery;
});

function stripeFor(targets: ZoneTarget[]): StripeWriter {
  return new StripeWriter({
    targets,
    codec: createCodec(12, 4),
    blockSize: 64 * 1024,
    relPath: "b/k/part.1",
    inlineThreshold: -1,
    zoneQuorum: 2,
  });
}

test("shard files are flushed while the body streams, in rounds that share the process's flush slots", async () => {
  StripeWriter.flushEvery = 16 * 1024;
  const seen: Seen = { events: [], flushing: 0, maxFlushing: 0 };
  const stripe = stripeFor(fakeTargets(seen, { flushMs: 5 }));
  const body = randomBytes(4 * 1024 * 1024);
  for (let at = 0; at < body.length; at += 65_536) {
    await stripe.write(body.subarray(at, at + 65_536));
    // Give background rounds a chance to run while "encoding" continues.
    await new Promise((r) => setImmediate(r));
  }
  const beforeFinish = seen.events.filter((e) => e.startsWith("flush")).length;
  const result = await stripe.finish();
  expect(result.cipherSize).toBe(body.length);
  // Rounds ran before the commit's close, each over all 48 files, never past the slots.
  expect(beforeFinish).toBeGreaterThanOrEqual(48);
  expect(seen.maxFlushing).toBeLessThanOrEqual(flushSlots.size);
  expect(seen.maxFlushing).toBeGreaterThan(1);
  // A file is only flushed once something was written to it, and closed last.
  const files = new Set(seen.events.map((e) => e.split(" ")[1]));
  expect(files.size).toBe(48);
  for (const f of files) {
    const mine = seen.events.filter((e) => e.split(" ")[1] === f);
    expect(mine[0]).toMatch(/^write /);
    expect(mine.at(-1)).toMatch(/^close /);
  }
});

test("pool slots: never more than their size at once, served in arrival order", async () => {
  const slots = new PoolSlots(5);
  const started: number[] = [];
  const gates: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const n = slots.size * 2 + 3;
  const all = Array.from({ length: n }, (_, i) =>
    slots.run(async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return i;
    }),
  );
  await new Promise((r) => setImmediate(r));
  expect(started.length).toBe(slots.size);
  while (gates.length > 0 || started.length < n) {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  expect(await Promise.all(all)).toEqual(Array.from({ length: n }, (_, i) => i));
  expect(started).toEqual(Array.from({ length: n }, (_, i) => i));
  expect(most).toBe(slots.size);
});

test("a slot is released when its job fails", async () => {
  const slots = new PoolSlots(2);
  const failures = Array.from({ length: slots.size + 2 }, () =>
    slots
      .run(async () => {
        throw new Error("EIO");
      })
      .catch((e: Error) => e.message),
  );
  expect(await Promise.all(failures)).toEqual(Array(slots.size + 2).fill("EIO"));
  expect(await slots.run(async () => "free")).toBe("free");
});

test("writeBody checks the digests while the stripe finishes; the digests' error wins", async () => {
  const body = randomBytes(200_000);
  const input = (contentMD5?: string) => ({
    body: (async function* () {
      yield body;
    })(),
    size: body.length,
    expected: () => ({ contentMD5 }),
  });
  const failingStripe = {
    write: async () => {},
    finish: () => Promise.reject(new StorageError("InsufficientWriteQuorum", "zones down")),
  } as unknown as StripeWriter;
  const digests = () => new BodyDigests(undefined, body.length);
  const wrongMd5 = Buffer.alloc(16).toString("base64");
  await expect(
    writeBody(input(wrongMd5), digests(), failingStripe, randomBytes(32), 0),
  ).rejects.toMatchObject({
    code: "BadDigest",
  });
  // Good digests: the stripe's own failure is what the caller gets.
  await expect(writeBody(input(), digests(), failingStripe, randomBytes(32), 0)).rejects.toMatchObject({
    code: "InsufficientWriteQuorum",
  });
});

test("with blocks framed to whole direct-I/O units, each disk gets aligned writes from aligned memory at aligned positions; the last may be short", async () => {
  const A = DIRECT_IO_ALIGNMENT;
  const seen: { direct: boolean; writes: { offset: number; length: number; position: number }[] }[] = [];
  const disk = {
    createWriter: async (_rel: string, opts: { direct?: boolean }): Promise<ShardWriter> => {
      const mine = { direct: opts.direct === true, writes: [] as (typeof seen)[number]["writes"] };
      seen.push(mine);
      return {
        direct: mine.direct,
        write: async (d, position) => {
          mine.writes.push({ offset: d.byteOffset, length: d.length, position: position ?? -1 });
        },
        writev: async () => {
          throw new Error("writev");
        },
        flush: async () => {},
        close: async () => {},
        abort: async () => {},
      };
    },
  } as unknown as LocalDisk;
  const targets = ["az1", "az2", "az3"].map((zone) => ({ zone, disks: Array(16).fill(disk) }));
  const run = async (blockSize: number, size: number) => {
    seen.length = 0;
    const stripe = new StripeWriter({
      targets,
      codec: createCodec(12, 4),
      blockSize,
      relPath: "b/k/part.1",
      inlineThreshold: -1,
      zoneQuorum: 2,
    });
    const body = randomBytes(size);
    for (let at = 0; at < size; at += 50_000) await stripe.write(body.subarray(at, at + 50_000));
    await stripe.finish();
  };
  const aligned = 12 * (3 * A - 4);
  await run(aligned, 9 * aligned + 1234);
  expect(seen).toHaveLength(48);
  for (const file of seen) {
    expect(file.direct).toBe(true);
    const writes = file.writes.sort((a, b) => a.position - b.position);
    expect(writes.map((w) => w.position % A)).toEqual(writes.map(() => 0));
    expect(writes.map((w) => w.offset % A)).toEqual(writes.map(() => 0));
    expect(writes.slice(0, -1).every((w) => w.length % A === 0)).toBe(true);
    // Back to back: 9 full framed blocks, then the short one.
    writes.forEach((w, i) => {
      if (i > 0) expect(w.position).toBe(writes[i - 1].position + writes[i - 1].length);
    });
    expect(writes.reduce((n, w) => n + w.length, 0)).toBe(9 * 3 * A + Math.ceil(1234 / 12) + 4);
  }
  // Any other block size: buffered writes, same layout.
  await run(64 * 1024, 3 * 64 * 1024 + 5);
  expect(seen.every((f) => !f.direct)).toBe(true);
});
