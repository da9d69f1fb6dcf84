import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CryptoError } from "./errors.ts";
import { generateObjectKey } from "./object-key.ts";
import {
  ciphertextLength,
  createDecryptStream,
  createEncryptStream,
  decryptPackages,
  decryptWhole,
  encryptPackages,
  PACKAGE_SIZE,
  packageCount,
  packageRangeFor,
  plaintextLength,
  SEALED_PACKAGE_SIZE,
  TAG_SIZE,
  wholeRange,
} from "./packages.ts";
import { decryptAll, encryptAll } from "./test-helpers.ts";

const P = PACKAGE_SIZE;
const key = generateObjectKey();
const edgeSizes = [0, 1, P - 1, P, P + 1, 2 * P, 3 * P + 17];
const anySize = fc.oneof(fc.constantFrom(...edgeSizes), fc.integer({ min: 0, max: 5 * P + 100 }));
// Chunk sizes from 1 byte to more than a package, cycled over the input.
const chunking = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 2 * P + 3 })),
  {
    maxLength: 6,
  },
);
const part = fc.integer({ min: 0, max: 10000 });

// One shared random buffer; sizes take prefixes of it.
const source = randomBytes(5 * P + 100);

function isIntegrityError(e: unknown): boolean {
  return e instanceof CryptoError && e.code === "IntegrityError";
}

describe("lengths", () => {
  test("ciphertextLength and plaintextLength are inverse; every package adds one tag", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        const c = ciphertextLength(n);
        expect(c).toBe(n + TAG_SIZE * Math.max(1, Math.ceil(n / P)));
        expect(plaintextLength(c)).toBe(n);
      }),
    );
    expect(ciphertextLength(0)).toBe(16);
    expect(ciphertextLength(P)).toBe(P + 16);
    expect(ciphertextLength(P + 1)).toBe(P + 33);
  });

  test("impossible ciphertext lengths are IntegrityError", () => {
    for (const c of [
      0,
      1,
      15,
      SEALED_PACKAGE_SIZE + 5,
      SEALED_PACKAGE_SIZE + 16,
      2 * SEALED_PACKAGE_SIZE + 3,
    ]) {
      let error: unknown;
      try {
        plaintextLength(c);
      } catch (e) {
        error = e;
      }
      expect(isIntegrityError(error), `length ${c}`).toBe(true);
    }
  });
});

