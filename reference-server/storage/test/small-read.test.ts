// The small-GET fast path (small-read.ts): the healthy case reads the k data records of the first zone
// and nothing else; every other case answers undefined, and the engine's GET still serves the right
// bytes through the general path, which reports the damage for heal.

import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, test, vi } from "vitest";
import { openObjectKey } from "../encryption.ts";
import type { StorageEngine } from "../engine.ts";
import { type EngineContext, firstZoneDisks, zonesOf } from "../engine-context.ts";
import { readSmallInline } from "../small-read.ts";
import { chunks, openTestEngine, readObject } from "./helpers.ts";

let engine: StorageEngine;
afterEach(async () => {
  vi.restoreAllMocks();
  await engine?.close();
});

async function put(key: string, size: number): Promise<Buffer> {
  const data = randomBytes(size);
  await engine.putObject({ bucket: "s", key, body: chunks(data) });
  return data;
}

function fast(key: string, start?: number, end?: number): Buffer | undefined {
  const rec = engine.headObject({ bucket: "s", key });
  const objectKey = openObjectKey(engine.ctx, rec, undefined);
  return readSmallInline(engine.ctx, rec, objectKey, start ?? 0, end ?? rec.size - 1);
}

function firstZone(key: string) {
  const rec = engine.headObject({ bucket: "s", key });
  return firstZoneDisks(engine.ctx, rec.erasure!.distribution)!;
}

describe("small inline GET fast path", () => {
  test("reads exactly the k data records of the first zone, whole or a range", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "s", owner: "o" });
    const data = await put("k", 5_000);
    const disks = firstZone("k");
    const spies = disks.map((d) => vi.spyOn(d!, "readRecordSyncInto"));
    expect(fast("k")?.equals(data)).toBe(true);
    expect(fast("k", 100, 4_321)?.equals(data.subarray(100, 4_322))).toBe(true);
    const k = engine.ctx.codec.dataShards;
    expect(spies.map((s) => s.mock.calls.length)).toEqual([
      ...new Array(k).fill(2),
      ...new Array(disks.length - k).fill(0),
    ]);
    // The engine's GET takes it.
    for (const s of spies) s.mockClear();
    expect((await readObject(engine, "s", "k")).equals(data)).toBe(true);
    expect(spies.map((s) => s.mock.calls.length)).toEqual([
      ...new Array(k).fill(1),
      ...new Array(disks.length - k).fill(0),
    ]);
    // The zone the general path reads first is the same one.
    const rec = engine.headObject({ bucket: "s", key: "k" });
    const zone = Object.entries(rec.erasure!.distribution).find(([, ids]) => ids[0] === disks[0]!.id)![0];
    expect(zone).toBe([...Object.keys(rec.erasure!.distribution)].sort()[0]);
  });

  test("anything but the healthy case is left to the general path, which serves it and reports damage", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "s", owner: "o" });
    const big = await put("big", 100_000); // over the inline threshold: shard files
    expect(fast("big")).toBeUndefined();
    expect((await readObject(engine, "s", "big")).equals(big)).toBe(true);

    const offline = await put("offline", 3_000);
    const down = await engine.faults.inject(firstZone("offline")[2]!.id, "offline");
    expect(fast("offline")).toBeUndefined();
    expect((await readObject(engine, "s", "offline")).equals(offline)).toBe(true);
    await engine.faults.restore(down.id);

    const slow = await put("slow", 3_000);
    const slowed = await engine.faults.inject(firstZone("slow")[4]!.id, "slow", { slowMs: 1 });
    expect(fast("slow")).toBeUndefined();
    expect((await readObject(engine, "s", "slow")).equals(slow)).toBe(true);
    await engine.faults.restore(slowed.id);

    const corrupt = await put("corrupt", 3_000);
    const corruptId = firstZone("corrupt")[7]!.id;
    await engine.faults.inject(corruptId, "corrupt", { bucket: "s", key: "corrupt" });
    expect(fast("corrupt")).toBeUndefined();
    expect(engine.ctx.index.healQueue().map((q) => q.key)).not.toContain("corrupt");
    expect((await readObject(engine, "s", "corrupt")).equals(corrupt)).toBe(true);
    expect(engine.ctx.index.healQueue().map((q) => q.key)).toContain("corrupt");
  });
});

test("firstZoneDisks picks the zone zonesOf reads first, with or without a preferred zone", () => {
  const distribution = { az3: ["c1", "c2"], az1: ["a1", "a2"], az2: ["b1", "b2"] };
  const disks = new Map(
    Object.values(distribution)
      .flat()
      .map((id) => [id, { id }]),
  );
  for (const preferredZone of [undefined, "az2", "az3", "az9"]) {
    const ctx = { settings: { preferredZone }, disks } as unknown as EngineContext;
    expect(firstZoneDisks(ctx, distribution)).toEqual(zonesOf(ctx, distribution)[0].disks);
  }
  expect(firstZoneDisks({ settings: {}, disks } as unknown as EngineContext, {})).toBeUndefined();
});
