// Reed-Solomon 12+4 throughput through the public API (copies in and out of wasm memory and the
// allocation of the returned shards included). `node bench/erasure.ts` prints a table and writes
// bench/results/erasure.json. GB/s are of data: block bytes per second, 1 GB = 1e9 bytes.

import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { createCodec } from "../reference-server/storage/erasure/index.ts";
import { WasmCodec } from "../reference-server/storage/erasure/wasm.ts";

const BLOCK_BYTES = 1 << 20;

interface Measurement {
  /** Best trial: the machine is shared, and the least disturbed trial is the codec's own speed. */
  best: number;
  median: number;
  trials: number[];
}

/** Runs `op` (which processes `bytes` data bytes) for `trials` timed trials after a warm-up. */
async function measure(op: () => unknown, bytes: number, trials: number, trialMs: number) {
  const warmUntil = performance.now() + trialMs;
  while (performance.now() < warmUntil) op();
  const rates: number[] = [];
  for (let t = 0; t < trials; t++) {
    await yieldToLoop();
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < trialMs) {
      op();
      n++;
      now = performance.now();
    }
    rates.push((n * bytes) / ((now - start) / 1000) / 1e9);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  return { best: sorted[sorted.length - 1], median: sorted[sorted.length >> 1], trials: rates };
}

export interface ErasureBenchDetails {
  encode: Measurement;
  /** Diagnostic: encode into one reused output buffer, i.e. without allocating the shards. */
  encodeIntoReused: Measurement;
  rebuild: Measurement;
  referenceEncode: Measurement;
}

export async function benchErasure(
  opts: { trials?: number; trialMs?: number; details?: (d: ErasureBenchDetails) => void } = {},
): Promise<{ encodeGBps: number; rebuildGBps: number; referenceEncodeGBps: number; blockBytes: number }> {
  const trials = opts.trials ?? 7;
  const trialMs = opts.trialMs ?? 700;
  const codec = createCodec(12, 4);
  const reference = createCodec(12, 4, { impl: "reference" });
  const block = randomBytes(BLOCK_BYTES);

  const encode = await measure(() => codec.encodeBlock(block), BLOCK_BYTES, trials, trialMs);
  const out = Buffer.allocUnsafe(codec.totalShards * codec.shardLength(BLOCK_BYTES));
  const encodeIntoReused =
    codec instanceof WasmCodec
      ? await measure(() => codec.encodeBlockInto(block, out), BLOCK_BYTES, trials, trialMs)
      : encode;

  // The worst case the code tolerates: 4 data shards lost, all rebuilt from 8 data + 4 parity.
  const damaged: (Uint8Array | null)[] = codec.encodeBlock(block);
  for (let i = 0; i < 4; i++) damaged[i] = null;
  const rebuild = await measure(() => codec.reconstruct(damaged), BLOCK_BYTES, trials, trialMs);

  const referenceEncode = await measure(() => reference.encodeBlock(block), BLOCK_BYTES, 3, trialMs);

  opts.details?.({ encode, encodeIntoReused, rebuild, referenceEncode });
  return {
    encodeGBps: encode.best,
    rebuildGBps: rebuild.best,
    referenceEncodeGBps: referenceEncode.best,
    blockBytes: BLOCK_BYTES,
  };
}

if (import.meta.main) {
  let details: ErasureBenchDetails | undefined;
  const result = await benchErasure({
    details: (d) => {
      details = d;
    },
  });
  const rows = [
    ["encode 12+4 (wasm)", details!.encode],
    ["  same, into a reused buffer", details!.encodeIntoReused],
    ["rebuild 4 data shards (wasm)", details!.rebuild],
    ["encode 12+4 (reference JS)", details!.referenceEncode],
  ] as const;
  console.log(`Reed-Solomon 12+4, ${BLOCK_BYTES} B blocks, GB/s of data (best / median of trials)`);
  for (const [name, m] of rows) {
    console.log(`  ${name.padEnd(30)} ${m.best.toFixed(2).padStart(6)} / ${m.median.toFixed(2)}`);
  }
  const dir = new URL("./results/", import.meta.url);
  await mkdir(dir, { recursive: true });
  const json = {
    ...result,
    node: process.version,
    date: new Date().toISOString(),
    details,
  };
  await writeFile(new URL("erasure.json", dir), `${JSON.stringify(json, null, 2)}\n`);
}
