// Runs a parsed query over an object's bytes as they stream in: optional GZIP, CSV or JSON records,
// WHERE, projection or aggregates, LIMIT, CSV or JSON output. Yields output text in batches and keeps
// the byte counts AWS reports in Stats.

import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { SelectError } from "./errors.ts";
import { Aggregate, type EvalContext, evaluate, matches, type Row, type Value } from "./eval.ts";
import type { ScanStats } from "./event-stream.ts";
import { CsvReader, JsonDocumentReader, JsonLinesReader } from "./input.ts";
import type { PathPart, Query } from "./sql.ts";

export type InputSpec =
  | {
      format: "CSV";
      compression: "NONE" | "GZIP";
      header: "USE" | "IGNORE" | "NONE";
      fieldDelimiter: string;
      recordDelimiter: string;
      quote: string;
      escape: string;
      comments?: string;
    }
  | { format: "JSON"; compression: "NONE" | "GZIP"; type: "DOCUMENT" | "LINES" };

export type OutputSpec =
  | {
      format: "CSV";
      quoteFields: "ALWAYS" | "ASNEEDED";
      fieldDelimiter: string;
      recordDelimiter: string;
      quote: string;
      escape: string;
    }
  | { format: "JSON"; recordDelimiter: string };

type Entry = readonly [string, Value];

function itemName(e: Query["items"] extends (infer I)[] | undefined ? I : never, i: number): string {
  if (e.alias !== undefined) return e.alias;
  if (e.e.k === "path") {
    const last = e.e.parts[e.e.parts.length - 1];
    if ("name" in last) return last.name;
  }
  return `_${i + 1}`;
}

function starEntries(row: Row): Entry[] {
  if (row.kind === "csv") return row.fields.map((f, i) => [row.names?.[i] ?? `_${i + 1}`, f] as const);
  const v = row.value;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return Object.entries(v);
  return [["_1", v]];
}

