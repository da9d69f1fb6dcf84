// The CPU a durable 64 MiB PUT cannot do without, for bench/server.ts: each step the design makes
// unavoidable, run alone on one thread over one 64 MiB object (best of a few rounds), its process CPU time
// (user + system) summed. Spread perfectly over every core with nothing else to do, that sum bounds the
// PUT rate of any implementation here; a real server also parses HTTP, schedules, copies and collects
// garbage, and the kernel's writeback threads (not counted) take CPU too, so it stays below the bound.
// This is the 64 MiB counterpart of floor-server.ts (whose per-request costs dominate 4 KiB objects).

import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Crc64Nvme } from "../reference-server/crc64/crc64.ts";
import { PackageEncryptor } from "../reference-server/crypto/packages.ts";
import { DIRECT_IO_ALIGNMENT, takeAligned } from "../reference-server/storage/aligned-memory.ts";
import { createCodec } from "../reference-server/storage/erasure/index.ts";
import {
  BLOCK_CHECKSUM_BYTES,
  defaultBlockSize,
  frameShardInPlace,
} from "../reference-server/storage/shard-file.ts";

const MiB = 2 ** 20;
const SIZE = 64 * MiB;
const BLOCK = defaultBlockSize(12, DIRECT_IO_ALIGNMENT); // the engine's (~1 MiB)
const CHUNK = 64 * 1024; // what a loopback socket hands over at a time
const ZONES = 3;
const BLOCKS_PER_WRITE = 4;

export interface PutCpuBudget {
  /** CPU ms per 64 MiB PUT, by step. */
  steps: Record<string, number>;
  totalMs: number;
  cores: number;
  /** 64 MiB PUTs a second × 64 MiB, in Gbit/s, if `cores` did nothing but the steps. */
  maxGbps: number;
  method: string;
}

/** CPU ms (user + system) of the best of `rounds` runs of `fn` (after one unmeasured run). */
async function cpuMs(fn: () => unknown, rounds = 3): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** The body over a loopback TCP connection, both ends in this process: sender and receiver CPU. */
async function loopback(body: Buffer): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  const received = new Promise<void>((resolve) => {
    server.once("connection", (s) => {
      let n = 0;
      s.on("data", (c: Buffer) => {
        n += c.length;
        if (n >= body.length) resolve();
      });
    });
  });
  const client = net.connect(port, "127.0.0.1");
  for (let at = 0; at < body.length; at += CHUNK) {
    if (!client.write(body.subarray(at, at + CHUNK))) await new Promise((r) => client.once("drain", r));
  }
  await received;
  client.destroy();
  await new Promise((r) => server.close(r));
}

export async function putCpuBudget(): Promise<PutCpuBudget> {
  const body = randomBytes(SIZE);
  const codec = createCodec(12, 4);
  const shardLen = codec.shardLength(BLOCK);
  // As stripe-writer.ts lays a batch out: shard i's 4 framed blocks back to back, page-aligned.
  const frame = shardLen + BLOCK_CHECKSUM_BYTES;
  const stride = BLOCKS_PER_WRITE * frame;
  const batch = takeAligned(codec.totalShards * stride) ?? Buffer.allocUnsafe(codec.totalShards * stride);
  const blocks = Math.ceil(SIZE / BLOCK);
  const cipher: Uint8Array[] = [];
  const steps: Record<string, number> = {};
  let writeMode = "";

  steps["loopback TCP (send + receive)"] = await cpuMs(() => loopback(body));
  steps["MD5 (ETag)"] = await cpuMs(() => {
    const h = createHash("md5");
    for (let at = 0; at < SIZE; at += CHUNK) h.update(body.subarray(at, at + CHUNK));
    h.digest();
  });
  steps["CRC64NVME (default checksum)"] = await cpuMs(() => {
    const h = new Crc64Nvme();
    for (let at = 0; at < SIZE; at += CHUNK) h.update(body.subarray(at, at + CHUNK));
    h.digest();
  });
  const objectKey = randomBytes(32);
  steps["AES-256-GCM, 64 KiB packages"] = await cpuMs(() => {
    const e = new PackageEncryptor(objectKey, 1);
    for (let at = 0; at < SIZE; at += CHUNK) {
      e.update(body.subarray(at, at + CHUNK), cipher);
      cipher.length = 0;
    }
    e.final(cipher);
    cipher.length = 0;
  });
  const slot = (b: number) => batch.subarray((b % BLOCKS_PER_WRITE) * frame);
  steps["12+4 encode, 1 MiB blocks"] = await cpuMs(() => {
    for (let b = 0; b < blocks; b++)
      codec.encodeBlockInto(body.subarray(b * BLOCK, (b + 1) * BLOCK), slot(b), stride);
  });
  // The 16 shards of a block are the same bytes in every zone: their CRCs are computed once.
  steps["CRC32 of each shard block"] = await cpuMs(() => {
    for (let b = 0; b < blocks; b++)
      for (let i = 0; i < codec.totalShards; i++) frameShardInPlace(slot(b), i * stride, shardLen);
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-put-budget-"));
  try {
    let round = 0;
    // Each file gets its framed blocks 4 at a time from the batch buffer, around the page cache when
    // the file system allows it, as the engine writes them (stripe-writer.ts).
    let direct = true;
    const open = (file: string) => {
      const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC;
      try {
        return fs.openSync(file, direct ? flags | fs.constants.O_DIRECT : flags);
      } catch {
        direct = false;
        return fs.openSync(file, flags);
      }
    };
    steps["write 48 shard files + fdatasync"] = await cpuMs(() => {
      round++;
      const fds = Array.from({ length: ZONES * codec.totalShards }, (_, i) =>
        open(path.join(dir, `${round}-${i}`)),
      );
      for (let b = 0; b < blocks; b += BLOCKS_PER_WRITE)
        for (let f = 0; f < fds.length; f++)
          fs.writeSync(
            fds[f],
            batch,
            (f % codec.totalShards) * stride,
            Math.min(BLOCKS_PER_WRITE, blocks - b) * frame,
            b * frame,
          );
      for (const fd of fds) {
        fs.fdatasyncSync(fd);
        fs.closeSync(fd);
      }
    });
    writeMode = direct ? "O_DIRECT" : "buffered";
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const totalMs = Object.values(steps).reduce((a, b) => a + b, 0);
  const cores = os.availableParallelism();
  return {
    steps,
    totalMs,
    cores,
    maxGbps: (((cores * 1000) / totalMs) * SIZE * 8) / 1e9,
    method: `each step alone over one 64 MiB object on one thread, process CPU (user + system), best of 3; shard files written ${writeMode} as the engine does; bound = ${cores} cores × 64 MiB / total; the kernel's writeback threads are not counted`,
  };
}

if (import.meta.main) {
  const b = await putCpuBudget();
  console.table(Object.fromEntries(Object.entries(b.steps).map(([k, v]) => [k, { "CPU ms": v.toFixed(1) }])));
  console.log(
    `${b.totalMs.toFixed(0)} CPU ms a 64 MiB PUT at least: at most ${b.maxGbps.toFixed(2)} Gbit/s on ${b.cores} cores`,
  );
}
