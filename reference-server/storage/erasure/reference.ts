// Pure-JS Reed-Solomon, written to be obviously correct rather than fast (~0.1-0.3 GB/s). It is
// the oracle for the WebAssembly codec and a fallback where WebAssembly SIMD is unavailable.

import {
  checkStride,
  chooseInputs,
  type ErasureCodec,
  inspectShards,
  joinShards,
  MatrixCache,
  shardLengthFor,
} from "./codec.ts";
import { gfMul } from "./gf.ts";

/** out ^= c · input, byte by byte, through a 256-entry product table for c. */
function mulAdd(c: number, input: Uint8Array, out: Uint8Array): void {
  if (c === 0) return;
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = gfMul(c, b);
  for (let i = 0; i < out.length; i++) out[i] ^= table[input[i]];
}

/** Each output row r = Σ_c rows[r][c] · inputs[c]. */
function combine(rows: Uint8Array[], inputs: Uint8Array[], length: number): Buffer[] {
  return rows.map((row) => {
    const out = Buffer.alloc(length);
    for (let c = 0; c < inputs.length; c++) mulAdd(row[c], inputs[c], out);
    return out;
  });
}

export class ReferenceCodec implements ErasureCodec {
  readonly dataShards: number;
  readonly parityShards: number;
  readonly totalShards: number;
  private readonly matrices: MatrixCache;

  constructor(k: number, m: number) {
    this.dataShards = k;
    this.parityShards = m;
    this.totalShards = k + m;
    this.matrices = new MatrixCache(k, m);
  }

  shardLength(blockLength: number): number {
    return shardLengthFor(blockLength, this.dataShards);
  }

  encodeBlockInto(block: Uint8Array, out: Uint8Array, stride?: number): void {
    const at = checkStride(out, this.totalShards, this.shardLength(block.length), stride);
    this.encodeBlock(block).forEach((s, i) => {
      out.set(s, i * at);
    });
  }

  encodeBlock(block: Uint8Array): Buffer[] {
    const k = this.dataShards;
    const len = this.shardLength(block.length);
    const data: Buffer[] = [];
    for (let i = 0; i < k; i++) {
      const shard = Buffer.alloc(len); // zero padding past the end of the block
      shard.set(block.subarray(Math.min(i * len, block.length), Math.min((i + 1) * len, block.length)));
      data.push(shard);
    }
    const parity = combine(this.matrices.encode.slice(k), data, len);
    return [...data, ...parity];
  }

  reconstruct(shards: (Uint8Array | null)[], opts?: { dataOnly?: boolean }): Uint8Array[] {
    const k = this.dataShards;
    const { shardLength, present } = inspectShards(shards, this.totalShards, k);
    const out = shards.slice() as (Uint8Array | null)[];

    // Data first: invert the encoding rows of k surviving shards to get back the data.
    const missingData = [];
    for (let i = 0; i < k; i++) if (out[i] == null) missingData.push(i);
    if (missingData.length > 0) {
      const inputs = chooseInputs(present, k);
      const decoder = this.matrices.decoder(inputs);
      const rebuilt = combine(
        missingData.map((i) => decoder[i]),
        inputs.map((i) => shards[i]!),
        shardLength,
      );
      missingData.forEach((i, j) => {
        out[i] = rebuilt[j];
      });
    }

    // Then parity, encoded again from the now complete data.
    if (!opts?.dataOnly) {
      const missingParity = [];
      for (let i = k; i < this.totalShards; i++) if (out[i] == null) missingParity.push(i);
      const data = out.slice(0, k) as Uint8Array[];
      const rebuilt = combine(
        missingParity.map((i) => this.matrices.encode[i]),
        data,
        shardLength,
      );
      missingParity.forEach((i, j) => {
        out[i] = rebuilt[j];
      });
    }
    return out as Uint8Array[];
  }

  joinData(shards: Uint8Array[], blockLength: number): Buffer {
    return joinShards(shards, blockLength, this.dataShards);
  }
}
