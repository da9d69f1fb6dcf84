// A disk's record log: small files (metadata records with their inline shards, bucket, upload and part
// records) appended to segment files instead of each being a file of its own, with an in-memory key
// directory (the Bitcask design). Why: a 4 KiB PUT writes one record on each of 48 disks; as files that
// is ~8 thread-pool operations a disk (mkdir, open, write, fsync, close, and the directory's open, fsync,
// close), measured at ~60 PUT/s here. Appended, concurrent writes to one disk share one O_DSYNC write
// (group commit), and a read is one pread on an open descriptor.
//
// Entries (record-log-entry.ts) carry a CRC and a `seq`, which orders entries of a name across segments,
// so compaction may copy a live entry after newer ones without reviving it. A torn tail (crash
// mid-append) fails its CRC and is cut off when the log opens; an entry damaged later (bitrot) fails its
// CRC when read, and the caller treats the record as lost, as it would a damaged file. Appends go
// through one I/O worker for all disks (log-io.ts).

import { constants as fsc, readSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { append } from "./log-io.ts";
import { NameDirectories } from "./record-log-dirs.ts";
import {
  DELETE,
  encodeEntryInto,
  entryLength,
  framedAsLocated,
  LogDamage,
  type LogLocation,
  PUT,
  scanSegment,
  verified,
} from "./record-log-entry.ts";

export { LogDamage } from "./record-log-entry.ts";

export type { LogLocation };

/** How long a lazy entry waits for a write to ride with (see delete). */
const LAZY_MS = 50;

interface Segment {
  readonly id: number;
  readonly fh: fs.FileHandle;
  size: number;
  /** Bytes of entries still current (what compaction would have to copy). */
  live: number;
}

interface Pending {
  readonly op: number;
  readonly name: string;
  readonly data: Uint8Array;
  readonly seq: number;
  /** Compaction copies: only repoint the name if it still lives where the copy came from. */
  readonly onlyIf?: LogLocation;
}

/**
 * The entries of one group commit and the one promise all their callers wait on: they are written by
 * one append and succeed or fail together (a small PUT makes 96 entries; a promise and its callbacks
 * each was a visible share of its CPU time).
 */
interface Batch {
  readonly entries: Pending[];
  readonly done: Promise<void>;
  readonly settle: (e?: unknown) => void;
  /** Holds an entry that is not lazy: it goes at the end of this turn. */
  eager: boolean;
}

export class RecordLog {
  readonly dir: string;
  private readonly durable: boolean;
  private readonly maxSegment: number;
  private readonly segments = new Map<number, Segment>();
  private active!: Segment;
  private readonly keydir = new Map<string, LogLocation>();
  /** The directories the names make, for listing. */
  private readonly dirs = new NameDirectories(this.keydir);
  private seq = 0;
  /** The batch that the next group commit writes (undefined: nothing queued). */
  private next: Batch | undefined;
  private flushing: Promise<void> | undefined;
  /** Flushes lazy entries that no write came to carry. */
  private lazyTimer: NodeJS.Timeout | undefined;
  private lazyDue = false;
  private compacting = false;
  /** A failed compaction leaves the segment as it was; it is retried after a later batch. */
  private compaction: Promise<void> | undefined;
  private commits = 0;
  private closed = false;

  /** What a failed append or a closed log rejects with (the disk maps I/O errors to its own). */
  private readonly mapError: (e: unknown) => unknown;

  constructor(
    dir: string,
    opts: { durable: boolean; maxSegmentBytes?: number; mapError?: (e: unknown) => unknown },
  ) {
    this.dir = dir;
    this.durable = opts.durable;
    this.maxSegment = opts.maxSegmentBytes ?? 64 << 20;
    this.mapError = opts.mapError ?? ((e) => e);
  }

  /** Open every segment, rebuild the key directory, cut a torn tail off the newest segment. */
  async open(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const ids = (await fs.readdir(this.dir))
      .filter((f) => /^\d{8}\.seg$/.test(f))
      .map((f) => Number(f.slice(0, 8)))
      .sort((a, b) => a - b);
    const latest = new Map<string, { op: number; loc: LogLocation }>();
    for (const [i, id] of ids.entries()) {
      const fh = await fs.open(this.segmentPath(id), this.openFlags());
      const data = await fh.readFile();
      const { end, maxSeq } = scanSegment(data, id, latest);
      this.seq = Math.max(this.seq, maxSeq);
      if (end < data.length && i === ids.length - 1) await fh.truncate(end);
      this.segments.set(id, { id, fh, size: Math.min(end, data.length), live: 0 });
    }
    for (const [name, { op, loc }] of latest) if (op === PUT) this.index(name, loc);
    const last = ids.at(-1);
    this.active = last === undefined ? await this.newSegment(1) : this.segments.get(last)!;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.next) this.scheduleFlush(); // lazy entries go now
    while (this.flushing || this.compacting) {
      await this.flushing;
      await this.compaction;
    }
    for (const s of this.segments.values()) await s.fh.close().catch(() => {});
    this.segments.clear();
  }

  has(name: string): boolean {
    return this.keydir.has(name);
  }

  /** A name that is a directory of logged names (it has children). */
  isDirectory(name: string): boolean {
    return this.dirs.isDirectory(name);
  }

  /** The names directly under `dir` that hold logged names (files or sub-directories). */
  list(dir: string): string[] {
    return this.dirs.list(dir);
  }

  /** Every logged name at or under `prefix`. */
  namesUnder(prefix: string): string[] {
    return this.dirs.namesUnder(prefix);
  }

  /** The data of a name, verified; undefined when absent; throws LogDamage when its CRC fails. */
  async get(name: string): Promise<Buffer | undefined> {
    const loc = this.keydir.get(name);
    if (!loc) return undefined;
    const buf = Buffer.allocUnsafe(loc.dataOffset + loc.dataLength - loc.offset);
    const { bytesRead } = await this.segments.get(loc.segment)!.fh.read(buf, 0, buf.length, loc.offset);
    return verified(name, loc, buf, bytesRead);
  }

  /**
   * `get` without the thread pool: a record read is one small pread that the page cache usually serves
   * in ~2 µs, while an async read costs the event loop ~10 µs to dispatch and complete.
   */
  getSync(name: string): Buffer | undefined {
    const loc = this.keydir.get(name);
    if (!loc) return undefined;
    const buf = Buffer.allocUnsafe(loc.dataOffset + loc.dataLength - loc.offset);
    const bytesRead = readSync(this.segments.get(loc.segment)!.fh.fd, buf, 0, buf.length, loc.offset);
    return verified(name, loc, buf, bytesRead);
  }

  /**
   * A name's data read synchronously into `into` (its start), unverified beyond the entry's framing
   * (framedAsLocated): for a caller that checks every byte it uses another way. A small GET reads 12
   * records: no buffer is allocated, and no CRC is computed or name decoded, for each. Undefined when
   * the name is absent or the entry does not fit `into`; LogDamage when its framing is wrong.
   */
  readDataSyncInto(name: string, into: Buffer): Buffer | undefined {
    const loc = this.keydir.get(name);
    if (!loc) return undefined;
    const length = loc.dataOffset + loc.dataLength - loc.offset;
    if (length > into.length) return undefined;
    const bytesRead = readSync(this.segments.get(loc.segment)!.fh.fd, into, 0, length, loc.offset);
    if (!framedAsLocated(into, bytesRead, loc)) throw new LogDamage(name);
    return into.subarray(loc.dataOffset - loc.offset, length);
  }

  /** Append (or replace) a name; resolves once durable (written O_DSYNC) when the log is durable. */
  put(name: string, data: Uint8Array): Promise<void> {
    return this.enqueue(PUT, name, data, ++this.seq);
  }

  /**
   * Remove a name. `lazy`: nobody is in a hurry for it (retiring a replaced version), so it does not start
   * a group commit of its own: it rides with the next write, or goes after LAZY_MS when none comes. Over
   * HTTP, an overwrite's 48 tombstones otherwise made 48 commits of their own (measured: 96 commits a
   * small PUT at c=1, against 48 through the engine alone).
   */
  delete(name: string, lazy = false): Promise<void> {
    if (!this.keydir.has(name)) return Promise.resolve();
    return this.enqueue(DELETE, name, new Uint8Array(0), ++this.seq, undefined, lazy);
  }

  /** Flip a byte of a name's stored data (fault injection: bitrot). */
  async corrupt(name: string): Promise<boolean> {
    const loc = this.keydir.get(name);
    if (!loc || loc.dataLength === 0) return false;
    const seg = this.segments.get(loc.segment)!;
    const pos = loc.dataOffset + Math.floor(loc.dataLength / 2);
    const b = Buffer.alloc(1);
    await seg.fh.read(b, 0, 1, pos);
    b[0] ^= 0xff;
    await seg.fh.write(b, 0, 1, pos);
    return true;
  }

  /** Bytes in segments and bytes still current, for reports and compaction. */
  stats(): { segments: number; bytes: number; live: number; commits: number } {
    let bytes = 0;
    let live = 0;
    for (const s of this.segments.values()) {
      bytes += s.size;
      live += s.live;
    }
    return { segments: this.segments.size, bytes, live, commits: this.commits };
  }

  /** Resolves once the entry's batch is written (and durable); rejects, mapped, when that failed. */
  private enqueue(
    op: number,
    name: string,
    data: Uint8Array,
    seq: number,
    onlyIf?: LogLocation,
    lazy = false,
  ): Promise<void> {
    if (this.closed) return Promise.reject(this.mapError(new Error("record log closed")));
    let batch = this.next;
    if (!batch) {
      let settle!: (e?: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        settle = (e) => (e ? reject(this.mapError(e)) : resolve());
      });
      batch = { entries: [], done, settle, eager: false };
      this.next = batch;
    }
    batch.entries.push({ op, name, data, seq, onlyIf });
    if (!lazy) {
      batch.eager = true;
      this.scheduleFlush();
    } else {
      this.lazyTimer ??= setTimeout(() => {
        this.lazyDue = true;
        this.scheduleFlush();
      }, LAZY_MS);
    }
    return batch.done;
  }

  /** Write waiting lazy entries now, not after their delay (shutdown). */
  flushLazy(): void {
    if (!this.next) return;
    this.lazyDue = true;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    // The first commit waits for the end of this turn of the event loop, so the records other requests
    // write in the same turn share its write.
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushLoop());
  }

  // One (O_DSYNC) write for everything queued meanwhile: the group commit.
  private async flushLoop(): Promise<void> {
    try {
      // Lazy entries alone wait for a write, for their delay, or for close.
      while (this.next && (this.next.eager || this.lazyDue || this.closed)) {
        const batch = this.next;
        this.next = undefined;
        clearTimeout(this.lazyTimer);
        this.lazyTimer = undefined;
        this.lazyDue = false;
        await this.commit(batch);
        // Under steady load this loop never ends, so reclaiming space is checked per batch (without an
        // async call in the usual case: one segment, nothing to reclaim).
        if (!this.compacting && !this.closed && this.segments.size > 1)
          this.compaction = this.maybeCompact().catch(() => {});
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async commit({ entries: batch, settle }: Batch): Promise<void> {
    const seg = this.active;
    const locs: LogLocation[] = [];
    let total = 0;
    for (const p of batch) total += entryLength(p.name, p.data);
    // Its own memory (not the shared pool), so that it can be handed to the I/O worker without a copy.
    const out = Buffer.allocUnsafeSlow(total);
    let at = 0;
    for (const p of batch) {
      const dataOffset = encodeEntryInto(out, at, p.op, p.name, p.data, p.seq);
      locs.push({
        segment: seg.id,
        offset: seg.size + at,
        dataOffset: seg.size + at + dataOffset,
        dataLength: p.data.length,
        seq: p.seq,
      });
      at += dataOffset + p.data.length;
    }
    const off = seg.size + at;
    try {
      await append(seg.fh.fd, [out], seg.size);
    } catch (e) {
      // Nothing of the batch is indexed; a partial append is a torn tail the next open cuts off, and the
      // next batch overwrites it from the same offset.
      settle(e);
      return;
    }
    seg.size = off;
    this.commits++;
    for (const [i, p] of batch.entries()) {
      const current = this.keydir.get(p.name);
      if (p.onlyIf && (current?.segment !== p.onlyIf.segment || current.offset !== p.onlyIf.offset)) continue;
      if (current) this.unindex(p.name, current);
      if (p.op === PUT) this.index(p.name, locs[i], current !== undefined);
      else if (current) this.dirs.unlink(p.name);
    }
    settle();
    if (seg.size >= this.maxSegment) this.active = await this.newSegment(seg.id + 1);
  }

  /** `listed`: the name is already in the directory index (a rewrite). */
  private index(name: string, loc: LogLocation, listed = false): void {
    this.keydir.set(name, loc);
    const seg = this.segments.get(loc.segment);
    if (seg) seg.live += loc.dataOffset + loc.dataLength - loc.offset;
    if (!listed) this.dirs.link(name);
  }

  private unindex(name: string, loc: LogLocation): void {
    this.keydir.delete(name);
    const seg = this.segments.get(loc.segment);
    if (seg) seg.live -= loc.dataOffset + loc.dataLength - loc.offset;
  }

  private async newSegment(id: number): Promise<Segment> {
    // Not O_APPEND: a failed append is overwritten in place by the next batch, at the offset we track.
    const fh = await fs.open(this.segmentPath(id), this.openFlags() | fsc.O_CREAT, 0o644);
    if (this.durable) await syncDirectory(this.dir);
    const seg: Segment = { id, fh, size: (await fh.stat()).size, live: 0 };
    this.segments.set(id, seg);
    return seg;
  }

  /**
   * Reclaim the oldest sealed segment once most of it is garbage: copy its live entries (same seq) to
   * the active segment, then delete it. Only the oldest, so a tombstone it holds can shadow nothing older.
   */
  private async maybeCompact(): Promise<void> {
    const oldest = Math.min(...this.segments.keys());
    const seg = this.segments.get(oldest);
    if (!seg || seg === this.active || seg.live * 2 > seg.size) return;
    this.compacting = true;
    try {
      const copies: Promise<void>[] = [];
      for (const [name, loc] of this.keydir) {
        if (loc.segment !== oldest) continue;
        if (this.closed) return;
        const data = await this.get(name).catch(() => undefined);
        if (data === undefined) continue; // damaged: lost, as heal will find
        const copy = this.enqueue(PUT, name, Buffer.from(data), loc.seq, loc);
        copy.catch(() => {}); // awaited below; a close meanwhile must not surface as unhandled
        copies.push(copy);
      }
      await Promise.all(copies);
      for (const loc of this.keydir.values()) if (loc.segment === oldest) return; // a copy failed
      this.segments.delete(oldest);
      await seg.fh.close();
      await fs.rm(this.segmentPath(oldest), { force: true });
    } finally {
      this.compacting = false;
    }
  }

  /**
   * A durable log's segments are O_DSYNC: an append returns once durable, in one thread-pool operation
   * rather than a write then an fdatasync. Engine alone, 4 KiB PUTs, runs alternated: c=1 198-274 ->
   * 285-319/s, c=8 639-784 -> 789-831/s (bench:server).
   */
  private openFlags(): number {
    return fsc.O_RDWR | (this.durable ? fsc.O_DSYNC : 0);
  }

  private segmentPath(id: number): string {
    return path.join(this.dir, `${String(id).padStart(8, "0")}.seg`);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const fh = await fs.open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
