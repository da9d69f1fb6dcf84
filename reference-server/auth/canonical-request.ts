// SigV4 canonical request and string to sign, as S3 builds them on the server side.

import { headerValue, uriEncode } from "./encoding.ts";
import { sha256Hex } from "./signing-key.ts";
import type { HeaderValue } from "./types.ts";

export const ALGORITHM = "AWS4-HMAC-SHA256";

/** Pairs URI-encoded, sorted by encoded name then encoded value; `exclude` drops X-Amz-Signature. */
export function canonicalQuery(pairs: [string, string][], exclude?: string): string {
  const encoded: string[][] = [];
  for (const [k, v] of pairs) if (k !== exclude) encoded.push([uriEncode(k), uriEncode(v)]);
  // Encoded strings are ASCII, so code-unit order is byte order as SigV4 requires.
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join("&");
}

const NOT_CANONICAL = /[\r\n\t]| {2}|^ | $/;

/** Trim, and fold line breaks and runs of spaces/tabs into one space. */
export function canonicalHeaderValue(value: string): string {
  // Most values are already canonical; one test is cheaper than three replaces on every signed header.
  if (!NOT_CANONICAL.test(value)) return value;
  return value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");
}

export function canonicalRequest(
  method: string,
  canonicalUri: string,
  query: string,
  headers: Record<string, HeaderValue>,
  signedHeaders: string[],
  payloadHash: string,
): string {
  let lines = "";
  for (const name of signedHeaders)
    lines += `${name}:${canonicalHeaderValue(headerValue(headers, name) ?? "")}\n`;
  return `${method}\n${canonicalUri}\n${query}\n${lines}\n${signedHeaders.join(";")}\n${payloadHash}`;
}

/**
 * The bytes of a canonical request as the client had them. Node hands header values (and the request
 * target) over as latin1 characters, one per byte, so latin1 gives back the wire bytes: a client that
 * sends UTF-8 metadata raw (botocore does) signed those bytes. Only a string built outside Node's parser
 * can hold characters beyond U+00FF; it is taken as UTF-8.
 */
export function canonicalBytes(canonical: string): Buffer {
  return /[^\u0000-\u00ff]/.test(canonical)
    ? Buffer.from(canonical, "utf8")
    : Buffer.from(canonical, "latin1");
}

export function stringToSign(timestamp: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonicalBytes(canonical))}`;
}
