// Annotation shards under heal and master-key rotation: a wiped or corrupted disk gets its shards back, a
// rotation re-seals the payload keys so the old master key can be dropped, and a disk the rotation missed
// is brought to the new sealing by heal.

import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { afterEach, describe, expect, test } from "vitest";
import { annotationsOf, getAnnotation, putAnnotation } from "../annotations.ts";
import type { StorageEngine } from "../engine.ts";
import { dataDir as versionDir } from "../paths.ts";
import { chunks, openTestEngine } from "./helpers.ts";

let engine: StorageEngine;
let dirs: string[] = [];
afterEach(async () => {
  await engine?.close();
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  dirs = [];
});

async function annotated(name: string, payload: Buffer) {
  await engine.createBucket({ name: "a", owner: "o" });
  await engine.putObject({ bucket: "a", key: "k", body: chunks(Buffer.from("object")) });
  const { rec, entry } = await putAnnotation(
    engine.ctx,
    { bucket: "a", key: "k" },
    { name, payload, checksums: {}, check: () => {} },
  );
  const dist = rec.erasure!.distribution;
  const zones = Object.keys(dist).sort();
  return { rec, entry, dist, zones, file: `${versionDir("a", "k", rec.writeId)}/ann-${entry.gen}` };
}

async function readWith(name: string): Promise<Buffer> {
  const got = await getAnnotation(engine.ctx, { bucket: "a", key: "k" }, name);
  if (!("payload" in got)) throw new Error("annotation missing");
  return got.payload;
}

/** Every zone but `zone` offline, and 4 disks of `zone` other than `keep`: `keep` is now one of k shards. */
async function onlyKeepingOneZone(dist: Record<string, string[]>, zone: string, keep: string) {
  const ids: string[] = [];
  for (const z of Object.keys(dist).filter((z) => z !== zone))
    ids.push((await engine.faults.inject(z, "offline")).id);
  for (const d of dist[zone].filter((d) => d !== keep).slice(0, 4))
    ids.push((await engine.faults.inject(d, "offline")).id);
  return ids;
}

describe("annotation shards", () => {
  test("heal re-encodes the shards of a wiped disk and of a corrupted one", async () => {
    let dataDir: string;
    ({ engine, dataDir } = await openTestEngine());
    dirs.push(dataDir);
    const payload = randomBytes(300_000);
    const { entry, dist, zones, file } = await annotated("n", payload);
    const wiped = dist[zones[0]][2];
    const corrupted = dist[zones[1]][5];
    await engine.faults.inject(wiped, "wipe");
    await engine.faults.inject(corrupted, "corrupt", { bucket: "a", key: "k" });
    expect(await engine.ctx.disks.get(wiped)!.exists(file)).toBe(false);
    const report = await engine.heal();
    expect(report.unrecoverable).toEqual([]);
    const shards = report.repaired.flatMap((r) => r.shards);
    expect(shards).toContain(`${wiped}:ann-${entry.gen}`);
    expect(shards).toContain(`${corrupted}:ann-${entry.gen}`);
    expect(await engine.ctx.disks.get(wiped)!.exists(file)).toBe(true);
    // The healed shard is one of the only k left: the payload must come out of it.
    for (const [zone, disk] of [
      [zones[0], wiped],
      [zones[1], corrupted],
    ]) {
      const ids = await onlyKeepingOneZone(dist, zone, disk);
      expect((await readWith("n")).equals(payload)).toBe(true);
      for (const id of ids) await engine.faults.restore(id);
    }
    // A second heal finds nothing left to do for the annotation.
    const again = await engine.heal();
    expect(again.repaired.flatMap((r) => r.shards)).toEqual([]);
  });

  test("rotation re-seals annotation keys: the old master key can be dropped; heal updates a disk that was offline", async () => {
    let dataDir: string;
    let keyring: import("../../crypto/master-key.ts").Keyring;
    ({ engine, dataDir, keyring } = await openTestEngine());
    dirs.push(dataDir);
    const payload = randomBytes(40_000);
    const { entry, dist, zones } = await annotated("n", payload);
    const missed = dist[zones[0]][7];
    const off = await engine.faults.inject(missed, "offline");
    const oldId = keyring.current.id;
    const rotated = keyring.withNewCurrent();
    const { resealed, annotationsResealed } = await engine.rotateMasterKey(rotated);
    expect([resealed, annotationsResealed]).toEqual([1, 1]);
    await engine.faults.restore(off.id);
    await engine.close();
    ({ engine } = await openTestEngine({ dataDir, keyring: rotated.without(oldId) }));
    expect((await readWith("n")).equals(payload)).toBe(true);
    // The missed disk still holds the old sealing (its shard is intact, its key no longer opens): with it
    // as one of the only k shards, the read still works because another shard's sealing opens.
    const ids = await onlyKeepingOneZone(dist, zones[0], missed);
    expect((await readWith("n")).equals(payload)).toBe(true);
    for (const id of ids) await engine.faults.restore(id);
    const report = await engine.heal();
    expect(report.repaired.flatMap((r) => r.shards)).toEqual([`${missed}:ann-${entry.gen}`]);
    const rec = engine.versionsOf("a", "k")[0];
    expect(Object.keys(annotationsOf(rec))).toEqual(["n"]);
    // After heal, a rotation finds nothing left under the old key.
    expect((await engine.rotateMasterKey(engine.ctx.keyring)).annotationsResealed).toBe(0);
  });
});
