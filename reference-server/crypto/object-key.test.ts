import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CryptoError } from "./errors.ts";
import { Keyring, loadKeyring, rotate } from "./master-key.ts";
import {
  customerKeyMD5,
  generateObjectKey,
  needsReseal,
  parseSealedObjectKey,
  resealObjectKey,
  type SealContext,
  type SealedObjectKey,
  sealObjectKey,
  unsealObjectKey,
  validateCustomerKey,
} from "./object-key.ts";
import { codeOf } from "./test-helpers.ts";

const keyring = new Keyring({ k1: randomBytes(32) }, "k1");
const ctx: SealContext = { bucket: "photos", key: "2024/cat.jpg" };
// Object key names: any Unicode up to S3's 1024 UTF-8 bytes (longer than hkdfSync's info limit).
const objectName = fc
  .string({ unit: "grapheme", maxLength: 250 })
  .filter((s) => Buffer.byteLength(s) <= 1024);
const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);

function flip(
  record: SealedObjectKey,
  field: "salt" | "iv" | "sealed" | "tag",
  bit: number,
): SealedObjectKey {
  const bytes = Buffer.from(record[field], "base64");
  const i = bit % (bytes.length * 8);
  bytes[i >> 3] ^= 1 << (i & 7);
  return { ...record, [field]: bytes.toString("base64") };
}

