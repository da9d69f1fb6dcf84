import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createCodec, type ErasureCodec, ErasureError } from "./index.ts";
import { WasmCodec } from "./wasm.ts";

/** Deterministic bytes from a seed: fast-check stays reproducible without generating 300 KB arrays. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 24;
  }
  return out;
}

const codecs = (k: number, m: number) =>
  [createCodec(k, m), createCodec(k, m, { impl: "reference" })] as const;

function expectErasureError(fn: () => unknown, code: ErasureError["code"]): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ErasureError);
    expect((err as ErasureError).code).toBe(code);
    return;
  }
  expect.unreachable(`expected ErasureError ${code}`);
}

const params = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ k: 12, m: 4 }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.integer({ min: 1, max: 16 }), m: fc.integer({ min: 0, max: 6 }) }),
  },
);
const block = fc.record({ length: fc.integer({ min: 0, max: 300_000 }), seed: fc.integer() });

/** A block's shards with a random set of at most `max` of them removed. */
const damage = (total: number, max: number) =>
  fc.shuffledSubarray(
    Array.from({ length: total }, (_, i) => i),
    { maxLength: max },
  );

describe("encodeBlock", () => {
  test("wasm and reference produce the same shards, byte for byte", () => {
    fc.assert(
      fc.property(params, block, ({ k, m }, { length, seed }) => {
        const data = bytes(length, seed);
        const [wasm, reference] = codecs(k, m);
        const a = wasm.encodeBlock(data);
        const b = reference.encodeBlock(data);
        expect(a.length).toBe(k + m);
        for (let i = 0; i < k + m; i++) {
          expect(a[i].length).toBe(Math.ceil(length / k));
          expect(a[i].equals(b[i])).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("data shards are the block split and zero-padded", () => {
    fc.assert(
      fc.property(params, block, ({ k, m }, { length, seed }) => {
        const data = bytes(length, seed);
        const codec = createCodec(k, m);
        const shardLength = codec.shardLength(length);
        const joined = Buffer.concat(codec.encodeBlock(data).slice(0, k));
        expect(joined.length).toBe(k * shardLength);
        expect(joined.subarray(0, length).equals(data)).toBe(true);
        expect(joined.subarray(length).every((b) => b === 0)).toBe(true);
        expect(codec.joinData(codec.encodeBlock(data), length).equals(data)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test("known vector shared with klauspost/reedsolomon and Backblaze (5+5)", () => {
    for (const codec of codecs(5, 5)) {
      const shards = codec.encodeBlock(Uint8Array.from([0, 1, 4, 5, 2, 3, 6, 7, 8, 9]));
      expect(shards.slice(5).map((s) => [...s])).toEqual([
        [12, 13],
        [10, 11],
        [14, 15],
        [90, 91],
        [94, 95],
      ]);
    }
  });

  test("returned shards alias neither the block nor the codec's memory", () => {
    const codec = createCodec();
    const data = bytes(1 << 20, 7);
    const first = codec.encodeBlock(data).map((s) => Buffer.from(s));
    const kept = codec.encodeBlock(data);
    data.fill(1);
    codec.encodeBlock(bytes(1 << 20, 8));
    codec.reconstruct([null, null, ...kept.slice(2)]);
    kept.forEach((s, i) => {
      expect(s.equals(first[i])).toBe(true);
    });
  });

  test("encodeBlockInto writes the same shards back to back, into enough room", () => {
    const codec = new WasmCodec(6, 3);
    const data = bytes(50_001, 3);
    const out = Buffer.alloc(9 * codec.shardLength(data.length) + 5, 0xee);
    codec.encodeBlockInto(data, out);
    expect(out.subarray(0, out.length - 5).equals(Buffer.concat(codec.encodeBlock(data)))).toBe(true);
    expect(out.subarray(out.length - 5).every((b) => b === 0xee)).toBe(true);
    expectErasureError(() => codec.encodeBlockInto(data, out.subarray(0, 100)), "InvalidParameters");
  });

  test("encodeBlockInto at a stride leaves the bytes between shards alone (shard files frame them in place)", () => {
    for (const [k, m] of [
      [6, 3],
      [4, 0],
    ]) {
      for (const codec of codecs(k, m)) {
        for (const length of [0, 1, 50_001, 16384 * 6 + 7]) {
          const data = bytes(length, length + k);
          const len = codec.shardLength(length);
          const stride = len + 4 + (length % 3);
          const out = Buffer.alloc((k + m) * stride, 0xee);
          codec.encodeBlockInto(data, out, stride);
          codec.encodeBlock(data).forEach((shard, i) => {
            expect(out.subarray(i * stride, i * stride + len).equals(shard)).toBe(true);
            expect(out.subarray(i * stride + len, (i + 1) * stride).every((b) => b === 0xee)).toBe(true);
          });
          if (len > 0) {
            expectErasureError(() => codec.encodeBlockInto(data, out, len - 1), "InvalidParameters");
            const short = out.subarray(0, (k + m - 1) * stride + len - 1);
            expectErasureError(() => codec.encodeBlockInto(data, short, stride), "InvalidParameters");
          }
        }
      }
    }
  });

  test("empty and tiny blocks", () => {
    for (const codec of codecs(12, 4)) {
      const empty = codec.encodeBlock(new Uint8Array(0));
      expect(empty).toHaveLength(16);
      expect(empty.every((s) => s.length === 0)).toBe(true);
      expect(codec.joinData(empty, 0).length).toBe(0);
      expect(codec.reconstruct([null, ...empty.slice(1)]).every((s) => s.length === 0)).toBe(true);
      const one = codec.encodeBlock(Uint8Array.of(0xab));
      expect(one.map((s) => s.length)).toEqual(new Array(16).fill(1));
    }
  });

  test("shard lengths on either side of the 16 KiB slices of the wasm codec", () => {
    for (const shardLength of [16, 17, 16383, 16384, 16385, 32768 + 15, 49152]) {
      for (const length of [shardLength * 3, shardLength * 3 - 2]) {
        const data = bytes(length, length);
        const [wasm, reference] = codecs(3, 5);
        const a = wasm.encodeBlock(data);
        const b = reference.encodeBlock(data);
        a.forEach((s, i) => {
          expect(s.equals(b[i])).toBe(true);
        });
        const damaged: (Uint8Array | null)[] = [...a];
        for (const i of [0, 2, 3, 6, 7]) damaged[i] = null;
        wasm.reconstruct(damaged).forEach((s, i) => {
          expect(Buffer.from(s).equals(b[i])).toBe(true);
        });
      }
    }
  });

  test("the widest code: 200+56", () => {
    const [wasm, reference] = codecs(200, 56);
    const data = bytes(200 * 40 + 3, 9);
    const a = wasm.encodeBlock(data);
    const b = reference.encodeBlock(data);
    a.forEach((s, i) => {
      expect(s.equals(b[i])).toBe(true);
    });
    const damaged: (Uint8Array | null)[] = [...a];
    for (let i = 0; i < 256; i += 5) damaged[i] = null; // 52 lost, data and parity
    for (const codec of [wasm, reference]) {
      codec.reconstruct(damaged).forEach((s, i) => {
        expect(Buffer.from(s).equals(b[i])).toBe(true);
      });
    }
  });
});

describe("reconstruct", () => {
  test("any m losses, data and parity, are rebuilt identically by both implementations", () => {
    fc.assert(
      fc.property(
        params.chain(({ k, m }) =>
          fc.record({ k: fc.constant(k), m: fc.constant(m), lost: damage(k + m, m), data: block }),
        ),
        ({ k, m, lost, data: { length, seed } }) => {
          const data = bytes(length, seed);
          const original = createCodec(k, m, { impl: "reference" }).encodeBlock(data);
          const damaged: (Uint8Array | null)[] = [...original];
          for (const i of lost) damaged[i] = null;
          for (const codec of codecs(k, m)) {
            const rebuilt = codec.reconstruct(damaged);
            expect(rebuilt).toHaveLength(k + m);
            rebuilt.forEach((s, i) => {
              expect(Buffer.from(s).equals(original[i])).toBe(true);
              if (damaged[i] !== null) expect(s).toBe(damaged[i]); // present shards returned as-is
            });
            expect(codec.joinData(rebuilt, length).equals(data)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test("dataOnly rebuilds the missing data shards and leaves missing parity null", () => {
    fc.assert(
      fc.property(
        params.chain(({ k, m }) =>
          fc.record({ k: fc.constant(k), m: fc.constant(m), lost: damage(k + m, m), seed: fc.integer() }),
        ),
        ({ k, m, lost, seed }) => {
          const length = 1000 + (seed & 0xfff);
          const original = createCodec(k, m).encodeBlock(bytes(length, seed));
          const damaged: (Uint8Array | null)[] = [...original];
          for (const i of lost) damaged[i] = null;
          for (const codec of codecs(k, m)) {
            const rebuilt = codec.reconstruct(damaged, { dataOnly: true });
            for (let i = 0; i < k; i++) expect(Buffer.from(rebuilt[i]).equals(original[i])).toBe(true);
            for (let i = k; i < k + m; i++) {
              expect(rebuilt[i]).toBe(damaged[i]); // null stays null, present stays as-is
            }
            expect(codec.joinData(rebuilt, length).equals(bytes(length, seed))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test("m+1 losses: InsufficientShards", () => {
    fc.assert(
      fc.property(
        params.chain(({ k, m }) =>
          fc.record({
            k: fc.constant(k),
            m: fc.constant(m),
            lost: fc.shuffledSubarray(
              Array.from({ length: k + m }, (_, i) => i),
              { minLength: m + 1, maxLength: m + 1 },
            ),
          }),
        ),
        ({ k, m, lost }) => {
          const damaged: (Uint8Array | null)[] = createCodec(k, m).encodeBlock(bytes(100, k));
          for (const i of lost) damaged[i] = null;
          for (const codec of codecs(k, m)) {
            expectErasureError(() => codec.reconstruct(damaged), "InsufficientShards");
            expectErasureError(() => codec.reconstruct(damaged, { dataOnly: true }), "InsufficientShards");
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  test("nothing missing: the same shards come back", () => {
    for (const codec of codecs(4, 2)) {
      const shards = codec.encodeBlock(bytes(1000, 1));
      codec.reconstruct(shards).forEach((s, i) => {
        expect(s).toBe(shards[i]);
      });
    }
  });

  test("shards of different lengths: ShardSizeMismatch", () => {
    for (const codec of codecs(4, 2)) {
      const shards: (Uint8Array | null)[] = codec.encodeBlock(bytes(1000, 1));
      shards[0] = null;
      shards[3] = shards[3]!.subarray(1);
      expectErasureError(() => codec.reconstruct(shards), "ShardSizeMismatch");
    }
  });

  test("wrong number of shard slots: InvalidParameters", () => {
    for (const codec of codecs(4, 2)) {
      const shards = codec.encodeBlock(bytes(100, 1));
      expectErasureError(() => codec.reconstruct(shards.slice(1)), "InvalidParameters");
    }
  });
});

describe("createCodec", () => {
  test("defaults to 12+4 on wasm, cached per (k, m, impl)", () => {
    const codec: ErasureCodec = createCodec();
    expect([codec.dataShards, codec.parityShards, codec.totalShards]).toEqual([12, 4, 16]);
    expect(createCodec(12, 4)).toBe(codec);
    expect(createCodec(12, 4, { impl: "wasm" })).toBe(codec);
    expect(createCodec(12, 4, { impl: "reference" })).not.toBe(codec);
    expect(codec.shardLength(1 << 20)).toBe(87382);
    expect(codec.shardLength(0)).toBe(0);
  });

  test("invalid parameters", () => {
    for (const [k, m] of [
      [0, 4],
      [12, -1],
      [200, 57],
      [1.5, 2],
      [Number.NaN, 2],
    ]) {
      expectErasureError(() => createCodec(k, m), "InvalidParameters");
    }
    expect(createCodec(1, 0).totalShards).toBe(1);
    expect(createCodec(255, 1).totalShards).toBe(256);
    expectErasureError(() => createCodec().shardLength(-1), "InvalidParameters");
  });

  test("joinData checks its input", () => {
    const codec = createCodec(4, 2);
    const shards = codec.encodeBlock(bytes(10, 1));
    expectErasureError(() => codec.joinData(shards.slice(0, 3), 10), "InsufficientShards");
    expectErasureError(() => codec.joinData(shards, 13), "InvalidParameters");
    expect(
      codec
        .joinData(shards, 12)
        .subarray(10)
        .every((b) => b === 0),
    ).toBe(true);
  });
});
