// The entries of a record log (record-log.ts). Entry: magic u32 | crc32(body) u32 | body length u32 |
// body. Body: op u8 (1 put, 2 delete) | 0 u8 | name length u16 | data length u32 | seq f64 | name (UTF-8) |
// data. All little-endian.

import { crc32 } from "node:zlib";

const MAGIC = 0x50524c31; // "PRL1"
export const HEADER = 12;
const BODY_HEADER = 16;
export const PUT = 1;
export const DELETE = 2;

/** Where an entry lives. */
export interface LogLocation {
  readonly segment: number;
  /** Offset of the entry (its header) in the segment. */
  readonly offset: number;
  readonly dataOffset: number;
  readonly dataLength: number;
  readonly seq: number;
}

/** Bytes an entry for `name` and `data` takes. */
export function entryLength(name: string, data: Uint8Array): number {
  return HEADER + BODY_HEADER + Buffer.byteLength(name, "utf8") + data.length;
}

/**
 * Write an entry at `at` of `out` (which must have entryLength bytes there); returns where its data
 * starts, relative to `at`. Entries of a batch are encoded into one buffer: one allocation and one
 * hand-over to the I/O worker for the whole batch.
 */
export function encodeEntryInto(
  out: Buffer,
  at: number,
  op: number,
  name: string,
  data: Uint8Array,
  seq: number,
): number {
  let o = at + HEADER;
  o = out.writeUInt8(op, o);
  o = out.writeUInt8(0, o);
  const nameAt = o;
  o += 2;
  o = out.writeUInt32LE(data.length, o);
  o = out.writeDoubleLE(seq, o);
  const nameLength = out.write(name, o, "utf8");
  out.writeUInt16LE(nameLength, nameAt);
  o += nameLength;
  out.set(data, o);
  const end = o + data.length;
  out.writeUInt32LE(MAGIC, at);
  out.writeUInt32LE(crc32(out.subarray(at + HEADER, end)), at + 4);
  out.writeUInt32LE(end - at - HEADER, at + 8);
  return o - at;
}

type Parsed = { op: number; name: string; loc: Omit<LogLocation, "segment"> & { segment: -1 } };

/** "torn": no complete entry here (end of the log); "damaged": complete but its CRC fails. */
export function parseEntry(buf: Buffer, off: number, verify = true): Parsed | "torn" | "damaged" {
  if (off + HEADER > buf.length || buf.readUInt32LE(off) !== MAGIC) return "torn";
  const bodyLength = buf.readUInt32LE(off + 8);
  const start = off + HEADER;
  if (bodyLength < BODY_HEADER || start + bodyLength > buf.length) return "torn";
  if (verify && crc32(buf.subarray(start, start + bodyLength)) !== buf.readUInt32LE(off + 4))
    return "damaged";
  const op = buf.readUInt8(start);
  if (op !== PUT && op !== DELETE) return "damaged";
  const nameLength = buf.readUInt16LE(start + 2);
  const dataLength = buf.readUInt32LE(start + 4);
  const seq = buf.readDoubleLE(start + 8);
  const nameStart = start + BODY_HEADER;
  const name = buf.toString("utf8", nameStart, nameStart + nameLength);
  const dataOffset = nameStart + nameLength;
  if (dataOffset + dataLength !== start + bodyLength || !Number.isFinite(seq)) return "damaged";
  return { op, name, loc: { segment: -1, offset: off, dataOffset, dataLength, seq } };
}

/**
 * Every entry of segment `segment` (its bytes `data`) folded into `latest`, the newest entry of each
 * name by `seq`. Returns where the entries end (a torn tail, if any, starts there) and the highest seq
 * seen. A damaged entry still names what it held (its header fields are usually intact): it stays the
 * current entry of that name, so a read finds the damage (and heal repairs) rather than an older
 * version of the record coming back.
 */
export function scanSegment(
  data: Buffer,
  segment: number,
  latest: Map<string, { op: number; loc: LogLocation }>,
): { end: number; maxSeq: number } {
  let off = 0;
  let maxSeq = 0;
  while (off + HEADER <= data.length) {
    const entry = parseEntry(data, off);
    if (entry === "torn") break;
    const seen = entry === "damaged" ? parseEntry(data, off, false) : entry;
    if (typeof seen !== "string") {
      const prev = latest.get(seen.name);
      if (!prev || prev.loc.seq < seen.loc.seq)
        latest.set(seen.name, { op: seen.op, loc: { ...seen.loc, segment } });
      maxSeq = Math.max(maxSeq, seen.loc.seq);
    }
    off += HEADER + data.readUInt32LE(off + 8);
  }
  return { end: off, maxSeq };
}

/** A read entry that is not what was written: short, failing its CRC, or another name's. */
export class LogDamage extends Error {
  constructor(name: string) {
    super(`record log entry ${name} is damaged`);
    this.name = "LogDamage";
  }
}

/** The data of a read entry, once its CRC and name check out; LogDamage otherwise. */
export function verified(name: string, loc: LogLocation, buf: Buffer, bytesRead: number): Buffer {
  if (bytesRead < buf.length) throw new LogDamage(name);
  const entry = parseEntry(buf, 0);
  if (entry === "torn" || entry === "damaged" || entry.name !== name) throw new LogDamage(name);
  return buf.subarray(loc.dataOffset - loc.offset);
}

/**
 * Does the entry read into `buf` (`length` bytes from its start) have the framing its location promises:
 * magic, body length, a PUT whose name and data end where `loc` says? Checked with plain reads, neither
 * CRC nor name: for a reader that identifies and authenticates the data itself (small-read.ts).
 */
export function framedAsLocated(buf: Buffer, length: number, loc: LogLocation): boolean {
  const total = loc.dataOffset + loc.dataLength - loc.offset;
  if (length !== total || total < HEADER + BODY_HEADER) return false;
  if (buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(8) !== total - HEADER) return false;
  if (buf[HEADER] !== PUT || buf.readUInt32LE(HEADER + 4) !== loc.dataLength) return false;
  return HEADER + BODY_HEADER + buf.readUInt16LE(HEADER + 2) === loc.dataOffset - loc.offset;
}
