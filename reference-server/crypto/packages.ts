import { createCipheriv, createDecipheriv, type DecipherGCM, type KeyObject } from "node:crypto";
import { Transform } from "node:stream";
import { CryptoError } from "./errors.ts";
import {
  type DecryptRange,
  deriveStreamKey,
  PACKAGE_SIZE,
  packageCount,
  packagePlainSize,
  plaintextLength,
  TAG_SIZE,
  writeAad,
  writeNonce,
} from "./package-format.ts";

/**
 * Ciphertext pieces at least this long go to the decipher as they are; smaller ones are gathered
 * first (measured: sixteen 4 KiB update calls cost about twice one 64 KiB call; 16 KiB calls are
 * close to 64 KiB ones).
 */
const MIN_FEED = 16 * 1024;

export {
  ciphertextLength,
  type DecryptRange,
  deriveStreamKey,
  MAX_PART_NUMBER,
  PACKAGE_SIZE,
  type PackageRange,
  packageCount,
  packageRangeFor,
  plaintextLength,
  SEALED_PACKAGE_SIZE,
  TAG_SIZE,
  wholeRange,
} from "./package-format.ts";

/**
 * Synchronous core of the encrypting stream, usable without any stream machinery. Input of any
 * chunking goes in; whole sealed packages (ciphertext, then its 16-byte tag) come out.
 *
 * A package can only be sealed once we know whether it is the final one (the flag is in its AAD),
 * i.e. once a byte past it arrives or the input ends. So a package is held until then: by
 * reference when one input chunk covers it whole (no copy), otherwise copied into one reusable
 * 64 KiB staging buffer, which also means the cipher is always fed a whole package in one call.
 */
export class PackageEncryptor {
  readonly #key: KeyObject;
  readonly #staging = Buffer.allocUnsafe(PACKAGE_SIZE);
  readonly #iv = Buffer.alloc(12);
  readonly #aad = Buffer.alloc(9);
  #fill = 0;
  /** A complete package held by reference into a caller's chunk (staging is then empty). */
  #held: Uint8Array | undefined;
  #index = 0;
  #finished = false;

  constructor(objectKey: Uint8Array, partNumber: number) {
    this.#key = deriveStreamKey(objectKey, partNumber);
  }

