// SelectObjectContent: SQL over a CSV or JSON object (reference-server/select), answered as AWS's binary
// event stream (Records, optional Progress, Stats, End). Request errors are HTTP errors; an error met
// while scanning, after the 200 went out, is an error message in the stream, as AWS does.

import { once } from "node:events";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { readSmallBody, type S3Request } from "../../http/context.ts";
import { requestSse } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { assertReadable } from "../../restore/state.ts";
import { isSelectError, type SelectError } from "../../select/errors.ts";
import {
  endEvent,
  errorMessage,
  progressEvent,
  recordsEvent,
  type ScanStats,
  statsEvent,
} from "../../select/event-stream.ts";
import { type InputSpec, type OutputSpec, runSelect } from "../../select/run.ts";
import { parseQuery } from "../../select/sql.ts";

// Delimiters may be whitespace ("\n", "\t", " "): this document is parsed without trimming.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: true,
});

type Node = Record<string, unknown>;

function nodeOf(parent: Node, name: string): Node | undefined {
  const v = parent[name];
  if (v === undefined) return undefined;
  if (typeof v === "string")
    return v.trim() === ""
      ? {}
      : (() => {
          throw new S3Error("MalformedXML");
        })();
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new S3Error("MalformedXML");
  return v as Node;
}

/** Text of a child; `raw` keeps whitespace (delimiters). */
function text(parent: Node | undefined, name: string, raw = false): string | undefined {
  const v = parent?.[name];
  if (v === undefined) return undefined;
  if (typeof v === "object") throw new S3Error("MalformedXML");
  return raw ? String(v) : String(v).trim();
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], dflt: T, what: string): T {
  const u = (v ?? dflt).toUpperCase();
  if (!(allowed as readonly string[]).includes(u)) {
    throw new S3Error("InvalidArgument", {
      message: `Invalid ${what}: ${v}`,
      extra: { ArgumentName: what, ArgumentValue: v ?? "" },
    });
  }
  return u as T;
}

function oneChar(v: string | undefined, dflt: string, what: string): string {
  if (v === undefined || v === "") return dflt;
  // AWS takes one character (a record delimiter may have two, e.g. "\r\n").
  const max = what === "RecordDelimiter" ? 2 : 1;
  if ([...v].length > max) {
    throw new S3Error("InvalidArgument", {
      message: `${what} must be a single character`,
      extra: { ArgumentName: what, ArgumentValue: v },
    });
  }
  return v;
}

function missing(what: string): S3Error {
  return new S3Error("MissingRequiredParameter", {
    message: `The SelectRequest entity is missing a required parameter: ${what}.`,
  });
}

interface SelectRequest {
  expression: string;
  input: InputSpec;
  output: OutputSpec;
  progress: boolean;
}

