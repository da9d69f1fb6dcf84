import type { MessagePort, Worker } from "node:worker_threads";
import type { Hasher } from "../checksums.ts";
import { channelWorker } from "./channel-worker.ts";

/**
 * MD5 (S3's ETag) is the most expensive per-byte step of a PUT (~740 MB/s on this machine, against
 * ~3 GB/s for AES-GCM and the erasure code), so large bodies are hashed on a worker thread: the second
 * core then runs MD5 while the main thread encrypts, encodes and writes. The default CRC64NVME (what S3
 * stores for bodies uploaded without a checksum) is JS and slower still, so it runs there too. Each chunk
 * is copied once (memcpy is ~10 GB/s) into a ring of shared memory the worker reads in place; a byte
 * budget per stream and the ring's size bound what is queued, so memory stays flat.
 *
 * Why a shared ring rather than a fresh transferable buffer per chunk: those buffers are garbage the
 * moment the worker has hashed them, but V8 frees them only at its next collection. A 1 GiB PUT held
 * ~100 MB more at its peak that way (RSS growth 177 MB against 82 MB without the offload, measured),
 * and they drove many of the process's full collections.
 */
const MAX_QUEUED = 16 * 1024 * 1024;
/** The shared ring: two streams' budgets. A chunk that does not fit is copied the old way. */
export const RING_BYTES = 32 * 1024 * 1024;
const MAX_RING_CHUNK = RING_BYTES / 8;

/**
 * Space of the ring, handed out in order: the worker hashes updates in the order they are posted and
 * answers each one, so spans are released oldest first. `spans` holds, per update in flight, the bytes
 * it holds in the ring (0 for a copied chunk), including what was skipped at the end to wrap around.
 */
class Ring {
  readonly sab = new SharedArrayBuffer(RING_BYTES);
  readonly bytes = new Uint8Array(this.sab);
  private head = 0;
  used = 0;
  private readonly spans: number[] = [];
  private spanAt = 0;

  /** Where `n` bytes may go, or -1 (too large, or no room now). Every update must be reserve'd. */
  reserve(n: number): number {
    if (n > MAX_RING_CHUNK) {
      this.spans.push(0);
      return -1;
    }
    let at = this.head;
    let skip = 0;
    if (at + n > RING_BYTES) {
      skip = RING_BYTES - at;
      at = 0;
    }
    if (this.used + skip + n > RING_BYTES) {
      this.spans.push(0);
      return -1;
    }
    this.head = at + n;
    this.used += skip + n;
    this.spans.push(skip + n);
    return at;
  }

  /** The oldest update in flight is done. */
  release(): void {
    this.used -= this.spans[this.spanAt++] ?? 0;
    if (this.spanAt > 1024) {
      this.spans.splice(0, this.spanAt);
      this.spanAt = 0;
    }
  }
}

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
let ring: Ring | undefined;
const streams = new Map<number, Stream>();
/** Streams with a backpressure() call waiting. */
const waitingStreams = new Set<Stream>();

function wake(s: Stream): void {
  waitingStreams.delete(s);
  for (const w of s.waiters.splice(0)) w();
}
let nextId = 1;

function getPort(): MessagePort {
  if (!worker || !port) {
    // An idle worker must never keep the process alive: its port is unref'd while nothing waits.
    const r = new Ring();
    ring = r;
    // A dead worker must not leave PUTs waiting forever: their digests fail, later streams get a new one.
    ({ worker, port } = channelWorker(new URL("./hash-worker.ts", import.meta.url), { ring: r.sab }, (e) => {
      if (ring !== r) return; // a worker before this one
      worker = undefined;
      ring = undefined;
      port = undefined;
      for (const s of streams.values()) {
        s.fail?.(e);
        wake(s);
      }
      streams.clear();
    }));
    port.on("message", (m: { id: number; done?: number; digest?: ArrayBuffer; crc64?: ArrayBuffer }) => {
      const s = streams.get(m.id);
      if (m.done !== undefined) {
        r.release();
        if (s) s.queued -= m.done;
        // Any stream may be waiting for ring space that this answer freed, not only this one's.
        for (const w of waitingStreams) {
          if (w.queued <= MAX_QUEUED / 2 && (r.used <= RING_BYTES / 2 || w.queued === 0)) wake(w);
        }
      }
      if (!s) return;
      if (m.digest) {
        track(m.id, undefined);
        s.digest?.({ md5: Buffer.from(m.digest), crc64: m.crc64 && Buffer.from(m.crc64) });
      }
    });
    port.unref();
    worker.unref();
  }
  return port;
}

/**
 * Stop the worker (shutdown, tests): streams in flight fail as if it had died; the next stream starts a
 * new one.
 */
export async function stopHashWorker(): Promise<void> {
  await worker?.terminate();
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
  private readonly ring = ring!;
  private readonly crc64: boolean;
  private result?: Promise<Digests>;

  constructor(crc64 = false) {
    this.crc64 = crc64;
    track(this.id, this.s);
  }

  update(data: Uint8Array): void {
    this.s.queued += data.length;
    const at = this.ring.reserve(data.length);
    if (at >= 0) {
      this.ring.bytes.set(data, at);
      this.w.postMessage({ op: "update", id: this.id, crc64: this.crc64, at, length: data.length });
      return;
    }
    const copy = new Uint8Array(data); // an exact, transferable copy
    this.w.postMessage({ op: "update", id: this.id, crc64: this.crc64, data: copy.buffer }, [copy.buffer]);
  }

  /** Resolves once the worker's backlog for this stream is under the budget and the ring has room. */
  async backpressure(): Promise<void> {
    if (this.s.queued <= MAX_QUEUED && this.ring.used <= (RING_BYTES * 3) / 4) return;
    // Its worker is gone: nothing would answer; digest() reports it.
    if (!streams.has(this.id)) return;
    // Nothing of this stream in flight: it does not wait for the others' (its next chunk may be copied).
    if (this.s.queued === 0) return;
    waitingStreams.add(this.s);
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
    waitingStreams.delete(this.s);
    track(this.id, undefined);
    this.w.postMessage({ op: "drop", id: this.id });
  }
}
