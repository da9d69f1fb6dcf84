import type { EngineContext } from "./engine-context.ts";
import type {
  ListObjectsInput,
  ListObjectsResult,
  ListVersionsInput,
  ListVersionsResult,
} from "./engine-types.ts";
import { StorageError } from "./errors.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";
import { requireBucket } from "./object-write.ts";

const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");
/** S3 orders keys by their UTF-8 bytes, not by JS (UTF-16) string order. */
export const compareKeys = (a: string, b: string) => Buffer.compare(utf8(a), utf8(b));

/** Smallest byte string greater than every string starting with `p` (UTF-8 never has 0xFF bytes). */
export function prefixEnd(p: string): Buffer {
  const b = Buffer.from(utf8(p));
  b[b.length - 1]++;
  return b;
}

const BATCH = 256;

function checkMaxKeys(n: number | undefined): number {
  const v = n ?? 1000;
  if (!Number.isInteger(v) || v < 0)
    throw new StorageError("InvalidArgument", "max-keys must be a non-negative integer");
  return Math.min(v, 1000);
}

/**
 * Walk keys in order starting after `after` (or at `prefix`), folding keys that contain the delimiter
 * after the prefix into common prefixes. Each object and each common prefix counts once against
 * max-keys, as in S3; a common prefix is skipped in one seek.
 */
function* walk<T>(
  scan: (from: Buffer, inclusive: boolean) => { key: string; item: T }[],
  prefix: string,
  delimiter: string | undefined,
  after: string | undefined,
): Generator<{ key: string; item?: T; commonPrefix?: string }> {
  let from: Buffer = utf8(prefix);
  let inclusive = true;
  if (after !== undefined && Buffer.compare(utf8(after), from) >= 0) {
    from = utf8(after);
    inclusive = false;
  }
  for (;;) {
    const rows = scan(from, inclusive);
    if (rows.length === 0) return;
    let seeked = false;
    for (const row of rows) {
      if (!row.key.startsWith(prefix)) return;
      if (delimiter) {
        const i = row.key.indexOf(delimiter, prefix.length);
        if (i >= 0) {
          const cp = row.key.slice(0, i + delimiter.length);
          if (after === undefined || compareKeys(cp, after) > 0) yield { key: cp, commonPrefix: cp };
          from = prefixEnd(cp);
          inclusive = true;
          seeked = true;
          break;
        }
      }
      yield { key: row.key, item: row.item };
      from = utf8(row.key);
      inclusive = false;
    }
    if (!seeked && rows.length < BATCH) return;
  }
}

export function listObjects(ctx: EngineContext, input: ListObjectsInput): ListObjectsResult {
  requireBucket(ctx, input.bucket);
  const max = checkMaxKeys(input.maxKeys);
  const out: ListObjectsResult = { objects: [], commonPrefixes: [], isTruncated: false };
  if (max === 0) return out;
  const scan = (from: Buffer, inclusive: boolean) =>
    ctx.index.scanLatest(input.bucket, from, inclusive, BATCH).map((r) => ({ key: r.key, item: r }));
  let n = 0;
  for (const e of walk(scan, input.prefix ?? "", input.delimiter || undefined, input.after)) {
    if (n === max) {
      out.isTruncated = true;
      break;
    }
    if (e.commonPrefix !== undefined) out.commonPrefixes.push(e.commonPrefix);
    else out.objects.push(e.item as ObjectVersionRecord);
    out.nextMarker = e.key;
    n++;
  }
  return out;
}

export function listObjectVersions(ctx: EngineContext, input: ListVersionsInput): ListVersionsResult {
  requireBucket(ctx, input.bucket);
  const max = checkMaxKeys(input.maxKeys);
  const out: ListVersionsResult = { versions: [], commonPrefixes: [], isTruncated: false };
  if (max === 0) return out;
  const prefix = input.prefix ?? "";
  const delimiter = input.delimiter || undefined;
  // Resume inside keyMarker's versions when a version-id marker is given.
  let pending: (ObjectVersionRecord & { isLatest: boolean })[] = [];
  const after = input.keyMarker || undefined;
  if (input.keyMarker && input.versionIdMarker) {
    const all = ctx.index
      .versionsOf(input.bucket, input.keyMarker)
      .map((v, i) => ({ ...v, isLatest: i === 0 }));
    const idx = all.findIndex((v) => v.versionId === input.versionIdMarker);
    // AWS refuses a marker naming no version of the key (InvalidArgument); "null" may name none.
    if (idx < 0 && input.versionIdMarker !== "null") {
      throw new StorageError("InvalidArgument", "Invalid version id specified");
    }
    if (input.keyMarker.startsWith(prefix)) pending = idx < 0 ? [] : all.slice(idx + 1);
  }
  const scan = (from: Buffer, inclusive: boolean) =>
    ctx.index.scanVersionKeys(input.bucket, from, inclusive, BATCH).map((k) => ({ key: k, item: k }));
  let n = 0;
  const emit = (v: ObjectVersionRecord & { isLatest: boolean }): boolean => {
    if (n === max) {
      out.isTruncated = true;
      return false;
    }
    out.versions.push(v);
    out.nextKeyMarker = v.key;
    out.nextVersionIdMarker = v.versionId;
    n++;
    return true;
  };
  for (const v of pending) if (!emit(v)) return out;
  for (const e of walk(scan, prefix, delimiter, after)) {
    if (e.commonPrefix !== undefined) {
      if (n === max) {
        out.isTruncated = true;
        return out;
      }
      out.commonPrefixes.push(e.commonPrefix);
      out.nextKeyMarker = e.commonPrefix;
      out.nextVersionIdMarker = undefined;
      n++;
      continue;
    }
    const versions = ctx.index.versionsOf(input.bucket, e.key);
    for (let i = 0; i < versions.length; i++) {
      if (!emit({ ...versions[i], isLatest: i === 0 })) return out;
    }
  }
  return out;
}