  /** Consumes `chunk`, appending any sealed output to `out`. Chunks must not be mutated later. */
  update(chunk: Uint8Array, out: Uint8Array[]): void {
    if (this.#finished) throw new Error("PackageEncryptor: update after final");
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      // More input exists, so a complete pending package is not the final one.
      if (this.#held !== undefined) {
        this.#seal(this.#held, false, out);
        this.#held = undefined;
      } else if (this.#fill === PACKAGE_SIZE) {
        this.#seal(this.#staging, false, out);
        this.#fill = 0;
      }
      if (this.#fill === 0 && len - pos >= PACKAGE_SIZE) {
        this.#held = chunk.subarray(pos, pos + PACKAGE_SIZE);
        pos += PACKAGE_SIZE;
      } else {
        const n = Math.min(PACKAGE_SIZE - this.#fill, len - pos);
        this.#staging.set(chunk.subarray(pos, pos + n), this.#fill);
        this.#fill += n;
        pos += n;
      }
    }
  }

  /** Seals the final package (an empty one for an empty stream). */
  final(out: Uint8Array[]): void {
    if (this.#finished) throw new Error("PackageEncryptor: final called twice");
    this.#finished = true;
    if (this.#held !== undefined) this.#seal(this.#held, true, out);
    else this.#seal(this.#staging.subarray(0, this.#fill), true, out);
    this.#held = undefined;
  }

  #seal(plain: Uint8Array, final: boolean, out: Uint8Array[]): void {
    writeNonce(this.#iv, this.#index);
    writeAad(this.#aad, this.#index, final);
    const cipher = createCipheriv("aes-256-gcm", this.#key, this.#iv);
    cipher.setAAD(this.#aad);
    if (plain.length > 0) out.push(cipher.update(plain));
    cipher.final();
    out.push(cipher.getAuthTag());
    this.#index++;
  }
}

/**
 * Synchronous core of the decrypting stream. Consumes the ciphertext of packages
 * firstPackage..lastPackage in any chunking and appends exactly the requested plaintext range to
 * `out`. Ciphertext pieces of 16 KiB or more go to the decipher as they arrive (no copy), smaller
 * ones are gathered first; either way a package's plaintext is held until its tag verifies, so
 * unauthenticated bytes never leave. Any tag failure, missing package (truncation) or byte past
 * the last package (extension) throws IntegrityError.
 */
export class PackageDecryptor {
  readonly #key: KeyObject;
  readonly #iv = Buffer.alloc(12);
  readonly #aad = Buffer.alloc(9);
  readonly #tag = Buffer.alloc(TAG_SIZE);
  /** Small ciphertext pieces are gathered here so the decipher is fed ≥ 16 KiB per call. */
  readonly #staging = Buffer.allocUnsafe(PACKAGE_SIZE);
  #staged = 0;
  readonly #total: number;
  readonly #finalPackage: number;
  readonly #lastPackage: number;
  #index: number;
  #skip: number;
  #remaining: number;
  // State of the package being read.
  #decipher: DecipherGCM | undefined;
  #plainSize = 0;
  #cipherLeft = 0;
  #tagFill = 0;
  #pending: Buffer[] = [];
  #finished = false;

  constructor(objectKey: Uint8Array, partNumber: number, range: DecryptRange) {
    const { firstPackage, totalPlainLength, skip, length } = range;
    this.#key = deriveStreamKey(objectKey, partNumber);
    const count = packageCount(totalPlainLength);
    const start = firstPackage * PACKAGE_SIZE + skip;
    const valid =
      Number.isSafeInteger(firstPackage) &&
      Number.isSafeInteger(skip) &&
      Number.isSafeInteger(length) &&
      firstPackage >= 0 &&
      firstPackage < count &&
      skip >= 0 &&
      length >= 0 &&
      (skip < PACKAGE_SIZE || (skip === 0 && length === 0)) &&
      start + length <= totalPlainLength;
    if (!valid) throw new RangeError(`invalid decrypt range ${JSON.stringify(range)}`);
    this.#total = totalPlainLength;
    this.#finalPackage = count - 1;
    this.#lastPackage = length === 0 ? firstPackage : Math.floor((start + length - 1) / PACKAGE_SIZE);
    this.#index = firstPackage;
    this.#skip = skip;
    this.#remaining = length;
  }

  update(chunk: Uint8Array, out: Uint8Array[]): void {
    if (this.#finished) throw new Error("PackageDecryptor: update after final");
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.#decipher === undefined) this.#begin();
      const decipher = this.#decipher!;
      if (this.#cipherLeft > 0) {
        const n = Math.min(this.#cipherLeft, len - pos);
        const piece = chunk.subarray(pos, pos + n);
        this.#cipherLeft -= n;
        pos += n;
        if (n >= MIN_FEED) {
          this.#flushStaged(decipher);
          this.#pending.push(decipher.update(piece));
        } else {
          this.#staging.set(piece, this.#staged);
          this.#staged += n;
          if (this.#staged >= MIN_FEED || this.#cipherLeft === 0) this.#flushStaged(decipher);
        }
      } else {
        const n = Math.min(TAG_SIZE - this.#tagFill, len - pos);
        this.#tag.set(chunk.subarray(pos, pos + n), this.#tagFill);
        this.#tagFill += n;
        pos += n;
        if (this.#tagFill === TAG_SIZE) this.#verifyAndEmit(decipher, out);
      }
    }
  }

  /** Checks that every package of the range arrived (whole-stream truncation included). */
  final(_out: Uint8Array[]): void {
    if (this.#finished) throw new Error("PackageDecryptor: final called twice");
    this.#finished = true;
    if (this.#index <= this.#lastPackage) {
      throw new CryptoError(
        "IntegrityError",
        `ciphertext truncated: package ${this.#index} incomplete or missing`,
      );
    }
  }

  #begin(): void {
    if (this.#index > this.#lastPackage) {
      throw new CryptoError("IntegrityError", "ciphertext extends past the last package of the range");
    }
    writeNonce(this.#iv, this.#index);
    writeAad(this.#aad, this.#index, this.#index === this.#finalPackage);
    const decipher = createDecipheriv("aes-256-gcm", this.#key, this.#iv, { authTagLength: TAG_SIZE });
    decipher.setAAD(this.#aad);
    this.#decipher = decipher;
    this.#plainSize = packagePlainSize(this.#index, this.#total);
    this.#cipherLeft = this.#plainSize;
    this.#tagFill = 0;
  }

  #flushStaged(decipher: DecipherGCM): void {
    if (this.#staged === 0) return;
    this.#pending.push(decipher.update(this.#staging.subarray(0, this.#staged)));
    this.#staged = 0;
  }

  #verifyAndEmit(decipher: DecipherGCM, out: Uint8Array[]): void {
    decipher.setAuthTag(this.#tag);
    try {
      decipher.final();
    } catch (e) {
      this.#pending = [];
      throw new CryptoError("IntegrityError", `package ${this.#index} failed authentication`, {}, e);
    }
    // Trim the verified plaintext to the requested range: drop `skip` bytes, stop at `remaining`.
    for (const part of this.#pending) {
      let piece = part;
      if (this.#skip > 0) {
        const drop = Math.min(this.#skip, piece.length);
        this.#skip -= drop;
        piece = piece.subarray(drop);
      }
      if (piece.length > this.#remaining) piece = piece.subarray(0, this.#remaining);
      if (piece.length > 0) {
        out.push(piece);
        this.#remaining -= piece.length;
      }
    }
    this.#pending = [];
    this.#decipher = undefined;
    this.#index++;
  }
}

interface Core {
  update(chunk: Uint8Array, out: Uint8Array[]): void;
  final(out: Uint8Array[]): void;
}

/**
 * A Transform over a sync core. Chosen over an async generator (also offered below) because a
 * Transform pushes several buffers per input chunk synchronously, while a generator pays a promise
 * round trip per yielded buffer; measured in bench.ts (see docs/crypto.md).
 */
function coreTransform(core: Core): Transform {
  const out: Uint8Array[] = [];
  const drain = (t: Transform) => {
    for (const b of out) t.push(b);
    out.length = 0;
  };
  return new Transform({
    transform(chunk: Uint8Array, _encoding, callback) {
      try {
        core.update(chunk, out);
        drain(this);
        callback();
      } catch (e) {
        out.length = 0;
        callback(e as Error);
      }
    },
    flush(callback) {
      try {
        core.final(out);
        drain(this);
        callback();
      } catch (e) {
        out.length = 0;
        callback(e as Error);
      }
    },
  });
}

/** Plaintext in (any chunking) → sealed packages out. Part 0 for single-part objects. */
export function createEncryptStream(objectKey: Uint8Array, partNumber: number): Transform {
  return coreTransform(new PackageEncryptor(objectKey, partNumber));
}

/**
 * Ciphertext of packages range.firstPackage.. in → exactly `range.length` plaintext bytes out,
 * starting `range.skip` bytes into the first package. Errors with CryptoError "IntegrityError".
 */
export function createDecryptStream(
  objectKey: Uint8Array,
  partNumber: number,
  range: DecryptRange,
): Transform {
  return coreTransform(new PackageDecryptor(objectKey, partNumber, range));
}

async function* runCore(core: Core, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  for await (const chunk of source) {
    core.update(chunk, out);
    for (const b of out) yield b;
    out.length = 0;
  }
  core.final(out);
  yield* out;
}

/** Async-generator form of createEncryptStream (e.g. for stream.pipeline(source, fn, sink)). */
export function encryptPackages(
  source: AsyncIterable<Uint8Array>,
  objectKey: Uint8Array,
  partNumber: number,
): AsyncGenerator<Uint8Array> {
  return runCore(new PackageEncryptor(objectKey, partNumber), source);
}

/** Async-generator form of createDecryptStream. */
export function decryptPackages(
  source: AsyncIterable<Uint8Array>,
  objectKey: Uint8Array,
  partNumber: number,
  range: DecryptRange,
): AsyncGenerator<Uint8Array> {
  return runCore(new PackageDecryptor(objectKey, partNumber, range), source);
}

// decryptWhole is synchronous, so one nonce and one AAD buffer serve every call (off the V8 heap: a small
// buffer made per call is copied out of the heap the first time native code reads it).
const wholeIv = Buffer.allocUnsafeSlow(12);
const wholeAad = Buffer.allocUnsafeSlow(9);

/**
 * The whole plaintext of a stream whose ciphertext is at hand in one buffer (a small object's): each
 * package deciphered straight from it, without the streaming decryptor's staging copy. IntegrityError
 * when a tag fails or the length is not a stream's.
 */
export function decryptWhole(cipher: Uint8Array, objectKey: Uint8Array, partNumber: number): Buffer {
  const total = plaintextLength(cipher.length);
  const key = deriveStreamKey(objectKey, partNumber);
  const count = packageCount(total);
  const iv = wholeIv;
  const aad = wholeAad;
  const pieces: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = packagePlainSize(i, total);
    writeNonce(iv, i);
    writeAad(aad, i, i === count - 1);
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_SIZE });
    decipher.setAAD(aad);
    decipher.setAuthTag(cipher.subarray(at + n, at + n + TAG_SIZE));
    pieces.push(decipher.update(cipher.subarray(at, at + n)));
    try {
      const rest = decipher.final(); // GCM checks the tag here; it holds nothing back
      if (rest.length > 0) pieces.push(rest);
    } catch (e) {
      throw new CryptoError("IntegrityError", `package ${i} failed authentication`, {}, e);
    }
    at += n + TAG_SIZE;
  }
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
}
