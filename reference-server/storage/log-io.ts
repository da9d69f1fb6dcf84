import type { MessagePort, Worker } from "node:worker_threads";
import { channelWorker } from "./channel-worker.ts";

/**
 * The record logs' appends (record-log.ts), done by one worker thread for every disk of the process.
 * Why: a group commit is a write on each of 48 disks, and each asynchronous fs call costs the event
 * loop ~13 µs to dispatch and complete (measured: ~650 µs of main-thread CPU per round of 48), paid
 * again for every commit; over HTTP, requests arrive spread out and a small PUT made ~17 commits. Here
 * the appends of one event-loop turn go to the worker as one message and come back as one: the
 * dispatching runs on the other core. Durability is the descriptor's: record logs open their
 * segments O_DSYNC, so each write returns once its data is on disk (one thread-pool operation, where a
 * write then an fdatasync was two in a row).
 */

/** One append as the worker receives it. */
export interface Append {
  id: number;
  fd: number;
  data: Uint8Array;
  position: number;
}

/** What the worker answers per append: its id, and the error's code and message if it failed. */
export type AppendResult = [id: number, code?: string, message?: string];

let worker: Worker | undefined;
let port: MessagePort | undefined;
const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
let queue: Append[] = [];
let nextId = 1;

function getPort(): MessagePort {
  if (!worker || !port) {
    // An idle worker must never keep the process alive: its port is unref'd while nothing waits.
    // A dead worker must not leave commits waiting: they fail (the log cuts the torn tail), later
    // appends start a new one.
    const gone = (e: Error) => {
      if (port !== p) return; // a worker before this one
      worker = undefined;
      port = undefined;
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
    };
    const { worker: w, port: p } = channelWorker(new URL("./log-io-worker.ts", import.meta.url), {}, gone);
    worker = w;
    port = p;
    p.on("message", (results: AppendResult[]) => {
      for (const [id, code, message] of results) {
        const w = waiting.get(id);
        if (!w) continue;
        waiting.delete(id);
        if (code === undefined) w.resolve();
        else w.reject(Object.assign(new Error(message ?? code), { code }));
      }
      if (waiting.size === 0) p.unref();
    });
    port.unref();
    worker.unref();
  }
  return port;
}

/** Stop the worker (shutdown, tests): appends in flight fail; the next append starts a new one. */
export async function stopLogIoWorker(): Promise<void> {
  await worker?.terminate();
}

function flush(): void {
  const batch = queue;
  queue = [];
  const p = getPort();
  p.ref();
  // Moved, not copied: cloning would copy each buffer (and, for a view, its whole ArrayBuffer).
  p.postMessage(batch, [...new Set(batch.map((a) => a.data.buffer as ArrayBuffer))]);
}

/** A buffer that is the whole of an ArrayBuffer of its own can be transferred as it is. */
function ownsItsMemory(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
}

/**
 * Write `bufs` at `position` of the open descriptor `fd`; resolves when done (durable when `fd` was
 * opened O_DSYNC). Appends made in the same turn of the event loop travel together. A single buffer
 * that is the whole of its ArrayBuffer (Buffer.allocUnsafeSlow) is handed to the worker as it is: the
 * caller must not use it afterwards. Anything else is copied first.
 */
export function append(fd: number, bufs: Uint8Array[], position: number): Promise<void> {
  const data = bufs.length === 1 && ownsItsMemory(bufs[0]) ? bufs[0] : copyOf(bufs);
  return new Promise<void>((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    if (queue.length === 0) setImmediate(flush);
    queue.push({ id, fd, data, position });
  });
}

function copyOf(bufs: Uint8Array[]): Buffer {
  const out = Buffer.allocUnsafeSlow(bufs.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bufs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
