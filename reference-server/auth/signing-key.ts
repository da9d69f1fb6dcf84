// SigV4 key derivation and the HMAC/SHA-256 primitives built on node:crypto.

import { createHmac, createSecretKey, hash, type KeyObject } from "node:crypto";

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** One-shot: half the cost of a Hash object for the short strings signing hashes (~1 against ~2 µs). */
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

export function hmac(key: string | Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/**
 * Hex HMAC-SHA256. Signing keys are KeyObjects: node imports a raw key on every createHmac call (~28 µs
 * measured here against ~2.3 µs with a KeyObject, which also beat cloning prepared pad states, ~3.7 µs).
 */
export function hmacHex(key: KeyObject | string | Uint8Array, data: string | Uint8Array): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

// Four chained HMACs per request add up under load; a key changes only daily per (secret, region, service).
const MAX_CACHED_KEYS = 1024;
const cache = new Map<string, KeyObject>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, shortDate: string, region: string, service: string): KeyObject {
  const id = `${shortDate}\n${region}\n${service}\n${secret}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const key = createSecretKey(
    hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), "aws4_request"),
  );
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  cache.set(id, key);
  return key;
}

export function clearSigningKeyCache(): void {
  cache.clear();
}
