import { isCryptoError } from "../crypto/errors.ts";
import { type SealedObjectKey, sealObjectKey, unsealObjectKey } from "../crypto/object-key.ts";
import { decryptPackages, encryptPackages, packageRangeFor, wholeRange } from "../crypto/packages.ts";
import type { EngineContext } from "./engine-context.ts";
import type { SseRequest } from "./engine-types.ts";
import { StorageError } from "./errors.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";

/** Encrypt-then-erasure-code glue between the engine and reference-server/crypto (docs/crypto.md). */
export function sealFor(
  ctx: EngineContext,
  sse: SseRequest | undefined,
  bucket: string,
  key: string,
  objectKey: Buffer,
): NonNullable<ObjectVersionRecord["encryption"]> {
  if (sse?.scheme === "SSE-C") {
    const sealed = sealObjectKey(objectKey, { bucket, key }, { scheme: "SSE-C", customerKey: sse.key });
    return { scheme: "SSE-C", sealed: { ...sealed }, customerKeyMD5: sse.keyMD5 };
  }
  const sealed = sealObjectKey(objectKey, { bucket, key }, { scheme: "SSE-S3", keyring: ctx.keyring });
  return { scheme: "SSE-S3", sealed: { ...sealed } };
}

/** The object key of a stored version; SSE-C needs the same customer key as at write time. */
export function openObjectKey(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  sse: SseRequest | undefined,
): Buffer {
  const enc = rec.encryption;
  if (!enc) throw new StorageError("InternalError", "record has no encryption section");
  if (enc.scheme === "SSE-C") {
    if (sse?.scheme !== "SSE-C") {
      throw new StorageError(
        "MissingCustomerKey",
        "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
      );
    }
    if (sse.keyMD5 !== enc.customerKeyMD5) {
      throw new StorageError(
        "WrongCustomerKey",
        "The provided customer key does not match the object's key.",
      );
    }
  } else if (sse?.scheme === "SSE-C") {
    throw new StorageError(
      "UnexpectedCustomerKey",
      "The encryption parameters are not applicable to this object.",
    );
  }
  try {
    return unsealObjectKey(
      enc.sealed as unknown as SealedObjectKey,
      { bucket: rec.bucket, key: rec.key },
      {
        keyring: ctx.keyring,
        customerKey: sse?.scheme === "SSE-C" ? sse.key : undefined,
      },
    );
  } catch (e) {
    if (isCryptoError(e, "WrongCustomerKey")) throw new StorageError("WrongCustomerKey", e.message);
    throw e;
  }
}

export function encryptPart(
  objectKey: Buffer,
  streamPart: number,
  plain: AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  return encryptPackages(plain, objectKey, streamPart);
}

/**
 * Plaintext bytes [start, end] (inclusive) of one part, reading only the ciphertext packages that
 * hold them through `readCipher(cipherStart, cipherEnd)`.
 */
export function decryptPartRange(
  objectKey: Buffer,
  streamPart: number,
  plainSize: number,
  start: number,
  end: number,
  readCipher: (cipherStart: number, cipherEnd: number) => AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  const range = plainSize === 0 ? wholeRange(0) : packageRangeFor(start, end, plainSize);
  return decryptPackages(readCipher(range.cipherStart, range.cipherEnd), objectKey, streamPart, range);
}
