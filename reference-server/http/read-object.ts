// What GetObject and HeadObject share: the Range header, conditional headers with S3's precedence,
// response-* overrides and the response headers of a read.

import { parseHttpDate } from "../auth/encoding.ts";
import { checksumHeader, isChecksumAlgorithm } from "../checksums.ts";
import { expirationHeaders } from "../lifecycle/header.ts";
import { restoreHeaders } from "../restore/state.ts";
import type { ByteRange, SseRequest } from "../storage/engine-types.ts";
import { isStorageError, StorageError } from "../storage/errors.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { bucketOf, header, intParam, queryValue, type S3Request, versionIdParam } from "./context.ts";
import { checksumResponseHeaders, objectResponseHeaders, requestSse } from "./object-headers.ts";
import { S3Error } from "./s3-error.ts";
import { tagCountHeader } from "./tagging.ts";

export type RangeSpec = { start: number; end?: number } | { suffix: number };

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything else (several ranges, other units) is ignored as S3 does. */
export function parseRange(text: string | undefined): RangeSpec | undefined {
  if (text === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  if (m[2] === "") return { start };
  const end = Number(m[2]);
  return end < start ? undefined : { start, end };
}

/** The bytes a range selects in an object of `size` bytes, or InvalidRange. */
export function resolveRange(spec: RangeSpec, size: number): ByteRange {
  const invalid = () =>
    new S3Error("InvalidRange", {
      extra: { RangeRequested: rangeText(spec), ActualObjectSize: String(size) },
    });
  if ("suffix" in spec) {
    if (spec.suffix === 0 || size === 0) throw invalid();
    return { start: Math.max(0, size - spec.suffix), end: size - 1 };
  }
  if (spec.start >= size) throw invalid();
  return { start: spec.start, end: Math.min(spec.end ?? size - 1, size - 1) };
}

function rangeText(spec: RangeSpec): string {
  return "suffix" in spec ? `bytes=-${spec.suffix}` : `bytes=${spec.start}-${spec.end ?? ""}`;
}

const unquote = (s: string) =>
  s
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");

function etagMatches(list: string, etag: string): boolean {
  return list.split(",").some((t) => t.trim() === "*" || unquote(t) === etag);
}

/**
 * S3's order: If-Match (412) decides over If-Unmodified-Since; If-None-Match (304) decides over
 * If-Modified-Since. Dates compare at one-second resolution, like Last-Modified.
 */
export function evaluateConditions(r: S3Request, rec: ObjectVersionRecord): 304 | 412 | undefined {
  const lastModified = Math.floor(rec.modTime / 1000) * 1000;
  const date = (name: string) => {
    const v = header(r, name);
    return v === undefined ? undefined : parseHttpDate(v);
  };
  const ifMatch = header(r, "if-match");
  const ifNoneMatch = header(r, "if-none-match");
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, rec.etag)) return 412;
  } else {
    const ius = date("if-unmodified-since");
    if (ius && lastModified > ius.getTime()) return 412;
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, rec.etag)) return 304;
  } else {
    const ims = date("if-modified-since");
    if (ims && lastModified <= ims.getTime()) return 304;
  }
  return undefined;
}

const OVERRIDES = [
  "content-type",
  "content-language",
  "expires",
  "cache-control",
  "content-disposition",
  "content-encoding",
] as const;

export interface ReadPlan {
  rec: ObjectVersionRecord;
  /** The request's SSE-C key, validated (undefined without SSE-C headers): the read needs it again. */
  sse: SseRequest | undefined;
  /** The conditional result, when the request stops at headers. */
  stop?: 304 | 412;
  status: 200 | 206;
  range?: ByteRange;
  headers: Record<string, string>;
}

/** Resolve the version, conditions, range or part and the headers of a GET or HEAD. */
export function planRead(r: S3Request): ReadPlan {
  const versionId = versionIdParam(r);
  const partNumber = r.query.has("partNumber") ? intParam(r, "partNumber", 1, 1, 10_000) : undefined;
  const spec = parseRange(header(r, "range"));
  if (partNumber !== undefined && spec !== undefined) {
    throw new S3Error("InvalidRequest", {
      message: "Cannot specify both Range header and partNumber query parameter",
    });
  }
  const sse = requestSse(r, { write: false });
  let rec: ObjectVersionRecord;
  try {
    rec = r.engine.headObject({ bucket: r.bucket!, key: r.key!, versionId, sse, partNumber });
  } catch (e) {
    if (isStorageError(e, "InvalidPart")) throw new S3Error("InvalidPartNumber");
    throw deleteMarkerError(r, e);
  }
  const base = objectResponseHeaders(rec, bucketOf(r));
  const stop = evaluateConditions(r, rec);
  if (stop !== undefined) {
    const h: Record<string, string> = { etag: base.etag, "last-modified": base["last-modified"] };
    return { rec, sse, stop, status: 200, headers: h };
  }
  let range: ByteRange | undefined;
  if (partNumber !== undefined) {
    let start = 0;
    for (let i = 0; i < partNumber - 1; i++) start += rec.parts[i].size;
    range = { start, end: start + rec.parts[partNumber - 1].size - 1 };
  } else if (spec !== undefined) {
    range = resolveRange(spec, rec.size);
  }
  const headers = Object.assign(
    base,
    tagCountHeader(rec),
    restoreHeaders(rec, r.config.now()),
    expirationHeaders(r, rec),
  );
  for (const name of OVERRIDES) {
    const v = queryValue(r, `response-${name}`);
    if (v !== undefined) headers[name] = v;
  }
  const wantChecksum = header(r, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED";
  if (partNumber !== undefined && rec.multipart) {
    headers["x-amz-mp-parts-count"] = String(rec.parts.length);
    if (wantChecksum) Object.assign(headers, partChecksumHeaders(rec, partNumber));
  } else if (wantChecksum && (spec === undefined || partNumber !== undefined)) {
    Object.assign(headers, checksumResponseHeaders(rec.checksum));
  }
  const length = range ? Math.max(0, range.end - range.start + 1) : rec.size;
  headers["content-length"] = String(length);
  // Any range or part is a 206 with Content-Range, even part 1 of a single-part object (as S3 answers);
  // an empty object has no bytes to range over.
  if (range !== undefined && rec.size > 0) {
    headers["content-range"] = `bytes ${range.start}-${range.end}/${rec.size}`;
    return { rec, sse, status: 206, range, headers };
  }
  return { rec, sse, status: 200, headers };
}

function partChecksumHeaders(rec: ObjectVersionRecord, n: number): Record<string, string> {
  const part = rec.parts[n - 1];
  const alg = rec.checksum?.algorithm;
  const value = alg ? part?.checksums?.[alg] : undefined;
  if (!alg || !value || !isChecksumAlgorithm(alg)) return {};
  return { [checksumHeader(alg)]: value, "x-amz-checksum-type": "FULL_OBJECT" };
}

/**
 * A read that met a delete marker: AWS adds the marker's Last-Modified to the 404/405 and names the
 * refused method in a 405's body.
 */
export function deleteMarkerError(r: S3Request, e: unknown): unknown {
  if (!isStorageError(e) || e.detail?.deleteMarker !== true || typeof e.detail.versionId !== "string")
    return e;
  const marker = r.engine.versionsOf(r.bucket!, r.key!).find((v) => v.versionId === e.detail?.versionId);
  return new StorageError(e.code, e.message, {
    ...e.detail,
    method: r.method,
    lastModified: marker?.modTime,
  });
}
