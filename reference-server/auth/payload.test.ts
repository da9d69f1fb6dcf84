// Non-chunked payload modes and the header helpers the HTTP layer uses.

import { createHash, randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { BODY_PIECE_BYTES, declaredTrailers, storedContentEncoding, verifyBody } from "./payload.ts";
import { collect, encodeAwsChunked, pieces } from "./test-support.ts";

describe("sha256 mode", () => {
  const data = randomBytes(100_000);
  const expected = createHash("sha256").update(data).digest("hex");

  test("matching body streams through unchanged", async () => {
    const body = verifyBody(
      pieces(data, [1, 65536]),
      { mode: "sha256", expected },
      { "content-length": "100000" },
    );
    expect(body.expectedLength).toBe(100_000);
    expect((await collect(body)).equals(data)).toBe(true);
  });

  test("a mismatch throws after the last byte, with both hashes", async () => {
    const wrong = Buffer.from(data);
    wrong[99_999] ^= 1;
    const got: Buffer[] = [];
    let error: unknown;
    try {
      for await (const b of verifyBody(pieces(wrong, [50_000]), { mode: "sha256", expected }, {}))
        got.push(b);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: "XAmzContentSHA256Mismatch",
      status: 400,
      extra: {
        ClientComputedContentSHA256: expected,
        S3ComputedContentSHA256: createHash("sha256").update(wrong).digest("hex"),
      },
    });
    expect(Buffer.concat(got).length).toBe(100_000);
  });
});

test("unsigned mode passes Uint8Array views through as Buffers without copying", async () => {
  const backing = new Uint8Array(64);
  async function* source() {
    yield backing.subarray(8, 40);
  }
  const out: Buffer[] = [];
  for await (const b of verifyBody(source(), { mode: "unsigned" }, {})) out.push(b);
  expect(Buffer.isBuffer(out[0])).toBe(true);
  expect(out[0].buffer).toBe(backing.buffer);
  expect([out[0].byteOffset, out[0].length]).toEqual([8, 32]);
});

describe("bodies go on in pieces of at least BODY_PIECE_BYTES", () => {
  const data = randomBytes(3 * BODY_PIECE_BYTES + 12_345);
  // Socket-like reads: 64 KiB, with a short first one (the head of the request shared its read).
  const cuts: number[] = [];
  for (let at = 65_000; at < data.length; at += 65_536) cuts.push(at);
  const sizes = async (body: AsyncIterable<Buffer>) => {
    const out: Buffer[] = [];
    for await (const b of body) out.push(b);
    expect(Buffer.concat(out).equals(data)).toBe(true);
    return out.map((b) => b.length);
  };
  const regrouped = (lengths: number[]) => {
    expect(lengths.length).toBeLessThanOrEqual(Math.ceil(data.length / BODY_PIECE_BYTES));
    for (const n of lengths.slice(0, -1)) expect(n).toBeGreaterThanOrEqual(BODY_PIECE_BYTES);
  };

  test("unsigned and sha256 modes", async () => {
    regrouped(await sizes(verifyBody(pieces(data, cuts), { mode: "unsigned" }, {})));
    const expected = createHash("sha256").update(data).digest("hex");
    regrouped(await sizes(verifyBody(pieces(data, cuts), { mode: "sha256", expected }, {})));
  });

  test("aws-chunked: 64 KiB frames split across 64 KiB reads", async () => {
    const wire = encodeAwsChunked(data, { chunkSize: 65_536 });
    const wireCuts: number[] = [];
    for (let at = 65_536; at < wire.length; at += 65_536) wireCuts.push(at);
    const headers = {
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": String(data.length),
    };
    const lengths = await sizes(
      verifyBody(pieces(wire, wireCuts), { mode: "streaming-unsigned-trailer" }, headers),
    );
    regrouped(lengths);
  });

  test("a piece already large enough is passed as it is, without a copy", async () => {
    const out: Buffer[] = [];
    for await (const b of verifyBody(pieces(data, [BODY_PIECE_BYTES + 1]), { mode: "unsigned" }, {}))
      out.push(b);
    expect(out.map((b) => b.length)).toEqual([BODY_PIECE_BYTES + 1, data.length - BODY_PIECE_BYTES - 1]);
    expect(out[0].buffer).toBe(data.buffer);
  });
});

test("invalid lengths are refused before reading", () => {
  expect(() =>
    verifyBody(pieces(Buffer.alloc(0), []), { mode: "unsigned" }, { "content-length": "12abc" }),
  ).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  expect(() =>
    verifyBody(
      pieces(Buffer.alloc(0), []),
      { mode: "streaming-unsigned-trailer" },
      { "x-amz-decoded-content-length": "-1" },
    ),
  ).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
});

test("header helpers", () => {
  expect(storedContentEncoding({ "content-encoding": "aws-chunked" })).toBeUndefined();
  expect(storedContentEncoding({ "content-encoding": "gzip, aws-chunked" })).toBe("gzip");
  expect(storedContentEncoding({ "content-encoding": "aws-chunked,br" })).toBe("br");
  expect(storedContentEncoding({})).toBeUndefined();
  expect(declaredTrailers({ "x-amz-trailer": "X-Amz-Checksum-CRC32, x-amz-checksum-sha256" })).toEqual([
    "x-amz-checksum-crc32",
    "x-amz-checksum-sha256",
  ]);
  expect(declaredTrailers({})).toEqual([]);
});
