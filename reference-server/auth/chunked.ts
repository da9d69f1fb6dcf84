// aws-chunked body decoder: `hex-size[;chunk-signature=sig]\r\n data \r\n` ... `0[;chunk-signature=sig]\r\n`,
// then optional trailer lines (`x-amz-checksum-crc32:...\r\n`, `x-amz-trailer-signature:...\r\n`) and "\r\n".
// Data is handed out as views of the input buffers (no copy); only the short framing lines are buffered.

import { createHash, type Hash, type KeyObject } from "node:crypto";
import { S3Error } from "../http/s3-error.ts";
import { safeEqual } from "./encoding.ts";
import { EMPTY_SHA256, hmacHex, sha256Hex } from "./signing-key.ts";

/** S3 refuses aws-chunked bodies whose non-final chunks are smaller than this. */
export const MIN_CHUNK_SIZE = 8192;
// AWS's own size line is under 100 bytes; anything near this is garbage, not a chunk header.
const MAX_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;

const SIZE_LINE = 0;
const DATA = 1;
const DATA_CRLF = 2;
const TRAILER = 3;
const DONE = 4;

export interface ChunkSignatureChain {
  seedSignature: string;
  signingKey: KeyObject;
  scope: string;
  timestamp: string;
}

export interface AwsChunkedOptions {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: every chunk signature is verified. */
  signing?: ChunkSignatureChain;
  /** A trailer section is expected (and, when signed, an x-amz-trailer-signature). */
  trailer: boolean;
  /** Lower-case trailer names announced in x-amz-trailer; each must arrive, no other may. */
  declaredTrailers: readonly string[];
  /** x-amz-decoded-content-length, when known. */
  decodedLength?: number;
}

function truncated(detail: string): S3Error {
  return new S3Error("IncompleteBody", {
    message: "The request body terminated unexpectedly",
    cause: new Error(detail),
  });
}

function badTrailer(detail: string): S3Error {
  return new S3Error("MalformedTrailerError", { cause: new Error(detail) });
}

function badSignature(stringToSign: string, provided: string): S3Error {
  return new S3Error("SignatureDoesNotMatch", {
    extra: { StringToSign: stringToSign, SignatureProvided: provided },
  });
}

/** Push-style state machine; `feed` appends decoded data views to `out` and throws S3Error on bad input. */
export class AwsChunkedParser {
  /** Trailing headers received, lower-case names; complete once `end()` returned. */
  readonly trailers: Record<string, string> = {};
  /** Decoded bytes so far. */
  decoded = 0;

  private readonly opts: AwsChunkedOptions;
  private state = SIZE_LINE;
  private readonly line = Buffer.allocUnsafe(MAX_LINE);
  private lineLen = 0;
  private remaining = 0;
  private crlfSeen = 0;
  private chunkIndex = 0;
  private prevSize = -1;
  private hash: Hash | undefined;
  private chunkSignature = "";
  private prevSignature: string;
  private trailerBytes = 0;
  private trailerCanonical = "";
  private trailerSignature: string | undefined;

  constructor(opts: AwsChunkedOptions) {
    this.opts = opts;
    this.prevSignature = opts.signing?.seedSignature ?? "";
  }

