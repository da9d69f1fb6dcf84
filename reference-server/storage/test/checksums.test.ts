// Object checksums the engine stores: S3's default CRC64NVME for bodies uploaded without one (inline and
// on the hash worker), and full-object CRCs of multipart uploads combined from the parts' CRCs.

import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { type ChecksumAlgorithm, checksumOf } from "../../checksums.ts";
import { BodyDigests } from "../body-digests.ts";
import type { StorageEngine } from "../engine.ts";
import { chunks, openTestEngine } from "./helpers.ts";

let engine: StorageEngine;
afterEach(async () => {
  await engine?.close();
});

const LARGE = BodyDigests.offloadFrom + 12_345; // hashed on the worker thread

async function multipart(
  key: string,
  bodies: Buffer[],
  create: { checksumAlgorithm?: ChecksumAlgorithm; checksumType?: "COMPOSITE" | "FULL_OBJECT" },
) {
  const up = await engine.createMultipartUpload({ bucket: "b", key, ...create });
  const parts = [];
  for (const [i, body] of bodies.entries()) {
    const p = await engine.uploadPart({
      bucket: "b",
      key,
      uploadId: up.uploadId,
      partNumber: i + 1,
      body: chunks(body, 65_536),
      size: body.length,
    });
    parts.push({ number: i + 1, etag: p.etag });
  }
  return { uploadId: up.uploadId, parts };
}

describe("default checksum", () => {
  test.each([
    ["small (hashed inline)", 1000],
    ["large (hashed on the worker)", LARGE],
  ])("a %s body uploaded without an algorithm stores a full-object CRC64NVME", async (_, size) => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(size);
    const rec = await engine.putObject({ bucket: "b", key: "k", body: chunks(data, 70_000), size });
    expect(rec.checksum).toEqual({
      algorithm: "CRC64NVME",
      value: await checksumOf("CRC64NVME", data),
      type: "FULL_OBJECT",
    });
    expect(engine.headObject({ bucket: "b", key: "k" }).checksum).toEqual(rec.checksum);
  });

  test("an algorithm the client names replaces the default, offloaded or not", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(LARGE);
    const rec = await engine.putObject({
      bucket: "b",
      key: "k",
      body: chunks(data, 70_000),
      size: data.length,
      checksumAlgorithm: "CRC32",
    });
    expect(rec.checksum).toEqual({
      algorithm: "CRC32",
      value: await checksumOf("CRC32", data),
      type: "FULL_OBJECT",
    });
  });
});

describe("multipart full-object checksums", () => {
  test.each(["CRC32", "CRC32C", "CRC64NVME"] as const)(
    "%s FULL_OBJECT: the parts' CRCs combine into the whole object's",
    async (alg) => {
      ({ engine } = await openTestEngine());
      await engine.createBucket({ name: "b", owner: "o" });
      const bodies = [randomBytes(LARGE), randomBytes(70_001), randomBytes(3)];
      const { uploadId, parts } = await multipart("full", bodies, {
        checksumAlgorithm: alg,
        checksumType: "FULL_OBJECT",
      });
      const rec = await engine.completeMultipartUpload({
        bucket: "b",
        key: "full",
        uploadId,
        parts,
        minPartSize: 1,
      });
      expect(rec.checksum).toEqual({
        algorithm: alg,
        value: await checksumOf(alg, Buffer.concat(bodies)),
        type: "FULL_OBJECT",
      });
    },
  );

  test("the full-object checksum sent on completion is verified", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const bodies = [randomBytes(5000), randomBytes(100)];
    const { uploadId, parts } = await multipart("full", bodies, {
      checksumAlgorithm: "CRC32",
      checksumType: "FULL_OBJECT",
    });
    const complete = (value: string) =>
      engine.completeMultipartUpload({
        bucket: "b",
        key: "full",
        uploadId,
        parts,
        minPartSize: 1,
        expectedChecksum: { algorithm: "CRC32", value },
      });
    await expect(complete(await checksumOf("CRC32", bodies[0]))).rejects.toMatchObject({
      code: "ChecksumMismatch",
    });
    // Refused completions leave the upload in place.
    expect(engine.listParts("b", "full", uploadId).parts).toHaveLength(2);
    const whole = await checksumOf("CRC32", Buffer.concat(bodies));
    expect((await complete(whole)).checksum?.value).toBe(whole);
  });

  test("an upload without an algorithm completes with S3's default, a full-object CRC64NVME", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const bodies = [randomBytes(LARGE), randomBytes(999), randomBytes(LARGE)];
    const { uploadId, parts } = await multipart("plain", bodies.slice(0, 2), {});
    // The parts show no checksum: the client asked for none.
    expect(engine.listParts("b", "plain", uploadId).parts.map((p) => p.checksums)).toEqual([
      undefined,
      undefined,
    ]);
    // Parts with a checksum of the client's own (SDKs add CRC32) still get the default computed.
    const up = await engine.uploadPart({
      bucket: "b",
      key: "plain",
      uploadId,
      partNumber: 3,
      body: chunks(bodies[2]),
      checksumAlgorithm: "CRC32",
    });
    expect(up.checksums).toEqual({ CRC32: await checksumOf("CRC32", bodies[2]) });
    parts.push({ number: 3, etag: up.etag });
    const rec = await engine.completeMultipartUpload({
      bucket: "b",
      key: "plain",
      uploadId,
      parts,
      minPartSize: 1,
    });
    expect(rec.checksum).toEqual({
      algorithm: "CRC64NVME",
      value: await checksumOf("CRC64NVME", Buffer.concat(bodies)),
      type: "FULL_OBJECT",
    });
  });
});
