// A pull-based, streaming multipart/form-data reader (RFC 7578 / RFC 2046) for browser POST uploads.
//
// Why not a library: the only multipart parser installed is busboy 0.3.1 (a transitive dependency of the
// s3rver dev dependency, on the deprecated dicer 0.3.0, which throws from inside its event handlers on a
// malformed part header). A pull reader also fits S3's POST semantics better than an event emitter: the
// fields before the file are read whole and small, then the file part is handed to the engine as an
// async iterable with natural back-pressure, and whatever follows it is drained or dropped. Every
// malformation becomes MalformedPOSTRequest; fuzzed in multipart.test.ts.

import { S3Error } from "../http/s3-error.ts";

export interface PartHeaders {
  /** The form field name (Content-Disposition `name`). */
  name: string;
  /** Set when the part carries a file name (Content-Disposition `filename`). */
  filename?: string;
  contentType?: string;
}

/** Bounds on what the reader buffers outside a body: one header block, the preamble. */
const MAX_HEADER_BYTES = 8 * 1024;
const MAX_PREAMBLE_BYTES = 8 * 1024;
// RFC 2046: 1 to 70 characters from a restricted set, not ending with a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

export function malformed(): S3Error {
  return new S3Error("MalformedPOSTRequest");
}

/** The boundary of a `multipart/form-data` Content-Type, or undefined when the type is another one. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...params] = splitParams(contentType);
  if (type.toLowerCase() !== "multipart/form-data") return undefined;
  const boundary = params.find((p) => p.name === "boundary")?.value;
  if (boundary === undefined || !BOUNDARY.test(boundary)) throw malformed();
  return boundary;
}

type State = "preamble" | "delimiter" | "headers" | "body" | "done";

export class MultipartReader {
  private buf: Buffer;
  private readonly delim: Buffer;
  private readonly source: AsyncIterator<Uint8Array>;
  private ended = false;
  private state: State = "preamble";
  private bodyTaken = false;

  constructor(source: AsyncIterable<Uint8Array>, boundary: string) {
    // Every delimiter, the first one included, is CRLF "--" boundary: a virtual CRLF in front of the
    // stream lets one search find them all.
    this.delim = Buffer.from(`\r\n--${boundary}`, "latin1");
    this.buf = Buffer.from(CRLF);
    this.source = source[Symbol.asyncIterator]();
  }

  /** Advance to the next part (skipping what is left of the current one); undefined after the last. */
  async next(): Promise<PartHeaders | undefined> {
    if (this.state === "body") {
      if (this.bodyTaken) throw new Error("MultipartReader: the current part's body is still being read");
      for await (const _ of this.body()) {
        // Skipped: the caller did not want this part.
      }
    }
    if (this.state === "preamble") await this.skipPreamble();
    if (this.state === "delimiter") await this.afterDelimiter();
    if (this.state === "done") return undefined;
    const headers = await this.readHeaders();
    this.state = "body";
    this.bodyTaken = false;
    return headers;
  }

  /** The current part's bytes, streamed; ends at the next delimiter. */
  async *body(): AsyncGenerator<Buffer> {
    if (this.state !== "body" || this.bodyTaken) throw new Error("MultipartReader: no part body to read");
    this.bodyTaken = true;
    try {
      yield* this.bodyChunks();
    } finally {
      // A consumer that stops early leaves the rest of the part for next() to skip.
      this.bodyTaken = false;
    }
  }

  private async *bodyChunks(): AsyncGenerator<Buffer> {
    const keep = this.delim.length - 1;
    for (;;) {
      const at = this.buf.indexOf(this.delim);
      if (at >= 0) {
        const chunk = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + this.delim.length);
        this.state = "delimiter";
        if (chunk.length > 0) yield chunk;
        return;
      }
      // Everything but a possible delimiter prefix at the end is body.
      if (this.buf.length > keep) {
        const chunk = this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.subarray(this.buf.length - keep);
        yield chunk;
      }
      if (!(await this.fill())) throw malformed();
    }
  }

  /** The current part's bytes as one buffer, refused past `max` bytes with `tooLarge`. */
  async bytes(max: number, tooLarge: () => Error): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const c of this.body()) {
      n += c.length;
      if (n > max) throw tooLarge();
      parts.push(c);
    }
    return Buffer.concat(parts);
  }

  /** Consume up to `max` more bytes to the end of the stream; false if more remained. */
  async drain(max: number): Promise<boolean> {
    let n = this.buf.length;
    this.buf = Buffer.alloc(0);
    this.state = "done";
    while (n <= max) {
      const r = await this.source.next();
      if (r.done) return true;
      n += r.value.length;
    }
    return false;
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const r = await this.source.next();
    if (r.done) {
      this.ended = true;
      return false;
    }
    const c = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.buf = this.buf.length === 0 ? c : Buffer.concat([this.buf, c]);
    return true;
  }

  private async skipPreamble(): Promise<void> {
    for (;;) {
      const at = this.buf.indexOf(this.delim);
      if (at >= 0) {
        this.buf = this.buf.subarray(at + this.delim.length);
        this.state = "delimiter";
        return;
      }
      if (this.buf.length > MAX_PREAMBLE_BYTES + this.delim.length || !(await this.fill())) throw malformed();
    }
  }

  /** After a delimiter: `--` closes the body; otherwise optional blanks, then CRLF opens a part. */
  private async afterDelimiter(): Promise<void> {
    while (this.buf.length < 2) if (!(await this.fill())) throw malformed();
    if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
      this.state = "done";
      this.buf = Buffer.alloc(0);
      return;
    }
    let i = 0;
    for (;;) {
      if (i >= this.buf.length) {
        if (i > 64 || !(await this.fill())) throw malformed();
        continue;
      }
      const c = this.buf[i];
      if (c === 0x20 || c === 0x09) {
        i++;
        continue;
      }
      if (c !== 0x0d) throw malformed();
      while (this.buf.length < i + 2) if (!(await this.fill())) throw malformed();
      if (this.buf[i + 1] !== 0x0a) throw malformed();
      this.buf = this.buf.subarray(i + 2);
      this.state = "headers";
      return;
    }
  }

  private async readHeaders(): Promise<PartHeaders> {
    for (;;) {
      // A part without headers starts with the blank line itself.
      if (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) throw malformed();
      const end = this.buf.indexOf(HEADER_END);
      if (end >= 0) {
        const block = this.buf.subarray(0, end).toString("utf8");
        this.buf = this.buf.subarray(end + HEADER_END.length);
        return parsePartHeaders(block);
      }
      if (this.buf.length > MAX_HEADER_BYTES || !(await this.fill())) throw malformed();
    }
  }
}

