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

export function encodeEntry(op: number, name: string, data: Uint8Array, seq: number) {
  const nameBytes = Buffer.from(name, "utf8");
  const bodyLength = BODY_HEADER + nameBytes.length + data.length;
  const entry = Buffer.allocUnsafe(HEADER + bodyLength);
  entry.writeUInt32LE(MAGIC, 0);
  entry.writeUInt32LE(bodyLength, 8);
  let o = HEADER;
  o = entry.writeUInt8(op, o);
  o = entry.writeUInt8(0, o);
  o = entry.writeUInt16LE(nameBytes.length, o);
  o = entry.writeUInt32LE(data.length, o);
  o = entry.writeDoubleLE(seq, o);
  o += nameBytes.copy(entry, o);
  entry.set(data, o);
  entry.writeUInt32LE(crc32(entry.subarray(HEADER)), 4);
  return { entry, dataOffset: o };
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
