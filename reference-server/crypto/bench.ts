import { randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { generateObjectKey } from "./object-key.ts";
import {
  createDecryptStream,
  createEncryptStream,
  decryptPackages,
  encryptPackages,
  PackageDecryptor,
  PackageEncryptor,
  wholeRange,
} from "./packages.ts";

export interface CryptoBenchResult {
  encryptMBps: number;
  decryptMBps: number;
}

export interface CryptoBenchOptions {
  /** Plaintext bytes pushed through each direction (default 64 MiB). */
  bytes?: number;
  /** Input chunk size. Default 64 KiB: what an HTTP body or the erasure decoder typically yields. */
  chunkSize?: number;
  /** "stream" (the Transforms, default), "generator" (async generators), "core" (sync classes). */
  mode?: "stream" | "generator" | "core";
}

function chunksOf(data: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let o = 0; o < data.length; o += size) chunks.push(data.subarray(o, o + size));
  return chunks;
}

async function collect(source: AsyncIterable<Uint8Array>, keep: Uint8Array[] | undefined): Promise<number> {
  let n = 0;
  for await (const b of source) {
    n += b.length;
    keep?.push(b);
  }
  return n;
}

function sink(keep: Uint8Array[] | undefined): Writable {
  return new Writable({
    write(chunk: Uint8Array, _e, cb) {
      keep?.push(chunk);
      cb();
    },
  });
}

async function runOnce(
  plain: Buffer,
  chunkSize: number,
  mode: NonNullable<CryptoBenchOptions["mode"]>,
): Promise<{ encMs: number; decMs: number }> {
  const key = generateObjectKey();
  const range = wholeRange(plain.length);
  const cipher: Uint8Array[] = [];
  const t0 = performance.now();
  if (mode === "core") {
    const enc = new PackageEncryptor(key, 0);
    for (const c of chunksOf(plain, chunkSize)) enc.update(c, cipher);
    enc.final(cipher);
  } else if (mode === "generator") {
    await collect(encryptPackages(Readable.from(chunksOf(plain, chunkSize)), key, 0), cipher);
  } else {
    await pipeline(Readable.from(chunksOf(plain, chunkSize)), createEncryptStream(key, 0), sink(cipher));
  }
  const encMs = performance.now() - t0;
  // Re-chunk the ciphertext so chunk and package boundaries do not line up, as after erasure decoding.
  const cipherChunks = chunksOf(Buffer.concat(cipher), chunkSize);
  cipher.length = 0;
  const t1 = performance.now();
  if (mode === "core") {
    const dec = new PackageDecryptor(key, 0, range);
    const out: Uint8Array[] = [];
    for (const c of cipherChunks) {
      dec.update(c, out);
      out.length = 0;
    }
    dec.final(out);
  } else if (mode === "generator") {
    await collect(decryptPackages(Readable.from(cipherChunks), key, 0, range), undefined);
  } else {
    await pipeline(Readable.from(cipherChunks), createDecryptStream(key, 0, range), sink(undefined));
  }
  return { encMs, decMs: performance.now() - t1 };
}

/**
 * Throughput of the package encryption streams, single-threaded, in MB/s (10^6 plaintext bytes
 * per second). One small warm-up run, then the best of three runs per direction (the least
 * disturbed by GC and neighbours).
 */
export async function benchCrypto(options: CryptoBenchOptions = {}): Promise<CryptoBenchResult> {
  const bytes = options.bytes ?? 64 * 1024 * 1024;
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const mode = options.mode ?? "stream";
  const plain = randomBytes(bytes);
  await runOnce(plain.subarray(0, Math.min(bytes, 4 * 1024 * 1024)), chunkSize, mode);
  let encMs = Number.POSITIVE_INFINITY;
  let decMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const r = await runOnce(plain, chunkSize, mode);
    encMs = Math.min(encMs, r.encMs);
    decMs = Math.min(decMs, r.decMs);
  }
  const mb = bytes / 1e6;
  return { encryptMBps: Math.round(mb / (encMs / 1000)), decryptMBps: Math.round(mb / (decMs / 1000)) };
}

// `node reference-server/crypto/bench.ts [all]` prints JSON; "all" compares the three forms.
if (import.meta.main) {
  const modes =
    process.argv[2] === "all" ? (["core", "stream", "generator"] as const) : (["stream"] as const);
  const results: Record<string, CryptoBenchResult> = {};
  for (const mode of modes) {
    for (const chunkSize of [4 * 1024, 16 * 1024, 64 * 1024, 1024 * 1024]) {
      results[`${mode}/${chunkSize / 1024}KiB`] = await benchCrypto({ mode, chunkSize });
    }
  }
  console.log(JSON.stringify(results, null, 2));
}
