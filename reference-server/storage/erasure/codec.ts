// What both implementations share: the public interface, the error type, argument checks, the
// split/join geometry and the choice of shards used for a rebuild. Kept apart from index.ts so the
// implementations can import it without an import cycle.

import { encodingMatrix, invert, type Matrix } from "./gf.ts";

export interface ErasureCodec {
  readonly dataShards: number; // k
  readonly parityShards: number; // m
  readonly totalShards: number; // k+m
  /** ceil(blockLength / k): no padding beyond what makes the k data shards equal in length. */
  shardLength(blockLength: number): number;
  /**
   * Split one data block into k zero-padded data shards and compute m parity shards. Returns k+m
   * new buffers: they alias neither the block nor the codec's memory (the caller may reuse the
   * block and write the shards asynchronously).
   */
  encodeBlock(block: Uint8Array): Buffer[];
  /**
   * Same as encodeBlock, into the caller's buffer: shard i at [i·stride, i·stride + len), len =
   * shardLength(block.length), stride ≥ len (default len: back to back). Lets a writer reuse pooled
   * memory instead of allocating per block, and lay shards out with room for their checksums.
   */
  encodeBlockInto(block: Uint8Array, out: Uint8Array, stride?: number): void;
  /**
   * shards has k+m entries, null = missing/corrupt. Returns k+m entries with every missing one
   * rebuilt, or only the missing data shards when dataOnly (missing parity then stays null).
   * Present shards are returned as-is. Throws ErasureError "InsufficientShards" when fewer than
   * k are present, "ShardSizeMismatch" when present shards differ in length.
   */
  reconstruct(shards: (Uint8Array | null)[], opts?: { dataOnly?: boolean }): Uint8Array[];
  /** Concatenate the k data shards and trim to blockLength (inverse of encodeBlock's split). */
  joinData(shards: Uint8Array[], blockLength: number): Buffer;
}

export type ErasureErrorCode = "InsufficientShards" | "InvalidParameters" | "ShardSizeMismatch";

export class ErasureError extends Error {
  code: ErasureErrorCode;
  constructor(code: ErasureErrorCode, message: string) {
    super(message);
    this.name = "ErasureError";
    this.code = code;
  }
}

export const DEFAULT_DATA_SHARDS = 12;
export const DEFAULT_PARITY_SHARDS = 4;

export function checkParameters(k: number, m: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(m) || k < 1 || m < 0 || k + m > 256) {
    throw new ErasureError(
      "InvalidParameters",
      `need integers k ≥ 1, m ≥ 0, k + m ≤ 256; got k=${k}, m=${m}`,
    );
  }
}

/** Checks that `out` holds `shards` shards of `len` bytes at `stride`; returns the stride. */
export function checkStride(out: Uint8Array, shards: number, len: number, stride = len): number {
  if (!Number.isSafeInteger(stride) || stride < len || out.length < (shards - 1) * stride + len) {
    throw new ErasureError(
      "InvalidParameters",
      `output needs ${shards} shards of ${len} bytes at a stride ≥ ${len}, got stride ${stride} in ${out.length} bytes`,
    );
  }
  return stride;
}

export function shardLengthFor(blockLength: number, k: number): number {
  if (!Number.isSafeInteger(blockLength) || blockLength < 0) {
    throw new ErasureError("InvalidParameters", `block length must be an integer ≥ 0, got ${blockLength}`);
  }
  return Math.ceil(blockLength / k);
}

/** Common validation of reconstruct's input; returns the shard length and the present indices. */
export function inspectShards(
  shards: (Uint8Array | null)[],
  total: number,
  k: number,
): { shardLength: number; present: number[] } {
  if (!Array.isArray(shards) || shards.length !== total) {
    throw new ErasureError("InvalidParameters", `expected ${total} shard slots, got ${shards?.length}`);
  }
  const present: number[] = [];
  let shardLength = -1;
  for (let i = 0; i < total; i++) {
    const s = shards[i];
    if (s == null) continue;
    if (shardLength === -1) shardLength = s.length;
    else if (s.length !== shardLength) {
      throw new ErasureError(
        "ShardSizeMismatch",
        `shard ${i} has ${s.length} bytes, shard ${present[0]} has ${shardLength}`,
      );
    }
    present.push(i);
  }
  if (present.length < k) {
    throw new ErasureError("InsufficientShards", `${present.length} shards present, ${k} needed`);
  }
  return { shardLength, present };
}

export function joinShards(shards: Uint8Array[], blockLength: number, k: number): Buffer {
  if (!Array.isArray(shards) || shards.length < k) {
    throw new ErasureError("InsufficientShards", `joinData needs the ${k} data shards`);
  }
  const len = shards[0]?.length ?? 0;
  for (let i = 0; i < k; i++) {
    if (shards[i] == null) throw new ErasureError("InsufficientShards", `data shard ${i} is missing`);
    if (shards[i].length !== len) {
      throw new ErasureError(
        "ShardSizeMismatch",
        `data shard ${i} has ${shards[i].length} bytes, not ${len}`,
      );
    }
  }
  if (!Number.isSafeInteger(blockLength) || blockLength < 0 || blockLength > len * k) {
    throw new ErasureError("InvalidParameters", `block length ${blockLength} outside 0..${len * k}`);
  }
  const out = Buffer.allocUnsafe(blockLength);
  for (let i = 0, pos = 0; pos < blockLength; i++, pos += len) {
    const n = Math.min(len, blockLength - pos);
    out.set(n === len ? shards[i] : shards[i].subarray(0, n), pos);
  }
  return out;
}

/**
 * Encoding matrices and, per set of surviving shards, the rows that rebuild missing shards
 * straight from the k shards used as input. Both implementations use these exact matrices, so
 * they agree byte for byte.
 */
export class MatrixCache {
  readonly k: number;
  readonly m: number;
  readonly encode: Matrix;
  private readonly decoders = new Map<string, Matrix>();

  constructor(k: number, m: number) {
    this.k = k;
    this.m = m;
    this.encode = encodingMatrix(k, m);
  }

  /** inverse of the encoding rows `inputs` (k shard indices): maps those shards to the data. */
  decoder(inputs: number[]): Matrix {
    const key = inputs.join(",");
    let d = this.decoders.get(key);
    if (d === undefined) {
      d = invert(inputs.map((r) => this.encode[r]));
      // Failure patterns repeat (a lost disk loses the same shard of every block), but bound the map.
      if (this.decoders.size >= 256) this.decoders.delete(this.decoders.keys().next().value!);
      this.decoders.set(key, d);
    }
    return d;
  }
}

/** The k present shards a rebuild reads: data shards first, since they need no arithmetic. */
export function chooseInputs(present: number[], k: number): number[] {
  return present.slice(0, k);
}
