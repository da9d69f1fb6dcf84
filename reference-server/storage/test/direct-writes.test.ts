// Shard files written around the page cache (O_DIRECT): the engine's default block size frames shard
// blocks to whole 4 KiB units, so a large part's files are opened O_DIRECT and filled from page-aligned
// memory, the last write padded and the file cut back to size. The bytes on disk are the documented
// layout either way (docs/format.md), and a file system that refuses O_DIRECT gets buffered writes.

import { randomBytes } from "node:crypto";
import { constants as fsc, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { ciphertextLength } from "../../crypto/package-format.ts";
import { DIRECT_IO_ALIGNMENT, releaseAligned, takeAligned } from "../aligned-memory.ts";
import {
  BLOCK_CHECKSUM_BYTES,
  blockLayout,
  shardBlockSpan,
  shardFileSize,
  verifyShardBlock,
} from "../shard-file.ts";
import { fileWriter } from "../shard-io.ts";
import { allFiles, chunks, openTestEngine, readObject, tempDir } from "./helpers.ts";

const realOpen = fs.open;

const einval = (what: string) =>
  Object.assign(new Error(`EINVAL: invalid argument, ${what}`), { code: "EINVAL" });

/** A file handle whose writes the file system refuses (EINVAL), as some do under O_DIRECT. */
function refusingWrites(fh: fs.FileHandle): fs.FileHandle {
  return new Proxy(fh, {
    get: (target, prop) => {
      if (prop === "write") return async () => Promise.reject(einval("write"));
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/**
 * Records the flags of every open of a part file for writing; `refuse` makes the file system refuse
 * O_DIRECT at open, or take it and refuse the writes.
 */
function watchOpens(refuse: "open" | "write" | null = null): number[] {
  const flags: number[] = [];
  vi.spyOn(fs, "open").mockImplementation(async (file, f, mode) => {
    if (String(file).endsWith("/part.1") && typeof f === "number" && f & fsc.O_WRONLY) {
      flags.push(f);
      if (refuse === "open" && f & fsc.O_DIRECT) throw einval(`open '${file}'`);
      if (refuse === "write" && f & fsc.O_DIRECT) return refusingWrites(await realOpen(file, f, mode));
    }
    return realOpen(file, f, mode);
  });
  return flags;
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function putAndCheckFiles(refuse: "open" | "write" | null) {
  const { engine, dataDir } = await openTestEngine({ blockSize: undefined });
  try {
    const blockSize = engine.ctx.settings.blockSize;
    const k = engine.ctx.codec.dataShards;
    const flags = watchOpens(refuse);
    await engine.createBucket({ name: "b", owner: "o" });
    // Two full blocks and a short third one, so the last write is padded and cut.
    const body = randomBytes(2 * blockSize + 123_457);
    await engine.putObject({ bucket: "b", key: "big", body: chunks(body, 65_536), size: body.length });
    expect((await readObject(engine, "b", "big")).equals(body)).toBe(true);

    const layout = blockLayout(ciphertextLength(body.length), blockSize, k);
    const files = (await allFiles(dataDir)).filter((f) => path.basename(f) === "part.1");
    expect(files).toHaveLength(48);
    for (const f of files) {
      const bytes = await fs.readFile(f);
      expect(bytes.length).toBe(shardFileSize(layout));
      for (let b = 0; b < layout.blocks; b++) {
        const { offset, length } = shardBlockSpan(layout, b);
        const framed = bytes.subarray(offset, offset + length);
        expect(verifyShardBlock(framed, length - BLOCK_CHECKSUM_BYTES)).not.toBeNull();
      }
    }
    return { flags, engine, blockSize };
  } finally {
    await engine.close();
  }
}

describe("O_DIRECT shard writes", () => {
  test("the default block size frames a 12+4 shard block to whole 4 KiB units (about 1 MiB a block)", async () => {
    const { engine } = await openTestEngine({ blockSize: undefined });
    try {
      const bs = engine.ctx.settings.blockSize;
      expect((Math.ceil(bs / 12) + BLOCK_CHECKSUM_BYTES) % DIRECT_IO_ALIGNMENT).toBe(0);
      expect(Math.abs(bs - (1 << 20))).toBeLessThan(32 * 1024);
    } finally {
      await engine.close();
    }
  });

  test("a large part's 48 files are opened O_DIRECT and hold the documented layout, cut to size", async () => {
    const { flags } = await putAndCheckFiles(null);
    expect(flags).toHaveLength(48);
    expect(flags.every((f) => (f & fsc.O_DIRECT) !== 0)).toBe(true);
  });

  test("a file system that refuses O_DIRECT gets buffered writes, asked once a disk", async () => {
    const { flags } = await putAndCheckFiles("open");
    const direct = flags.filter((f) => f & fsc.O_DIRECT);
    // Each disk asked once, was refused, and opened the same file buffered.
    expect(direct).toHaveLength(48);
    expect(flags.filter((f) => !(f & fsc.O_DIRECT))).toHaveLength(48);
  });

  test("a file system that takes O_DIRECT at open but refuses the writes: the file is reopened buffered", async () => {
    const { flags } = await putAndCheckFiles("write");
    expect(flags.filter((f) => f & fsc.O_DIRECT)).toHaveLength(48);
    expect(flags.filter((f) => !(f & fsc.O_DIRECT))).toHaveLength(48);
  });

  test.each(["open", "write"] as const)(
    "a disk remembers a refusal at %s: its next files are opened buffered at once",
    async (refuse) => {
      const { engine } = await openTestEngine({ blockSize: undefined });
      try {
        const flags = watchOpens(refuse);
        await engine.createBucket({ name: "b", owner: "o" });
        for (const key of ["one", "two"]) {
          const body = randomBytes(engine.ctx.settings.blockSize + 5);
          await engine.putObject({ bucket: "b", key, body: chunks(body, 65_536), size: body.length });
          expect((await readObject(engine, "b", key)).equals(body)).toBe(true);
        }
        // The first PUT: 48 refused, 48 buffered (instead, or reopened); the second: 48 buffered at once.
        expect(flags.filter((f) => f & fsc.O_DIRECT)).toHaveLength(48);
        expect(flags.filter((f) => !(f & fsc.O_DIRECT))).toHaveLength(96);
      } finally {
        await engine.close();
      }
    },
  );

  test("the writer pads a short last write, cuts the file to size, and refuses misuse", async () => {
    const dir = await tempDir("parity-direct-");
    const file = path.join(dir, "shard");
    const open = () => realOpen(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC | fsc.O_DIRECT);
    const A = DIRECT_IO_ALIGNMENT;
    const mem = takeAligned(4 * A)!;
    mem.set(randomBytes(mem.length));
    const expected = Buffer.from(mem.subarray(0, 2 * A + 100));

    const fh = await open();
    const fdFlags = readFileSync(`/proc/self/fdinfo/${fh.fd}`, "utf8").match(/flags:\s+([0-7]+)/)![1];
    expect(Number.parseInt(fdFlags, 8) & fsc.O_DIRECT).not.toBe(0);
    const w = fileWriter(fh, file, "d1", { durable: true, direct: true }, async () => {});
    await w.write(mem.subarray(0, 2 * A), 0);
    await w.write(mem.subarray(2 * A, 2 * A + 100), 2 * A);
    // The padded write must be the last one.
    await expect(w.write(mem.subarray(3 * A, 4 * A), 3 * A)).rejects.toThrow(/after the padded last one/);
    await w.close();
    expect((await fs.readFile(file)).equals(expected)).toBe(true);

    // Memory the kernel would refuse is refused first, with a clear message (not as a failed disk).
    const w2 = fileWriter(await open(), file, "d1", { durable: false, direct: true }, async () => {});
    await expect(w2.write(new Uint8Array(100), 0)).rejects.toThrow(/no room to pad/);
    await expect(w2.write(mem.subarray(512, 512 + A), 0)).rejects.toThrow(/unaligned/);
    await w2.abort();
    releaseAligned(mem);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
