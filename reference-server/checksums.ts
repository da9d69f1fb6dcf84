import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { Crc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "./crc64/crc64.ts";

/** The additional checksums of S3 (x-amz-checksum-*), plus MD5 for ETag / Content-MD5. */
export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(s: string): s is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(s);
}

/** Header name of an algorithm, e.g. CRC64NVME → x-amz-checksum-crc64nvme. */
export function checksumHeader(alg: ChecksumAlgorithm): string {
  return `x-amz-checksum-${alg.toLowerCase()}`;
}

export interface Hasher {
  update(data: Uint8Array): void;
  /** Raw digest bytes (S3 transmits them base64-encoded). */
  digest(): Promise<Buffer>;
}

class NodeHasher implements Hasher {
  private readonly h: Hash;
  constructor(alg: string) {
    this.h = createHash(alg);
  }
  update(data: Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Buffer> {
    return this.h.digest();
  }
}

class Crc32Hasher implements Hasher {
  private v = 0;
  update(data: Uint8Array): void {
    this.v = crc32(data, this.v);
  }
  async digest(): Promise<Buffer> {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(this.v >>> 0, 0);
    return b;
  }
}

class Crc32cHasher implements Hasher {
  private readonly c = new Crc32c();
  update(data: Uint8Array): void {
    this.c.update(data);
  }
  async digest(): Promise<Buffer> {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(this.c.digest() >>> 0, 0);
    return b;
  }
}

class Crc64Hasher implements Hasher {
  private readonly c = new Crc64Nvme();
  update(data: Uint8Array): void {
    this.c.update(data);
  }
  async digest(): Promise<Buffer> {
    return this.c.digest();
  }
}

export function createHasher(alg: ChecksumAlgorithm | "MD5"): Hasher {
  switch (alg) {
    case "MD5":
      return new NodeHasher("md5");
    case "SHA1":
      return new NodeHasher("sha1");
    case "SHA256":
      return new NodeHasher("sha256");
    case "CRC32":
      return new Crc32Hasher();
    case "CRC32C":
      return new Crc32cHasher();
    case "CRC64NVME":
      return new Crc64Hasher();
  }
}

/** Checksum of a whole buffer, base64 (S3's wire form). */
export async function checksumOf(alg: ChecksumAlgorithm | "MD5", data: Uint8Array): Promise<string> {
  const h = createHasher(alg);
  h.update(data);
  return (await h.digest()).toString("base64");
}

/** The CRCs that can be combined, with their reflected polynomial and width (all init/xorout ~0). */
const CRC_PARAMS = {
  CRC32: { width: 32, poly: 0xedb88320n },
  CRC32C: { width: 32, poly: 0x82f63b78n },
  CRC64NVME: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
} as const;
export type CombinableCrc = keyof typeof CRC_PARAMS;

export function isCombinableCrc(alg: string): alg is CombinableCrc {
  return Object.hasOwn(CRC_PARAMS, alg);
}

// zlib's crc32_combine (multmodp / x2nmodp) generalised to any reflected CRC: polynomials are held
// reflected, so x^0 is the top bit. BigInt keeps one code path for 32- and 64-bit CRCs; a combine costs
// O(width · log length) operations, nothing per byte.
function multModP(a: bigint, b: bigint, width: number, poly: bigint): bigint {
  let m = 1n << BigInt(width - 1);
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return p;
}

const x2nTables = new Map<CombinableCrc, bigint[]>();

/** x^(2^k) mod P, memoised per algorithm. */
function x2n(alg: CombinableCrc, k: number): bigint {
  const { width, poly } = CRC_PARAMS[alg];
  let t = x2nTables.get(alg);
  if (!t) {
    t = [1n << BigInt(width - 2)]; // x^1
    x2nTables.set(alg, t);
  }
  while (t.length <= k) t.push(multModP(t[t.length - 1], t[t.length - 1], width, poly));
  return t[k];
}

/**
 * CRC of A‖B from CRC(A), CRC(B) and |B| in bytes: CRC(A) shifted by 8·|B| zero bits, xor CRC(B).
 * CRCs are S3's raw digests (big-endian bytes, 4 or 8 of them).
 */
export function crcCombine(alg: CombinableCrc, crcA: Uint8Array, crcB: Uint8Array, lengthB: number): Buffer {
  const { width, poly } = CRC_PARAMS[alg];
  const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString("hex") || "0"}`);
  // x^(8·lengthB) mod P, built from the bits of lengthB (k starts at 3: one byte is x^8).
  let shift = 1n << BigInt(width - 1);
  let n = BigInt(lengthB);
  for (let k = 3; n > 0n; k++, n >>= 1n) if (n & 1n) shift = multModP(x2n(alg, k), shift, width, poly);
  const v = multModP(shift, toBig(crcA), width, poly) ^ toBig(crcB);
  return Buffer.from(v.toString(16).padStart(width / 4, "0"), "hex");
}
