// GF(2^8) arithmetic and matrices over it. Deliberately simple: this is the ground truth the
// SIMD kernel is checked against, so clarity beats speed here.

/** x^8 + x^4 + x^3 + x^2 + 1, the polynomial used by klauspost/reedsolomon, Backblaze and ISA-L. */
export const POLYNOMIAL = 0x11d;

/** EXP[i] = 2^i. Doubled in length so EXP[LOG[a] + LOG[b]] needs no modulo. */
export const EXP = new Uint8Array(510);
/** LOG[a] = i such that 2^i = a, for a ≠ 0 (LOG[0] is unused). */
export const LOG = new Uint8Array(256);

{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    EXP[i + 255] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= POLYNOMIAL;
  }
}

export function gfAdd(a: number, b: number): number {
  return a ^ b;
}

export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a] + LOG[b]];
}

export function gfInv(a: number): number {
  if (a === 0) throw new RangeError("0 has no inverse in GF(2^8)");
  return EXP[255 - LOG[a]];
}

export function gfDiv(a: number, b: number): number {
  return gfMul(a, gfInv(b));
}

/** a^n, with the convention 0^0 = 1 that the Vandermonde construction relies on. */
export function gfPow(a: number, n: number): number {
  if (n === 0) return 1;
  if (a === 0) return 0;
  return EXP[(LOG[a] * n) % 255];
}

/** Row-major matrix: an array of rows, each a Uint8Array of the same length. */
export type Matrix = Uint8Array[];

export function zeroMatrix(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Uint8Array(cols));
}

export function identity(n: number): Matrix {
  const m = zeroMatrix(n, n);
  for (let i = 0; i < n; i++) m[i][i] = 1;
  return m;
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  if (a.length > 0 && a[0].length !== inner) throw new RangeError("matrix dimensions do not match");
  const cols = inner > 0 ? b[0].length : 0;
  const out = zeroMatrix(a.length, cols);
  for (let r = 0; r < a.length; r++) {
    for (let c = 0; c < cols; c++) {
      let acc = 0;
      for (let i = 0; i < inner; i++) acc ^= gfMul(a[r][i], b[i][c]);
      out[r][c] = acc;
    }
  }
  return out;
}

/** Inverse by Gauss-Jordan elimination; throws on a singular matrix. */
export function invert(m: Matrix): Matrix {
  const n = m.length;
  if (m.some((row) => row.length !== n)) throw new RangeError("only square matrices can be inverted");
  const work = m.map((row) => Uint8Array.from(row));
  const inv = identity(n);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && work[pivot][col] === 0) pivot++;
    if (pivot === n) throw new RangeError("matrix is singular");
    [work[col], work[pivot]] = [work[pivot], work[col]];
    [inv[col], inv[pivot]] = [inv[pivot], inv[col]];
    const scale = gfInv(work[col][col]);
    for (let c = 0; c < n; c++) {
      work[col][c] = gfMul(work[col][c], scale);
      inv[col][c] = gfMul(inv[col][c], scale);
    }
    for (let r = 0; r < n; r++) {
      const f = work[r][col];
      if (r === col || f === 0) continue;
      for (let c = 0; c < n; c++) {
        work[r][c] ^= gfMul(f, work[col][c]);
        inv[r][c] ^= gfMul(f, inv[col][c]);
      }
    }
  }
  return inv;
}

/** Row r, column c = r^c: any `cols` distinct rows are linearly independent (rows ≤ 256). */
export function vandermonde(rows: number, cols: number): Matrix {
  const m = zeroMatrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m[r][c] = gfPow(r, c);
  return m;
}

/**
 * The (k+m)×k systematic encoding matrix of klauspost/reedsolomon and Backblaze: Vandermonde
 * times the inverse of its top square, so the top k rows are the identity (data shards are the
 * data itself) and every k rows remain invertible (any k shards rebuild the rest).
 */
export function encodingMatrix(k: number, m: number): Matrix {
  const vm = vandermonde(k + m, k);
  return matMul(vm, invert(vm.slice(0, k)));
}
