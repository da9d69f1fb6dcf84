import { hash } from "node:crypto";

/**
 * Where things live on a disk (docs/format.md). Object directories are named by a hash of the key, so
 * hostile keys (`../`, NUL, 1024-byte names) never reach the file system; the full key is inside the
 * metadata record.
 */
export function keyHash(key: string): string {
  return hash("sha256", key, "hex"); // one-shot: half a Hash object's cost, and every GET and PUT asks
}

export function objectDir(bucket: string, key: string): string {
  const h = keyHash(key);
  return `objects/${bucket}/${h.slice(0, 2)}/${h}`;
}

export function metaFile(bucket: string, key: string, writeId: string): string {
  return `${objectDir(bucket, key)}/${writeId}.meta`;
}

export function dataDir(bucket: string, key: string, writeId: string): string {
  return `${objectDir(bucket, key)}/${writeId}`;
}

export function uploadDir(bucket: string, uploadId: string): string {
  return `uploads/${bucket}/${uploadId}`;
}

export function bucketFile(bucket: string): string {
  return `buckets/${bucket}.json`;
}

export const WRITE_ID_RE = /^[0-9a-z]{8,64}$/;
