import { crc32 } from "node:zlib";
import { DiskError } from "./errors.ts";

/**
 * The metadata record of one object version, stored beside its shards on every disk that holds one
 * (file `<writeId>.meta` in the object's directory). It is self-describing and versioned; see
 * docs/format.md. The JSON part is identical on every disk of a zone except `erasure.index`; the
 * binary tail holds this disk's inline shard bytes for small objects.
 */
export const META_FORMAT_VERSION = 1;
const MAGIC = Buffer.from("S3PMETA\n", "latin1");

export interface PartRecord {
  number: number; // 1-based for multipart; 1 for a single PUT
  size: number; // plaintext bytes
  cipherSize: number; // ciphertext bytes (what is erasure-coded)
  etag: string; // quoted-less hex MD5 of the part's plaintext
  dataFile: string; // shard file name inside the version's data directory, e.g. "part.1"
  checksums?: Record<string, string>; // algorithm -> base64 value, as sent/computed for the part
}

export interface ErasureRecord {
  algorithm: "reed-solomon-vandermonde-gf256";
  dataShards: number;
  parityShards: number;
  blockSize: number; // ciphertext bytes per stripe block
  checksum: "crc32"; // per shard block, 4 bytes big-endian after each block
  /** zone id -> disk ids in shard order (index 0..k-1 data, k..k+m-1 parity). */
  distribution: Record<string, string[]>;
  /** This disk's shard index (-1 in the index copy of the record). */
  index: number;
}

export interface SealedKeyRecord {
  [field: string]: unknown;
}

export interface ObjectVersionRecord {
  format: typeof META_FORMAT_VERSION;
  bucket: string;
  key: string;
  versionId: string; // "null" for the null version
  writeId: string; // unique per write; names the data directory and the meta file
  modTime: number; // ms since epoch; orders versions of a key
  deleteMarker?: boolean;
  size: number;
  etag: string; // without quotes; "<md5>-<parts>" for multipart
  headers: Record<string, string>; // content-type, cache-control, ... as stored
  userMeta: Record<string, string>; // x-amz-meta-* without the prefix
  checksum?: { algorithm: string; value: string; type: "FULL_OBJECT" | "COMPOSITE" };
  storageClass: string;
  multipart: boolean;
  parts: PartRecord[];
  erasure?: ErasureRecord; // absent on delete markers
  encryption?: { scheme: "SSE-S3" | "SSE-C"; sealed: SealedKeyRecord; customerKeyMD5?: string };
  inline: boolean; // shard bytes live in the records instead of shard files
  /** Attributes owned by the S3 layer (tags, ACL, retention, legal hold, restore state, ...). */
  attrs: Record<string, unknown>;
}

/** Binary layout: MAGIC | u16 version | u32 jsonLen | json | u32 inlineLen | inline | u32 crc32(all before). */
export function encodeMetaRecord(record: ObjectVersionRecord, inline?: Uint8Array): Buffer {
  return encodeMetaJson(Buffer.from(JSON.stringify(record), "utf8"), inline);
}

/**
 * The JSON of a version's records around `erasure.index`, the one field that differs between the disks
 * of a zone: built once per version, for encoding every disk's record and for checking read records
 * without parsing them.
 */
export interface MetaJsonTemplate {
  readonly head: Buffer;
  readonly tail: Buffer;
}

export function metaJsonTemplate(record: ObjectVersionRecord): MetaJsonTemplate | null {
  if (!record.erasure) return null;
  const marker = -987654321;
  const text = JSON.stringify({ ...record, erasure: { ...record.erasure, index: marker } });
  const at = text.indexOf(`"index":${marker}`);
  return {
    head: Buffer.from(`${text.slice(0, at)}"index":`, "utf8"),
    tail: Buffer.from(text.slice(at + `"index":${marker}`.length), "utf8"),
  };
}

const frozenTemplates = new WeakMap<ObjectVersionRecord, MetaJsonTemplate | null>();

/**
 * metaJsonTemplate, remembered for frozen records: the index hands every GET of a key the same
 * deep-frozen version record, and stringifying it was ~5 % of a small GET. A record that can still
 * change is never remembered (its template could go stale).
 */
export function metaJsonTemplateOf(record: ObjectVersionRecord): MetaJsonTemplate | null {
  if (!Object.isFrozen(record)) return metaJsonTemplate(record);
  let t = frozenTemplates.get(record);
  if (t === undefined) {
    t = metaJsonTemplate(record);
    frozenTemplates.set(record, t);
  }
  return t;
}

/**
 * The records of one version for every shard index: they differ only in `erasure.index`, so the JSON is
 * built once and the index spliced in (a write stores up to 48 records; stringifying each was a visible
 * share of a small PUT's CPU time).
 */
