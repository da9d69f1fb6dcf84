import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { Crc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";

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
    return Buffer.from(await this.c.digest());
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
