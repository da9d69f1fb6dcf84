// Reed-Solomon on the WebAssembly SIMD kernel (kernel.wat). The GF work happens in a small arena of
// wasm memory shared by all codecs of this thread (calls are synchronous, so they never overlap).
// Shards are streamed through it in column slices: inputs and outputs of a slice stay in L1/L2,
// which matters more on this machine than the arithmetic (memory bandwidth is ~10 GB/s).

import { readFileSync } from "node:fs";
import {
  checkStride,
  chooseInputs,
  type ErasureCodec,
  inspectShards,
  joinShards,
  MatrixCache,
  shardLengthFor,
} from "./codec.ts";
import { gfMul, type Matrix, matMul } from "./gf.ts";

type KernelFn = (
  tab: number,
  nIn: number,
  input: number,
  inStride: number,
  out: number,
  outStride: number,
  len: number,
) => void;

// The project's lib settings carry no WebAssembly typings; these few lines are all we use.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

interface Kernel {
  memory: WasmMemory;
  mul4: KernelFn;
  mul2: KernelFn;
  mul1: KernelFn;
}

/**
 * Bytes of each shard processed per round (copy in, kernel, copy out): k+m slices of 16 KiB stay
 * in L2. Slots are 64 bytes apart beyond that so the k+m streams do not all fall in the same L1
 * sets. Measured (12+4 rebuild): 4-32 KiB slices alike, whole 87 KiB shards ~25% slower.
 */
const SLICE = 16384;
const SLOT = SLICE + 64;
const PAGE = 65536;

let kernel: Kernel | undefined;
let kernelError: unknown;

