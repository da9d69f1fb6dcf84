import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Keyring, masterKeyId } from "../../crypto/master-key.ts";
import { DIRECT_IO_ALIGNMENT } from "../aligned-memory.ts";
import { type EngineOptions, StorageEngine } from "../engine.ts";
import { BLOCK_CHECKSUM_BYTES } from "../shard-file.ts";

/**
 * Small stripe blocks for 12+4, so tests cross block boundaries cheaply, whose framed shard blocks are
 * one direct-I/O unit: shard files take the O_DIRECT path as with the default block size.
 */
export const TEST_BLOCK_SIZE = 12 * (DIRECT_IO_ALIGNMENT - BLOCK_CHECKSUM_BYTES);

export function testKeyring(): Keyring {
  const key = randomBytes(32);
  return new Keyring(new Map([[masterKeyId(key), key]]), masterKeyId(key));
}

export async function tempDir(prefix = "parity-engine-"): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** An engine on a fresh temp data dir, with TEST_BLOCK_SIZE blocks. */
export async function openTestEngine(
  opts: Partial<EngineOptions> = {},
): Promise<{ engine: StorageEngine; dataDir: string; keyring: Keyring }> {
  const dataDir = opts.dataDir ?? (await tempDir());
  const keyring = opts.keyring ?? testKeyring();
  const engine = await StorageEngine.open({
    blockSize: TEST_BLOCK_SIZE,
    inlineThreshold: 16 * 1024,
    durable: false,
    ...opts,
    dataDir,
    keyring,
  });
  return { engine, dataDir, keyring };
}

export async function* chunks(data: Buffer, size = 10_000): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
}

export async function readObject(
  engine: StorageEngine,
  bucket: string,
  key: string,
  extra: Record<string, unknown> = {},
): Promise<Buffer> {
  const r = await engine.getObject({ bucket, key, ...extra });
  return collect(r.body);
}

/** Every regular file under a directory. */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}
