// Recomputes sealed keys and packages from the formulas in docs/crypto.md with raw node:crypto
// calls (not through this module) and compares bytes, so the doc and the code cannot drift apart.
import { createCipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { keyringFromEnv, masterKeyId, parseKeyFile } from "./master-key.ts";
import { generateObjectKey, sealObjectKey } from "./object-key.ts";
import { encryptAll } from "./test-helpers.ts";

const doc = readFileSync(new URL("../../docs/crypto.md", import.meta.url), "utf8");
const block = /```formulas\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";

// The block the raw computations below implement. Editing the doc means editing this and them.
const IMPLEMENTED = `master_key_id = "mk-" ‖ hex(SHA-256("s3-parity/master-key-id/v1" ‖ master_key))[0..16)
kek_sse_s3 = HKDF-SHA256(ikm = master_key, salt = record.salt, info = "s3-parity/sse-s3/v1" ‖ bucket ‖ 0x00 ‖ key, L = 32)
kek_sse_c = HKDF-SHA256(ikm = customer_key, salt = record.salt, info = "s3-parity/sse-c/v1" ‖ bucket ‖ 0x00 ‖ key, L = 32)
record.sealed ‖ record.tag = AES-256-GCM(key = kek, iv = record.iv, aad = empty, plaintext = object_key)
customer_key_md5 = base64(MD5(customer_key))
stream_key = HKDF-SHA256(ikm = object_key, salt = empty, info = "s3-parity/stream/v1" ‖ u32be(part_number), L = 32)
nonce(i) = 0x00000000 ‖ u64be(i)
aad(i) = u64be(i) ‖ (0x01 if i = package_count - 1 else 0x00)
package_count = max(1, ceil(n / 65536))
package(i) = AES-256-GCM(key = stream_key, iv = nonce(i), aad = aad(i), plaintext = plain[65536·i, min(65536·(i+1), n))) ‖ tag(16)
ciphertext = package(0) ‖ package(1) ‖ … ‖ package(package_count - 1)
`;

/** The quoted label on the line defining `name`, read from the doc itself. */
function label(name: string): Buffer {
  const line = block.split("\n").find((l) => l.startsWith(`${name} =`));
  const m = line === undefined ? null : /"(s3-parity\/[^"]+)"/.exec(line);
  if (m === null) throw new Error(`no label for ${name} in docs/crypto.md`);
  return Buffer.from(m[1], "utf8");
}

const PACKAGE = Number(/ceil\(n \/ (\d+)\)/.exec(block)?.[1]);

function gcm(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plain: Uint8Array): Buffer {
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

function u64be(i: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(i));
  return b;
}

test("the formulas block in docs/crypto.md is the one implemented here", () => {
  expect(block).toBe(IMPLEMENTED);
  expect(PACKAGE).toBe(65536);
});

describe("sealing, recomputed from the doc", () => {
  const bucket = "bucket-1";
  const key = "dir/ünïcode key.txt";
  const info = (name: string) =>
    Buffer.concat([label(name), Buffer.from(bucket), Buffer.of(0), Buffer.from(key)]);

  test("master key id", () => {
    const mk = randomBytes(32);
    const raw =
      "mk-" + createHash("sha256").update(label("master_key_id")).update(mk).digest("hex").slice(0, 16);
    expect(masterKeyId(mk)).toBe(raw);
    expect(keyringFromEnv({ PARITY_MASTER_KEY: mk.toString("base64") })!.currentId).toBe(raw);
  });

  test("SSE-S3", () => {
    const mk = randomBytes(32);
    const objectKey = generateObjectKey();
    const keyring = parseKeyFile(JSON.stringify({ current: "a", keys: { a: mk.toString("base64") } }));
    const record = sealObjectKey(objectKey, { bucket, key }, { scheme: "SSE-S3", keyring });
    const salt = Buffer.from(record.salt, "base64");
    const kek = Buffer.from(hkdfSync("sha256", mk, salt, info("kek_sse_s3"), 32));
    const wrapped = gcm(kek, Buffer.from(record.iv, "base64"), Buffer.alloc(0), objectKey);
    expect(record.sealed).toBe(wrapped.subarray(0, 32).toString("base64"));
    expect(record.tag).toBe(wrapped.subarray(32).toString("base64"));
    expect(record.masterKeyId).toBe("a");
  });

  test("SSE-C", () => {
    const customerKey = randomBytes(32);
    const objectKey = generateObjectKey();
    const record = sealObjectKey(objectKey, { bucket, key }, { scheme: "SSE-C", customerKey });
    const salt = Buffer.from(record.salt, "base64");
    const kek = Buffer.from(hkdfSync("sha256", customerKey, salt, info("kek_sse_c"), 32));
    const wrapped = gcm(kek, Buffer.from(record.iv, "base64"), Buffer.alloc(0), objectKey);
    expect(record.sealed + record.tag).toBe(
      wrapped.subarray(0, 32).toString("base64") + wrapped.subarray(32).toString("base64"),
    );
    expect(record.customerKeyMD5).toBe(createHash("md5").update(customerKey).digest("base64"));
  });
});

describe("packages, recomputed from the doc", () => {
  function rawCiphertext(objectKey: Uint8Array, part: number, plain: Uint8Array): Buffer {
    const partBytes = Buffer.alloc(4);
    partBytes.writeUInt32BE(part);
    const info = Buffer.concat([label("stream_key"), partBytes]);
    const streamKey = Buffer.from(hkdfSync("sha256", objectKey, Buffer.alloc(0), info, 32));
    const n = plain.length;
    const count = Math.max(1, Math.ceil(n / PACKAGE));
    const packages: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const nonce = Buffer.concat([Buffer.alloc(4), u64be(i)]);
      const aad = Buffer.concat([u64be(i), Buffer.of(i === count - 1 ? 1 : 0)]);
      const slice = plain.subarray(PACKAGE * i, Math.min(PACKAGE * (i + 1), n));
      packages.push(gcm(streamKey, nonce, aad, slice));
    }
    return Buffer.concat(packages);
  }

  test.each([
    [0, 0],
    [1, 0],
    [65536, 1],
    [2 * 65536 + 100, 7],
    [65537, 10000],
  ])("%i bytes, part %i", (n, part) => {
    const objectKey = generateObjectKey();
    const plain = randomBytes(n);
    expect(
      encryptAll(plain, objectKey, part, [1000, 70000]).equals(rawCiphertext(objectKey, part, plain)),
    ).toBe(true);
  });
});

test("the doc's example key file is a valid key file", () => {
  const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
  const ring = parseKeyFile(example);
  expect(ring.currentId).toBe("k2");
  expect(ring.ids).toEqual(["k1", "k2"]);
});
