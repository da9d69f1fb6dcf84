import { constants as fsc } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { type DiskFaultState, flipMiddleByte, guardFaults } from "./disk-faults.ts";
import { FORMAT_FILE, formatFileFor, hasFormatFile, isLegacyFormat, readFormatFile } from "./disk-format.ts";
import { DiskError, diskErrorFromFs } from "./errors.ts";
import { LogDamage, RecordLog } from "./record-log.ts";
import { bufferReader, fileReader, fileWriter, type ShardReader, type ShardWriter } from "./shard-io.ts";
import type { DiskSpec } from "./topology.ts";

const LOG_DIR = "log";
/** Files up to this size go to the disk's record log (records, bucket/upload/part documents). */
const LOGGED_MAX_BYTES = 1 << 20;

export type { DiskFaultState } from "./disk-faults.ts";
export { DISK_FORMAT_VERSION } from "./disk-format.ts";
export type { ShardReader, ShardWriter } from "./shard-io.ts";

/**
 * One disk: a directory. Every operation passes through `guard`, which is where faults are injected, and
 * every OS error is mapped to a DiskError. Paths are relative to the disk root and always built by the
 * engine from hashes and ids, never from user input.
 */
export class LocalDisk {
  readonly spec: DiskSpec;
  readonly root: string;
  readonly durable: boolean;
  readonly fault: DiskFaultState = { offline: false, slowMs: 0, full: false };
  /** Small files live here (record-log.ts), opened by format(). */
  private log: RecordLog;
  private logOpened: Promise<void> | undefined;
  /** `log` once its open() resolved (see healthyLog). */
  private openedLog: RecordLog | undefined;
  /** Formatted before the record log (version 1): a logged name may also exist as an old file. */
  private legacyFiles = false;
  /** Cleared when the file system refuses O_DIRECT, at open or on a write. */
  private directWrites = true;

  constructor(spec: DiskSpec, opts: { durable?: boolean } = {}) {
    this.spec = spec;
    this.root = spec.path;
    this.durable = opts.durable ?? true;
    this.log = this.newLog();
  }

  /** Its failures reject as this disk's DiskErrors. */
  private newLog(): RecordLog {
    return new RecordLog(path.join(this.root, LOG_DIR), {
      durable: this.durable,
      mapError: (e) => diskErrorFromFs(e, this.id),
    });
  }

  private logs(rel: string, size: number): boolean {
    return size <= LOGGED_MAX_BYTES && rel !== FORMAT_FILE && !rel.startsWith("tmp/");
  }

  private async openLog(): Promise<void> {
    const log = this.log;
    this.logOpened ??= log.open();
    try {
      await this.logOpened;
      if (log === this.log) this.openedLog = log;
    } catch (e) {
      this.logOpened = undefined;
      throw e;
    }
  }

  /**
   * The record log, when it is open and the disk has no fault: records then go to it directly. A small
   * PUT writes 48 records and retires 48, and the guard's and openLog's awaits were a visible share of
   * that (each one a promise and a microtask, per disk).
   */
  private healthyLog(): RecordLog | undefined {
    const f = this.fault;
    // A disk of the older format (records may be files) keeps every call on the guarded path, so that
    // calls made in one turn still reach the log in the order they were made.
    if (f.offline || f.slowMs > 0 || f.full || this.legacyFiles || this.openedLog !== this.log)
      return undefined;
    return this.openedLog;
  }

  /** Retire lazily removed records now (engine close: nothing waits for their delay). */
  flushLazy(): void {
    this.log.flushLazy();
  }

  /** Release the record log's descriptors (engine close). */
  async close(): Promise<void> {
    this.openedLog = undefined;
    if (this.logOpened) await this.logOpened.catch(() => {});
    await this.log.close();
    this.logOpened = undefined;
  }

  get id(): string {
    return this.spec.id;
  }

  get online(): boolean {
    return !this.fault.offline;
  }

  private guard(write: boolean): Promise<void> {
    return guardFaults(this.fault, this.id, write);
  }

