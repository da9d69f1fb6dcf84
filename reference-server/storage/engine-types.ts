import type { ChecksumAlgorithm } from "../checksums.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";

/** Server-side encryption asked for by a request. SSE-S3 is always on unless SSE-C is given. */
export type SseRequest = { scheme: "SSE-S3" } | { scheme: "SSE-C"; key: Buffer; keyMD5: string };

/** Values the client sent to verify the body; known only at the end for trailers, hence a function. */
export interface ExpectedDigests {
  contentMD5?: string; // base64
  checksum?: { algorithm: ChecksumAlgorithm; value: string }; // base64
}

export interface WriteConditions {
  ifMatch?: string; // ETag (quotes optional) the current version must have
  ifNoneMatch?: string; // "*": the key must not exist
}

export interface PutObjectInput {
  bucket: string;
  key: string;
  body: AsyncIterable<Uint8Array>;
  /** Declared length (Content-Length / x-amz-decoded-content-length); a different body length fails. */
  size?: number;
  headers?: Record<string, string>;
  userMeta?: Record<string, string>;
  storageClass?: string;
  attrs?: Record<string, unknown>;
  sse?: SseRequest;
  /** Compute and store this additional checksum (and verify it when `expected` has it). */
  checksumAlgorithm?: ChecksumAlgorithm;
  expected?: () => ExpectedDigests;
  conditions?: WriteConditions;
}

export interface ByteRange {
  start: number; // inclusive
  end: number; // inclusive
}

export interface GetObjectInput {
  bucket: string;
  key: string;
  versionId?: string;
  range?: ByteRange;
  partNumber?: number;
  sse?: SseRequest;
  /**
   * The version already resolved by the caller (a GET plans its headers from it): read exactly that
   * write instead of looking the version up again.
   */
  record?: ObjectVersionRecord;
}

export interface GetObjectResult {
  record: ObjectVersionRecord;
  /** The bytes served: the whole object, or the resolved range. */
  range: ByteRange | null;
  /** Plaintext; the first block has already been read (errors before headers surface as rejections). */
  body: AsyncIterable<Buffer>;
  /** The whole of `body` when it was read at once (a small object): no need to iterate. */
  whole?: Buffer;
  /** Release file handles if the consumer stops early. */
  close(): Promise<void>;
}

export interface DeleteObjectResult {
  versionId?: string;
  deleteMarker: boolean;
}

export interface ListObjectsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  /** Exclusive: keys (and common prefixes) strictly after this are listed (marker / start-after / token). */
  after?: string;
  maxKeys?: number; // 0..1000
}

export interface ListObjectsResult {
  objects: ObjectVersionRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Last key or common prefix returned: the next marker. */
  nextMarker?: string;
}

export interface ListVersionsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys?: number;
}

export interface ListVersionsResult {
  versions: (ObjectVersionRecord & { isLatest: boolean })[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}