function loadKernel(): Kernel {
  if (kernel) return kernel;
  if (kernelError) throw kernelError;
  try {
    const bytes = readFileSync(new URL("./kernel.wasm", import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernel = instance.exports as unknown as Kernel;
    return kernel;
  } catch (err) {
    kernelError = err;
    throw err;
  }
}

/** False where the engine lacks WebAssembly SIMD / relaxed SIMD (any Node ≥ 20 has both). */
export function wasmAvailable(): boolean {
  try {
    loadKernel();
    return true;
  } catch {
    return false;
  }
}

let arena = new Uint8Array(0);
let arenaTables: Uint8Array | undefined; // the table blob last copied in, to skip repeat copies

/** A view of the kernel's memory, grown to at least `size` bytes. Views die when memory grows. */
function arenaOf(size: number): Uint8Array {
  const { memory } = loadKernel();
  if (memory.buffer.byteLength < size) {
    memory.grow(Math.ceil((size - memory.buffer.byteLength) / PAGE));
  }
  if (arena.buffer !== memory.buffer) arena = new Uint8Array(memory.buffer);
  return arena;
}

/** Split-nibble tables and kernel calls for multiplying k inputs by a fixed (rows × k) matrix. */
interface Plan {
  rows: number;
  inputs: number;
  tables: Uint8Array;
  /** Outputs in groups the kernel handles at once: 4s, then a 2 and/or a 1. */
  groups: { size: 4 | 2 | 1; firstRow: number; tableOffset: number }[];
}

function makePlan(matrix: Matrix, inputs: number): Plan {
  const rows = matrix.length;
  const tables = new Uint8Array(rows * inputs * 32);
  const groups: Plan["groups"] = [];
  let row = 0;
  let offset = 0;
  while (row < rows) {
    const left = rows - row;
    const size = left >= 4 ? 4 : left >= 2 ? 2 : 1;
    groups.push({ size, firstRow: row, tableOffset: offset });
    for (let i = 0; i < inputs; i++) {
      for (let j = 0; j < size; j++) {
        const c = matrix[row + j][i];
        for (let n = 0; n < 16; n++) {
          tables[offset + n] = gfMul(c, n);
          tables[offset + 16 + n] = gfMul(c, n << 4);
        }
        offset += 32;
      }
    }
    row += size;
  }
  return { rows, inputs, tables, groups };
}

/** Copies bytes [x, x+w) of input i (or output j) between the caller's memory and `mem[at..]`. */
type Mover = (index: number, x: number, w: number, mem: Uint8Array, at: number) => void;

/**
 * Multiplies the plan's k inputs into its outputs, slice by slice: `copyIn` fills the input slots
 * of the arena, the kernel fills the output slots, `copyOut` takes them away.
 */
function apply(plan: Plan, len: number, copyIn: Mover, copyOut: Mover): void {
  const k = plan.inputs;
  const inBase = (plan.tables.length + 63) & ~63;
  const outBase = inBase + k * SLOT;
  const mem = arenaOf(outBase + plan.rows * SLOT);
  if (arenaTables !== plan.tables) {
    mem.set(plan.tables, 0);
    arenaTables = plan.tables;
  }
  const { mul4, mul2, mul1 } = loadKernel();
  for (let x = 0; x < len; x += SLICE) {
    const w = Math.min(SLICE, len - x);
    for (let i = 0; i < k; i++) copyIn(i, x, w, mem, inBase + i * SLOT);
    for (const g of plan.groups) {
      const fn = g.size === 4 ? mul4 : g.size === 2 ? mul2 : mul1;
      fn(g.tableOffset, k, inBase, SLOT, outBase + g.firstRow * SLOT, SLOT, w);
    }
    for (let j = 0; j < plan.rows; j++) copyOut(j, x, w, mem, outBase + j * SLOT);
  }
}

export class WasmCodec implements ErasureCodec {
  readonly dataShards: number;
  readonly parityShards: number;
  readonly totalShards: number;
  private readonly matrices: MatrixCache;
  private readonly encodePlan: Plan;
  private readonly rebuildPlans = new Map<string, Plan>();

  constructor(k: number, m: number) {
    loadKernel();
    this.dataShards = k;
    this.parityShards = m;
    this.totalShards = k + m;
    this.matrices = new MatrixCache(k, m);
    this.encodePlan = makePlan(this.matrices.encode.slice(k), k);
  }

  shardLength(blockLength: number): number {
    return shardLengthFor(blockLength, this.dataShards);
  }

  encodeBlock(block: Uint8Array): Buffer[] {
    const len = this.shardLength(block.length);
    // One allocation for all shards, which are views of it: fewer, larger allocations are cheaper.
    const all = Buffer.allocUnsafe(this.totalShards * len);
    this.encode(block, all, true, len);
    const shards: Buffer[] = [];
    for (let i = 0; i < this.totalShards; i++) shards.push(all.subarray(i * len, (i + 1) * len));
    return shards;
  }

  encodeBlockInto(block: Uint8Array, out: Uint8Array, stride?: number): void {
    this.encode(
      block,
      out,
      false,
      checkStride(out, this.totalShards, this.shardLength(block.length), stride),
    );
  }

  /**
   * Two ways to get the data shards into `out`, measured best for each case: into fresh (cold)
   * memory, one bulk copy of the block (~10% faster); into reused (warm) memory, block → arena →
   * out slice by slice, so the block is read once (~7% faster).
   */
  private encode(block: Uint8Array, out: Uint8Array, bulkCopy: boolean, stride: number): void {
    const k = this.dataShards;
    const len = this.shardLength(block.length);
    const size = block.length;
    if (stride !== len && (this.parityShards === 0 || len === 0)) {
      for (let i = 0; i < k; i++) {
        const from = Math.min(i * len, size);
        const to = Math.min(from + len, size);
        out.set(block.subarray(from, to), i * stride);
        out.fill(0, i * stride + to - from, i * stride + len);
      }
      return;
    }
    if (bulkCopy || this.parityShards === 0 || len === 0) {
      out.set(block, 0);
      out.fill(0, size, k * len);
      if (this.parityShards === 0 || len === 0) return;
    }
    apply(
      this.encodePlan,
      len,
      (i, x, w, mem, at) => {
        // Shard i, bytes [x, x+w): what the block holds of it, then zero padding.
        const from = Math.min(i * len + x, size);
        const to = Math.min(i * len + x + w, size);
        mem.set(block.subarray(from, to), at);
        if (to - from < w) mem.fill(0, at + to - from, at + w);
        if (!bulkCopy) out.set(mem.subarray(at, at + w), i * stride + x);
      },
      (j, x, w, mem, at) => out.set(mem.subarray(at, at + w), (k + j) * stride + x),
    );
  }

  reconstruct(shards: (Uint8Array | null)[], opts?: { dataOnly?: boolean }): Uint8Array[] {
    const k = this.dataShards;
    const { shardLength: len, present } = inspectShards(shards, this.totalShards, k);
    const wanted = opts?.dataOnly ? k : this.totalShards;
    const missing: number[] = [];
    for (let i = 0; i < wanted; i++) if (shards[i] == null) missing.push(i);
    const out = shards.slice() as Uint8Array[];
    if (missing.length === 0) return out;

    const inputs = chooseInputs(present, k);
    const plan = this.rebuildPlan(inputs, missing);
    const rebuilt = Buffer.allocUnsafe(missing.length * len);
    if (len > 0) {
      apply(
        plan,
        len,
        (i, x, w, mem, at) => mem.set(shards[inputs[i]]!.subarray(x, x + w), at),
        (j, x, w, mem, at) => rebuilt.set(mem.subarray(at, at + w), j * len + x),
      );
    }
    missing.forEach((r, j) => {
      out[r] = rebuilt.subarray(j * len, (j + 1) * len);
    });
    return out;
  }

  joinData(shards: Uint8Array[], blockLength: number): Buffer {
    return joinShards(shards, blockLength, this.dataShards);
  }

  /**
   * Rows that compute each missing shard straight from the k inputs: the decoder's row for a data
   * shard, the encoding row times the decoder for a parity shard. One pass over the inputs then
   * rebuilds data and parity together, with the same bytes as rebuilding data first.
   */
  private rebuildPlan(inputs: number[], missing: number[]): Plan {
    const key = `${inputs.join(",")}>${missing.join(",")}`;
    let plan = this.rebuildPlans.get(key);
    if (plan === undefined) {
      const decoder = this.matrices.decoder(inputs);
      const rows = missing.map((r) =>
        r < this.dataShards ? decoder[r] : matMul([this.matrices.encode[r]], decoder)[0],
      );
      plan = makePlan(rows, this.dataShards);
      if (this.rebuildPlans.size >= 256) this.rebuildPlans.delete(this.rebuildPlans.keys().next().value!);
      this.rebuildPlans.set(key, plan);
    }
    return plan;
  }
}
