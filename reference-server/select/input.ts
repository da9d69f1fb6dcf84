// Incremental readers of an object's records: CSV (delimiters, quote and escape characters, comment
// lines) and JSON (LINES: one value per line; DOCUMENT: whole top-level values, split by bracket depth).
// Each is fed text as it arrives, so memory holds one record, not the object.

import { SelectError } from "./errors.ts";
import type { Value } from "./eval.ts";

/** One record can be at most 1 MiB, as on AWS. */
export const MAX_RECORD = 1 << 20;

export interface CsvOptions {
  fieldDelimiter: string;
  recordDelimiter: string;
  quote: string;
  escape: string;
  comments?: string;
}

export class CsvReader {
  private field = "";
  private fields: string[] = [];
  private inQuotes = false;
  private afterQuote = false;
  private size = 0;
  private atRecordStart = true;
  private skipping = false;
  private pendingEscape = false;

  private readonly o: CsvOptions;
  constructor(o: CsvOptions) {
    this.o = o;
  }

  /** Records completed by this text. */
  feed(text: string): string[][] {
    const out: string[][] = [];
    const { fieldDelimiter: fd, recordDelimiter: rd, quote: q, escape: esc } = this.o;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.skipping) {
        if (c === rd) {
          this.skipping = false;
          this.atRecordStart = true;
        }
        continue;
      }
      if (this.atRecordStart && this.o.comments !== undefined && c === this.o.comments && !this.inQuotes) {
        this.skipping = true;
        continue;
      }
      this.atRecordStart = false;
      if (++this.size > MAX_RECORD) {
        throw new SelectError(
          "OverMaxRecordSize",
          "The length of a record in the input or result is greater than maxCharsPerRecord of 1 MB.",
        );
      }
      if (this.inQuotes) {
        if (this.pendingEscape) {
          this.pendingEscape = false;
          if (c === q) {
            this.field += c;
            continue;
          }
          // The escape was the closing quote (escape == quote): fall through as outside quotes.
          this.inQuotes = false;
          this.afterQuote = true;
        } else if (c === esc && esc !== q) {
          this.field += text[++i] ?? "";
          continue;
        } else if (c === q) {
          if (esc === q) this.pendingEscape = true;
          else {
            this.inQuotes = false;
            this.afterQuote = true;
          }
          continue;
        } else {
          this.field += c;
          continue;
        }
      }
      if (c === fd) {
        this.fields.push(this.field);
        this.field = "";
        this.afterQuote = false;
      } else if (c === rd) {
        out.push(this.finish());
      } else if (c === q && this.field === "" && !this.afterQuote) {
        this.inQuotes = true;
      } else {
        this.field += c;
      }
    }
    return out;
  }

  /** The last record when the text did not end with a delimiter. */
  end(): string[][] {
    if (this.pendingEscape) {
      this.pendingEscape = false;
      this.inQuotes = false;
    }
    if (this.inQuotes)
      throw new SelectError(
        "CSVParsingError",
        "Encountered an error parsing the CSV file: unterminated quoted field.",
      );
    if (this.atRecordStart || this.skipping) return [];
    return [this.finish()];
  }

  private finish(): string[] {
    let last = this.field;
    // A "\n" record delimiter also takes "\r\n" line ends.
    if (this.o.recordDelimiter === "\n" && !this.afterQuote && last.endsWith("\r")) last = last.slice(0, -1);
    const rec = [...this.fields, last];
    this.fields = [];
    this.field = "";
    this.afterQuote = false;
    this.inQuotes = false;
    this.size = 0;
    this.atRecordStart = true;
    return rec;
  }
}

function parseJson(text: string): Value {
  try {
    return JSON.parse(text) as Value;
  } catch {
    throw new SelectError(
      "JSONParsingError",
      "Encountered an error parsing the JSON file. Check the file and try again.",
    );
  }
}

/** JSON LINES: one value per non-empty line. */
export class JsonLinesReader {
  private buf = "";
  feed(text: string): Value[] {
    this.buf += text;
    const out: Value[] = [];
    let nl = this.buf.indexOf("\n");
    while (nl >= 0) {
      const line = this.buf.slice(0, nl).trim();
      if (line !== "") out.push(parseJson(line));
      this.buf = this.buf.slice(nl + 1);
      nl = this.buf.indexOf("\n");
    }
    if (this.buf.length > MAX_RECORD) {
      throw new SelectError(
        "OverMaxRecordSize",
        "The length of a record in the input or result is greater than maxCharsPerRecord of 1 MB.",
      );
    }
    return out;
  }
  end(): Value[] {
    const line = this.buf.trim();
    this.buf = "";
    return line === "" ? [] : [parseJson(line)];
  }
}

/** JSON DOCUMENT: a sequence of top-level objects or arrays, each parsed whole once its brackets close. */
export class JsonDocumentReader {
  private buf = "";
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scanned = 0;
  feed(text: string): Value[] {
    this.buf += text;
    const out: Value[] = [];
    let i = this.scanned;
    while (i < this.buf.length) {
      const c = this.buf[i];
      if (this.depth === 0 && !this.inString) {
        if (/\s/.test(c)) {
          i++;
          continue;
        }
        if (c !== "{" && c !== "[") {
          throw new SelectError(
            "JSONParsingError",
            "Encountered an error parsing the JSON file. Check the file and try again.",
          );
        }
        this.buf = this.buf.slice(i);
        i = 0;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === "\\") this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === "{" || c === "[") this.depth++;
      else if (c === "}" || c === "]") {
        this.depth--;
        if (this.depth === 0) {
          out.push(parseJson(this.buf.slice(0, i + 1)));
          this.buf = this.buf.slice(i + 1);
          i = 0;
          continue;
        }
      }
      i++;
    }
    this.scanned = i;
    if (this.depth > 0 && this.buf.length > 64 * MAX_RECORD) {
      throw new SelectError(
        "OverMaxRecordSize",
        "The JSON document is too large to be processed as one record.",
      );
    }
    return out;
  }
  end(): Value[] {
    if (this.depth !== 0 || this.inString || this.buf.trim() !== "") {
      throw new SelectError(
        "JSONParsingError",
        "Encountered an error parsing the JSON file. Check the file and try again.",
      );
    }
    return [];
  }
}
