import { randomBytes } from "node:crypto";
import { afterEach, expect, test } from "vitest";
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
          write: async (d) => {
            bytes += d.length;
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
