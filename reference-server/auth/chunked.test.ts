// aws-chunked decoding: the SDK's own encoder, an independent encoder from the AWS spec, arbitrary
// re-chunking, tampering and truncation.

import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { Crc32 } from "@aws-sdk/checksums/crc";
import { readableStreamHasher } from "@smithy/core/checksum";
import { createBufferedReadable, getAwsChunkedEncodingStream, toBase64 } from "@smithy/core/serde";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { S3Error } from "../http/s3-error.ts";
import { AwsChunkedParser, decodeAwsChunked } from "./chunked.ts";
import { verifyBody } from "./payload.ts";
import { signingKey } from "./signing-key.ts";
import { codeOf, collect, EXAMPLE, encodeAwsChunked, pieces } from "./test-support.ts";
import type { PayloadMode } from "./types.ts";

const SCOPE = "20240301/us-east-1/s3/aws4_request";
const TIMESTAMP = "20240301T120000Z";
const KEY = signingKey(EXAMPLE.secretAccessKey, "20240301", "us-east-1", "s3");
const SEED = "a".repeat(64);
const signing = { seed: SEED, key: KEY, scope: SCOPE, timestamp: TIMESTAMP };
const signed = (trailer: boolean): PayloadMode => ({
  mode: "streaming-signed",
  seedSignature: SEED,
  signingKey: KEY,
  scope: SCOPE,
  timestamp: TIMESTAMP,
  trailer,
});
const UNSIGNED_TRAILER: PayloadMode = { mode: "streaming-unsigned-trailer" };

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString("base64");
}

function headersFor(length: number | undefined, trailer?: string): Record<string, string> {
  const h: Record<string, string> = { "content-encoding": "aws-chunked" };
  if (length !== undefined) h["x-amz-decoded-content-length"] = String(length);
  if (trailer) h["x-amz-trailer"] = trailer;
  return h;
}

/** What @aws-sdk/client-s3 puts on the wire for a stream body (flexible checksums middleware). */
async function sdkBody(sourcePieces: Buffer[], bufferSize?: number): Promise<Buffer> {
  const source = Readable.from(sourcePieces, { objectMode: false });
  const stream = getAwsChunkedEncodingStream(
    bufferSize ? createBufferedReadable(source, bufferSize) : source,
    {
      base64Encoder: toBase64,
      bodyLengthChecker: (b: Buffer) => b.length,
      checksumAlgorithmFn: Crc32,
      checksumLocationName: "x-amz-checksum-crc32",
      streamHasher: readableStreamHasher,
    },
  );
  return collect(stream as AsyncIterable<Buffer>);
}

