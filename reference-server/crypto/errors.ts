/**
 * Typed errors of the crypto layer. `code` is a stable string the HTTP layer maps to an S3 error
 * (S3-named codes are spelled as S3 spells them); messages never contain key material.
 */
export type CryptoErrorCode =
  /** A package, a sealed key or a ciphertext length failed authentication: tampered or corrupt. */
  | "IntegrityError"
  /** SSE-C: the customer key given does not open the sealed object key (S3: 403 AccessDenied). */
  | "WrongCustomerKey"
  /** SSE-C object read without the SSE-C headers (S3: 400 InvalidRequest). */
  | "InvalidRequest"
  /** SSE-C headers malformed: missing key or MD5, bad base64, bad length, MD5 mismatch (S3: 400). */
  | "InvalidArgument"
  /** SSE-C algorithm other than AES256 (S3: 400 InvalidEncryptionAlgorithmError). */
  | "InvalidEncryptionAlgorithmError"
  /** The sealed record names a master key the keyring no longer holds (server-side: 500). */
  | "UnknownMasterKey"
  /** Bad master key material: key file or PARITY_MASTER_KEY unreadable, malformed or wrong size. */
  | "InvalidKeyMaterial"
  /** A stored sealed record is not a valid v1 record. */
  | "InvalidSealedRecord";

export interface CryptoErrorDetails {
  /** For S3 InvalidArgument errors: the header at fault (S3's ArgumentName). */
  argumentName?: string;
  /** For S3 InvalidArgument errors: the offending value when it is not secret (S3's ArgumentValue). */
  argumentValue?: string;
}

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  readonly details: CryptoErrorDetails;

  constructor(code: CryptoErrorCode, message: string, details: CryptoErrorDetails = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "CryptoError";
    this.code = code;
    this.details = details;
  }
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
