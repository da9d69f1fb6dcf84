// Secrets of storage accounts at rest: AES-256-GCM under a key derived from the master key, bound by
// AAD to the account and access key so a sealed secret cannot be moved onto another key pair.

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "../crypto/master-key.ts";
import { hkdfSha256 } from "../crypto/primitives.ts";

export interface SealedSecret {
  /** Master key id the sealing key was derived from (rotation keeps old ids openable). */
  keyId: string;
  iv: string; // base64, 12 bytes
  data: string; // base64 ciphertext
  tag: string; // base64, 16 bytes
}

const INFO = Buffer.from("s3-parity/iam/account-secret/v1", "utf8");

// Derived per master key id and memoised: lookups unseal on the hot path of S3 authentication.
const derived = new WeakMap<Keyring, Map<string, Buffer>>();

function sealingKey(keyring: Keyring, keyId: string): Buffer {
  let byId = derived.get(keyring);
  if (byId === undefined) {
    byId = new Map();
    derived.set(keyring, byId);
  }
  let key = byId.get(keyId);
  if (key === undefined) {
    key = hkdfSha256(keyring.get(keyId), Buffer.alloc(0), INFO);
    byId.set(keyId, key);
  }
  return key;
}

function aad(accountId: string, accessKeyId: string): Buffer {
  return Buffer.from(`${accountId}\u0000${accessKeyId}`, "utf8");
}

export function sealSecret(
  keyring: Keyring,
  secret: string,
  accountId: string,
  accessKeyId: string,
): SealedSecret {
  const keyId = keyring.currentId;
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", sealingKey(keyring, keyId), iv);
  c.setAAD(aad(accountId, accessKeyId));
  const data = Buffer.concat([c.update(secret, "utf8"), c.final()]);
  return {
    keyId,
    iv: iv.toString("base64"),
    data: data.toString("base64"),
    tag: c.getAuthTag().toString("base64"),
  };
}

/** Throws when the record was tampered with, moved to another key pair, or its master key is gone. */
export function unsealSecret(
  keyring: Keyring,
  sealed: SealedSecret,
  accountId: string,
  accessKeyId: string,
): string {
  const d = createDecipheriv(
    "aes-256-gcm",
    sealingKey(keyring, sealed.keyId),
    Buffer.from(sealed.iv, "base64"),
  );
  d.setAAD(aad(accountId, accessKeyId));
  d.setAuthTag(Buffer.from(sealed.tag, "base64"));
  return Buffer.concat([d.update(Buffer.from(sealed.data, "base64")), d.final()]).toString("utf8");
}
