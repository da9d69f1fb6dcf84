// How shard bytes are written and read on a disk: a file handle with the disk's fault guard in front of
// every operation, or a record held in memory (a logged file opened like a shard file).

import { constants as fsc } from "node:fs";
import fs from "node:fs/promises";
import { DIRECT_IO_ALIGNMENT } from "./aligned-memory.ts";
import { DiskError, diskErrorFromFs } from "./errors.ts";
import { readSlots } from "./io-threads.ts";

export interface ShardWriter {
  /**
   * Written around the page cache (O_DIRECT): each write is from page-aligned memory (aligned-memory.ts)
   * and, except the last, a multiple of DIRECT_IO_ALIGNMENT bytes long. The last may be shorter when
   * its buffer has room up to the next multiple: it is written padded and the file cut to size on close.
   */
  readonly direct: boolean;
  /** At `position`, or where the last write ended (writes with positions may run concurrently). */
  write(data: Uint8Array, position?: number): Promise<void>;
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
 * A writer on a freshly opened shard file; `guard` (the disk's faults) runs before each write. A file
 * system may take O_DIRECT at open and refuse the writes (EINVAL): the file is then reopened through the
 * page cache, the write done again, and `onDirectRefused` told, so the disk stops asking.
 */
export function fileWriter(
  opened: fs.FileHandle,
  file: string,
  diskId: string,
  opts: { durable: boolean; direct: boolean; onDirectRefused?: () => void },
  guard: () => Promise<void>,
): ShardWriter {
  const { durable } = opts;
  let fh = opened;
  let direct = opts.direct;
  let closed = false;
  let size = 0;
  /** Set by a direct write shorter than the alignment: the size to cut the file back to. */
  let cutTo: number | null = null;
  const writeBuffered = async (data: Uint8Array, at: number) => {
    const buffered = await fs.open(file, fsc.O_WRONLY);
    void fh.close().catch(() => {});
    fh = buffered;
    direct = false;
    cutTo = null;
    opts.onDirectRefused?.();
    await fh.write(data, 0, data.length, at);
  };
  return {
    get direct() {
      return direct;
    },
    write: async (data, position) => {
      const at = position ?? size;
      let out = data;
      if (direct) {
        if (cutTo !== null) throw new Error(`${file}: a direct write after the padded last one`);
        if (data.byteOffset % DIRECT_IO_ALIGNMENT !== 0 || at % DIRECT_IO_ALIGNMENT !== 0) {
          throw new Error(
            `${file}: unaligned direct write (memory offset ${data.byteOffset}, position ${at})`,
          );
        }
        const rest = data.length % DIRECT_IO_ALIGNMENT;
        if (rest !== 0) {
          const padded = data.length - rest + DIRECT_IO_ALIGNMENT;
          if (data.byteOffset + padded > data.buffer.byteLength) {
            throw new Error(`${file}: no room to pad a direct write of ${data.length} bytes`);
          }
          out = new Uint8Array(data.buffer, data.byteOffset, padded);
          cutTo = at + data.length;
        }
      }
      size = Math.max(size, at + data.length);
      await guard();
      try {
        await fh.write(out, 0, out.length, at).catch((e) => {
          if (!direct || (e as NodeJS.ErrnoException).code !== "EINVAL") throw e;
          return writeBuffered(data, at);
        });
      } catch (e) {
        throw diskErrorFromFs(e, diskId);
      }
    },
    writev: async (data) => {
      if (direct) throw new Error(`${file}: writev on a direct shard writer`);
      const at = size;
      for (const d of data) size += d.length;
      await guard();
      try {
        await fh.writev(data as Uint8Array[], at);
      } catch (e) {
        throw diskErrorFromFs(e, diskId);
      }
    },
    flush: async () => {
      if (closed || !durable) return;
      try {
        await fh.datasync();
      } catch (e) {
        throw diskErrorFromFs(e, diskId);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await guard();
        if (cutTo !== null) await fh.truncate(cutTo);
        if (durable) await fh.sync();
      } catch (e) {
        await fh.close().catch(() => {});
        throw diskErrorFromFs(e, diskId);
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

export function fileReader(fh: fs.FileHandle, diskId: string, guard: () => Promise<void>): ShardReader {
  return {
    read: async (position, length) => {
      await guard();
      const buf = Buffer.allocUnsafe(length);
      let done = 0;
      try {
        while (done < length) {
          const { bytesRead } = await fh.read(buf, done, length - done, position + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
      } catch (e) {
        throw diskErrorFromFs(e, diskId);
      }
      if (done < length) throw new DiskError("FileCorrupt", diskId, `short read at ${position}`);
      return buf;
    },
    readInto: async (position, into) => {
      await guard();
      const total = into.reduce((n, b) => n + b.length, 0);
      let done: number;
      try {
        done = (await readSlots.run(() => fh.readv(into, position))).bytesRead;
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
        throw diskErrorFromFs(e, diskId);
      }
      if (done < total) throw new DiskError("FileCorrupt", diskId, `short read at ${position}`);
    },
    size: async () => (await fh.stat()).size,
    close: async () => {
      await fh.close().catch(() => {});
    },
  };
}

/** A reader over a record held in memory (a logged file opened like a shard file). */
export function bufferReader(data: Buffer, diskId: string): ShardReader {
  const check = (position: number, length: number) => {
    if (position + length > data.length)
      throw new DiskError("FileCorrupt", diskId, `short read at ${position}`);
  };
  return {
    read: async (position, length) => {
      check(position, length);
      return Buffer.from(data.subarray(position, position + length));
    },
    readInto: async (position, into) => {
      let at = position;
      for (const b of into) {
        check(at, b.length);
        b.set(data.subarray(at, at + b.length));
        at += b.length;
      }
    },
    size: async () => data.length,
    close: async () => {},
  };
}
