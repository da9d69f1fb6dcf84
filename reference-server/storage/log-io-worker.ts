// Worker thread of log-io.ts: each append is a positioned write, run on the thread pool in parallel;
// results go back in one message per turn of this thread's event loop.

import fs from "node:fs";
import { type MessagePort, workerData } from "node:worker_threads";
import type { Append, AppendResult } from "./log-io.ts";

const port = (workerData as { port: MessagePort }).port;
let results: AppendResult[] = [];

function done(id: number, e: NodeJS.ErrnoException | null): void {
  if (results.length === 0) setImmediate(reply);
  results.push(e ? [id, e.code ?? "EIO", e.message] : [id]);
}

function reply(): void {
  const out = results;
  results = [];
  port.postMessage(out);
}

function write(a: Append, from: number): void {
  fs.write(a.fd, a.data, from, a.data.length - from, a.position + from, (e, n) => {
    if (e) return done(a.id, e);
    // A short write (rare, e.g. near a full disk) continues where it stopped.
    if (from + n < a.data.length) return write(a, from + n);
    done(a.id, null);
  });
}

port.on("message", (batch: Append[]) => {
  for (const a of batch) write(a, 0);
});
