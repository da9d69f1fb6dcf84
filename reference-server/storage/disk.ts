import { constants as fsc } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DiskError, diskErrorFromFs } from "./errors.ts";
import type { DiskSpec } from "./topology.ts";

/** Fault state a disk can be put in by the fault injector (and restored from). */
export interface DiskFaultState {
  offline: boolean;
  slowMs: number; // added latency per operation
  full: boolean; // writes fail with ENOSPC
}

const FORMAT_FILE = "format.json";
export const DISK_FORMAT_VERSION = 1;

export interface ShardWriter {
  write(data: Uint8Array): Promise<void>;
  writev(data: readonly Uint8Array[]): Promise<void>;
  /** Start flushing what was written so far (fdatasync), so the final fsync has little left to do. */
  flush(): Promise<void>;
  /** fsync (when durable) and close. */
  close(): Promise<void>;
  /** close and remove the file (best effort). */
  abort(): Promise<void>;
}

export interface ShardReader {
  read(position: number, length: number): Promise<Buffer>;
  /** Fill the buffers exactly, in order, from `position` (no allocation: the GET path reads into pooled memory). */
  readInto(position: number, into: Uint8Array[]): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

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

  constructor(spec: DiskSpec, opts: { durable?: boolean } = {}) {
    this.spec = spec;
    this.root = spec.path;
    this.durable = opts.durable ?? true;
  }

  get id(): string {
    return this.spec.id;
  }

  get online(): boolean {
    return !this.fault.offline;
  }

  private async guard(write: boolean): Promise<void> {
    if (this.fault.offline) throw new DiskError("DiskOffline", this.id);
    if (this.fault.slowMs > 0) await sleep(this.fault.slowMs);
    if (this.fault.offline) throw new DiskError("DiskOffline", this.id);
    if (write && this.fault.full) throw new DiskError("DiskFull", this.id);
  }

  private abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Create the directory and its format record if missing (a fresh or replaced disk). */
  async format(): Promise<{ created: boolean }> {
    await this.guard(true);
    try {
      await fs.mkdir(path.join(this.root, "tmp"), { recursive: true });
      try {
        await fs.access(this.abs(FORMAT_FILE));
        return { created: false };
      } catch {
        const record = {
          format: "s3-parity-disk",
          version: DISK_FORMAT_VERSION,
          diskId: this.id,
          zone: this.spec.zone,
        };
        await this.writeFile(FORMAT_FILE, Buffer.from(JSON.stringify(record) + "\n"));
        return { created: true };
      }
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  async isFormatted(): Promise<boolean> {
    try {
      await fs.access(this.abs(FORMAT_FILE));
      return true;
    } catch {
      return false;
    }
  }

  /** Write a whole file (created fresh or replaced in place; callers use unique names for commits). */
  async writeFile(rel: string, data: Uint8Array): Promise<void> {
    await this.guard(true);
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
    const tmp = `tmp/${path.basename(rel)}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await this.writeFile(tmp, data);
    await this.rename(tmp, rel);
  }

  async readFile(rel: string): Promise<Buffer> {
    await this.guard(false);
    try {
      return await fs.readFile(this.abs(rel));
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  async createWriter(rel: string): Promise<ShardWriter> {
    await this.guard(true);
    const file = this.abs(rel);
    let fh: fs.FileHandle;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      fh = await fs.open(file, "w");
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
    let closed = false;
    return {
      write: async (data) => {
        await this.guard(true);
        try {
          await fh.write(data);
        } catch (e) {
          throw diskErrorFromFs(e, this.id);
        }
      },
      writev: async (data) => {
        await this.guard(true);
        try {
          await fh.writev(data as Uint8Array[]);
        } catch (e) {
          throw diskErrorFromFs(e, this.id);
        }
      },
      flush: async () => {
        if (closed || !this.durable) return;
        try {
          await fh.datasync();
        } catch (e) {
          throw diskErrorFromFs(e, this.id);
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await this.guard(true);
          if (this.durable) await fh.sync();
        } catch (e) {
          await fh.close().catch(() => {});
          throw diskErrorFromFs(e, this.id);
        }
        await fh.close();
      },
      abort: async () => {
        if (!closed) {
          closed = true;
          await fh.close().catch(() => {});
        }
        await fs.rm(file, { force: true }).catch(() => {});
      },
    };
  }

  async openReader(rel: string): Promise<ShardReader> {
    await this.guard(false);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.abs(rel), fsc.O_RDONLY);
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
    return {
      read: async (position, length) => {
        await this.guard(false);
        const buf = Buffer.allocUnsafe(length);
        let done = 0;
        try {
          while (done < length) {
            const { bytesRead } = await fh.read(buf, done, length - done, position + done);
            if (bytesRead === 0) break;
            done += bytesRead;
          }
        } catch (e) {
          throw diskErrorFromFs(e, this.id);
        }
        if (done < length) throw new DiskError("FileCorrupt", this.id, `short read at ${position}`);
        return buf;
      },
      readInto: async (position, into) => {
        await this.guard(false);
        const total = into.reduce((n, b) => n + b.length, 0);
        let done: number;
        try {
          done = (await fh.readv(into, position)).bytesRead;
          // preadv on a regular file is short only at EOF; finish piecewise if it ever is not.
          for (let off = 0, i = 0; done < total && i < into.length; off += into[i].length, i++) {
            const b = into[i];
            for (let got = Math.max(0, done - off); got < b.length; ) {
              const { bytesRead } = await fh.read(b, got, b.length - got, position + off + got);
              if (bytesRead === 0) break;
              got += bytesRead;
              done += bytesRead;
            }
          }
        } catch (e) {
          throw diskErrorFromFs(e, this.id);
        }
        if (done < total) throw new DiskError("FileCorrupt", this.id, `short read at ${position}`);
      },
      size: async () => (await fh.stat()).size,
      close: async () => {
        await fh.close().catch(() => {});
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    await this.guard(true);
    try {
      await fs.mkdir(path.dirname(this.abs(to)), { recursive: true });
      await fs.rename(this.abs(from), this.abs(to));
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  async remove(rel: string): Promise<void> {
    await this.guard(true);
    try {
      await fs.rm(this.abs(rel), { recursive: true, force: true });
    } catch (e) {
      throw diskErrorFromFs(e, this.id);
    }
  }

  async list(rel: string): Promise<string[]> {
    await this.guard(false);
    try {
      return await fs.readdir(this.abs(rel));
    } catch (e) {
      const err = diskErrorFromFs(e, this.id);
      if (err.code === "FileNotFound") return [];
      throw err;
    }
  }

  async exists(rel: string): Promise<boolean> {
    await this.guard(false);
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

  /** Absolute path, for fault injection and tests that inspect files directly. */
  absolute(rel: string): string {
    return this.abs(rel);
  }
}
