// Small byte- and string-level helpers shared by the signers: header access, AWS URI encoding, dates,
// constant-time comparison.

import { timingSafeEqual } from "node:crypto";
import type { AuthRequest, HeaderValue } from "./types.ts";

/** Header value with repeated headers joined by "," as S3's signers expect. */
export function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return typeof v === "string" ? v : v.length === 1 ? v[0] : v.join(",");
}

export function queryPairs(query: AuthRequest["query"]): [string, string][] {
  return Array.isArray(query) ? query : [...query];
}

export function firstQueryValue(pairs: [string, string][], name: string): string | undefined {
  for (const [k, v] of pairs) if (k === name) return v;
  return undefined;
}

const UNRESERVED = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
  UNRESERVED[c.charCodeAt(0)] = 1;
const HEX = "0123456789ABCDEF";

function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = "";
  for (const b of bytes) {
    if (UNRESERVED[b] === 1 || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += "%" + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** SigV4 UriEncode: every byte but the RFC 3986 unreserved set is %XX with upper-case hex. */
export function uriEncode(text: string): string {
  return encodeBytes(Buffer.from(text, "utf8"), false);
}

/**
 * The path decoded byte-wise and re-encoded the SigV4 way ('/' kept). Equals the raw path for any client
 * that encodes as the AWS SDKs do; differs for clients that leave e.g. '!' or '(' literal.
 */
export function reencodePath(rawPath: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c === 0x25 && i + 2 < rawPath.length && /^[0-9A-Fa-f]{2}$/.test(rawPath.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(rawPath.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      const cp = rawPath.codePointAt(i)!;
      for (const b of Buffer.from(String.fromCodePoint(cp), "utf8")) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  return encodeBytes(Uint8Array.from(bytes), true);
}

/** "41 57 53 34 ..." — how AWS spells out StringToSignBytes / CanonicalRequestBytes. */
export function hexBytes(text: string): string {
  const hex = Buffer.from(text, "utf8").toString("hex");
  let out = "";
  for (let i = 0; i < hex.length; i += 2) out += (i === 0 ? "" : " ") + hex.slice(i, i + 2);
  return out;
}

/** Constant-time for equal lengths; a length difference is not secret (signatures have fixed lengths). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const ISO_EXTENDED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;
const RFC1123 =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|Z|[+-]\d{4})$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): Date | undefined {
  const date = new Date(Date.UTC(y, mo, d, h, mi, s));
  // Date.UTC rolls 2013-02-30 over to March; a real timestamp round-trips.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo || date.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return date;
}

/** `yyyyMMdd'T'HHmmss'Z'`, the only form SigV4 accepts in X-Amz-Date. */
export function parseAmzDate(text: string): Date | undefined {
  const m = ISO_BASIC.exec(text);
  return m ? utc(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/** Date / x-amz-date header: ISO 8601 (basic or extended), RFC 1123 with GMT or a numeric zone. */
export function parseHttpDate(text: string): Date | undefined {
  const t = text.trim();
  const basic = parseAmzDate(t);
  if (basic) return basic;
  let m = ISO_EXTENDED.exec(t);
  if (m) return utc(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  m = RFC1123.exec(t);
  if (!m) return undefined;
  const date = utc(+m[3], MONTHS.indexOf(m[2]), +m[1], +m[4], +m[5], +m[6]);
  if (!date) return undefined;
  const zone = m[7];
  if (zone[0] !== "+" && zone[0] !== "-") return date;
  const offsetMin = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * (zone[0] === "+" ? 1 : -1);
  return new Date(date.getTime() - offsetMin * 60_000);
}

/** `yyyyMMdd'T'HHmmss'Z'` (slices, not regex replaces: every signed request formats one). */
export function isoBasic(date: Date): string {
  const s = date.toISOString(); // yyyy-MM-ddTHH:mm:ss.sssZ
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
}

/** ServerTime / Expires as AWS prints them: ISO 8601 without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
