// A disk's format file (format.json, a plain file, never in the record log): it marks a directory as a
// formatted disk, says which disk and zone it belongs to, and which layout its small files use.

import fs from "node:fs/promises";
import type { DiskSpec } from "./topology.ts";

export const FORMAT_FILE = "format.json";
/** 2: small files live in the record log. A version-1 disk may also hold them as files (read as before). */
export const DISK_FORMAT_VERSION = 2;

/** The format file's contents, or undefined when it cannot be read (the disk is not formatted yet). */
export async function readFormatFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    // not formatted yet
    return undefined;
  }
}

/** Formatted before the record log (an older version): a logged name may also exist as an old file. */
export function isLegacyFormat(existing: string): boolean {
  return (JSON.parse(existing) as { version?: number }).version !== DISK_FORMAT_VERSION;
}

/** The format file of a freshly formatted disk. */
export function formatFileFor(spec: DiskSpec): Buffer {
  const record = {
    format: "s3-parity-disk",
    version: DISK_FORMAT_VERSION,
    diskId: spec.id,
    zone: spec.zone,
  };
  return Buffer.from(JSON.stringify(record) + "\n");
}

/** Is there a format file (is the disk formatted)? */
export async function hasFormatFile(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
