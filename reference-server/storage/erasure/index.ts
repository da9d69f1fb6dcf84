// Reed-Solomon erasure codec of the storage engine: 12 data + 4 parity shards by default, the
// systematic Vandermonde code of klauspost/reedsolomon and Backblaze (same matrix, same bytes).

import { checkParameters, DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS, type ErasureCodec } from "./codec.ts";
import { ReferenceCodec } from "./reference.ts";
import { WasmCodec, wasmAvailable } from "./wasm.ts";

export type { ErasureCodec, ErasureErrorCode } from "./codec.ts";
export { ErasureError } from "./codec.ts";

export type ErasureImpl = "wasm" | "reference";

const codecs = new Map<string, ErasureCodec>();
let warned = false;

/**
 * A codec for k data and m parity shards (1 ≤ k, 0 ≤ m, k + m ≤ 256), cached per (k, m, impl).
 *
 * - encodeBlock returns k+m views of one freshly allocated buffer (never of the codec's memory
 *   nor of the input block), each ceil(length / k) bytes long; there is no padding beyond that.
 * - reconstruct returns the present shards as given and the rebuilt ones as views of one fresh
 *   buffer. With `dataOnly`, missing parity slots stay null (despite the element type).
 * - "wasm" (the default) needs WebAssembly relaxed SIMD, which every Node ≥ 20 has; without it
 *   the reference implementation is used, with a warning.
 */
export function createCodec(
  k: number = DEFAULT_DATA_SHARDS,
  m: number = DEFAULT_PARITY_SHARDS,
  opts?: { impl?: ErasureImpl },
): ErasureCodec {
  checkParameters(k, m);
  let impl = opts?.impl ?? "wasm";
  if (impl === "wasm" && !wasmAvailable()) {
    if (!warned) {
      warned = true;
      process.emitWarning("WebAssembly SIMD unavailable: erasure coding falls back to pure JS");
    }
    impl = "reference";
  }
  const key = `${impl}:${k}:${m}`;
  let codec = codecs.get(key);
  if (codec === undefined) {
    codec = impl === "wasm" ? new WasmCodec(k, m) : new ReferenceCodec(k, m);
    codecs.set(key, codec);
  }
  return codec;
}