export function metaRecordEncoder(
  record: ObjectVersionRecord,
): (index: number, inline?: Uint8Array) => Buffer {
  const t = metaJsonTemplate(record);
  if (!t) {
    const json = Buffer.from(JSON.stringify(record), "utf8");
    return (_index, inline) => encodeMetaJson(json, inline);
  }
  return (index, inline) =>
    encodeMetaJson(Buffer.concat([t.head, Buffer.from(String(index)), t.tail]), inline);
}

function encodeMetaJson(json: Buffer, inline?: Uint8Array): Buffer {
  const inl = inline ?? new Uint8Array(0);
  const out = Buffer.allocUnsafe(MAGIC.length + 2 + 4 + json.length + 4 + inl.length + 4);
  let o = MAGIC.copy(out, 0);
  o = out.writeUInt16BE(META_FORMAT_VERSION, o);
  o = out.writeUInt32BE(json.length, o);
  o += json.copy(out, o);
  o = out.writeUInt32BE(inl.length, o);
  out.set(inl, o);
  o += inl.length;
  out.writeUInt32BE(crc32(out.subarray(0, o)), o);
  return out;
}

/**
 * Framing and version checked, and the checksum unless `checked` (the bytes came out of a record-log
 * entry whose own CRC, covering all of them, was just verified); where the JSON and the inline bytes are.
 */
function frame(
  buf: Buffer,
  diskId: string,
  checked = false,
): { jsonStart: number; jsonLen: number; inlineStart: number; inlineLen: number } {
  const corrupt = (why: string) => new DiskError("FileCorrupt", diskId, `metadata record: ${why}`);
  if (buf.length < MAGIC.length + 14 || !startsWithMagic(buf)) throw corrupt("bad magic");
  const body = buf.length - 4;
  if (!checked && crc32(buf.subarray(0, body)) !== buf.readUInt32BE(body)) throw corrupt("checksum mismatch");
  let o = MAGIC.length;
  const version = buf.readUInt16BE(o);
  o += 2;
  if (version !== META_FORMAT_VERSION) throw corrupt(`unsupported version ${version}`);
  const jsonLen = buf.readUInt32BE(o);
  o += 4;
  if (o + jsonLen + 4 > body) throw corrupt("truncated");
  const jsonStart = o;
  o += jsonLen;
  const inlineLen = buf.readUInt32BE(o);
  o += 4;
  if (o + inlineLen !== body) throw corrupt("length mismatch");
  return { jsonStart, jsonLen, inlineStart: o, inlineLen };
}

/** Byte by byte: a sub-buffer and a native equals cost more than the few bytes of the magic. */
function startsWithMagic(buf: Buffer): boolean {
  for (let i = 0; i < MAGIC.length; i++) if (buf[i] !== MAGIC[i]) return false;
  return true;
}

export function decodeMetaRecord(buf: Buffer, diskId = "?"): { record: ObjectVersionRecord; inline: Buffer } {
  const { jsonStart, jsonLen, inlineStart, inlineLen } = frame(buf, diskId);
  const record = JSON.parse(buf.toString("utf8", jsonStart, jsonStart + jsonLen)) as ObjectVersionRecord;
  return { record, inline: buf.subarray(inlineStart, inlineStart + inlineLen) };
}

/**
 * The inline bytes of a record that is exactly `template` with shard index `index` (the bytes compared,
 * not parsed: a small GET checks 12 records); null when it is anything else (an older write, another
 * index, a differently ordered document), for the caller to decode it and decide. Damage throws.
 * `checked`: see frame.
 */
export function inlineIfRecordIs(
  buf: Buffer,
  template: MetaJsonTemplate,
  index: number,
  diskId = "?",
  checked = false,
): Buffer | null {
  const at = inlineStartIfRecordIs(buf, template, index, diskId, checked);
  return at < 0 ? null : buf.subarray(at, buf.length - 4);
}

/** inlineIfRecordIs as the offset of the inline bytes in `buf` (they end 4 bytes before it), or -1. */
export function inlineStartIfRecordIs(
  buf: Buffer,
  template: MetaJsonTemplate,
  index: number,
  diskId = "?",
  checked = false,
): number {
  const { jsonStart, jsonLen, inlineStart } = frame(buf, diskId, checked);
  const { head, tail } = template;
  const digits = index < 10 ? 1 : index < 100 ? 2 : String(index).length;
  if (jsonLen !== head.length + digits + tail.length) return -1;
  const at = jsonStart + head.length;
  if (head.compare(buf, jsonStart, at) !== 0) return -1;
  // The index's decimal digits, compared as bytes (no string made per record).
  for (let i = digits - 1, n = index; i >= 0; i--, n = Math.floor(n / 10))
    if (buf[at + i] !== 0x30 + (n % 10)) return -1;
  if (tail.compare(buf, at + digits, jsonStart + jsonLen) !== 0) return -1;
  return inlineStart;
}
