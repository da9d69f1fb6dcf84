// The streaming multipart reader: exact round-trips of arbitrary forms cut into arbitrary chunks, and
// hostile bodies (truncated, corrupted, lying boundaries) that must end in MalformedPOSTRequest and never
// in another exception or a hang.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { S3Error } from "../http/s3-error.ts";
import { formBoundary, MultipartReader, type PartHeaders } from "./multipart.ts";

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

function encode(
  boundary: string,
  parts: Part[],
  opts: { preamble?: string; epilogue?: string } = {},
): Buffer {
  const out: Buffer[] = [];
  if (opts.preamble) out.push(Buffer.from(`${opts.preamble}\r\n`));
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += "\r\n";
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    out.push(Buffer.from(`${head}\r\n`), p.data, Buffer.from("\r\n"));
  }
  out.push(Buffer.from(`--${boundary}--\r\n${opts.epilogue ?? ""}`));
  return Buffer.concat(out);
}

async function* chunked(data: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of cuts) {
    const end = Math.min(data.length, at + c);
    yield data.subarray(at, end);
    at = end;
    if (at >= data.length) return;
  }
  if (at < data.length) yield data.subarray(at);
}

async function readAll(source: AsyncIterable<Buffer>, boundary: string): Promise<Part[]> {
  const reader = new MultipartReader(source, boundary);
  const parts: Part[] = [];
  for (let i = 0; i < 1000; i++) {
    const h: PartHeaders | undefined = await reader.next();
    if (!h) return parts;
    parts.push({ ...h, data: await reader.bytes(1 << 20, () => new Error("too large")) });
  }
  throw new Error("too many parts");
}

const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,15}$/);
const boundaryArb = fc.stringMatching(/^[0-9A-Za-z'()+_,\-.]{1,40}$/);

/** Bytes that like to contain CR, LF, dashes and pieces of the boundary. */
function dataArb(boundary: string) {
  const pieces = fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    fc.constantFrom("\r", "\n", "\r\n", "--", `--${boundary.slice(0, -1)}`, `\r\n--${boundary.slice(0, -1)}`),
  );
  return fc.array(pieces, { maxLength: 12 }).map((xs) => Buffer.concat(xs.map((x) => Buffer.from(x))));
}

describe("round-trips", () => {
  test("arbitrary forms in arbitrary chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        boundaryArb.chain((b) =>
          fc.record({
            boundary: fc.constant(b),
            parts: fc.array(
              fc.record({
                name,
                filename: fc.option(name, { nil: undefined }),
                contentType: fc.option(fc.constantFrom("text/plain", "image/png"), { nil: undefined }),
                data: dataArb(b),
              }),
              { maxLength: 6 },
            ),
            cuts: fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 40 }),
            preamble: fc.option(fc.constantFrom("preamble text", "--not-it"), { nil: undefined }),
          }),
        ),
        async ({ boundary, parts, cuts, preamble }) => {
          // A sender picks a boundary that its data does not contain (RFC 2046).
          const delim = `\r\n--${boundary}`;
          for (const p of parts)
            fc.pre(Buffer.concat([p.data, Buffer.from(delim)]).indexOf(delim) === p.data.length);
          // Nor does its preamble ("--not-it" holds the delimiter of boundary "n").
          fc.pre(preamble === undefined || !preamble.includes(`--${boundary}`));
          const body = encode(boundary, parts, { preamble, epilogue: "ignored epilogue" });
          const got = await readAll(chunked(body, cuts), boundary);
          expect(got).toEqual(
            parts.map((p) => ({
              name: p.name,
              ...(p.filename === undefined ? {} : { filename: p.filename }),
              ...(p.contentType === undefined ? {} : { contentType: p.contentType }),
              data: p.data,
            })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a part skipped without reading its body, quoted parameters, transport padding", async () => {
    const body = Buffer.from(
      "--xyz  \r\n" +
        'Content-Disposition: form-data; name="a"; filename="we \\"ird; name.txt"\r\n\r\nAAA\r\n' +
        "--xyz\r\ncontent-disposition: FORM-DATA; name=b\r\n\r\nBBB\r\n--xyz--",
    );
    const reader = new MultipartReader(chunked(body, [3, 1, 7]), "xyz");
    expect(await reader.next()).toEqual({ name: "a", filename: 'we "ird; name.txt' });
    expect(await reader.next()).toEqual({ name: "b" });
    expect((await reader.bytes(10, () => new Error("big"))).toString()).toBe("BBB");
    expect(await reader.next()).toBeUndefined();
  });

  test("a body streamed without buffering it whole", async () => {
    const big = Buffer.alloc(4 << 20, 7);
    const body = encode("b0undary", [{ name: "file", filename: "f", data: big }]);
    const reader = new MultipartReader(chunked(body, Array(200).fill(64 * 1024)), "b0undary");
    await reader.next();
    let n = 0;
    let largest = 0;
    for await (const c of reader.body()) {
      n += c.length;
      largest = Math.max(largest, c.length);
    }
    expect(n).toBe(big.length);
    expect(largest).toBeLessThanOrEqual(64 * 1024 + 16);
  });
});

