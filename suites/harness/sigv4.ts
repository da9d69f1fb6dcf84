// A small, independent AWS Signature V4 client for the suites: header and presigned signing, and the
// aws-chunked payload modes SDKs do not let a check control (signed chunks, signed and unsigned trailers,
// deliberately wrong chunk signatures). Written from AWS's specification rather than borrowed from the
// SDK so that a server bug shared with the SDK's signer cannot pass unseen, and so checks can break one
// field at a time.

import { createHash, createHmac } from "node:crypto";
import type { Credentials } from "./target.ts";

export const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");
const ALGORITHM = "AWS4-HMAC-SHA256";

export interface SignInput {
  readonly method: string;
  /** Endpoint URL of the target, e.g. http://127.0.0.1:9000 */
  readonly endpoint: string;
  /** Path and query as they go on the wire (already URI-encoded), e.g. `/bucket/my%20key?tagging=`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly region: string;
  readonly credentials: Credentials;
  /** x-amz-content-sha256: a hex digest, UNSIGNED-PAYLOAD or a STREAMING-* mode. */
  readonly payloadHash: string;
  readonly date?: Date;
}

export interface Signed {
  readonly headers: Record<string, string>;
  /** Signature of the request, the seed of chunk signatures. */
  readonly signature: string;
  readonly signingKey: Buffer;
  readonly scope: string;
  readonly amzDate: string;
}

export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function signingKey(secret: string, day: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), "s3"), "aws4_request");
}

// RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX (upper case).
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  const pairs = new URLSearchParams(search);
  return [...pairs.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function canonicalRequest(
  method: string,
  url: URL,
  headers: Record<string, string>,
  signed: string[],
  payloadHash: string,
): string {
  const canonicalHeaders = signed.map((h) => `${h}:${headers[h].trim().replace(/\s+/g, " ")}\n`).join("");
  return [
    method,
    url.pathname,
    canonicalQuery(url.search),
    canonicalHeaders,
    signed.join(";"),
    payloadHash,
  ].join("\n");
}

/** Signs with an Authorization header; every given header is signed, plus host and x-amz-*. */
export function signRequest(input: SignInput): Signed {
  const date = input.date ?? new Date();
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const url = new URL(input.path, input.endpoint);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host = url.host;
  headers["x-amz-date"] = stamp;
  headers["x-amz-content-sha256"] = input.payloadHash;
  const signed = Object.keys(headers).sort();
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const creq = canonicalRequest(input.method, url, headers, signed, input.payloadHash);
  const key = signingKey(input.credentials.secretAccessKey, day, input.region);
  const signature = hmac(key, `${ALGORITHM}\n${stamp}\n${scope}\n${sha256(creq)}`).toString("hex");
  headers.authorization =
    `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  return { headers, signature, signingKey: key, scope, amzDate: stamp };
}

/** A presigned URL (path and query) valid for `expiresSeconds` from `date`. */
export function presign(
  input: Omit<SignInput, "payloadHash" | "headers"> & { expiresSeconds: number },
): string {
  const date = input.date ?? new Date();
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const url = new URL(input.path, input.endpoint);
  const scope = `${day}/${input.region}/s3/aws4_request`;
  url.searchParams.set("X-Amz-Algorithm", ALGORITHM);
  url.searchParams.set("X-Amz-Credential", `${input.credentials.accessKeyId}/${scope}`);
  url.searchParams.set("X-Amz-Date", stamp);
  url.searchParams.set("X-Amz-Expires", String(input.expiresSeconds));
  url.searchParams.set("X-Amz-SignedHeaders", "host");
  const creq = canonicalRequest(input.method, url, { host: url.host }, ["host"], "UNSIGNED-PAYLOAD");
  const key = signingKey(input.credentials.secretAccessKey, day, input.region);
  const signature = hmac(key, `${ALGORITHM}\n${stamp}\n${scope}\n${sha256(creq)}`).toString("hex");
  url.searchParams.set("X-Amz-Signature", signature);
  return `${url.pathname}?${canonicalQuery(url.search)}`;
}

export interface ChunkedOptions {
  /** Bytes per chunk (AWS: at least 8 KiB except the last). */
  readonly chunkSize: number;
  /** Seed for signed chunks; absent for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
  readonly seed?: Pick<Signed, "signature" | "signingKey" | "scope" | "amzDate">;
  /** Trailing headers, e.g. { "x-amz-checksum-crc32": "..." }. */
  readonly trailers?: Readonly<Record<string, string>>;
  /** Corrupts the signature of this chunk index (0-based), for refusal checks. */
  readonly breakChunk?: number;
}

/** aws-chunked framing of `data`, with chained chunk signatures when a seed is given. */
export function awsChunked(data: Buffer, opts: ChunkedOptions): Buffer {
  const out: Buffer[] = [];
  let prior = opts.seed?.signature ?? "";
  const chunks: Buffer[] = [];
  for (let o = 0; o < data.length; o += opts.chunkSize) chunks.push(data.subarray(o, o + opts.chunkSize));
  chunks.push(Buffer.alloc(0));
  chunks.forEach((chunk, i) => {
    let ext = "";
    if (opts.seed) {
      const sts = `${ALGORITHM}-PAYLOAD\n${opts.seed.amzDate}\n${opts.seed.scope}\n${prior}\n${EMPTY_SHA256}\n${sha256(chunk)}`;
      let sig = hmac(opts.seed.signingKey, sts).toString("hex");
      if (opts.breakChunk === i) sig = sig.replace(/^./, (c) => (c === "0" ? "1" : "0"));
      prior = sig;
      ext = `;chunk-signature=${sig}`;
    }
    out.push(Buffer.from(`${chunk.length.toString(16)}${ext}\r\n`), chunk);
    // The final zero-length chunk is followed by the trailer section, else by the closing CRLF.
    if (chunk.length > 0 || !opts.trailers) out.push(Buffer.from("\r\n"));
  });
  if (opts.trailers) {
    const lines = Object.entries(opts.trailers).map(([k, v]) => `${k}:${v}\n`);
    out.push(Buffer.from(lines.join("").replace(/\n/g, "\r\n")));
    if (opts.seed) {
      const canonical = lines.join("");
      const sts = `${ALGORITHM}-TRAILER\n${opts.seed.amzDate}\n${opts.seed.scope}\n${prior}\n${sha256(canonical)}`;
      out.push(Buffer.from(`x-amz-trailer-signature:${hmac(opts.seed.signingKey, sts).toString("hex")}\r\n`));
    }
    out.push(Buffer.from("\r\n"));
  }
  return Buffer.concat(out);
}
