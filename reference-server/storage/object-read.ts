import { isCryptoError } from "../crypto/errors.ts";
import { PartReader, type PartReader as PR, ZonePartReader } from "./block-reader.ts";
import { decryptPartRange, openObjectKey } from "./encryption.ts";
import { type EngineContext, zonesOf } from "./engine-context.ts";
import type { ByteRange, GetObjectInput, GetObjectResult, SseRequest } from "./engine-types.ts";
import { StorageError } from "./errors.ts";
import type { ObjectVersionRecord, PartRecord } from "./meta-record.ts";
import { requireBucket } from "./object-write.ts";
import { readSmallInline } from "./small-read.ts";

/** The version a request names: latest, or by id. Delete markers answer as S3 does. */
export function resolveVersion(
  ctx: EngineContext,
  bucket: string,
  key: string,
  versionId?: string,
): ObjectVersionRecord {
  requireBucket(ctx, bucket);
  if (versionId === undefined) {
    const rec = ctx.index.getLatest(bucket, key);
    if (!rec) throw new StorageError("NoSuchKey", "The specified key does not exist.", { key });
    if (rec.deleteMarker) {
      throw new StorageError("NoSuchKey", "The specified key does not exist.", {
        key,
        deleteMarker: true,
        versionId: rec.versionId,
      });
    }
    return rec;
  }
  const rec = ctx.index.getVersion(bucket, key, versionId);
  if (!rec)
    throw new StorageError("NoSuchVersion", "The specified version does not exist.", { key, versionId });
  if (rec.deleteMarker) {
    throw new StorageError("MethodNotAllowed", "The specified method is not allowed against this resource.", {
      key,
      deleteMarker: true,
      versionId: rec.versionId,
    });
  }
  return rec;
}

export function headObject(ctx: EngineContext, input: Omit<GetObjectInput, "range">): ObjectVersionRecord {
  const rec = resolveVersion(ctx, input.bucket, input.key, input.versionId);
  openObjectKey(ctx, rec, input.sse); // SSE-C: HEAD needs the right key too
  if (input.partNumber !== undefined) partRange(rec, input.partNumber);
  return rec;
}

/** Plaintext range of part n (1-based); a single-part object has part 1 only. */
export function partRange(rec: ObjectVersionRecord, n: number): ByteRange {
  if (!Number.isInteger(n) || n < 1 || n > rec.parts.length) {
    throw new StorageError("InvalidPart", "The requested partnumber is not satisfiable", { partNumber: n });
  }
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += rec.parts[i].size;
  return { start, end: start + rec.parts[n - 1].size - 1 };
}

/** A part read across the version's zones; damage found on the way is reported (default: queued for heal). */
export function partReader(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  part: PartRecord,
  report: (zone: string, diskId: string, reason: string) => void = (zone, diskId, reason) =>
    ctx.damaged(rec, zone, diskId, reason),
  verifyChecksums = true,
): PR {
  const zones = zonesOf(ctx, rec.erasure!.distribution).map(
    (z) => () =>
      new ZonePartReader({
        zone: z.zone,
        disks: z.disks,
        record: rec,
        part,
        codec: ctx.codec,
        report,
        verifyChecksums,
      }),
  );
  return new PartReader(zones);
}

export async function getObject(ctx: EngineContext, input: GetObjectInput): Promise<GetObjectResult> {
  const rec = input.record ?? resolveVersion(ctx, input.bucket, input.key, input.versionId);
  const objectKey = openObjectKey(ctx, rec, input.sse);
  let range: ByteRange | null = null;
  if (input.partNumber !== undefined) range = partRange(rec, input.partNumber);
  else if (input.range) {
    if (input.range.start >= rec.size || input.range.start > input.range.end) {
      throw new StorageError("InvalidRange", "The requested range is not satisfiable", { size: rec.size });
    }
    range = { start: input.range.start, end: Math.min(input.range.end, rec.size - 1) };
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? rec.size - 1;
  const small = readSmallInline(ctx, rec, objectKey, start, end);
  if (small) return { record: rec, range, body: once(small), whole: small, close: async () => {} };
  const readers: PR[] = [];
  async function* body(): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const part of rec.parts) {
      const pStart = offset;
      offset += part.size;
      if (
        part.size === 0 ? !(rec.size === 0 && range === null) : pStart + part.size - 1 < start || pStart > end
      )
        continue;
      let from = Math.max(start, pStart) - pStart;
      const to = Math.min(end, pStart + part.size - 1) - pStart;
      const streamPart = rec.multipart ? part.number : 0;
      const bs = rec.erasure!.blockSize;
      // Data shards are first read without their block checksums: the GCM tags authenticate every byte
      // before it is yielded, and checking CRC32 as well cost ~20 % of a large GET's CPU. A tag that
      // fails means damage somewhere in the stripe: the rest of the part is then read again with every
      // shard checked, so the damaged one is found, rebuilt from parity and reported for heal.
      for (let verify = false; ; verify = true) {
        const reader = partReader(ctx, rec, part, undefined, verify);
        readers.push(reader);
        try {
          for await (const c of decryptPartRange(objectKey, streamPart, part.size, from, to, (cs, ce) =>
            reader.readRange(cs, ce, bs),
          )) {
            from += c.byteLength;
            yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
          }
          break;
        } catch (e) {
          if (verify || !isCryptoError(e, "IntegrityError") || from > to) throw e;
        } finally {
          await reader.close();
        }
      }
    }
  }
  const close = async () => {
    await Promise.all(readers.map((r) => r.close()));
  };
  // Read the first chunk now so an unreadable object fails before the caller sends headers.
  const it = body();
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (e) {
    await close();
    throw e;
  }
  async function* withFirst(): AsyncGenerator<Buffer> {
    try {
      if (!first.done) yield first.value;
      yield* { [Symbol.asyncIterator]: () => it };
    } finally {
      await it.return?.(undefined);
      await close();
    }
  }
  return { record: rec, range, body: withFirst(), close };
}

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

export type { SseRequest };