describe("the Content-Type boundary", () => {
  test("parsed, quoted or not; other types are not forms", () => {
    expect(formBoundary("multipart/form-data; boundary=abc")).toBe("abc");
    expect(formBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe("a b:c");
    expect(formBoundary("application/x-www-form-urlencoded")).toBeUndefined();
    expect(formBoundary(undefined)).toBeUndefined();
    for (const bad of [
      "multipart/form-data",
      "multipart/form-data; boundary=",
      `multipart/form-data; boundary=${"x".repeat(71)}`,
      'multipart/form-data; boundary="unterminated',
      "multipart/form-data; boundary=a\u0000b",
    ]) {
      expect(() => formBoundary(bad), bad).toThrow(S3Error);
    }
  });
});

describe("hostile bodies", () => {
  async function outcome(body: Buffer, boundary: string, cuts: number[]): Promise<string> {
    try {
      await readAll(chunked(body, cuts), boundary);
      return "ok";
    } catch (e) {
      if (e instanceof S3Error && e.code === "MalformedPOSTRequest") return "malformed";
      throw e;
    }
  }

  test("truncations and corruptions end cleanly", async () => {
    const base = encode("bnd", [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
      { name: "key", data: Buffer.from("uploads/${filename}") },
      { name: "file", filename: "a.txt", contentType: "text/plain", data: Buffer.from("hello\r\n--bn") },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: base.length }),
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 30 }),
        async (cut, flips, cuts) => {
          const body = Buffer.from(base.subarray(0, cut));
          for (const [at, v] of flips) if (at < body.length) body[at] = v;
          expect(["ok", "malformed"]).toContain(await outcome(body, "bnd", cuts));
        },
      ),
      { numRuns: 500 },
    );
  });

  test("lying boundaries, missing headers, endless header blocks", async () => {
    const cases: [string, Buffer][] = [
      ["other boundary", encode("real", [{ name: "a", data: Buffer.from("x") }])],
      ["no closing delimiter", Buffer.from('--bnd\r\nContent-Disposition: form-data; name="a"\r\n\r\nx')],
      ["no disposition", Buffer.from("--bnd\r\nContent-Type: text/plain\r\n\r\nx\r\n--bnd--")],
      ["no headers", Buffer.from("--bnd\r\n\r\nx\r\n--bnd--")],
      ["attachment", Buffer.from('--bnd\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--bnd--')],
      ["garbage after delimiter", Buffer.from('--bndXX\r\nContent-Disposition: form-data; name="a"\r\n\r\n')],
      ["huge header block", Buffer.from(`--bnd\r\nX-Pad: ${"p".repeat(64 * 1024)}\r\n\r\n`)],
      ["huge preamble", Buffer.from("p".repeat(64 * 1024))],
      ["empty", Buffer.alloc(0)],
    ];
    for (const [what, body] of cases) {
      expect(await outcome(body, "bnd", [1000]), what).toBe("malformed");
    }
  });

  test("a field larger than its cap is refused with the caller's error", async () => {
    const body = encode("bnd", [{ name: "policy", data: Buffer.alloc(100_000, 0x41) }]);
    const reader = new MultipartReader(chunked(body, [4096]), "bnd");
    await reader.next();
    await expect(reader.bytes(20_000, () => new Error("field too large"))).rejects.toThrow("field too large");
  });
});
