// The disk's ceiling for bench/server.ts: what a 64 MiB PUT must write, written with nothing else to do.
// A PUT writes every byte 16/12 × 3 zones = 4 times, as 48 shard files made durable with fdatasync; so
// the object data a durable PUT can take here is at most this write rate divided by 4.

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const SHARD_FILES = 48;
const AMPLIFICATION = (16 / 12) * 3;

/** Best of `rounds`: 4 × 64 MiB over 48 new files in 1 MiB writes, each file fdatasync'd and closed. */
export async function diskCeiling(rounds = 3): Promise<{
  writeMBps: number;
  objectMBps: number;
  objectGbps: number;
  method: string;
}> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "parity-disk-ceiling-"));
  const perFile = Math.ceil((64 * 2 ** 20 * AMPLIFICATION) / SHARD_FILES);
  const chunk = Buffer.alloc(2 ** 20, 7);
  let best = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const t = performance.now();
      await Promise.all(
        Array.from({ length: SHARD_FILES }, async (_, i) => {
          const fh = await fs.open(path.join(dir, `${round}-${i}`), "w");
          try {
            for (let at = 0; at < perFile; at += chunk.length)
              await fh.write(chunk, 0, Math.min(chunk.length, perFile - at));
            await fh.datasync();
          } finally {
            await fh.close();
          }
        }),
      );
      best = Math.max(best, (perFile * SHARD_FILES) / 2 ** 20 / ((performance.now() - t) / 1000));
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return {
    writeMBps: best,
    objectMBps: best / AMPLIFICATION,
    objectGbps: ((best / AMPLIFICATION) * 2 ** 20 * 8) / 1e9,
    method: `best of ${rounds}: ${SHARD_FILES} files of ${(perFile / 2 ** 20).toFixed(2)} MiB (a 64 MiB object's shards), 1 MiB writes, fdatasync each; object data = write rate / ${AMPLIFICATION}`,
  };
}
