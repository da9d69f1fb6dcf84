// The engine with fsync on (as `parity serve` runs it): inline objects, delete markers, large objects,
// updates and deletes go through the disks' record logs and survive a reopen; the logs compact.

import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { StorageEngine } from "../engine.ts";
import { chunks, collect, openTestEngine } from "./helpers.ts";

let engine: StorageEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const read = async (e: StorageEngine, key: string, versionId?: string) =>
  collect((await e.getObject({ bucket: "b", key, versionId })).body);

describe("durable engine on record logs", () => {
  test("inline and large objects, delete markers, metadata updates, deletes: all survive a reopen", async () => {
    const opened = await openTestEngine({ durable: true });
    engine = opened.engine;
    await engine.createBucket({ name: "b", owner: "o" });
    await engine.updateBucket("b", (b) => ({ ...b, versioning: "Enabled" }));
    const small = randomBytes(3000);
    const large = randomBytes(300_000);
    const v1 = await engine.putObject({ bucket: "b", key: "small", body: chunks(small) });
    await engine.putObject({ bucket: "b", key: "large", body: chunks(large) });
    const marker = await engine.deleteObject({ bucket: "b", key: "small" });
    expect(marker.deleteMarker).toBe(true);
    await engine.updateVersion(
      "b",
      "large",
      engine.headObject({ bucket: "b", key: "large" }).versionId,
      (r) => ({
        ...r,
        attrs: { ...r.attrs, tags: { k: "v" } },
      }),
    );
    await engine.putObject({ bucket: "b", key: "gone", body: chunks(Buffer.from("x")) });
    await engine.deleteObject({
      bucket: "b",
      key: "gone",
      versionId: engine.headObject({ bucket: "b", key: "gone" }).versionId,
    });
    for (const dropIndex of [false, true]) {
      await engine.close();
      // Without its index the engine rebuilds listing from the disks, i.e. from the record logs.
      if (dropIndex) await rm(join(opened.dataDir, "index"), { recursive: true, force: true });
      ({ engine } = await openTestEngine({
        durable: true,
        dataDir: opened.dataDir,
        keyring: opened.keyring,
      }));
      await expectState(engine, small, large, v1.versionId);
    }
  });
});

async function expectState(engine: StorageEngine, small: Buffer, large: Buffer, v1: string): Promise<void> {
  expect((await read(engine, "small", v1)).equals(small)).toBe(true);
  expect((await read(engine, "large")).equals(large)).toBe(true);
  expect(engine.headObject({ bucket: "b", key: "large" }).attrs.tags).toEqual({ k: "v" });
  await expect(engine.getObject({ bucket: "b", key: "small" })).rejects.toMatchObject({
    code: "NoSuchKey",
  });
  await expect(engine.getObject({ bucket: "b", key: "gone" })).rejects.toMatchObject({ code: "NoSuchKey" });
}