/** Content-Disposition (form-data, with a name) and Content-Type of one part. */
export function parsePartHeaders(block: string): PartHeaders {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-disposition") disposition = value;
    else if (name === "content-type") contentType = value;
  }
  if (disposition === undefined) throw malformed();
  const [type, ...params] = splitParams(disposition);
  if (type.toLowerCase() !== "form-data") throw malformed();
  const name = params.find((p) => p.name === "name")?.value;
  if (name === undefined) throw malformed();
  const filename = params.find((p) => p.name === "filename")?.value;
  return {
    name,
    ...(filename === undefined ? {} : { filename }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}

/** `type; a=b; c="d; e"` → ["type", {a,b}, {c,"d; e"}]; quoted strings may hold `;` and `\"`. */
function splitParams(text: string): [string, ...{ name: string; value: string }[]] {
  const semi = text.indexOf(";");
  const type = (semi < 0 ? text : text.slice(0, semi)).trim();
  const params: { name: string; value: string }[] = [];
  let i = semi < 0 ? text.length : semi + 1;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) {
      if (text.slice(i).trim() !== "") throw malformed();
      break;
    }
    const name = text.slice(i, eq).trim().toLowerCase();
    if (name === "" || /[\s;"]/.test(name)) throw malformed();
    i = eq + 1;
    while (text[i] === " " || text[i] === "\t") i++;
    let value = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw malformed();
        const c = text[i++];
        if (c === '"') break;
        if (c === "\\" && i < text.length) value += text[i++];
        else value += c;
      }
      while (text[i] === " " || text[i] === "\t") i++;
      if (i < text.length && text[i] !== ";") throw malformed();
      i++;
    } else {
      const next = text.indexOf(";", i);
      value = (next < 0 ? text.slice(i) : text.slice(i, next)).trim();
      i = next < 0 ? text.length : next + 1;
    }
    params.push({ name, value });
  }
  return [type, ...params];
}