function parseRequest(xml: string): SelectRequest {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml) || xml.trim() === "" || XMLValidator.validate(xml) !== true) {
    throw new S3Error("MalformedXML");
  }
  const root = nodeOf(parser.parse(xml) as Node, "SelectObjectContentRequest");
  if (!root) throw new S3Error("MalformedXML");
  const expression = text(root, "Expression", true);
  if (expression === undefined || expression.trim() === "") throw missing("Expression");
  const type = text(root, "ExpressionType");
  if (type === undefined) throw missing("ExpressionType");
  if (type !== "SQL") {
    throw new S3Error("InvalidExpressionType", {
      message: "The ExpressionType is invalid. Only SQL expressions are supported.",
    });
  }
  if (root.ScanRange !== undefined) {
    throw new S3Error("UnsupportedScanRangeInput", {
      message: "Scan range queries are not supported by this server.",
    });
  }
  const progress = text(nodeOf(root, "RequestProgress"), "Enabled")?.toLowerCase() === "true";
  const inNode = nodeOf(root, "InputSerialization");
  if (!inNode) throw missing("InputSerialization");
  const compression = oneOf(
    text(inNode, "CompressionType"),
    ["NONE", "GZIP", "BZIP2"] as const,
    "NONE",
    "CompressionType",
  );
  if (compression === "BZIP2") {
    throw new S3Error("InvalidCompressionFormat", {
      message: "BZIP2 input is not supported by this server; use NONE or GZIP.",
    });
  }
  const csvIn = nodeOf(inNode, "CSV");
  const jsonIn = nodeOf(inNode, "JSON");
  if (inNode.Parquet !== undefined) {
    throw new S3Error("InvalidDataSource", { message: "Parquet input is not supported by this server." });
  }
  if ((csvIn ? 1 : 0) + (jsonIn ? 1 : 0) !== 1) throw missing("InputSerialization format (CSV or JSON)");
  let input: InputSpec;
  if (csvIn) {
    const quote = oneChar(text(csvIn, "QuoteCharacter", true), '"', "QuoteCharacter");
    const comments = text(csvIn, "Comments", true);
    input = {
      format: "CSV",
      compression,
      header: oneOf(
        text(csvIn, "FileHeaderInfo"),
        ["USE", "IGNORE", "NONE"] as const,
        "NONE",
        "FileHeaderInfo",
      ),
      fieldDelimiter: oneChar(text(csvIn, "FieldDelimiter", true), ",", "FieldDelimiter"),
      recordDelimiter: oneChar(text(csvIn, "RecordDelimiter", true), "\n", "RecordDelimiter"),
      quote,
      escape: oneChar(text(csvIn, "QuoteEscapeCharacter", true), quote, "QuoteEscapeCharacter"),
      comments: comments === undefined || comments === "" ? undefined : oneChar(comments, "#", "Comments"),
    };
    if (input.recordDelimiter === "\r\n") input.recordDelimiter = "\n";
  } else {
    const t = text(jsonIn, "Type");
    if (t === undefined) throw missing("JSON Type");
    input = {
      format: "JSON",
      compression,
      type: oneOf(t, ["DOCUMENT", "LINES"] as const, "DOCUMENT", "Type"),
    };
  }
  const outNode = nodeOf(root, "OutputSerialization");
  if (!outNode) throw missing("OutputSerialization");
  const csvOut = nodeOf(outNode, "CSV");
  const jsonOut = nodeOf(outNode, "JSON");
  if ((csvOut ? 1 : 0) + (jsonOut ? 1 : 0) !== 1) throw missing("OutputSerialization format (CSV or JSON)");
  let output: OutputSpec;
  if (csvOut) {
    const quote = oneChar(text(csvOut, "QuoteCharacter", true), '"', "QuoteCharacter");
    output = {
      format: "CSV",
      quoteFields: oneOf(
        text(csvOut, "QuoteFields"),
        ["ALWAYS", "ASNEEDED"] as const,
        "ASNEEDED",
        "QuoteFields",
      ),
      fieldDelimiter: oneChar(text(csvOut, "FieldDelimiter", true), ",", "FieldDelimiter"),
      recordDelimiter: oneChar(text(csvOut, "RecordDelimiter", true), "\n", "RecordDelimiter"),
      quote,
      escape: oneChar(text(csvOut, "QuoteEscapeCharacter", true), quote, "QuoteEscapeCharacter"),
    };
  } else {
    output = {
      format: "JSON",
      recordDelimiter: oneChar(text(jsonOut, "RecordDelimiter", true), "\n", "RecordDelimiter"),
    };
  }
  return { expression, input, output, progress };
}

function httpError(e: SelectError): S3Error {
  return new S3Error(e.code, { message: e.message });
}

/** Output is sent in Records events of at most this many bytes. */
const RECORDS_BATCH = 64 * 1024;

export async function selectObjectContent(r: S3Request): Promise<void> {
  if (r.query.get("select-type") !== "2") {
    throw new S3Error("InvalidArgument", {
      message: "select-type must be 2",
      extra: { ArgumentName: "select-type", ArgumentValue: r.query.get("select-type") ?? "" },
    });
  }
  const { data } = await readSmallBody(r, 512 * 1024);
  const req = parseRequest(data.toString("utf8"));
  let query: ReturnType<typeof parseQuery>;
  try {
    query = parseQuery(req.expression);
  } catch (e) {
    throw isSelectError(e) ? httpError(e) : e;
  }
  const sse = requestSse(r, { write: false });
  const rec = r.engine.headObject({ bucket: r.bucket!, key: r.key!, sse });
  assertReadable(rec, r.config.now());
  const got = await r.engine.getObject({ bucket: r.bucket!, key: r.key!, versionId: rec.versionId, sse });
  const stats: ScanStats = { scanned: 0, processed: 0, returned: 0 };
  const send = async (buf: Buffer) => {
    if (!r.res.write(buf)) await once(r.res, "drain");
  };
  r.res.writeHead(200, { "content-type": "application/octet-stream" });
  let pending = "";
  const flush = async () => {
    if (pending === "") return;
    const payload = Buffer.from(pending, "utf8");
    pending = "";
    stats.returned += payload.length;
    await send(recordsEvent(payload));
    if (req.progress) await send(progressEvent(stats));
  };
  try {
    for await (const text of runSelect(query, req.input, req.output, got.body, stats)) {
      pending += text;
      if (pending.length >= RECORDS_BATCH) await flush();
      if (r.res.destroyed) break;
    }
    await flush();
    if (req.progress) await send(progressEvent(stats));
    await send(statsEvent(stats));
    await send(endEvent());
  } catch (e) {
    const err = isSelectError(e)
      ? { code: e.code, message: e.message }
      : { code: "InternalError", message: "We encountered an internal error. Please try again." };
    if (!r.res.destroyed) await send(errorMessage(err.code, err.message));
  } finally {
    await got.close();
  }
  r.res.end();
}
