import { createHash, randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { Crc64Nvme } from "../crc64/crc64.ts";
import { OffloadedMd5, RING_BYTES, stopHashWorker } from "./md5-offload.ts";

/** Feed `chunks` through an offloaded stream the way BodyDigests.tap does (update, then backpressure). */
async function offloaded(chunks: Uint8Array[]): Promise<{ md5: Buffer; crc64: Buffer }> {
  const h = new OffloadedMd5(true);
  for (const c of chunks) {
    h.update(c);
    await h.backpressure();
  }
  return { md5: await h.digest(), crc64: await h.crc64Hasher().digest() };
}

function direct(chunks: Uint8Array[]): { md5: Buffer; crc64: Buffer } {
  const md5 = createHash("md5");
  const crc = new Crc64Nvme();
  for (const c of chunks) {
    md5.update(c);
    crc.update(c);
  }
  return { md5: md5.digest(), crc64: Buffer.from(crc.digest()) };
}

describe("OffloadedMd5: chunks through the shared ring", () => {
  test("digests match across ring wrap-around, with chunks too large for the ring copied instead", async () => {
    const sizes = [1, 65536, 262144, 5 * 1024 * 1024, 1000, 1 << 20, 7];
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; total < RING_BYTES * 2.5; i++) {
      const c = randomBytes(sizes[i % sizes.length]);
      chunks.push(c);
      total += c.length;
    }
    expect(await offloaded(chunks)).toEqual(direct(chunks));
  });

  test("concurrent streams filling the ring all finish with their own digests (no stream starves)", async () => {
    const bodies = Array.from({ length: 6 }, (_, s) =>
      Array.from({ length: 48 }, (_, i) => randomBytes(((s + i) % 4) * 100_000 + 256 * 1024)),
    );
    const results = await Promise.all(bodies.map((b) => offloaded(b)));
    for (const [i, r] of results.entries()) expect(r).toEqual(direct(bodies[i]));
  });

  test("a chunk's bytes are copied at update: changing the caller's buffer afterwards changes nothing", async () => {
    const h = new OffloadedMd5();
    const buf = Buffer.alloc(100_000, 1);
    h.update(buf);
    buf.fill(2);
    expect((await h.digest()).equals(createHash("md5").update(Buffer.alloc(100_000, 1)).digest())).toBe(true);
  });
});

describe("OffloadedMd5: the worker going away", () => {
  test("streams in flight fail instead of waiting forever; the next stream gets a new worker", async () => {
    const chunk = randomBytes(1 << 20);
    const h = new OffloadedMd5(true);
    // Past the stream's budget without waiting: backpressure() now has to wait for the worker.
    for (let i = 0; i < 20; i++) h.update(chunk);
    const waited = h.backpressure();
    await stopHashWorker();
    await waited; // woken, not left hanging
    await expect(h.digest()).rejects.toThrow(/exited/);
    // Updates and backpressure on the dead stream neither throw nor hang.
    h.update(chunk);
    await h.backpressure();
    const chunks = [randomBytes(3 << 20), randomBytes(1000)];
    expect(await offloaded(chunks)).toEqual(direct(chunks));
  });
});