describe("SSE-S3 sealing", () => {
  test("round-trips for any bucket and key name, through JSON", () => {
    fc.assert(
      fc.property(bucketName, objectName, (bucket, key) => {
        const objectKey = generateObjectKey();
        const sealed = sealObjectKey(objectKey, { bucket, key }, { scheme: "SSE-S3", keyring });
        expect(sealed).toMatchObject({ v: 1, scheme: "SSE-S3", masterKeyId: "k1" });
        const stored = JSON.parse(JSON.stringify(sealed));
        expect(unsealObjectKey(stored, { bucket, key }, { keyring }).equals(objectKey)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test("a 1024-byte key name works", () => {
    const long = { bucket: "b".repeat(63), key: "é".repeat(512) };
    const objectKey = generateObjectKey();
    const sealed = sealObjectKey(objectKey, long, { scheme: "SSE-S3", keyring });
    expect(unsealObjectKey(sealed, long, { keyring }).equals(objectKey)).toBe(true);
  });

  test("is bound to bucket and key: another context is IntegrityError", () => {
    const sealed = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-S3", keyring });
    for (const other of [
      { bucket: "photos2", key: ctx.key },
      { bucket: ctx.bucket, key: `${ctx.key} ` },
      // The 0x00 separator: moving a character across the bucket/key boundary changes the info.
      { bucket: "photo", key: `s${ctx.key}` },
    ]) {
      expect(codeOf(() => unsealObjectKey(sealed, other, { keyring }))).toBe("IntegrityError");
    }
  });

  test("any flipped bit of salt, iv, sealed key or tag is IntegrityError", () => {
    const sealed = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-S3", keyring });
    fc.assert(
      fc.property(
        fc.constantFrom("salt", "iv", "sealed", "tag") as fc.Arbitrary<"salt">,
        fc.nat(),
        (f, bit) => {
          expect(codeOf(() => unsealObjectKey(flip(sealed, f, bit), ctx, { keyring }))).toBe(
            "IntegrityError",
          );
        },
      ),
    );
  });

  test("a record naming an absent master key is UnknownMasterKey", () => {
    const sealed = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-S3", keyring });
    expect(codeOf(() => unsealObjectKey({ ...sealed, masterKeyId: "k9" }, ctx, { keyring }))).toBe(
      "UnknownMasterKey",
    );
  });

  test("malformed records are InvalidSealedRecord", () => {
    const good = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-S3", keyring });
    for (const bad of [
      null,
      "x",
      { ...good, v: 2 },
      { ...good, scheme: "SSE-KMS" },
      { ...good, masterKeyId: undefined },
      { ...good, salt: "AAAA" },
      { ...good, tag: "not base64!" },
      { ...good, scheme: "SSE-C" },
    ]) {
      expect(codeOf(() => parseSealedObjectKey(bad))).toBe("InvalidSealedRecord");
    }
    expect(parseSealedObjectKey(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });
});

describe("SSE-C sealing", () => {
  test("round-trips; the record holds the key's MD5 but never the key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (customerKey) => {
        const objectKey = generateObjectKey();
        const sealed = sealObjectKey(objectKey, ctx, { scheme: "SSE-C", customerKey });
        expect(sealed.customerKeyMD5).toBe(createHash("md5").update(customerKey).digest("base64"));
        expect(sealed.masterKeyId).toBeUndefined();
        const json = JSON.stringify(sealed);
        expect(json).not.toContain(Buffer.from(customerKey).toString("base64"));
        expect(json).not.toContain(Buffer.from(customerKey).toString("hex"));
        expect(unsealObjectKey(JSON.parse(json), ctx, { customerKey }).equals(objectKey)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  test("any other key is refused with WrongCustomerKey", () => {
    const customerKey = randomBytes(32);
    const sealed = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-C", customerKey });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(255), (other, bit) => {
        const wrong = Buffer.from(other);
        if (wrong.equals(customerKey)) wrong[bit >> 3] ^= 1 << (bit & 7);
        expect(codeOf(() => unsealObjectKey(sealed, ctx, { customerKey: wrong }))).toBe("WrongCustomerKey");
      }),
    );
    // The GCM tag decides, not the stored MD5: a record whose MD5 is made to match still refuses.
    const wrong = randomBytes(32);
    const forged = { ...sealed, customerKeyMD5: customerKeyMD5(wrong) };
    expect(codeOf(() => unsealObjectKey(forged, ctx, { customerKey: wrong }))).toBe("WrongCustomerKey");
  });

  test("reading an SSE-C record without a key is InvalidRequest; the master key does not open it", () => {
    const sealed = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-C", customerKey: randomBytes(32) });
    expect(codeOf(() => unsealObjectKey(sealed, ctx, { keyring }))).toBe("InvalidRequest");
    // Relabelled as SSE-S3 under the master key it fails authentication (domain-separated KEK).
    const relabelled = { ...sealed, scheme: "SSE-S3" as const, masterKeyId: "k1", customerKeyMD5: undefined };
    expect(codeOf(() => unsealObjectKey(relabelled, ctx, { keyring }))).toBe("IntegrityError");
  });
});

describe("rotation: re-sealing", () => {
  test("re-seal under the new key, open with both keys present and after dropping the old one", () => {
    const objectKey = generateObjectKey();
    const old = sealObjectKey(objectKey, ctx, { scheme: "SSE-S3", keyring });
    const rotated = keyring.withNewCurrent();
    expect(needsReseal(old, keyring)).toBe(false);
    expect(needsReseal(old, rotated)).toBe(true);
    // Before re-sealing, the rotated keyring still opens the old record.
    expect(unsealObjectKey(old, ctx, { keyring: rotated }).equals(objectKey)).toBe(true);
    const resealed = resealObjectKey(old, ctx, rotated);
    expect(resealed.masterKeyId).toBe(rotated.currentId);
    expect(resealed.salt).not.toBe(old.salt);
    expect(needsReseal(resealed, rotated)).toBe(false);
    expect(resealObjectKey(resealed, ctx, rotated)).toBe(resealed);
    expect(unsealObjectKey(resealed, ctx, { keyring: rotated }).equals(objectKey)).toBe(true);
    const dropped = rotated.without("k1");
    expect(unsealObjectKey(resealed, ctx, { keyring: dropped }).equals(objectKey)).toBe(true);
    expect(codeOf(() => unsealObjectKey(old, ctx, { keyring: dropped }))).toBe("UnknownMasterKey");
  });

  test("SSE-C records are left as they are", () => {
    const sealed = sealObjectKey(generateObjectKey(), ctx, { scheme: "SSE-C", customerKey: randomBytes(32) });
    expect(resealObjectKey(sealed, ctx, keyring.withNewCurrent())).toBe(sealed);
  });

  test("with the key file: rotate(), re-seal, drop", async () => {
    const dir = await mkdtemp(join(tmpdir(), "parity-rotate-"));
    try {
      const file = join(dir, "keys.json");
      await writeFile(file, JSON.stringify(keyring.toKeyFile()));
      const objectKey = generateObjectKey();
      const old = sealObjectKey(objectKey, ctx, { scheme: "SSE-S3", keyring: await loadKeyring(file) });
      const rotated = await rotate(file);
      const resealed = resealObjectKey(old, ctx, rotated);
      expect(unsealObjectKey(resealed, ctx, { keyring: rotated.without("k1") }).equals(objectKey)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("opened-key cache", () => {
  test("a key opened once still needs its master key, its exact record and its context", () => {
    const objectKey = generateObjectKey();
    const sealed = sealObjectKey(objectKey, ctx, { scheme: "SSE-S3", keyring });
    expect(unsealObjectKey(sealed, ctx, { keyring }).equals(objectKey)).toBe(true);
    // Cached now; the answer is a copy (callers may wipe it) and still right.
    const again = unsealObjectKey(sealed, ctx, { keyring });
    again.fill(0);
    expect(unsealObjectKey(sealed, ctx, { keyring }).equals(objectKey)).toBe(true);
    expect(codeOf(() => unsealObjectKey(flip(sealed, "tag", 3), ctx, { keyring }))).toBe("IntegrityError");
    expect(codeOf(() => unsealObjectKey(sealed, { ...ctx, key: "other" }, { keyring }))).toBe(
      "IntegrityError",
    );
    const other = new Keyring({ k2: randomBytes(32) }, "k2");
    expect(codeOf(() => unsealObjectKey(sealed, ctx, { keyring: other }))).toBe("UnknownMasterKey");
  });

  test("SSE-C is never served from a cache: a wrong customer key after a right one is refused", () => {
    const customerKey = randomBytes(32);
    const objectKey = generateObjectKey();
    const sealed = sealObjectKey(objectKey, ctx, { scheme: "SSE-C", customerKey });
    expect(unsealObjectKey(sealed, ctx, { customerKey }).equals(objectKey)).toBe(true);
    expect(codeOf(() => unsealObjectKey(sealed, ctx, { customerKey: randomBytes(32) }))).toBe(
      "WrongCustomerKey",
    );
  });
});

describe("validateCustomerKey", () => {
  const key = randomBytes(32);
  const keyB64 = key.toString("base64");
  const md5 = customerKeyMD5(key);

  test("returns the 32-byte key", () => {
    expect(validateCustomerKey("AES256", keyB64, md5).equals(key)).toBe(true);
  });

  test.each([
    ["missing algorithm", undefined, keyB64, md5, "InvalidArgument", "algorithm"],
    ["unknown algorithm", "AES128", keyB64, md5, "InvalidEncryptionAlgorithmError", "algorithm"],
    ["missing key", "AES256", undefined, md5, "InvalidArgument", "customer-key"],
    ["short key", "AES256", randomBytes(16).toString("base64"), md5, "InvalidArgument", "customer-key"],
    ["key not base64", "AES256", "@@@@", md5, "InvalidArgument", "customer-key"],
    ["missing MD5", "AES256", keyB64, undefined, "InvalidArgument", "customer-key-MD5"],
    [
      "MD5 mismatch",
      "AES256",
      keyB64,
      customerKeyMD5(randomBytes(32)),
      "InvalidArgument",
      "customer-key-MD5",
    ],
  ])("%s → %s", (_name, alg, k, m, code, header) => {
    try {
      validateCustomerKey(alg, k, m);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).code).toBe(code);
      expect((e as CryptoError).details.argumentName).toBe(
        `x-amz-server-side-encryption-${header === "algorithm" ? "customer-algorithm" : header}`,
      );
      expect(JSON.stringify(e) + (e as Error).message).not.toContain(keyB64);
    }
  });
});
