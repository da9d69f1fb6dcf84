// The records the index stores (buckets, multipart uploads and their parts, write intents): the data
// model the rest of the engine reads and writes through IndexDb.

import type { ObjectVersionRecord } from "./meta-record.ts";

export interface BucketRecord {
  name: string;
  createdAt: number;
  updatedAt: number;
  owner: string;
  region: string;
  versioning: "Unversioned" | "Enabled" | "Suspended";
  objectLock: boolean;
  /** Configuration owned by the S3 layer (policy, CORS, lifecycle, ...), stored as given. */
  attrs: Record<string, unknown>;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  /** Everything needed to complete: headers, user metadata, encryption, checksum algorithm, attrs. */
  template: Omit<
    ObjectVersionRecord,
    "versionId" | "writeId" | "modTime" | "size" | "etag" | "parts" | "erasure"
  >;
  distribution: Record<string, string[]>;
  /**
   * Stripe block size of every part (the engine's at creation): parts and the completed object must
   * agree, whatever the engine's setting is later. Absent on uploads from before it was recorded: those
   * used EngineSettings.legacyBlockSize.
   */
  blockSize?: number;
}

export interface UploadPartRecord {
  uploadId: string;
  number: number;
  partWriteId: string;
  size: number;
  cipherSize: number;
  etag: string;
  lastModified: number;
  checksums?: Record<string, string>;
  /**
   * CRC64NVME of a part of an upload created without a checksum algorithm: not shown on the part (the
   * upload asked for none), combined at completion into the object's default full-object checksum.
   */
  defaultCrc64?: string;
}

export interface Intent {
  id: number;
  kind: "put" | "delete" | "complete";
  bucket: string;
  key: string;
  writeId: string;
  payload: Record<string, unknown>;
}
