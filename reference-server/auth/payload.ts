// Body verification by payload mode. The HTTP layer iterates the result instead of the raw request and
// commits only after the iteration completed without throwing: every check that needs the whole body
// (SHA-256, chunk and trailer signatures, decoded length) fires at the latest when the iterator finishes.

import { createHash } from "node:crypto";
import { S3Error } from "../http/s3-error.ts";
import { AwsChunkedParser, decodeAwsChunked } from "./chunked.ts";
import { headerValue } from "./encoding.ts";
import type { AuthRequest, PayloadMode } from "./types.ts";

export interface VerifiedBody extends AsyncIterable<Buffer> {
  /** Object size announced before the body: x-amz-decoded-content-length for aws-chunked, else Content-Length. */
  readonly expectedLength: number | undefined;
  /** Lower-case trailer names from x-amz-trailer (e.g. x-amz-checksum-crc32), known before the body. */
  readonly declaredTrailers: readonly string[];
  /** Trailer values by lower-case name; complete once iteration has finished without throwing. */
  readonly trailers: Readonly<Record<string, string>>;
}

type Source = AsyncIterable<Uint8Array>;

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function parseLength(headers: AuthRequest["headers"], name: string): number | undefined {
  const text = headerValue(headers, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text.trim())) {
    throw new S3Error("InvalidArgument", {
      message: `Invalid ${name}`,
      extra: { ArgumentName: name, ArgumentValue: text },
    });
  }
  return Number(text.trim());
}

/** Trailer names announced by x-amz-trailer, lower-cased. */
export function declaredTrailers(headers: AuthRequest["headers"]): string[] {
  const text = headerValue(headers, "x-amz-trailer");
  if (text === undefined) return [];
  return text
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "");
}

/** Content-Encoding to store with the object: aws-chunked describes the transfer only. */
export function storedContentEncoding(headers: AuthRequest["headers"]): string | undefined {
  const text = headerValue(headers, "content-encoding");
  if (text === undefined) return undefined;
  const kept = text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "" && t.toLowerCase() !== "aws-chunked");
  return kept.length > 0 ? kept.join(",") : undefined;
}

/**
 * Bodies go on in pieces of at least this many bytes. The socket hands over 64 KiB at a time (less for
 * aws-chunked, whose frames split the reads), and every piece then passes the engine's async stages
 * (digests, encryption, stripe) at ~35-45 µs a piece: the engine alone fed 64 KiB pieces instead of
 * 256 KiB ones took 30-50 CPU ms more a 64 MiB PUT (three alternated pairs). Joining costs one copy of
 * what is joined (~6 GB/s); a piece that is large enough, or alone (a small body), is passed as it is.
 */
export const BODY_PIECE_BYTES = 256 * 1024;

/** The `n` bytes of `parts` as one Buffer; a lone part as it is. */
function joined(parts: Buffer[], n: number): Buffer {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
}

/**
 * `source` regrouped into pieces of at least BODY_PIECE_BYTES (the last may be shorter). With
 * `sha256`, the body's SHA-256 must be that hex digest: checked once all of it was yielded.
 */
async function* coalesced(source: Source, sha256?: string): AsyncGenerator<Buffer, void, undefined> {
  const hash = sha256 === undefined ? undefined : createHash("sha256");
  let parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of source) {
    const buf = asBuffer(chunk);
    hash?.update(buf);
    if (n === 0 && buf.length >= BODY_PIECE_BYTES) {
      yield buf;
      continue;
    }
    parts.push(buf);
    n += buf.length;
    if (n >= BODY_PIECE_BYTES) {
      yield joined(parts, n);
      parts = [];
      n = 0;
    }
  }
  if (n > 0) yield joined(parts, n);
  if (hash === undefined || sha256 === undefined) return;
  const computed = hash.digest("hex");
  if (computed !== sha256) {
    throw new S3Error("XAmzContentSHA256Mismatch", {
      extra: { ClientComputedContentSHA256: sha256, S3ComputedContentSHA256: computed },
    });
  }
}

/**
 * Wraps the request body (e.g. the node:http IncomingMessage) per the payload mode from `authenticate`.
 * Header problems (missing x-amz-decoded-content-length for signed chunks, bad lengths) throw here,
 * before any byte is read; body problems throw from the iterator. Single use.
 */
export function verifyBody(
  source: Source,
  payload: PayloadMode,
  headers: AuthRequest["headers"],
): VerifiedBody {
  if (payload.mode === "unsigned" || payload.mode === "sha256") {
    return {
      expectedLength: parseLength(headers, "content-length"),
      declaredTrailers: [],
      trailers: {},
      [Symbol.asyncIterator]: () =>
        coalesced(source, payload.mode === "sha256" ? payload.expected : undefined),
    };
  }
  const decodedLength = parseLength(headers, "x-amz-decoded-content-length");
  // Signed chunks bind their length up front as AWS requires; the SDK omits it for unsigned-trailer
  // uploads of unknown length, which the framing and the trailer checksum still protect.
  if (decodedLength === undefined && payload.mode === "streaming-signed")
    throw new S3Error("MissingContentLength");
  const trailer = payload.mode === "streaming-unsigned-trailer" || payload.trailer;
  const parser = new AwsChunkedParser({
    signing: payload.mode === "streaming-signed" ? payload : undefined,
    trailer,
    declaredTrailers: trailer ? declaredTrailers(headers) : [],
    decodedLength,
  });
  return {
    expectedLength: decodedLength,
    declaredTrailers: trailer ? declaredTrailers(headers) : [],
    trailers: parser.trailers,
    [Symbol.asyncIterator]: () => coalesced(decodeAwsChunked(source, parser)),
  };
}