function split(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

describe("bodies from the SDK's getAwsChunkedEncodingStream (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", () => {
  const data = randomBytes(200_000);
  const headers = headersFor(data.length, "x-amz-checksum-crc32");

  test("64 KiB reads decode and expose the CRC32 trailer", async () => {
    const body = await sdkBody(split(data, 65536));
    expect(body.subarray(0, 7).toString()).toBe("10000\r\n");
    const verified = verifyBody(pieces(body, [3, 65541, 100_000]), UNSIGNED_TRAILER, headers);
    expect(verified.declaredTrailers).toEqual(["x-amz-checksum-crc32"]);
    expect(verified.expectedLength).toBe(200_000);
    expect((await collect(verified)).equals(data)).toBe(true);
    expect(verified.trailers).toEqual({ "x-amz-checksum-crc32": crc32Base64(data) });
  });

  test("small reads: refused as AWS does, fine once buffered by requestStreamBufferSize", async () => {
    const small = await sdkBody(split(data, 1000));
    const err = await codeOf(() => collect(verifyBody(pieces(small, []), UNSIGNED_TRAILER, headers)));
    expect(err).toBe("InvalidChunkSizeError");
    const buffered = await sdkBody(split(data, 1000), 65536);
    const verified = verifyBody(pieces(buffered, []), UNSIGNED_TRAILER, headers);
    expect((await collect(verified)).equals(data)).toBe(true);
    expect(verified.trailers["x-amz-checksum-crc32"]).toBe(crc32Base64(data));
  });

  test("empty body", async () => {
    const body = await sdkBody([]);
    expect(body.toString()).toBe("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
    const verified = verifyBody(pieces(body, []), UNSIGNED_TRAILER, headersFor(0, "x-amz-checksum-crc32"));
    expect((await collect(verified)).length).toBe(0);
    expect(verified.trailers).toEqual({ "x-amz-checksum-crc32": "AAAAAA==" });
  });

  test("x-amz-decoded-content-length may be absent (stream of unknown length)", async () => {
    const body = await sdkBody(split(data, 65536));
    const verified = verifyBody(
      pieces(body, []),
      UNSIGNED_TRAILER,
      headersFor(undefined, "x-amz-checksum-crc32"),
    );
    expect(verified.expectedLength).toBeUndefined();
    expect((await collect(verified)).equals(data)).toBe(true);
  });
});

describe("decoded data is handed out without copying", () => {
  // The decoder itself; verifyBody then joins pieces below BODY_PIECE_BYTES (payload.test.ts).
  test("every yielded buffer is a view of an input buffer", async () => {
    const data = randomBytes(3 * 65536 + 5);
    const body = encodeAwsChunked(data, { chunkSize: 65536, signing });
    const inputs = [...split(body, 50_000)].map((b) => Buffer.from(b));
    const seen = new Set<ArrayBufferLike>(inputs.map((b) => b.buffer));
    async function* source() {
      yield* inputs;
    }
    let total = 0;
    const mode = signed(false);
    if (mode.mode !== "streaming-signed") throw new Error("unreachable");
    const parser = new AwsChunkedParser({ signing: mode, trailer: false, declaredTrailers: [] });
    for await (const piece of decodeAwsChunked(source(), parser)) {
      expect(seen.has(piece.buffer)).toBe(true);
      total += piece.length;
    }
    expect(total).toBe(data.length);
  });
});

// Three modes × random data × random chunk size × random cut points.
describe("re-chunking at any byte boundary decodes identically (fast-check)", () => {
  const modes = [
    { name: "signed", mode: signed(false), sign: true, trailer: false },
    { name: "signed+trailer", mode: signed(true), sign: true, trailer: true },
    { name: "unsigned+trailer", mode: UNSIGNED_TRAILER, sign: false, trailer: true },
  ];
  test.each(modes)("$name", async ({ mode, sign, trailer }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 40_000 }),
        fc.constantFrom(8192, 9000, 16384),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.boolean(),
        async (bytes, chunkSize, rawCuts, byteByByteTail) => {
          const data = Buffer.from(bytes);
          const trailers: [string, string][] | undefined = trailer
            ? [["x-amz-checksum-crc32", crc32Base64(data)]]
            : undefined;
          const body = encodeAwsChunked(data, { chunkSize, signing: sign ? signing : undefined, trailers });
          const cuts = rawCuts.map((c) => c % (body.length + 1));
          // Every boundary in the framing tail (last chunk line, trailers) at least once in a while.
          if (byteByByteTail) for (let i = Math.max(0, body.length - 300); i < body.length; i++) cuts.push(i);
          const verified = verifyBody(
            pieces(body, cuts),
            mode,
            headersFor(data.length, trailer ? "x-amz-checksum-crc32" : undefined),
          );
          expect((await collect(verified)).equals(data)).toBe(true);
          expect(verified.trailers).toEqual(trailers ? Object.fromEntries(trailers) : {});
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("hostile bodies", () => {
  const data = randomBytes(20_000);
  const good = encodeAwsChunked(data, { chunkSize: 8192, signing });
  const run = (body: Buffer | string, mode: PayloadMode = signed(false), headers = headersFor(data.length)) =>
    codeOf(() => collect(verifyBody(pieces(Buffer.from(body), []), mode, headers)));

  test("any single-byte change to a signed stream is refused (fast-check)", async () => {
    const withTrailer = encodeAwsChunked(data, {
      chunkSize: 8192,
      signing,
      trailers: [["x-amz-checksum-crc32", crc32Base64(data)]],
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(withTrailer.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        // As in the exhaustive test below: the x-amz-trailer-signature name is the one unsigned name, and
        // its letter case is not significant.
        const sigName = withTrailer.indexOf("x-amz-trailer-signature");
        fc.pre(
          !(
            xor === 0x20 &&
            at >= sigName &&
            at < sigName + 23 &&
            /[a-z]/.test(String.fromCharCode(withTrailer[at]))
          ),
        );
        const bad = Buffer.from(withTrailer);
        bad[at] ^= xor;
        const code = await run(bad, signed(true), headersFor(data.length, "x-amz-checksum-crc32"));
        expect([
          "SignatureDoesNotMatch",
          "IncompleteBody",
          "InvalidChunkSizeError",
          "MalformedTrailerError",
        ]).toContain(code);
      }),
      { numRuns: 500 },
    );
  });

  test("every byte of a small signed stream, flipped three ways, is refused", async () => {
    const small = randomBytes(8200);
    const body = encodeAwsChunked(small, {
      chunkSize: 8192,
      signing,
      trailers: [["x-amz-checksum-crc32", crc32Base64(small)]],
    });
    const headers = headersFor(small.length, "x-amz-checksum-crc32");
    // The x-amz-trailer-signature line is the one unsigned name; its letter case is not significant.
    const sigName = body.indexOf("x-amz-trailer-signature");
    for (let at = 0; at < body.length; at++) {
      for (const xor of [0x01, 0x20, 0x80]) {
        const caseOnly =
          xor === 0x20 && at >= sigName && at < sigName + 23 && /[a-z]/.test(String.fromCharCode(body[at]));
        if (caseOnly) continue;
        const bad = Buffer.from(body);
        bad[at] ^= xor;
        const code = await codeOf(() => collect(verifyBody(pieces(bad, []), signed(true), headers)));
        if (code === "ok" || code.startsWith("non-S3")) throw new Error(`byte ${at} ^ ${xor}: ${code}`);
      }
    }
  });

  test("every byte of a tiny signed stream, changed to every other value, is refused", async () => {
    const tiny = Buffer.from("hello, world");
    const body = encodeAwsChunked(tiny, {
      chunkSize: 8192,
      signing,
      trailers: [["x-amz-checksum-crc32", crc32Base64(tiny)]],
    });
    const headers = headersFor(tiny.length, "x-amz-checksum-crc32");
    const sigName = body.indexOf("x-amz-trailer-signature");
    for (let at = 0; at < body.length; at++) {
      for (let xor = 1; xor < 256; xor++) {
        const changed = body[at] ^ xor;
        const isLetter = /[a-z]/i.test(String.fromCharCode(body[at]));
        // Letter case is insignificant in the hex size ("c" = "C") and in the trailer signature's name.
        const caseOnly =
          isLetter && xor === 0x20 && ((at >= sigName && at < sigName + 23) || at < body.indexOf(";"));
        if (caseOnly) continue;
        const bad = Buffer.from(body);
        bad[at] = changed;
        const code = await codeOf(() => collect(verifyBody(pieces(bad, []), signed(true), headers)));
        if (code === "ok" || code.startsWith("non-S3")) throw new Error(`byte ${at} ^ ${xor}: ${code}`);
      }
    }
  });

  test("every truncation is IncompleteBody", async () => {
    const small = randomBytes(8300);
    for (const body of [
      encodeAwsChunked(small, { chunkSize: 8192, signing }),
      encodeAwsChunked(small, { chunkSize: 8192, trailers: [["x-amz-checksum-crc32", crc32Base64(small)]] }),
    ]) {
      const mode = body.includes("chunk-signature") ? signed(false) : UNSIGNED_TRAILER;
      const headers = headersFor(
        small.length,
        mode.mode === "streaming-signed" ? undefined : "x-amz-checksum-crc32",
      );
      for (let cut = 0; cut < body.length; cut++) {
        const code = await codeOf(() =>
          collect(verifyBody(pieces(body.subarray(0, cut), []), mode, headers)),
        );
        if (code !== "IncompleteBody") throw new Error(`cut at ${cut}: ${code}`);
      }
    }
  });

  test("a bad chunk signature stops before the next chunk's bytes", async () => {
    const bad = Buffer.from(good);
    bad[100] ^= 1; // inside the first chunk's data
    const got: Buffer[] = [];
    const err = await codeOf(async () => {
      for await (const b of verifyBody(
        pieces(bad, [50, 4000, 8300, 9000, 17000]),
        signed(false),
        headersFor(20_000),
      )) {
        got.push(b);
      }
    });
    expect(err).toBe("SignatureDoesNotMatch");
    expect(Buffer.concat(got).length).toBeLessThanOrEqual(8192);
  });

  test("lying x-amz-decoded-content-length", async () => {
    expect(await run(good, signed(false), headersFor(20_001))).toBe("IncompleteBody");
    const got: Buffer[] = [];
    const err = await codeOf(async () => {
      for await (const b of verifyBody(pieces(good, [8400, 16800]), signed(false), headersFor(10_000)))
        got.push(b);
    });
    expect(err).toBe("IncompleteBody");
    expect(Buffer.concat(got).length).toBeLessThanOrEqual(10_000);
  });

  test.each([
    ["garbage hex size", "zz\r\nabc\r\n0\r\n\r\n"],
    ["negative size", "-5\r\nabcde\r\n0\r\n\r\n"],
    ["size beyond 2^53", "ffffffffffffffff\r\n"],
    ["size line without CR", "3\nabc\r\n0\r\n\r\n"],
    ["data not followed by CRLF", "3\r\nabcX\r\n0\r\n\r\n"],
    ["data after the final chunk", "3\r\nabc\r\n0\r\n\r\nextra"],
    ["oversized size line", "1".repeat(5000)],
  ])("%s → IncompleteBody", async (_name, body) => {
    expect(await run(body, UNSIGNED_TRAILER, headersFor(undefined))).toBe("IncompleteBody");
  });

  test("a signed chunk without its signature", async () => {
    expect(await run("3\r\nabc\r\n0\r\n\r\n", signed(false), headersFor(3))).toBe("IncompleteBody");
  });

  test("small non-final chunk: InvalidChunkSizeError with AWS's fields", async () => {
    const body = encodeAwsChunked(randomBytes(9000), { chunkSize: 8000 });
    try {
      await collect(verifyBody(pieces(body, []), UNSIGNED_TRAILER, headersFor(9000)));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(S3Error);
      expect((e as S3Error).extra).toEqual({ Chunk: "1", BadChunkSize: "8000" });
      expect((e as S3Error).status).toBe(403);
    }
  });

  test.each([
    ["undeclared trailer", [["x-amz-checksum-sha1", "x"]], "x-amz-checksum-crc32", "MalformedTrailerError"],
    ["declared trailer missing", [], "x-amz-checksum-crc32", "MalformedTrailerError"],
    [
      "repeated trailer",
      [
        ["x-amz-checksum-crc32", "a"],
        ["x-amz-checksum-crc32", "a"],
      ],
      "x-amz-checksum-crc32",
      "MalformedTrailerError",
    ],
  ] as [string, [string, string][], string, string][])("%s", async (_name, trailers, declared, code) => {
    const body = encodeAwsChunked(Buffer.from("hello"), { chunkSize: 8192, trailers });
    expect(await run(body, UNSIGNED_TRAILER, headersFor(5, declared))).toBe(code);
  });

  test("trailer line without a name", async () => {
    const body = "5\r\nhello\r\n0\r\nno-colon-here\r\n\r\n";
    expect(await run(body, UNSIGNED_TRAILER, headersFor(5, "no-colon-here"))).toBe("MalformedTrailerError");
  });

  test("trailer section size is bounded", async () => {
    const body = encodeAwsChunked(Buffer.from("hi"), {
      chunkSize: 8192,
      trailers: [["x-amz-meta-big", "v".repeat(5000)]],
    });
    expect(await run(body, UNSIGNED_TRAILER, headersFor(2, "x-amz-meta-big"))).toBe("MalformedTrailerError");
  });

  test("signed trailer: signature required and checked", async () => {
    const trailers: [string, string][] = [["x-amz-checksum-crc32", "AAAAAA=="]];
    const body = encodeAwsChunked(Buffer.from("hi"), { chunkSize: 8192, signing, trailers });
    const headers = headersFor(2, "x-amz-checksum-crc32");
    expect(await run(body, signed(true), headers)).toBe("ok");
    const unsignedTrailer = encodeAwsChunked(Buffer.from("hi"), { chunkSize: 8192, trailers }).toString();
    const stripped = body.toString().replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, "");
    expect(await run(stripped, signed(true), headers)).toBe("MalformedTrailerError");
    expect(await run(unsignedTrailer, signed(true), headers)).toBe("IncompleteBody");
  });

  test("signed chunks need x-amz-decoded-content-length before any byte is read", () => {
    expect(() => verifyBody(pieces(good, []), signed(false), {})).toThrow(
      expect.objectContaining({ code: "MissingContentLength", status: 411 }),
    );
  });

  test("an endless garbage source fails after a bounded read", async () => {
    let pulled = 0;
    async function* endless() {
      yield Buffer.from("5\r\n");
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024, "a");
      }
    }
    expect(await codeOf(() => collect(verifyBody(endless(), UNSIGNED_TRAILER, headersFor(undefined))))).toBe(
      "IncompleteBody",
    );
    expect(pulled).toBe(1);
    pulled = 0;
    async function* noNewline() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1000, "1");
      }
    }
    expect(
      await codeOf(() => collect(verifyBody(noNewline(), UNSIGNED_TRAILER, headersFor(undefined)))),
    ).toBe("IncompleteBody");
    expect(pulled).toBeLessThanOrEqual(5);
  });
});
