// AWS's binary event-stream framing (application/vnd.amazon.eventstream), as SelectObjectContent answers:
// total length u32 | headers length u32 | prelude CRC32 u32 | headers | payload | message CRC32 u32.
// Headers: name length u8 | name | type u8 (7 = string) | value length u16 | value.

import { crc32 } from "node:zlib";

function encodeHeaders(headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    const n = Buffer.from(name, "utf8");
    const v = Buffer.from(value, "utf8");
    const h = Buffer.allocUnsafe(1 + n.length + 1 + 2);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    parts.push(h, v);
  }
  return Buffer.concat(parts);
}

export function encodeMessage(
  headers: ReadonlyArray<readonly [string, string]>,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const h = encodeHeaders(headers);
  const total = 12 + h.length + payload.length + 4;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(h.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  h.copy(out, 12);
  payload.copy(out, 12 + h.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

const event = (type: string, contentType?: string): [string, string][] => [
  [":event-type", type],
  ...(contentType ? ([[":content-type", contentType]] as [string, string][]) : []),
  [":message-type", "event"],
];

export const recordsEvent = (payload: Buffer) =>
  encodeMessage(event("Records", "application/octet-stream"), payload);

export interface ScanStats {
  scanned: number;
  processed: number;
  returned: number;
}

function statsXml(root: string, s: ScanStats): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns=""><BytesScanned>${s.scanned}</BytesScanned><BytesProcessed>${s.processed}</BytesProcessed><BytesReturned>${s.returned}</BytesReturned></${root}>`,
    "utf8",
  );
}

export const statsEvent = (s: ScanStats) => encodeMessage(event("Stats", "text/xml"), statsXml("Stats", s));
export const progressEvent = (s: ScanStats) =>
  encodeMessage(event("Progress", "text/xml"), statsXml("Progress", s));
export const continuationEvent = () => encodeMessage(event("Cont"));
export const endEvent = () => encodeMessage(event("End"));
export const errorMessage = (code: string, message: string) =>
  encodeMessage([
    [":error-code", code],
    [":error-message", message],
    [":message-type", "error"],
  ]);