  feed(buf: Buffer, out: Buffer[]): void {
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      switch (this.state) {
        case DATA: {
          const n = Math.min(this.remaining, len - pos);
          const piece = buf.subarray(pos, pos + n);
          this.hash?.update(piece);
          out.push(piece);
          pos += n;
          this.remaining -= n;
          this.decoded += n;
          if (this.remaining === 0) {
            this.endChunk();
            this.state = DATA_CRLF;
            this.crlfSeen = 0;
          }
          break;
        }
        case DATA_CRLF: {
          if (buf[pos] !== (this.crlfSeen === 0 ? 0x0d : 0x0a))
            throw truncated("chunk data not followed by CRLF");
          pos++;
          if (++this.crlfSeen === 2) this.state = SIZE_LINE;
          break;
        }
        case SIZE_LINE:
        case TRAILER: {
          const next = this.takeLine(buf, pos);
          if (next < 0) {
            pos = len;
            break;
          }
          pos = next;
          if (this.state === SIZE_LINE) this.onSizeLine();
          else this.onTrailerLine();
          this.lineLen = 0;
          break;
        }
        default:
          throw truncated("data after the final chunk");
      }
    }
  }

  /** The body ended: anything but a complete final chunk (and trailer) is a truncated body. */
  end(): void {
    if (this.state !== DONE) throw truncated("body ended inside a chunk");
  }

  // Copies line bytes up to LF into `line`; returns the position after the LF, or -1 if the buffer ran out.
  private takeLine(buf: Buffer, pos: number): number {
    const room = MAX_LINE - this.lineLen;
    const windowEnd = Math.min(buf.length, pos + room);
    const lf = buf.subarray(pos, windowEnd).indexOf(0x0a);
    const stop = lf < 0 ? windowEnd : pos + lf;
    buf.copy(this.line, this.lineLen, pos, stop);
    this.lineLen += stop - pos;
    if (this.state === TRAILER) {
      this.trailerBytes += stop - pos + (lf < 0 ? 0 : 1);
      if (this.trailerBytes > MAX_TRAILER_BYTES) throw badTrailer("trailer section too large");
    }
    if (lf >= 0) return stop + 1;
    if (this.lineLen >= MAX_LINE) {
      throw this.state === TRAILER
        ? badTrailer("trailer line too long")
        : truncated("chunk size line too long");
    }
    return -1;
  }

  // Line text without its CRLF. A bare LF is refused: were it accepted, a CR turned into a space would
  // vanish in the value trimming and a changed byte would go unnoticed.
  private lineText(): string {
    if (this.lineLen === 0 || this.line[this.lineLen - 1] !== 0x0d) {
      throw this.state === TRAILER
        ? badTrailer("trailer line not ended by CRLF")
        : truncated("line not ended by CRLF");
    }
    return this.line.toString("latin1", 0, this.lineLen - 1);
  }

  private onSizeLine(): void {
    const line = this.lineText();
    const semi = line.indexOf(";");
    const hex = semi < 0 ? line : line.slice(0, semi);
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw truncated("invalid chunk size");
    const size = Number.parseInt(hex, 16);
    if (!Number.isSafeInteger(size)) throw truncated("chunk size too large");
    if (this.opts.signing) {
      const ext = semi < 0 ? "" : line.slice(semi + 1);
      if (!ext.startsWith("chunk-signature=")) throw truncated("chunk without chunk-signature");
      this.chunkSignature = ext.slice("chunk-signature=".length);
      this.hash = size > 0 ? createHash("sha256") : undefined;
    }
    if (size > 0 && this.prevSize >= 0 && this.prevSize < MIN_CHUNK_SIZE) {
      throw new S3Error("InvalidChunkSizeError", {
        extra: { Chunk: String(this.chunkIndex), BadChunkSize: String(this.prevSize) },
      });
    }
    const limit = this.opts.decodedLength;
    if (limit !== undefined && this.decoded + size > limit) {
      throw new S3Error("IncompleteBody", {
        message: "The decoded body is larger than x-amz-decoded-content-length",
      });
    }
    this.chunkIndex++;
    this.prevSize = size;
    this.remaining = size;
    if (size > 0) {
      this.state = DATA;
      return;
    }
    this.endChunk();
    if (limit !== undefined && this.decoded !== limit) throw new S3Error("IncompleteBody");
    this.state = TRAILER;
  }

  // Verifies the finished chunk's signature: it chains from the previous one, so order and content are bound.
  private endChunk(): void {
    const signing = this.opts.signing;
    if (!signing) return;
    const digest = this.hash ? this.hash.digest("hex") : EMPTY_SHA256;
    this.hash = undefined;
    const sts = `AWS4-HMAC-SHA256-PAYLOAD\n${signing.timestamp}\n${signing.scope}\n${this.prevSignature}\n${EMPTY_SHA256}\n${digest}`;
    if (!safeEqual(hmacHex(this.opts.signing!.signingKey, sts), this.chunkSignature)) {
      throw badSignature(sts, this.chunkSignature);
    }
    this.prevSignature = this.chunkSignature;
  }

  private onTrailerLine(): void {
    const line = this.lineText();
    if (line === "") {
      this.finishTrailers();
      return;
    }
    if (!this.opts.trailer) throw truncated("trailer lines without a trailer payload mode");
    if (this.trailerSignature !== undefined) throw badTrailer("trailer after x-amz-trailer-signature");
    const colon = line.indexOf(":");
    if (colon <= 0) throw badTrailer("trailer line without a name");
    const name = line.slice(0, colon);
    // Optional whitespace is SP/HT only (RFC 9110); trimming more would let a forged byte vanish.
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    const lower = name.toLowerCase();
    if (lower === "x-amz-trailer-signature" && this.opts.signing) {
      this.trailerSignature = value;
      return;
    }
    if (!this.opts.declaredTrailers.includes(lower)) throw badTrailer(`undeclared trailer ${lower}`);
    if (Object.hasOwn(this.trailers, lower)) throw badTrailer(`repeated trailer ${lower}`);
    this.trailers[lower] = value;
    // Signed as received (name case included), one "name:value\n" per trailer.
    this.trailerCanonical += `${name}:${value}\n`;
  }

  private finishTrailers(): void {
    for (const name of this.opts.declaredTrailers) {
      if (!Object.hasOwn(this.trailers, name)) throw badTrailer(`declared trailer ${name} missing`);
    }
    const signing = this.opts.signing;
    if (signing && this.opts.trailer) {
      if (this.trailerSignature === undefined) throw badTrailer("x-amz-trailer-signature missing");
      const hash = sha256Hex(Buffer.from(this.trailerCanonical, "latin1"));
      const sts = `AWS4-HMAC-SHA256-TRAILER\n${signing.timestamp}\n${signing.scope}\n${this.prevSignature}\n${hash}`;
      if (!safeEqual(hmacHex(this.opts.signing!.signingKey, sts), this.trailerSignature)) {
        throw badSignature(sts, this.trailerSignature);
      }
    }
    this.state = DONE;
  }
}

/** Decodes an aws-chunked body; yields views of the source buffers, throws S3Error at the first fault. */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  parser: AwsChunkedParser,
): AsyncGenerator<Buffer, void, undefined> {
  const out: Buffer[] = [];
  for await (const chunk of source) {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    out.length = 0;
    // A fault anywhere in this input buffer throws before any of its data is yielded.
    parser.feed(buf, out);
    for (const piece of out) yield piece;
  }
  parser.end();
}
