import { CryptoError, type CryptoErrorCode } from "./errors.ts";
import { type DecryptRange, PackageDecryptor, PackageEncryptor } from "./packages.ts";

/** Splits `data` into chunks whose sizes cycle through `sizes` (all ≥ 1). */
export function chunk(data: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  for (let pos = 0; pos < data.length; i++) {
    const n = sizes.length === 0 ? data.length : sizes[i % sizes.length];
    out.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

export function encryptAll(plain: Uint8Array, key: Uint8Array, part: number, sizes: number[] = []): Buffer {
  const enc = new PackageEncryptor(key, part);
  const out: Uint8Array[] = [];
  for (const c of chunk(plain, sizes)) enc.update(c, out);
  enc.final(out);
  return Buffer.concat(out);
}

/** Decrypts; on error returns the error and what had been emitted before it. */
export function decryptAll(
  cipher: Uint8Array,
  key: Uint8Array,
  part: number,
  range: DecryptRange,
  sizes: number[] = [],
): { plain: Buffer; error?: unknown } {
  const out: Uint8Array[] = [];
  try {
    const dec = new PackageDecryptor(key, part, range);
    for (const c of chunk(cipher, sizes)) dec.update(c, out);
    dec.final(out);
    return { plain: Buffer.concat(out) };
  } catch (error) {
    return { plain: Buffer.concat(out), error };
  }
}

export function codeOf(fn: () => unknown): CryptoErrorCode | string {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${e}`;
  }
  return "no error";
}
