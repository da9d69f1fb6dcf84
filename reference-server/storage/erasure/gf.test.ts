import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  EXP,
  encodingMatrix,
  gfAdd,
  gfDiv,
  gfInv,
  gfMul,
  gfPow,
  identity,
  invert,
  LOG,
  type Matrix,
  matMul,
  vandermonde,
} from "./gf.ts";

/** Schoolbook carry-less multiplication reduced by 0x11d: independent of the log/exp tables. */
function slowMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) product ^= a << i;
  for (let bit = 14; bit >= 8; bit--) if (product & (1 << bit)) product ^= 0x11d << (bit - 8);
  return product;
}

const byte = fc.integer({ min: 0, max: 255 });
const nonZero = fc.integer({ min: 1, max: 255 });

describe("GF(2^8)", () => {
  test("2 generates the multiplicative group and LOG inverts EXP", () => {
    expect(new Set(EXP.subarray(0, 255)).size).toBe(255);
    for (let a = 1; a < 256; a++) expect(EXP[LOG[a]]).toBe(a);
  });

  test("multiplication agrees with carry-less multiplication mod 0x11d", () => {
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) expect(gfMul(a, b)).toBe(slowMul(a, b));
  });

  test("field laws", () => {
    fc.assert(
      fc.property(byte, byte, byte, (a, b, c) => {
        expect(gfAdd(a, b)).toBe(gfAdd(b, a));
        expect(gfMul(a, b)).toBe(gfMul(b, a));
        expect(gfMul(gfMul(a, b), c)).toBe(gfMul(a, gfMul(b, c)));
        expect(gfAdd(gfAdd(a, b), c)).toBe(gfAdd(a, gfAdd(b, c)));
        expect(gfMul(a, gfAdd(b, c))).toBe(gfAdd(gfMul(a, b), gfMul(a, c)));
        expect(gfMul(a, 1)).toBe(a);
        expect(gfAdd(a, 0)).toBe(a);
        expect(gfAdd(a, a)).toBe(0);
        expect(gfMul(a, 0)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  test("inverses and division", () => {
    fc.assert(
      fc.property(nonZero, byte, (a, b) => {
        expect(gfMul(a, gfInv(a))).toBe(1);
        expect(gfMul(gfDiv(b, a), a)).toBe(b);
      }),
    );
    expect(() => gfInv(0)).toThrow(RangeError);
  });

  test("powers", () => {
    fc.assert(
      fc.property(byte, fc.integer({ min: 0, max: 600 }), (a, n) => {
        let expected = 1;
        for (let i = 0; i < n; i++) expected = gfMul(expected, a);
        expect(gfPow(a, n)).toBe(expected);
      }),
    );
  });
});

const squareMatrix = fc
  .integer({ min: 1, max: 16 })
  .chain((n) => fc.array(fc.uint8Array({ minLength: n, maxLength: n }), { minLength: n, maxLength: n }));

describe("matrices", () => {
  test("inverse × matrix = matrix × inverse = identity, or the matrix is singular", () => {
    let inverted = 0;
    fc.assert(
      fc.property(squareMatrix, (m: Matrix) => {
        let inv: Matrix;
        try {
          inv = invert(m);
        } catch (err) {
          expect((err as Error).message).toMatch(/singular/);
          return;
        }
        inverted++;
        expect(matMul(inv, m)).toEqual(identity(m.length));
        expect(matMul(m, inv)).toEqual(identity(m.length));
      }),
      { numRuns: 300 },
    );
    // Random matrices over GF(256) are almost always invertible: the check above did run.
    expect(inverted).toBeGreaterThan(250);
  });

  test("a matrix with two equal rows is singular", () => {
    const m = vandermonde(5, 5);
    m[3] = Uint8Array.from(m[1]);
    expect(() => invert(m)).toThrow(/singular/);
  });

  test("the encoding matrix is systematic: identity on top", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 32 }), (k, m) => {
        const e = encodingMatrix(k, m);
        expect(e.length).toBe(k + m);
        expect(e.slice(0, k)).toEqual(identity(k));
      }),
      { numRuns: 50 },
    );
  });

  test("12+4: every choice of 12 rows out of 16 is invertible (any 4 losses are recoverable)", () => {
    const e = encodingMatrix(12, 4);
    let subsets = 0;
    for (let lost = 0; lost < 1 << 16; lost++) {
      let bits = 0;
      for (let x = lost; x; x &= x - 1) bits++;
      if (bits !== 4) continue;
      const rows = e.filter((_, i) => !(lost & (1 << i)));
      expect(matMul(invert(rows), rows)).toEqual(identity(12));
      subsets++;
    }
    expect(subsets).toBe(1820);
  });
});
