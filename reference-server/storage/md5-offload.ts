import type { MessagePort, Worker } from "node:worker_threads";
import type { Hasher } from "../checksums.ts";
import { channelWorker } from "./channel-worker.ts";

/**
 * MD5 (S3's ETag) is the most expensive per-byte step of a PUT (~740 MB/s on this machine, against
 * ~3 GB/s for AES-GCM and the erasure code), so large bodies are hashed on a worker thread: the second
 * core then runs MD5 while the main thread encrypts, encodes and writes. The default CRC64NVME (what S3
 * stores for bodies uploaded without a checksum) is JS and slower still, so it runs there too. Each chunk
 * is copied once into a transferable buffer (memcpy is ~10 GB/s); a byte budget bounds what is queued, so
 * memory stays flat.
 */
const MAX_QUEUED = 16 * 1024 * 1024;

interface Digests {
  md5: Buffer;
  crc64?: Buffer;
}

interface Stream {
  queued: number;
  waiters: (() => void)[];
  digest?: (d: Digests) => void;
  fail?: (e: Error) => void;
}

let worker: Worker | undefined;
let port: MessagePort | undefined;
const streams = new Map<number, Stream>();
let nextId = 1;

function getPort(): MessagePort {
  if (!worker || !port) {
    // An idle worker must never keep the process alive: its port is unref'd while nothing waits.
    ({ worker, port } = channelWorker(new URL("./hash-worker.ts", import.meta.url)));
    port.on("message", (m: { id: number; done?: number; digest?: ArrayBuffer; crc64?: ArrayBuffer }) => {
      const s = streams.get(m.id);
      if (!s) return;
      if (m.done !== undefined) {
        s.queued -= m.done;
        if (s.queued <= MAX_QUEUED / 2) for (const w of s.waiters.splice(0)) w();
      }
      if (m.digest) {
        track(m.id, undefined);
        s.digest?.({ md5: Buffer.from(m.digest), crc64: m.crc64 && Buffer.from(m.crc64) });
      }
    });
    // A dead worker must not leave PUTs waiting forever: their digests fail, later streams get a new one.
    worker.on("error", (e) => {
      worker = undefined;
      port?.close();
      port = undefined;
      for (const s of streams.values()) {
        s.fail?.(e);
        for (const w of s.waiters.splice(0)) w();
      }
      streams.clear();
    });
    port.unref();
    worker.unref();
  }
  return port;
}

/** Ref the channel while some stream awaits the worker, so the process waits for its digests. */
function track(id: number, s: Stream | undefined): void {
  if (s) streams.set(id, s);
  else streams.delete(id);
  if (streams.size > 0) port?.ref();
  else port?.unref();
}

/** MD5 of a body on the worker thread, plus its CRC64NVME when `crc64` is set. */
export class OffloadedMd5 implements Hasher {
  private readonly id = nextId++;
  private readonly s: Stream = { queued: 0, waiters: [] };
  private readonly w = getPort();
  private readonly crc64: boolean;
  private result?: Promise<Digests>;

  constructor(crc64 = false) {
    this.crc64 = crc64;
    track(this.id, this.s);
  }

  update(data: Uint8Array): void {
    const copy = new Uint8Array(data); // an exact, transferable copy
    this.s.queued += copy.length;
    this.w.postMessage({ op: "update", id: this.id, crc64: this.crc64, data: copy.buffer }, [copy.buffer]);
  }

  /** Resolves once the worker's backlog for this stream is under the budget. */
  async backpressure(): Promise<void> {
    if (this.s.queued <= MAX_QUEUED) return;
    await new Promise<void>((r) => this.s.waiters.push(r));
  }

  private digests(): Promise<Digests> {
    this.result ??= new Promise((resolve, reject) => {
      // Gone already: the worker died while the body streamed.
      if (!streams.has(this.id)) return reject(new Error("hash worker exited"));
      this.s.digest = resolve;
      this.s.fail = reject;
      this.w.postMessage({ op: "digest", id: this.id, crc64: this.crc64 });
    });
    return this.result;
  }

  async digest(): Promise<Buffer> {
    return (await this.digests()).md5;
  }

  /** The CRC64NVME computed alongside, as a Hasher (update is a no-op: the bytes go through update()). */
  crc64Hasher(): Hasher {
    return {
      update: () => {},
      digest: async () => {
        const c = (await this.digests()).crc64;
        if (!c) throw new Error("CRC64NVME was not requested of this offloaded stream");
        return c;
      },
    };
  }

  /** Forget a stream whose PUT failed. */
  drop(): void {
    track(this.id, undefined);
    this.w.postMessage({ op: "drop", id: this.id });
  }
}
