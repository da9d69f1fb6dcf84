// The disk's ceiling for bench/server.ts: what a 64 MiB PUT must write, written with nothing else to do.
// A PUT writes every byte 16/12 × 3 zones = 4 times, as 48 shard files made durable with fdatasync; so
// the object data a durable PUT can take here is at most this write rate divided by 4. Measured both
// through the page cache and around it (O_DIRECT, as the engine writes shard files when it can); the
// ceiling is the better of the two.

import { constants as fsc } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { takeAligned } from "../reference-server/storage/aligned-memory.ts";

const SHARD_FILES = 48;
const AMPLIFICATION = (16 / 12) * 3;

/**
 * Best of `rounds` a mode: 4 × 64 MiB over 48 new files in 1 MiB writes, each file fdatasync'd and
 * closed; buffered and O_DIRECT rounds alternate.
 */
export async function diskCeiling(rounds = 3): Promise<{
  writeMBps: number;
  bufferedMBps: number;
  directMBps: number | null;
  objectMBps: number;
  objectGbps: number;
  method: string;
}> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "parity-disk-ceiling-"));
  // Whole 4 KiB units, so O_DIRECT takes every write.
  const perFile = Math.ceil((64 * 2 ** 20 * AMPLIFICATION) / SHARD_FILES / 4096) * 4096;
  const chunk = takeAligned(2 ** 20) ?? Buffer.alloc(2 ** 20);
  chunk.fill(7);
  const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC;
  const best = { buffered: 0, direct: 0 };
  let directRefused = false;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ["buffered", "direct"] as const) {
        if (mode === "direct" && directRefused) continue;
        const t = performance.now();
        try {
          await Promise.all(
            Array.from({ length: SHARD_FILES }, async (_, i) => {
              const file = path.join(dir, `${round}-${mode}-${i}`);
              const fh = await fs.open(file, mode === "direct" ? flags | fsc.O_DIRECT : flags);
              try {
                for (let at = 0; at < perFile; at += chunk.length)
                  await fh.write(chunk, 0, Math.min(chunk.length, perFile - at), at);
                await fh.datasync();
              } finally {
                await fh.close();
              }
            }),
          );
        } catch (e) {
          if (mode === "buffered" || (e as NodeJS.ErrnoException).code !== "EINVAL") throw e;
          directRefused = true;
          continue;
        }
        const rate = (perFile * SHARD_FILES) / 2 ** 20 / ((performance.now() - t) / 1000);
        best[mode] = Math.max(best[mode], rate);
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const writeMBps = Math.max(best.buffered, best.direct);
  return {
    writeMBps,
    bufferedMBps: best.buffered,
    directMBps: directRefused ? null : best.direct,
    objectMBps: writeMBps / AMPLIFICATION,
    objectGbps: ((writeMBps / AMPLIFICATION) * 2 ** 20 * 8) / 1e9,
    method: `best of ${rounds} a mode (buffered, O_DIRECT): ${SHARD_FILES} files of ${(perFile / 2 ** 20).toFixed(2)} MiB (a 64 MiB object's shards), 1 MiB writes, fdatasync each; write rate = the better mode; object data = write rate / ${AMPLIFICATION}`,
  };
}
