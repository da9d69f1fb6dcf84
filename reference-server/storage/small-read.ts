// The common case of a small GET without the general reader's machinery (block-reader.ts): an inline
// object of one stripe block, its k data records read synchronously from the preferred zone and its one
// package decrypted at once. Anything else answers undefined and the general path does the work: a disk
// offline, slowed or absent, a record that is not this version's (an older write, a damaged entry), a
// GCM tag that fails (the general path then reads again with every block checksum checked, rebuilds from
// parity and queues the damage for heal). Why: the general path's promises and stream stages were
// ~150 µs of a small GET's ~650 µs of main-thread CPU; the healthy read itself is 12 preads and a decrypt.

import { isCryptoError } from "../crypto/errors.ts";
import { decryptWhole } from "../crypto/packages.ts";
import { type EngineContext, firstZoneDisks } from "./engine-context.ts";
import { inlineStartIfRecordIs, metaJsonTemplateOf, type ObjectVersionRecord } from "./meta-record.ts";
import { metaFile } from "./paths.ts";
import { BLOCK_CHECKSUM_BYTES, blockLayout, shardBlockSpan } from "./shard-file.ts";

/** Where each record is read (one at a time, synchronously); a record that does not fit goes the general way. */
const scratch = Buffer.allocUnsafeSlow(64 * 1024);

// The record name hashes the key (paths.ts): made once per frozen (indexed) version, not per GET.
const metaFiles = new WeakMap<ObjectVersionRecord, string>();

function metaFileOf(rec: ObjectVersionRecord): string {
  let file = metaFiles.get(rec);
  if (file === undefined) {
    file = metaFile(rec.bucket, rec.key, rec.writeId);
    if (Object.isFrozen(rec)) metaFiles.set(rec, file);
  }
  return file;
}

/** Plaintext bytes [start, end] (inclusive) of a small inline object, or undefined (see above). */
export function readSmallInline(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  objectKey: Buffer,
  start: number,
  end: number,
): Buffer | undefined {
  const er = rec.erasure;
  const part = rec.parts[0];
  if (!rec.inline || rec.multipart || rec.parts.length !== 1 || !er || part.size === 0) return undefined;
  const k = er.dataShards;
  const layout = blockLayout(part.cipherSize, er.blockSize, k);
  if (layout.blocks !== 1 || k !== ctx.codec.dataShards) return undefined;
  const span = shardBlockSpan(layout, 0);
  const shardLen = span.length - BLOCK_CHECKSUM_BYTES;
  const disks = firstZoneDisks(ctx, er.distribution);
  const template = metaJsonTemplateOf(rec);
  if (!disks || !template) return undefined;
  const file = metaFileOf(rec);
  const cipher = Buffer.allocUnsafe(k * shardLen);
  for (let i = 0; i < k; i++) {
    const disk = disks[i];
    if (!disk) return undefined;
    let at: number;
    let buf: Buffer | undefined;
    try {
      // No CRC is needed: the record's JSON is compared byte for byte with the version's, its framing
      // is checked, and the GCM tag below authenticates every shard byte used. Each record is read
      // into the same scratch buffer and checked before the next one is read.
      buf = disk.readRecordSyncInto(file, scratch);
      at = buf === undefined ? -1 : inlineStartIfRecordIs(buf, template, i, disk.id, true);
    } catch {
      return undefined; // offline or damaged: the general path reads around it and reports it
    }
    if (buf === undefined || at < 0 || buf.length - 4 - at !== span.length) return undefined;
    buf.copy(cipher, i * shardLen, at, at + shardLen);
  }
  let plain: Buffer;
  try {
    plain = decryptWhole(cipher.subarray(0, part.cipherSize), objectKey, 0);
  } catch (e) {
    if (isCryptoError(e, "IntegrityError")) return undefined;
    throw e;
  }
  return start === 0 && end === plain.length - 1 ? plain : plain.subarray(start, end + 1);
}