function csvValue(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function formatRecord(entries: readonly Entry[], out: OutputSpec): string {
  if (out.format === "JSON") {
    const o: Record<string, Value> = {};
    for (const [k, v] of entries) if (v !== undefined) o[k] = v;
    return JSON.stringify(o) + out.recordDelimiter;
  }
  const fields = entries.map(([, v]) => {
    const s = csvValue(v);
    const needs =
      out.quoteFields === "ALWAYS" ||
      s.includes(out.fieldDelimiter) ||
      s.includes(out.recordDelimiter) ||
      s.includes(out.quote) ||
      s.includes("\n") ||
      s.includes("\r");
    if (!needs) return s;
    return out.quote + s.split(out.quote).join(out.escape + out.quote) + out.quote;
  });
  return fields.join(out.fieldDelimiter) + out.recordDelimiter;
}

/** JSON records under the FROM path: S3Object[*].a.b — [*] spreads an array's elements. */
function expand(v: Value, parts: readonly PathPart[]): Value[] {
  if (parts.length === 0) return [v];
  const [p, ...rest] = parts;
  if ("star" in p) return Array.isArray(v) ? v.flatMap((x) => expand(x, rest)) : expand(v, rest);
  if (v === null || v === undefined || typeof v !== "object") return [];
  const next =
    "index" in p ? (Array.isArray(v) ? v[p.index] : undefined) : Array.isArray(v) ? undefined : v[p.name];
  return next === undefined ? [] : expand(next, rest);
}

async function* decompressed(
  body: AsyncIterable<Buffer>,
  input: InputSpec,
  stats: ScanStats,
): AsyncGenerator<Buffer> {
  async function* counted() {
    for await (const c of body) {
      stats.scanned += c.length;
      yield c;
    }
  }
  const src: AsyncIterable<Buffer> =
    input.compression === "GZIP" ? Readable.from(counted()).pipe(createGunzip()) : counted();
  try {
    for await (const c of src) {
      stats.processed += c.length;
      yield c;
    }
  } catch (e) {
    if (input.compression === "GZIP" && (e as NodeJS.ErrnoException).code?.startsWith("Z_")) {
      throw new SelectError(
        "InvalidCompressionFormat",
        "GZIP is not applicable to the queried object. Please correct the request and try again.",
      );
    }
    throw e;
  }
}

/**
 * Output text batches (one per input chunk that produced rows). Stops reading once LIMIT is met.
 */
export async function* runSelect(
  q: Query,
  input: InputSpec,
  out: OutputSpec,
  body: AsyncIterable<Buffer>,
  stats: ScanStats,
): AsyncGenerator<string> {
  const ctx: EvalContext = { alias: q.alias };
  const aggs = q.items?.some((it) => it.e.k === "agg") ? q.items : undefined;
  if (aggs?.some((it) => it.e.k !== "agg")) {
    throw new SelectError(
      "ParseUnsupportedSyntax",
      "Aggregate functions must be used alone in the SELECT list",
    );
  }
  const states = aggs?.map((it) => (it.e.k === "agg" ? new Aggregate(it.e.fn, it.e.e) : undefined)!);
  const limit = q.limit ?? Number.POSITIVE_INFINITY;
  let emitted = 0;
  let seen = 0;

  const csv = input.format === "CSV" ? new CsvReader(input) : undefined;
  const lines = input.format === "JSON" && input.type === "LINES" ? new JsonLinesReader() : undefined;
  const doc = input.format === "JSON" && input.type === "DOCUMENT" ? new JsonDocumentReader() : undefined;
  let names: string[] | undefined;
  let headerPending = input.format === "CSV" && input.header !== "NONE";

  const rowsOf = (raw: unknown[]): Row[] => {
    if (csv) {
      const rows: Row[] = [];
      for (const fields of raw as string[][]) {
        if (headerPending) {
          headerPending = false;
          if (input.format === "CSV" && input.header === "USE") names = fields.map((f) => f.trim());
          continue;
        }
        rows.push({ kind: "csv", fields, names });
      }
      return rows;
    }
    return (raw as Value[]).flatMap((v) => expand(v, q.from).map((value): Row => ({ kind: "json", value })));
  };

  const process = (rows: Row[]): { text: string; done: boolean } => {
    let text = "";
    for (const row of rows) {
      if (aggs === undefined && emitted >= limit) return { text, done: true };
      if (aggs !== undefined && seen >= limit) return { text, done: true };
      if (!matches(q, row, ctx)) continue;
      if (states) {
        seen++;
        for (const s of states) s.add(row, ctx);
        continue;
      }
      const entries: Entry[] = q.items
        ? q.items.map((it, i) => [itemName(it, i), evaluate(it.e, row, ctx)] as const)
        : starEntries(row);
      text += formatRecord(entries, out);
      emitted++;
    }
    return { text, done: aggs === undefined ? emitted >= limit : false };
  };

  const decoder = new TextDecoder("utf-8", { fatal: false });
  let finished = false;
  for await (const chunk of decompressed(body, input, stats)) {
    const text = decoder.decode(chunk, { stream: true });
    const raw = csv ? csv.feed(text) : lines ? lines.feed(text) : doc!.feed(text);
    const { text: outText, done } = process(rowsOf(raw));
    if (outText) yield outText;
    if (done) {
      finished = true;
      break;
    }
  }
  if (!finished) {
    const tail = decoder.decode();
    const raw = csv
      ? [...csv.feed(tail), ...csv.end()]
      : lines
        ? [...lines.feed(tail), ...lines.end()]
        : [...doc!.feed(tail), ...doc!.end()];
    const { text } = process(rowsOf(raw));
    if (text) yield text;
  }
  if (states && aggs) {
    // LIMIT applies to the one aggregate row.
    if (limit > 0)
      yield formatRecord(
        aggs.map((it, i) => [itemName(it, i), states[i].result()] as const),
        out,
      );
  }
}
