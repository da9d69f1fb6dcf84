// SigV4 key derivation and the HMAC/SHA-256 primitives built on node:crypto.

import { createHash, createHmac, type Hash, hash } from "node:crypto";

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** One-shot: half the cost of a Hash object for the short strings signing hashes (~1 against ~2 µs). */
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

export function hmac(key: string | Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

export function hmacHex(key: string | Uint8Array, data: string | Uint8Array): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

// Four chained HMACs per request add up under load; a key changes only daily per (secret, region, service).
const MAX_CACHED_KEYS = 1024;
const cache = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const id = `${shortDate}\n${region}\n${service}\n${secret}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), "aws4_request");
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  cache.set(id, key);
  return key;
}

export function clearSigningKeyCache(): void {
  cache.clear();
}

/**
 * HMAC-SHA256 with the key's inner and outer pad states hashed once. node's createHmac costs ~30 µs a call
 * (OpenSSL 3 algorithm fetch); cloning prepared states costs ~6 µs, which matters once per aws-chunked chunk.
 */
export class PreparedHmac {
  private readonly inner: Hash;
  private readonly outer: Hash;

  constructor(key: Uint8Array) {
    const block = Buffer.alloc(64);
    if (key.length > 64) createHash("sha256").update(key).digest().copy(block);
    else block.set(key);
    const ipad = Buffer.alloc(64);
    const opad = Buffer.alloc(64);
    for (let i = 0; i < 64; i++) {
      ipad[i] = block[i] ^ 0x36;
      opad[i] = block[i] ^ 0x5c;
    }
    this.inner = createHash("sha256").update(ipad);
    this.outer = createHash("sha256").update(opad);
  }

  hex(data: string | Uint8Array): string {
    return this.outer.copy().update(this.inner.copy().update(data).digest()).digest("hex");
  }
}

const prepared = new WeakMap<Buffer, PreparedHmac>();

/** Prepared HMAC for a signing key; cached keys from `signingKey` keep theirs. */
export function preparedHmac(key: Buffer): PreparedHmac {
  let mac = prepared.get(key);
  if (!mac) {
    mac = new PreparedHmac(key);
    prepared.set(key, mac);
  }
  return mac;
}