  private abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Create the directory and its format record if missing (a fresh or replaced disk). */
  async format(): Promise<{ created: boolean }> {
    await this.guard(true);
    try {
      await fs.mkdir(path.join(this.root, "tmp"), { recursive: true });
      await this.openLog();
      const existing = await readFormatFile(this.abs(FORMAT_FILE));
      if (existing !== undefined) {
        this.legacyFiles = isLegacyFormat(existing);
        return { created: false };
      }
      await this.writeFile(FORMAT_FILE, formatFileFor(this.spec));
      return { created: true };
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  isFormatted(): Promise<boolean> {
    return hasFormatFile(this.abs(FORMAT_FILE));
  }

  /** Write a whole file (created fresh or replaced in place; callers use unique names for commits). */
  writeFile(rel: string, data: Uint8Array): Promise<void> {
    const log = this.logs(rel, data.length) ? this.healthyLog() : undefined;
    if (log) return log.put(rel, data);
    return this.writeFileGuarded(rel, data);
  }

  private async writeFileGuarded(rel: string, data: Uint8Array): Promise<void> {
    await this.guard(true);
    if (this.logs(rel, data.length)) {
      try {
        await this.openLog();
        await this.log.put(rel, data);
        return;
      } catch (e) {
        throw diskErrorFromFs(e, this.id);
      }
    }
    const file = this.abs(rel);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      const fh = await fs.open(file, "w");
      try {
        await fh.writeFile(data);
        if (this.durable) await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  /** Write to a temp name, fsync, rename over `rel`: readers see the old or the new file, never a mix. */
  async writeFileAtomic(rel: string, data: Uint8Array): Promise<void> {
    // A log entry replaces its predecessor atomically already.
    if (this.logs(rel, data.length)) return this.writeFile(rel, data);
    const tmp = `tmp/${path.basename(rel)}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await this.writeFile(tmp, data);
    await this.rename(tmp, rel);
  }

  async readFile(rel: string): Promise<Buffer> {
    await this.guard(false);
    try {
      if (this.log.has(rel)) return (await this.log.get(rel))!;
      return await fs.readFile(this.abs(rel));
    } catch (e) {
      if (e instanceof LogDamage) throw new DiskError("FileCorrupt", this.id, e.message);
      throw diskErrorFromFs(e, this.id);
    }
  }

  /**
   * A small record read on the calling thread (see RecordLog.getSync); undefined when it must go the
   * asynchronous way: a slowed disk, a name not in the record log. An offline disk or damage throws.
   */
  readRecordSync(rel: string): Buffer | undefined {
    if (!this.syncReadable()) return undefined;
    try {
      return this.log.getSync(rel);
    } catch (e) {
      throw this.syncReadError(e);
    }
  }

  /** readRecordSync into `into`, unverified beyond its framing (RecordLog.readDataSyncInto). */
  readRecordSyncInto(rel: string, into: Buffer): Buffer | undefined {
    if (!this.syncReadable()) return undefined;
    try {
      return this.log.readDataSyncInto(rel, into);
    } catch (e) {
      throw this.syncReadError(e);
    }
  }

  /** Offline throws; a slowed disk is read the asynchronous way (its delay applies there). */
  private syncReadable(): boolean {
    if (this.fault.offline) throw new DiskError("DiskOffline", this.id);
    return this.fault.slowMs <= 0;
  }

  private syncReadError(e: unknown): unknown {
    if (e instanceof LogDamage) return new DiskError("FileCorrupt", this.id, e.message);
    return diskErrorFromFs(e, this.id);
  }

  /**
   * A new file for shards. `direct`: write around the page cache (O_DIRECT) when the file system allows
   * it, under the rules of ShardWriter.direct; the writer says whether it does.
   */
  async createWriter(rel: string, opts: { direct?: boolean } = {}): Promise<ShardWriter> {
    await this.guard(true);
    const file = this.abs(rel);
    const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC;
    let fh: fs.FileHandle;
    let direct = opts.direct === true && this.directWrites;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      fh = await fs.open(file, direct ? flags | fsc.O_DIRECT : flags).catch((e) => {
        if (!direct || (e as NodeJS.ErrnoException).code !== "EINVAL") throw e;
        this.directWrites = direct = false;
        return fs.open(file, flags);
      });
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
    const onDirectRefused = () => {
      this.directWrites = false;
    };
    return fileWriter(fh, file, this.id, { durable: this.durable, direct, onDirectRefused }, () =>
      this.guard(true),
    );
  }

  async openReader(rel: string): Promise<ShardReader> {
    await this.guard(false);
    if (this.log.has(rel)) return bufferReader(await this.readFile(rel), this.id);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.abs(rel), fsc.O_RDONLY);
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
    return fileReader(fh, this.id, () => this.guard(false));
  }

  async rename(from: string, to: string): Promise<void> {
    await this.guard(true);
    if (this.log.has(from)) {
      const data = await this.readFile(from);
      await this.writeFile(to, data);
      try {
        await this.log.delete(from);
      } catch (e) {
        throw diskErrorFromFs(e, this.id);
      }
      return;
    }
    try {
      await fs.mkdir(path.dirname(this.abs(to)), { recursive: true });
      await fs.rename(this.abs(from), this.abs(to));
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  /** `lazy`: nobody waits for it (see RecordLog.delete); only a record-log tombstone can be. */
  remove(rel: string, lazy = false): Promise<void> {
    // A single logged record (what retiring a small version removes) on a healthy disk: one tombstone.
    const log = this.healthyLog();
    if (log?.has(rel) && !log.isDirectory(rel)) return log.delete(rel, lazy);
    return this.removeGuarded(rel);
  }

  private async removeGuarded(rel: string): Promise<void> {
    await this.guard(true);
    try {
      const logged = this.log.has(rel);
      await Promise.all(this.log.namesUnder(rel).map((n) => this.log.delete(n)));
      // A logged name is not also a file (on a disk formatted with the log): no file-system call, which
      // is most of what deleting a small object costs.
      if (logged && !this.legacyFiles) return;
      await fs.rm(this.abs(rel), { recursive: true, force: true });
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  async list(rel: string): Promise<string[]> {
    await this.guard(false);
    const logged = this.log.list(rel);
    let files: string[];
    try {
      files = await fs.readdir(this.abs(rel));
    } catch (e) {
      const err = diskErrorFromFs(e, this.id);
      if (err.code !== "FileNotFound") throw err;
      files = [];
    }
    if (logged.length === 0) return files;
    return [...new Set([...files, ...logged])];
  }

  async exists(rel: string): Promise<boolean> {
    await this.guard(false);
    if (this.log.has(rel) || this.log.isDirectory(rel)) return true;
    try {
      await fs.access(this.abs(rel));
      return true;
    } catch {
      return false;
    }
  }

  /** fsync a directory so renames and creations inside it are durable. */
  async syncDir(rel: string): Promise<void> {
    if (!this.durable) return;
    await this.guard(true);
    try {
      const fh = await fs.open(this.abs(rel), fsc.O_RDONLY);
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  /** Replaced disk: everything gone, a fresh empty (formatted) directory in its place. */
  async wipe(): Promise<void> {
    await this.close();
    this.log = this.newLog();
    await fs.rm(this.root, { recursive: true, force: true });
    await fs.mkdir(this.root, { recursive: true });
    const wasOffline = this.fault.offline;
    this.fault.offline = false;
    try {
      await this.format();
    } finally {
      this.fault.offline = wasOffline;
    }
  }

  /** Every stored file at or under `rel` (files and logged records), relative to the disk root. */
  async filesUnder(rel: string): Promise<string[]> {
    const out = new Set(this.log.namesUnder(rel));
    const walk = async (dir: string): Promise<void> => {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await fs.readdir(this.abs(dir), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = `${dir}/${e.name}`;
        if (e.isDirectory()) await walk(p);
        else out.add(p);
      }
    };
    await walk(rel);
    return [...out].sort();
  }

  /** Flip one byte in the middle of a stored file (fault injection: bitrot). False when empty; throws when absent. */
  async corruptFile(rel: string): Promise<boolean> {
    if (this.log.has(rel)) return this.log.corrupt(rel);
    return flipMiddleByte(this.abs(rel));
  }

  /** Absolute path, for fault injection and tests that inspect files directly. */
  absolute(rel: string): string {
    return this.abs(rel);
  }
}
