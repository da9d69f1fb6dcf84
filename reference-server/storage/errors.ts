/**
 * Error vocabulary of the storage engine, in three layers (as MinIO does it):
 * disk errors (one disk's answer) → folded by a quorum into object errors → mapped to S3 errors by the
 * HTTP layer through one table. Codes are strings so every layer can switch on them without classes.
 */

/** What a single disk can answer. */
export type DiskErrorCode =
  | "DiskOffline" // the disk (or its node, rack, zone) is down
  | "DiskFull" // ENOSPC
  | "FileNotFound" // the disk is fine, the file is not there
  | "FileCorrupt" // checksum mismatch, truncated or undecodable record
  | "DiskFaulty" // any other I/O error
  | "DiskUnformatted"; // a replaced disk that has not been formatted yet

export class DiskError extends Error {
  readonly code: DiskErrorCode;
  readonly diskId: string;
  constructor(code: DiskErrorCode, diskId: string, message?: string) {
    super(message ?? `${code} on ${diskId}`);
    this.name = "DiskError";
    this.code = code;
    this.diskId = diskId;
  }
}

/** What the engine answers for an object or bucket operation. */
export type StorageErrorCode =
  | "NoSuchBucket"
  | "BucketAlreadyExists"
  | "BucketNotEmpty"
  | "NoSuchKey"
  | "NoSuchVersion"
  | "NoSuchUpload"
  | "InvalidPart"
  | "MalformedXML"
  | "InvalidPartOrder"
  | "EntityTooSmall"
  | "PreconditionFailed"
  | "ConditionalRequestConflict"
  | "MethodNotAllowed" // e.g. reading a delete marker by version id
  | "BadDigest"
  | "ChecksumMismatch"
  | "IncompleteBody"
  | "InvalidRange"
  | "InvalidArgument"
  | "InsufficientReadQuorum" // more failures than the geometry tolerates: 503, never wrong bytes
  | "InsufficientWriteQuorum"
  | "WrongCustomerKey"
  | "MissingCustomerKey"
  | "UnexpectedCustomerKey"
  | "InternalError";

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly detail?: Record<string, unknown>;
  constructor(code: StorageErrorCode, message?: string, detail?: Record<string, unknown>) {
    super(message ?? code);
    this.name = "StorageError";
    this.code = code;
    this.detail = detail;
  }
}

export function isDiskError(e: unknown, code?: DiskErrorCode): e is DiskError {
  return e instanceof DiskError && (code === undefined || e.code === code);
}

export function isStorageError(e: unknown, code?: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && (code === undefined || e.code === code);
}

/** Map an OS error from node:fs to a disk error code. */
export function diskErrorFromFs(e: unknown, diskId: string): DiskError {
  if (e instanceof DiskError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return new DiskError("FileNotFound", diskId);
    case "ENOSPC":
    case "EDQUOT":
      return new DiskError("DiskFull", diskId);
    default:
      return new DiskError("DiskFaulty", diskId, `${code ?? "error"}: ${(e as Error)?.message ?? e}`);
  }
}
