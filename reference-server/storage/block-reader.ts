import { crc32 } from "node:zlib";
import type { LocalDisk, ShardReader } from "./disk.ts";
import type { ErasureCodec } from "./erasure/index.ts";
import { DiskError, StorageError } from "./errors.ts";
import {
  decodeMetaRecord,
  inlineIfRecordIs,
  type MetaJsonTemplate,
  metaJsonTemplateOf,
  type ObjectVersionRecord,
  type PartRecord,
} from "./meta-record.ts";
import { metaFile } from "./paths.ts";
import {
  BLOCK_CHECKSUM_BYTES,
  type BlockLayout,
  blockDataLength,
  blockLayout,
  shardBlockSpan,
  shardLengthFor,
} from "./shard-file.ts";

/** Pooled block buffers per zone reader: one being read ahead, one being consumed, one spare. */
const SLOTS = 3;

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
  private readonly verify: boolean;
  private readers: (Promise<ShardReader> | null)[];
  private readonly lost = new Set<number>();
  private readonly inline: Promise<Buffer | null>[] = [];
  private template: MetaJsonTemplate | null | undefined;
  private readonly metaFile: string;
  private readonly slots: Buffer[] = [];

  constructor(opts: {
    zone: string;
    disks: (LocalDisk | undefined)[];
    record: ObjectVersionRecord;
    part: PartRecord;
    codec: ErasureCodec;
    report: DamageReporter;
    /** False: trust the data shards of a healthy read to the GCM tags that cover them (see object-read.ts). */
    verifyChecksums?: boolean;
  }) {
    this.verify = opts.verifyChecksums ?? true;
    this.zone = opts.zone;
    this.disks = opts.disks;
    this.record = opts.record;
    this.part = opts.part;
    this.codec = opts.codec;
    this.report = opts.report;
    const er = opts.record.erasure!;
    this.layout = blockLayout(opts.part.cipherSize, er.blockSize, er.dataShards);
    this.metaFile = metaFile(opts.record.bucket, opts.record.key, opts.record.writeId);
    this.relPath = `${this.metaFile.slice(0, -5)}/${opts.part.dataFile}`;
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

  /**
   * Inline records: disk i's shard lives in its metadata record. Read only for the shards a block asks
   * for (a healthy read needs the k data shards), each at most once.
   */
  private inlineShard(i: number): Promise<Buffer | null> {
    const known = this.inline[i];
    if (known) return known;
    const load = async (): Promise<Buffer | null> => {
      const d = this.disks[i];
      if (!d) return null;
      try {
        const logged = d.readRecordSync(this.metaFile);
        const buf = logged ?? (await d.readFile(this.metaFile));
        this.template ??= metaJsonTemplateOf(this.record);
        const same = this.template && inlineIfRecordIs(buf, this.template, i, d.id, logged !== undefined);
        if (same) return same;
        const { record, inline } = decodeMetaRecord(buf, d.id);
        return record.writeId === this.record.writeId && record.erasure?.index === i ? inline : null;
      } catch (e) {
        this.loseShard(i, e instanceof DiskError ? e.code : String(e));
        return null;
      }
    };
    const loading = load();
    this.inline[i] = loading;
    return loading;
  }

  /**
   * Read shard i of `block` into its place in `slot` (data shards end up contiguous, so the block's
   * data is a view of the slot: no join copy) and verify its checksum. False when lost or corrupt.
   */
  private async readShardBlock(i: number, block: number, slot: Buffer): Promise<boolean> {
    const span = shardBlockSpan(this.layout, block);
    const shardLen = span.length - BLOCK_CHECKSUM_BYTES;
    // Shards are read in parallel into adjacent places: each checksum goes to its own small buffer.
    const into = slot.subarray(i * shardLen, (i + 1) * shardLen);
    let crc: number;
    if (this.record.inline) {
      const framed = await this.inlineShard(i);
      if (!framed || framed.length !== span.length) {
        if (framed) this.loseShard(i, "FileCorrupt: inline shard length");
        return false;
      }
      into.set(framed.subarray(0, shardLen));
      crc = framed.readUInt32BE(shardLen);
    } else {
      const disk = this.disks[i];
      if (!disk) return false;
      try {
        if (!this.readers[i]) this.readers[i] = disk.openReader(this.relPath);
        const reader = await this.readers[i]!;
        const tail = Buffer.allocUnsafe(BLOCK_CHECKSUM_BYTES);
        await reader.readInto(span.offset, [into.subarray(0, shardLen), tail]);
        crc = tail.readUInt32BE(0);
      } catch (e) {
        this.loseShard(i, e instanceof DiskError ? e.code : String(e));
        return false;
      }
    }
    if (this.verify && crc32(into.subarray(0, shardLen)) !== crc) {
      this.loseShard(i, `FileCorrupt: block ${block} checksum mismatch`);
      return false;
    }
    return true;
  }

  /** The ciphertext of one stripe block: a view of a pooled slot, valid until SLOTS more blocks are read. */
  async readBlock(block: number): Promise<Buffer> {
    const k = this.codec.dataShards;
    const n = this.codec.totalShards;
    const shardLen = shardLengthFor(blockDataLength(this.layout, block), k);
    const slot = this.slot(block);
    const good: boolean[] = new Array(n).fill(false);
    const tried = new Set<number>();
    let count = 0;
    for (;;) {
      const want: number[] = [];
      for (let i = 0; i < n && count + want.length < k; i++) {
        if (!tried.has(i) && !this.lost.has(i)) want.push(i);
      }
      if (want.length === 0) break;
      for (const i of want) tried.add(i);
      const got = await Promise.all(want.map((i) => this.readShardBlock(i, block, slot)));
      got.forEach((g, j) => {
        if (g) {
          good[want[j]] = true;
          count++;
        }
      });
      if (count >= k) break;
    }
    if (count < k) {
      throw new StorageError(
        "InsufficientReadQuorum",
        `zone ${this.zone}: only ${count} of ${k} shards readable`,
      );
    }
    if (!good.slice(0, k).every(Boolean)) {
      const views = good.map((g, i) => (g ? slot.subarray(i * shardLen, (i + 1) * shardLen) : null));
      const rebuilt = this.codec.reconstruct(views, { dataOnly: true });
      for (let i = 0; i < k; i++) if (!good[i]) slot.set(rebuilt[i], i * shardLen);
    }
    return slot.subarray(0, blockDataLength(this.layout, block));
  }

  private slot(block: number): Buffer {
    const i = block % SLOTS;
    if (!this.slots[i]) {
      // Sized for this part's largest block (the first), not the block size: a 4 KiB object needs 4 KiB.
      const largest = this.layout.blocks > 0 ? blockDataLength(this.layout, 0) : 0;
      const full = shardLengthFor(largest, this.codec.dataShards);
      this.slots[i] = Buffer.allocUnsafe(this.codec.totalShards * full + BLOCK_CHECKSUM_BYTES);
    }
    return this.slots[i];
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
  /** Zone readers are made when first needed: a healthy read never touches the other zones. */
  private readonly makeZone: (() => ZonePartReader)[];
  private readonly zones: ZonePartReader[] = [];
  readonly blocks: number;
  constructor(zones: (() => ZonePartReader)[]) {
    this.makeZone = zones;
    this.blocks = zones.length > 0 ? this.zone(0).blocks : 0;
  }

  private zone(i: number): ZonePartReader {
    this.zones[i] ??= this.makeZone[i]();
    return this.zones[i];
  }

  async readBlock(block: number): Promise<Buffer> {
    const errors: string[] = [];
    for (let i = 0; i < this.makeZone.length; i++) {
      const z = this.zone(i);
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
