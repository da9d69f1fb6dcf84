// Annotation shards under maintenance. Heal re-encodes the shards a disk lost or holds damaged from a zone
// that still opens (the payload is decrypted before anything is written, so a bad zone is never copied),
// and master-key rotation re-seals each payload's data key in its shard files (the key travels in every
// shard's header, not in the version record). Both write under the key lock and only while the catalogue
// still names the generation: a generation replaced or deleted meanwhile must not come back as an orphan
// file in the version's data directory.

import { needsReseal, resealObjectKey, type SealedObjectKey } from "../crypto/object-key.ts";
import {
  type AnnotationEntry,
  annotationsOf,
  decodeShard,
  distinctSealed,
  encodeShard,
  openPayload,
  type ShardHeader,
  sealContext,
  shardFile,
} from "./annotations.ts";
import type { LocalDisk } from "./disk.ts";
import { type EngineContext, zonesOf } from "./engine-context.ts";
import { DiskError } from "./errors.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";

interface ShardRead {
  zone: string;
  index: number;
  disk: LocalDisk;
  /** Absent when the file is missing, unreadable, damaged or of another generation. */
  got?: { shard: Buffer; header: ShardHeader };
}

const isStale = (sealed: Record<string, unknown>, ctx: EngineContext) =>
  needsReseal(sealed as unknown as SealedObjectKey, ctx.keyring);

/** Every online disk's shard of one annotation (offline disks are left for a later heal). */
async function readShards(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  entry: AnnotationEntry,
): Promise<ShardRead[]> {
  const file = shardFile(rec, entry.gen);
  const reads: Promise<ShardRead>[] = [];
  for (const z of zonesOf(ctx, rec.erasure?.distribution ?? {})) {
    z.disks.forEach((disk, index) => {
      if (!disk?.online) return;
      reads.push(
        disk.readFile(file).then(
          (buf) => ({ zone: z.zone, index, disk, got: decodeShard(buf, entry.gen, index) }),
          (e) => {
            if (!(e instanceof DiskError)) throw e;
            return { zone: z.zone, index, disk };
          },
        ),
      );
    });
  }
  return Promise.all(reads);
}

/**
 * The payload's ciphertext and a sealed key that opens it, from the first zone with k intact shards that
 * decrypts; a sealing under the current master key is preferred.
 */
function recover(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  name: string,
  entry: AnnotationEntry,
  reads: ShardRead[],
): { sealedText: Buffer; sealed: Record<string, unknown> } | undefined {
  const k = ctx.codec.dataShards;
  for (const z of zonesOf(ctx, rec.erasure?.distribution ?? {})) {
    const mine = reads.filter((r) => r.zone === z.zone && r.got);
    if (mine.length < k) continue;
    const shards: (Buffer | null)[] = z.disks.map(() => null);
    for (const r of mine) shards[r.index] = r.got!.shard;
    const full = ctx.codec.reconstruct(shards, { dataOnly: true });
    const sealedText = ctx.codec.joinData(full.slice(0, k), entry.cipherSize);
    const candidates = distinctSealed(mine.map((r) => r.got?.header));
    candidates.sort((a, b) => Number(isStale(a, ctx)) - Number(isStale(b, ctx)));
    for (const sealed of candidates) {
      if (openPayload(ctx, rec, name, entry, sealed, sealedText)) return { sealedText, sealed };
    }
  }
  return undefined;
}

/** Run `fn` under the key lock if the version still names this generation for `name`. */
function whileCurrent(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
  name: string,
  gen: string,
  fn: () => Promise<void>,
): Promise<void> {
  return ctx.locks.run(rec.bucket, rec.key, async () => {
    const cur = ctx.index.getVersion(rec.bucket, rec.key, rec.versionId);
    if (cur?.writeId !== rec.writeId || annotationsOf(cur)[name]?.gen !== gen) return;
    await fn();
  });
}

async function writeShard(
  disk: LocalDisk,
  file: string,
  header: ShardHeader,
  shard: Uint8Array,
): Promise<boolean> {
  try {
    await disk.writeFileAtomic(file, encodeShard(header, shard));
    return true;
  } catch (e) {
    if (e instanceof DiskError) return false;
    throw e;
  }
}

/**
 * Heal a version's annotations on its online disks: a shard missing, damaged, or carrying another sealing
 * of the key than the one that opens (a disk a rotation missed) is rewritten. Shards are small, so both
 * heal modes read them in full. Returns the shards rewritten ("disk:ann-gen") and the annotations no zone
 * could serve.
 */
export async function healAnnotations(
  ctx: EngineContext,
  rec: ObjectVersionRecord,
): Promise<{ shards: string[]; unreadable: string[] }> {
  const shards: string[] = [];
  const unreadable: string[] = [];
  for (const [name, entry] of Object.entries(annotationsOf(rec))) {
    const reads = await readShards(ctx, rec, entry);
    const sealings = distinctSealed(reads.map((r) => r.got?.header));
    if (reads.every((r) => r.got) && sealings.length <= 1) continue;
    const good = recover(ctx, rec, name, entry, reads);
    if (!good) {
      unreadable.push(name);
      continue;
    }
    const sealedJson = JSON.stringify(good.sealed);
    const targets = reads.filter((r) => !r.got || JSON.stringify(r.got.header.sealed) !== sealedJson);
    const encoded = ctx.codec.encodeBlock(good.sealedText);
    const file = shardFile(rec, entry.gen);
    await whileCurrent(ctx, rec, name, entry.gen, async () => {
      await Promise.all(
        targets.map(async (t) => {
          const header = { gen: entry.gen, index: t.index, sealed: good.sealed };
          if (await writeShard(t.disk, file, header, encoded[t.index])) {
            shards.push(`${t.disk.id}:ann-${entry.gen}`);
          }
        }),
      );
    });
  }
  return { shards, unreadable };
}

/**
 * Rotation: re-seal every annotation data key of the version that is sealed under another master key than
 * the keyring's current one, rewriting the shard files on the online disks (same shard bytes, new header).
 * Returns how many annotations were re-sealed. A disk offline keeps the old sealing until heal rewrites it.
 */
export async function resealAnnotations(ctx: EngineContext, rec: ObjectVersionRecord): Promise<number> {
  let resealed = 0;
  for (const [name, entry] of Object.entries(annotationsOf(rec))) {
    const reads = await readShards(ctx, rec, entry);
    const stale = reads.filter((r) => r.got && isStale(r.got.header.sealed, ctx));
    if (stale.length === 0) continue;
    const fresh =
      reads.find((r) => r.got && !isStale(r.got.header.sealed, ctx))?.got?.header.sealed ??
      ({
        ...resealObjectKey(
          stale[0].got!.header.sealed as unknown as SealedObjectKey,
          sealContext(rec),
          ctx.keyring,
        ),
      } as Record<string, unknown>);
    const file = shardFile(rec, entry.gen);
    await whileCurrent(ctx, rec, name, entry.gen, async () => {
      await Promise.all(
        stale.map((t) =>
          writeShard(t.disk, file, { gen: entry.gen, index: t.index, sealed: fresh }, t.got!.shard),
        ),
      );
    });
    resealed++;
  }
  return resealed;
}