describe("round trip", () => {
  test("any size, any chunking of plaintext and ciphertext, any part number", () => {
    fc.assert(
      fc.property(anySize, chunking, chunking, part, (size, inChunks, outChunks, partNumber) => {
        const plain = source.subarray(0, size);
        const cipher = encryptAll(plain, key, partNumber, inChunks);
        expect(cipher.length).toBe(ciphertextLength(size));
        const { plain: back, error } = decryptAll(cipher, key, partNumber, wholeRange(size), outChunks);
        expect(error).toBeUndefined();
        expect(back.equals(plain)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  test("the Transform streams and the async generators give the same bytes as the core", async () => {
    for (const size of edgeSizes) {
      const plain = source.subarray(0, size);
      const chunks = [plain.subarray(0, 1000), plain.subarray(1000)].filter((c) => c.length > 0);
      const viaStream: Buffer[] = [];
      await pipeline(Readable.from(chunks), createEncryptStream(key, 3), async (s: AsyncIterable<Buffer>) => {
        for await (const b of s) viaStream.push(b);
      });
      const viaGen = Buffer.concat(await Array.fromAsync(encryptPackages(Readable.from(chunks), key, 3)));
      const cipher = encryptAll(plain, key, 3);
      expect(Buffer.concat(viaStream).equals(cipher)).toBe(true);
      expect(viaGen.equals(cipher)).toBe(true);
      const range = wholeRange(size);
      const out: Buffer[] = [];
      await pipeline(
        Readable.from([cipher]),
        createDecryptStream(key, 3, range),
        async (s: AsyncIterable<Buffer>) => {
          for await (const b of s) out.push(b);
        },
      );
      expect(Buffer.concat(out).equals(plain)).toBe(true);
      const gen = await Array.fromAsync(decryptPackages(Readable.from([cipher]), key, 3, range));
      expect(Buffer.concat(gen).equals(plain)).toBe(true);
    }
  });

  test("an empty stream is one authenticated empty package", () => {
    const cipher = encryptAll(Buffer.alloc(0), key, 0);
    expect(cipher.length).toBe(TAG_SIZE);
    expect(decryptAll(cipher, key, 0, wholeRange(0)).error).toBeUndefined();
    // Losing the whole stream is detected.
    expect(isIntegrityError(decryptAll(Buffer.alloc(0), key, 0, wholeRange(0)).error)).toBe(true);
  });

  test("parts are independent streams: another part number, or another key, does not decrypt", () => {
    const plain = source.subarray(0, P + 5);
    const cipher = encryptAll(plain, key, 1);
    expect(encryptAll(plain, key, 2).equals(cipher)).toBe(false);
    expect(isIntegrityError(decryptAll(cipher, key, 2, wholeRange(plain.length)).error)).toBe(true);
    expect(isIntegrityError(decryptAll(cipher, generateObjectKey(), 1, wholeRange(plain.length)).error)).toBe(
      true,
    );
  });
});

describe("range reads", () => {
  test("decrypt exactly plain[start..end] from only the ciphertext of the packages holding it", () => {
    const plain = source.subarray(0, 5 * P + 100);
    const cipher = encryptAll(plain, key, 7);
    const sizeAndRange = fc
      .integer({ min: 1, max: plain.length })
      .chain((size) =>
        fc
          .tuple(fc.nat(size - 1), fc.nat(size - 1))
          .map(([a, b]) => [size, Math.min(a, b), Math.max(a, b)] as const),
      );
    fc.assert(
      fc.property(sizeAndRange, chunking, ([size, start, end], outChunks) => {
        const full = size === plain.length ? cipher : encryptAll(plain.subarray(0, size), key, 7);
        const r = packageRangeFor(start, end, size);
        expect(r.firstPackage).toBe(Math.floor(start / P));
        expect(r.lastPackage).toBe(Math.floor(end / P));
        expect(r.cipherEnd).toBeLessThanOrEqual(full.length);
        // The slice read is exactly the packages first..last, whole.
        let expected = 0;
        for (let i = r.firstPackage; i <= r.lastPackage; i++)
          expected += Math.min(P, size - i * P) + TAG_SIZE;
        expect(r.cipherEnd - r.cipherStart).toBe(expected);
        const { plain: got, error } = decryptAll(
          full.subarray(r.cipherStart, r.cipherEnd),
          key,
          7,
          r,
          outChunks,
        );
        expect(error).toBeUndefined();
        expect(got.equals(plain.subarray(start, end + 1))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test("invalid ranges are RangeErrors", () => {
    expect(() => packageRangeFor(5, 4, 10)).toThrow(RangeError);
    expect(() => packageRangeFor(0, 10, 10)).toThrow(RangeError);
    expect(() => packageRangeFor(-1, 3, 10)).toThrow(RangeError);
    for (const bad of [
      { firstPackage: 2, totalPlainLength: P, skip: 0, length: 1 },
      { firstPackage: 0, totalPlainLength: 10, skip: 5, length: 6 },
      { firstPackage: 0, totalPlainLength: 2 * P, skip: P, length: 1 },
    ]) {
      expect(decryptAll(Buffer.alloc(0), key, 0, bad).error).toBeInstanceOf(RangeError);
    }
    expect(wholeRange(0)).toMatchObject({
      firstPackage: 0,
      lastPackage: 0,
      cipherStart: 0,
      cipherEnd: 16,
      length: 0,
    });
  });
});

describe("tampering is IntegrityError, and no unauthenticated byte is emitted", () => {
  const size = 3 * P + 1000;
  const plain = source.subarray(0, size);
  const cipher = encryptAll(plain, key, 0);
  const range = wholeRange(size);

  test("flipping any bit of any ciphertext byte", () => {
    fc.assert(
      fc.property(fc.nat(cipher.length - 1), fc.nat(7), chunking, (at, bit, outChunks) => {
        const bad = Buffer.from(cipher);
        bad[at] ^= 1 << bit;
        const { plain: got, error } = decryptAll(bad, key, 0, range, outChunks);
        expect(isIntegrityError(error)).toBe(true);
        // Only the packages before the tampered one may have been emitted.
        const tampered = Math.floor(at / SEALED_PACKAGE_SIZE);
        expect(got.length).toBeLessThanOrEqual(tampered * P);
        expect(got.equals(plain.subarray(0, got.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("swapping two packages", () => {
    const pkgs = [0, 1, 2, 3].map((i) =>
      cipher.subarray(i * SEALED_PACKAGE_SIZE, (i + 1) * SEALED_PACKAGE_SIZE),
    );
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [0, 2],
    ]) {
      const order = [...pkgs];
      [order[a], order[b]] = [order[b], order[a]];
      expect(isIntegrityError(decryptAll(Buffer.concat(order), key, 0, range).error)).toBe(true);
    }
    // A package moved to the final position (same length as a full one) also fails.
    const fourFull = encryptAll(source.subarray(0, 4 * P), key, 0);
    const fp = [0, 1, 2, 3].map((i) =>
      fourFull.subarray(i * SEALED_PACKAGE_SIZE, (i + 1) * SEALED_PACKAGE_SIZE),
    );
    const swapped = Buffer.concat([fp[0], fp[1], fp[3], fp[2]]);
    expect(isIntegrityError(decryptAll(swapped, key, 0, wholeRange(4 * P)).error)).toBe(true);
  });

  test("truncating: at any byte, or dropping whole trailing packages even if the length is adjusted", () => {
    fc.assert(
      fc.property(fc.nat(cipher.length - 1), (cut) => {
        const { error } = decryptAll(cipher.subarray(0, cut), key, 0, range);
        expect(isIntegrityError(error)).toBe(true);
      }),
    );
    for (const keep of [1, 2, 3]) {
      // An attacker who also rewrote the stored length: the new last package lacks the final flag.
      const { error } = decryptAll(
        cipher.subarray(0, keep * SEALED_PACKAGE_SIZE),
        key,
        0,
        wholeRange(keep * P),
      );
      expect(isIntegrityError(error)).toBe(true);
    }
  });

  test("extending: extra bytes, or extra packages with the length adjusted", () => {
    const extra = Buffer.concat([cipher, randomBytes(1)]);
    expect(isIntegrityError(decryptAll(extra, key, 0, range).error)).toBe(true);
    const short = encryptAll(source.subarray(0, 2 * P), key, 0);
    const longer = encryptAll(source.subarray(0, 3 * P), key, 0);
    // Append package 2 of a longer stream to a 2-package stream: package 1 was sealed final.
    const spliced = Buffer.concat([short, longer.subarray(2 * SEALED_PACKAGE_SIZE)]);
    expect(isIntegrityError(decryptAll(spliced, key, 0, wholeRange(3 * P)).error)).toBe(true);
  });

  test("the Transform reports IntegrityError through pipeline", async () => {
    const bad = Buffer.from(cipher);
    bad[10] ^= 1;
    const run = pipeline(
      Readable.from([bad]),
      createDecryptStream(key, 0, range),
      async (s: AsyncIterable<Buffer>) => {
        for await (const _ of s);
      },
    );
    await expect(run).rejects.toMatchObject({ name: "CryptoError", code: "IntegrityError" });
  });
});

test("packageCount and part-number validation", () => {
  expect(packageCount(0)).toBe(1);
  expect(packageCount(P)).toBe(1);
  expect(packageCount(P + 1)).toBe(2);
  expect(() => createEncryptStream(key, 10001)).toThrow(RangeError);
  expect(() => createEncryptStream(key, -1)).toThrow(RangeError);
  expect(() => createEncryptStream(randomBytes(16), 0)).toThrow(RangeError);
});

describe("decryptWhole (a small object's ciphertext at hand in one buffer)", () => {
  test("gives the plaintext of any size and part number, as the streaming decryptor does", () => {
    fc.assert(
      fc.property(anySize, part, (size, partNumber) => {
        const plain = source.subarray(0, size);
        expect(decryptWhole(encryptAll(plain, key, partNumber), key, partNumber).equals(plain)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  test("any flipped bit, truncation, extension, swapped package, other part or key is IntegrityError", () => {
    const size = 2 * P + 500;
    const cipher = encryptAll(source.subarray(0, size), key, 3);
    const fails = (c: Uint8Array, k = key, partNumber = 3) => {
      try {
        decryptWhole(c, k, partNumber);
        return false;
      } catch (e) {
        return isIntegrityError(e);
      }
    };
    fc.assert(
      fc.property(fc.nat(cipher.length - 1), fc.nat(7), (at, bit) => {
        const bad = Buffer.from(cipher);
        bad[at] ^= 1 << bit;
        expect(fails(bad)).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(cipher.length - 1), (cut) => {
        expect(fails(cipher.subarray(0, cut))).toBe(true);
      }),
    );
    expect(fails(cipher.subarray(0, SEALED_PACKAGE_SIZE))).toBe(true); // a whole trailing package dropped
    expect(fails(Buffer.concat([cipher, Buffer.alloc(1)]))).toBe(true);
    const pkgs = [0, 1].map((i) => cipher.subarray(i * SEALED_PACKAGE_SIZE, (i + 1) * SEALED_PACKAGE_SIZE));
    expect(fails(Buffer.concat([pkgs[1], pkgs[0], cipher.subarray(2 * SEALED_PACKAGE_SIZE)]))).toBe(true);
    expect(fails(cipher, key, 4)).toBe(true);
    expect(fails(cipher, generateObjectKey())).toBe(true);
  });
});
