// Child of io-threads.test.ts: does importing io-threads.ts first give libuv's pool its threads? Twenty
// file opens block pool threads (FIFOs with no writer yet); a stat then completes at once if the pool
// has a thread left, or only once the opens are released (here after a while, or when the stat came).
import "../io-threads.ts";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-pool-"));
const fifos = Array.from({ length: 20 }, (_, i) => path.join(dir, `f${i}`));
execFileSync("mkfifo", fifos);
const opens = fifos.map((f) => fsp.open(f, "r"));
let released: number[] | undefined;
const release = () => {
  // O_RDWR on a FIFO never blocks; held open, it satisfies the pending opens and those not started yet.
  released ??= fifos.map((f) => fs.openSync(f, "r+"));
};
const fallback = setTimeout(release, 2000);
await fsp.stat(dir);
const statBeforeRelease = !released;
release();
clearTimeout(fallback);
for (const o of opens) await (await o).close();
for (const fd of released ?? []) fs.closeSync(fd);
fs.rmSync(dir, { recursive: true });
console.log(JSON.stringify({ statBeforeRelease, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE }));
