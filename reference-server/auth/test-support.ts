// Test-only helpers: the SDK's signer wired to node:crypto, request conversion, and an independent
// aws-chunked encoder (written from the AWS spec, not from the decoder) to produce bodies.

import { createHash, createHmac, type KeyObject } from "node:crypto";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AuthRequest, Credentials } from "./types.ts";

export const EXAMPLE: Credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  principal: "111122223333",
};

export const lookupOf =
  (...all: Credentials[]) =>
  (id: string): Credentials | undefined =>
    all.find((c) => c.accessKeyId === id);

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === "string"
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/** The Checksum/Hash constructor the smithy signer expects (HMAC when given a secret). */
export class NodeSha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
  reset(): void {}
}

export function sdkSigner(
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = "us-east-1",
) {
  // S3 signs the already-encoded path as is: the SDK's S3 client sets uriEscapePath false.
  return new SignatureV4({
    service: "s3",
    region,
    credentials: creds,
    sha256: NodeSha256,
    uriEscapePath: false,
  });
}

/** S3 key → request path the way the S3 serializer encodes it (each segment, '/' kept). */
export function encodeKeyPath(bucket: string, key: string): string {
  return `/${bucket}/${key.split("/").map(awsEncode).join("/")}`;
}

export function awsEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function httpRequest(init: {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  host?: string;
}): HttpRequest {
  return new HttpRequest({
    method: init.method,
    protocol: "http:",
    hostname: init.host ?? "s3.example.test",
    path: init.path,
    query: init.query ?? {},
    headers: { host: init.host ?? "s3.example.test", ...init.headers },
  });
}

/** What node:http would hand the server for this signed request. */
export function toAuthRequest(req: {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}): AuthRequest {
  const query: [string, string][] = [];
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === null) query.push([k, ""]);
    else for (const one of Array.isArray(v) ? v : [v]) query.push([k, one]);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  return { method: req.method, rawPath: req.path, query, headers };
}

export interface EncodeOptions {
  /** Data chunk sizes; the last size repeats until the data is used up. */
  chunkSize: number;
  signing?: { seed: string; key: KeyObject | Buffer; scope: string; timestamp: string };
  trailers?: [string, string][];
}

const EMPTY = createHash("sha256").digest("hex");

/** aws-chunked body per the AWS SigV4 streaming documentation. */
export function encodeAwsChunked(data: Buffer, opts: EncodeOptions): Buffer {
  const parts: Buffer[] = [];
  let prev = opts.signing?.seed ?? "";
  const sign = (chunk: Buffer) => {
    const s = opts.signing!;
    const sts = `AWS4-HMAC-SHA256-PAYLOAD\n${s.timestamp}\n${s.scope}\n${prev}\n${EMPTY}\n${createHash("sha256").update(chunk).digest("hex")}`;
    prev = createHmac("sha256", s.key).update(sts).digest("hex");
    return `;chunk-signature=${prev}`;
  };
  const sizes: number[] = [];
  for (let off = 0; off < data.length; off += opts.chunkSize)
    sizes.push(Math.min(opts.chunkSize, data.length - off));
  let off = 0;
  for (const n of [...sizes, 0]) {
    const chunk = data.subarray(off, off + n);
    off += n;
    parts.push(Buffer.from(`${n.toString(16)}${opts.signing ? sign(chunk) : ""}\r\n`));
    if (n > 0) parts.push(chunk, Buffer.from("\r\n"));
  }
  if (opts.trailers) {
    let canonical = "";
    for (const [name, value] of opts.trailers) {
      parts.push(Buffer.from(`${name}:${value}\r\n`));
      canonical += `${name}:${value}\n`;
    }
    if (opts.signing) {
      const s = opts.signing;
      const sts = `AWS4-HMAC-SHA256-TRAILER\n${s.timestamp}\n${s.scope}\n${prev}\n${createHash("sha256").update(canonical).digest("hex")}`;
      parts.push(
        Buffer.from(`x-amz-trailer-signature:${createHmac("sha256", s.key).update(sts).digest("hex")}\r\n`),
      );
    }
  }
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

/** The body split at the given offsets, as an async source. */
export async function* pieces(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let start = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b)) {
    yield buf.subarray(start, cut);
    start = cut;
  }
  if (start < buf.length) yield buf.subarray(start);
}

export async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const b of body) out.push(b);
  return Buffer.concat(out);
}

/** Runs `fn`, returning the S3Error code it threw (or "ok"). */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? `non-S3 error: ${String(e)}`;
  }
}
