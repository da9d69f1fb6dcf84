// Page-aligned memory for O_DIRECT shard writes (shard-io.ts). The kernel takes an O_DIRECT write only
// from memory aligned to the device's block size, and node gives no aligned Buffers: a large Buffer is
// malloc'd, 16 bytes past a page. A WebAssembly.Memory's buffer starts on a page (V8 maps it whole), so
// buffers are carved from those. Released buffers are kept for the next writer, up to IDLE_BYTES, which
// also spares each PUT the page faults of fresh memory.

/** Offsets and lengths of O_DIRECT writes are multiples of this (≥ any device's logical block size). */
export const DIRECT_IO_ALIGNMENT = 4096;

// The project's TypeScript has no DOM lib: just what this module uses.
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
};

const WASM_PAGE = 65536;
const IDLE_BYTES = 128 << 20;

const idle = new Map<number, Buffer[]>();
let idleBytes = 0;

/**
 * A Buffer of `bytes` bytes starting on a page boundary, or null when the engine cannot map one (the
 * caller then writes through the page cache).
 */
export function takeAligned(bytes: number): Buffer | null {
  const kept = idle.get(bytes)?.pop();
  if (kept) {
    idleBytes -= bytes;
    return kept;
  }
  try {
    const pages = Math.ceil(bytes / WASM_PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    return Buffer.from(memory.buffer, 0, bytes);
  } catch {
    return null;
  }
}

/** Give a buffer from takeAligned back once nothing reads or writes it any more. */
export function releaseAligned(buf: Buffer): void {
  if (idleBytes + buf.length > IDLE_BYTES) return; // dropped: the GC unmaps it
  const list = idle.get(buf.length);
  if (list) list.push(buf);
  else idle.set(buf.length, [buf]);
  idleBytes += buf.length;
}
