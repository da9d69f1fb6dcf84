import type { LocalDisk, ShardReader } from "./disk.ts";
import type { ErasureCodec } from "./erasure/index.ts";
import { DiskError, StorageError } from "./errors.ts";
import { decodeMetaRecord, type ObjectVersionRecord, type PartRecord } from "./meta-record.ts";
import { metaFile } from "./paths.ts";
import {
  type BlockLayout,
  blockDataLength,
  blockLayout,
  shardBlockSpan,
  shardLengthFor,
  verifyShardBlock,
} from "./shard-file.ts";

/** Called when a read finds a shard missing or corrupt, so heal can repair it. */
export type DamageReporter = (zone: string, diskId: string, reason: string) => void;

/**
 * Reads the stripe blocks of one part from one zone. Data shards are read first (the code is systematic,
 * so a healthy read needs no decoding); any shard that is offline, missing or fails its block checksum is
 * treated as lost and replaced by a parity shard; below k good shards the zone gives up with
 * InsufficientReadQuorum (the caller then tries another zone). Wrong bytes are never returned: every
 * shard block is checksummed before use.
 */
export class ZonePartReader {
  readonly zone: string;
  private readonly disks: (LocalDisk | undefined)[];
  private readonly record: ObjectVersionRecord;
  private readonly part: PartRecord;
  private readonly codec: ErasureCodec;
  private readonly layout: BlockLayout;
  private readonly relPath: string;
  private readonly report: DamageReporter;
  private readers: (Promise<ShardReader> | null)[];
  private readonly lost = new Set<number>();
  private inline: Promise<(Buffer | null)[]> | null = null;

  constructor(opts: {
    zone: string;
    disks: (LocalDisk | undefined)[];
    record: ObjectVersionRecord;
    part: PartRecord;
    codec: ErasureCodec;
    report: DamageReporter;
  }) {
    this.zone = opts.zone;
    this.disks = opts.disks;
    this.record = opts.record;
    this.part = opts.part;
    this.codec = opts.codec;
    this.report = opts.report;
    const er = opts.record.erasure!;
    this.layout = blockLayout(opts.part.cipherSize, er.blockSize, er.dataShards);
    this.relPath = `${metaFile(opts.record.bucket, opts.record.key, opts.record.writeId).slice(0, -5)}/${opts.part.dataFile}`;
    this.readers = new Array(this.disks.length).fill(null);
  }

  get blocks(): number {
    return this.layout.blocks;
  }

  private loseShard(i: number, reason: string): void {
    if (this.lost.has(i)) return;
    this.lost.add(i);
    this.report(this.zone, this.disks[i]?.id ?? `${this.zone}#${i}`, reason);
  }

  /** Inline records: every disk's shard lives in its metadata record. */
  private loadInline(): Promise<(Buffer | null)[]> {
    if (!this.inline) {
      const rel = metaFile(this.record.bucket, this.record.key, this.record.writeId);
      this.inline = Promise.all(
        this.disks.map(async (d, i) => {
          if (!d) return null;
          try {
            const { record, inline } = decodeMetaRecord(await d.readFile(rel), d.id);
            if (record.writeId !== this.record.writeId || record.erasure?.index !== i) return null;
            return inline;
          } catch (e) {
            this.loseShard(i, e instanceof DiskError ? e.code : String(e));
            return null;
          }
        }),
      );
    }
    return this.inline;
  }

  private async readShardBlock(i: number, block: number): Promise<Buffer | null> {
    const span = shardBlockSpan(this.layout, block);
    const shardLen = shardLengthFor(blockDataLength(this.layout, block), this.layout.dataShards);
    let framed: Buffer | null;
    if (this.record.inline) {
      framed = (await this.loadInline())[i];
      if (!framed) return null;
    } else {
      const disk = this.disks[i];
      if (!disk) return null;
      try {
        if (!this.readers[i]) this.readers[i] = disk.openReader(this.relPath);
        framed = await (await this.readers[i]!).read(span.offset, span.length);
      } catch (e) {
        this.loseShard(i, e instanceof DiskError ? e.code : String(e));
        return null;
      }
    }
    const data = verifyShardBlock(framed, shardLen);
    if (!data) this.loseShard(i, `FileCorrupt: block ${block} checksum mismatch`);
    return data;
  }

  /** The ciphertext of one stripe block. */
  async readBlock(block: number): Promise<Buffer> {
    const k = this.codec.dataShards;
    const n = this.codec.totalShards;
    const shards: (Uint8Array | null)[] = new Array(n).fill(null);
    const tried = new Set<number>();
    let good = 0;
    for (;;) {
      const want: number[] = [];
      for (let i = 0; i < n && good + want.length < k; i++) {
        if (!tried.has(i) && !this.lost.has(i)) want.push(i);
      }
      if (want.length === 0) break;
      for (const i of want) tried.add(i);
      const got = await Promise.all(want.map((i) => this.readShardBlock(i, block)));
      got.forEach((g, j) => {
        if (g) {
          shards[want[j]] = g;
          good++;
        }
      });
      if (good >= k) break;
    }
    if (good < k) {
      throw new StorageError(
        "InsufficientReadQuorum",
        `zone ${this.zone}: only ${good} of ${k} shards readable`,
      );
    }
    const len = blockDataLength(this.layout, block);
    const complete = shards.slice(0, k).every((s) => s !== null)
      ? shards
      : this.codec.reconstruct(shards, { dataOnly: true });
    return this.codec.joinData(complete as Uint8Array[], len);
  }

  async close(): Promise<void> {
    await Promise.all(this.readers.map(async (r) => (r ? (await r.catch(() => null))?.close() : undefined)));
  }
}

/**
 * One part read across zones: the preferred zone first, the next one when a block cannot be served there.
 * Zones hold identical ciphertext, so switching zones mid-object is seamless.
 */
export class PartReader {
  private readonly zones: ZonePartReader[];
  readonly blocks: number;
  constructor(zones: ZonePartReader[]) {
    this.zones = zones;
    this.blocks = zones[0]?.blocks ?? 0;
  }

  async readBlock(block: number): Promise<Buffer> {
    const errors: string[] = [];
    for (const z of this.zones) {
      try {
        return await z.readBlock(block);
      } catch (e) {
        if (e instanceof StorageError && e.code === "InsufficientReadQuorum") {
          errors.push(e.message);
          continue;
        }
        throw e;
      }
    }
    throw new StorageError(
      "InsufficientReadQuorum",
      `no zone can serve block ${block}: ${errors.join("; ") || "no zones"}`,
    );
  }

  /** Ciphertext bytes [start, end) of the part, block by block, with one block of read-ahead. */
  async *readRange(start: number, end: number, blockSize: number): AsyncGenerator<Buffer> {
    if (end <= start) return;
    const first = Math.floor(start / blockSize);
    const last = Math.floor((end - 1) / blockSize);
    let next: Promise<Buffer> | null = this.readBlock(first);
    for (let b = first; b <= last; b++) {
      const cur = await next!;
      next = b < last ? this.readBlock(b + 1) : null;
      // Avoid an unhandled rejection if the consumer stops early.
      next?.catch(() => {});
      const from = b === first ? start - b * blockSize : 0;
      const to = b === last ? end - b * blockSize : cur.length;
      yield from === 0 && to === cur.length ? cur : cur.subarray(from, to);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.zones.map((z) => z.close()));
  }
}
