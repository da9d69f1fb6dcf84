// The digests of a body as it streams into the engine: MD5 (the ETag), the stored S3 checksum (the
// client's algorithm or the default CRC64NVME), checked against what the client declared before commit.

import { type ChecksumAlgorithm, createHasher, type Hasher } from "../checksums.ts";
import type { PutObjectInput } from "./engine-types.ts";
import { StorageError } from "./errors.ts";
import { OffloadedMd5 } from "./md5-offload.ts";

/** What S3 stores for a body uploaded without a checksum (AWS does so since December 2024). */
export const DEFAULT_CHECKSUM_ALGORITHM = "CRC64NVME" satisfies ChecksumAlgorithm;

/** Digest state of a body as it streams through. */
export class BodyDigests {
  readonly md5: Hasher | OffloadedMd5;
  /** The stored checksum's hasher: the client's algorithm, or the default. */
  readonly checksum: Hasher;
  /** The default CRC64NVME besides the client's algorithm, when asked for (see the constructor). */
  private readonly extraDefault?: Hasher;
  /** The algorithm the client named, if any (what it may send a value of). */
  readonly algorithm?: ChecksumAlgorithm;
  /** The algorithm of the stored checksum: the client's, or the default. */
  readonly storedAlgorithm: ChecksumAlgorithm;
  size = 0;
  /** Bodies declared at least this large hash MD5 on the worker thread (see md5-offload.ts). */
  static offloadFrom = 1024 * 1024;
  /**
   * `alsoDefault`: compute the default CRC64NVME even when the client names another algorithm (parts of
   * an upload created without one: S3 still gives the object a CRC64NVME, and SDKs add CRC32 to parts).
   */
  constructor(algorithm?: ChecksumAlgorithm, declaredSize?: number, opts: { alsoDefault?: boolean } = {}) {
    this.algorithm = algorithm;
    this.storedAlgorithm = algorithm ?? DEFAULT_CHECKSUM_ALGORITHM;
    const offload = declaredSize !== undefined && declaredSize >= BodyDigests.offloadFrom;
    const needDefault =
      algorithm === undefined || (opts.alsoDefault === true && algorithm !== DEFAULT_CHECKSUM_ALGORITHM);
    // The default CRC64NVME (JS, slow-ish) goes with MD5 to the worker; an algorithm the client chose
    // stays inline (the common ones, CRC32 and CRC32C, are native and cheap).
    const md5 = offload ? new OffloadedMd5(needDefault) : createHasher("MD5");
    this.md5 = md5;
    const defaultHasher = !needDefault
      ? undefined
      : md5 instanceof OffloadedMd5
        ? md5.crc64Hasher()
        : createHasher(DEFAULT_CHECKSUM_ALGORITHM);
    this.checksum = algorithm === undefined ? defaultHasher! : createHasher(algorithm);
    this.extraDefault = algorithm === undefined ? undefined : defaultHasher;
  }
  async *tap(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const md5 = this.md5;
    try {
      for await (const c of body) {
        md5.update(c);
        this.checksum.update(c);
        this.extraDefault?.update(c);
        this.size += c.length;
        yield c;
        if (md5 instanceof OffloadedMd5) await md5.backpressure();
      }
    } catch (e) {
      if (md5 instanceof OffloadedMd5) md5.drop();
      throw e;
    }
  }
  /**
   * Verify against what the client declared; returns ETag (hex MD5), the stored checksum and, when it
   * was computed, the default CRC64NVME (base64).
   */
  async verify(
    input: Pick<PutObjectInput, "size" | "expected">,
  ): Promise<{ etag: string; checksum: string; defaultChecksum?: string }> {
    if (input.size !== undefined && this.size !== input.size) {
      if (this.md5 instanceof OffloadedMd5) this.md5.drop(); // no digest will be asked of the worker
      throw new StorageError("IncompleteBody", `expected ${input.size} bytes, received ${this.size}`);
    }
    const md5 = await this.md5.digest();
    const checksum = (await this.checksum.digest()).toString("base64");
    const exp = input.expected?.();
    if (exp?.contentMD5 !== undefined && exp.contentMD5 !== md5.toString("base64")) {
      throw new StorageError("BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
    if (exp?.checksum) {
      if (exp.checksum.algorithm !== this.algorithm) {
        throw new StorageError("InvalidArgument", "checksum algorithm does not match the declared one");
      }
      if (exp.checksum.value !== checksum) {
        throw new StorageError(
          "ChecksumMismatch",
          `The ${this.algorithm} you specified did not match the calculated checksum.`,
          {
            algorithm: this.algorithm,
          },
        );
      }
    }
    const defaultChecksum =
      this.storedAlgorithm === DEFAULT_CHECKSUM_ALGORITHM
        ? checksum
        : this.extraDefault && (await this.extraDefault.digest()).toString("base64");
    return { etag: md5.toString("hex"), checksum, defaultChecksum };
  }
}
