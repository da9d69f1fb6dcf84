// Child of bench/engine.ts: one 2 GiB PUT, RSS sampled every 50 ms; prints a JSON line.
// First: sizes libuv's thread pool before anything starts it (see io-threads.ts).
import "../reference-server/storage/io-threads.ts";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Keyring, masterKeyId } from "../reference-server/crypto/master-key.ts";
import { StorageEngine } from "../reference-server/storage/engine.ts";

const total = Number(process.env.HUGE_BYTES ?? 2 * 1024 ** 3);
const k = randomBytes(32);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "parity-huge-"));
const engine = await StorageEngine.open({
  dataDir,
  keyring: new Keyring(new Map([[masterKeyId(k), k]]), masterKeyId(k)),
});
await engine.createBucket({ name: "huge", owner: "bench" });
const src = randomBytes(8 << 20);
global.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
async function* body() {
  for (let sent = 0; sent < total; sent += 256 * 1024) {
    const off = sent % src.length;
    yield src.subarray(off, off + Math.min(256 * 1024, total - sent));
  }
}
const t = performance.now();
await engine.putObject({ bucket: "huge", key: "2GiB", body: body(), size: total });
const secs = (performance.now() - t) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
await engine.close();
await fs.rm(dataDir, { recursive: true, force: true });
const MB = 1024 * 1024;
console.log(
  JSON.stringify({
    bytes: total,
    baselineRssMB: baseline / MB,
    peakRssMB: peak / MB,
    growthMB: (peak - baseline) / MB,
    MBps: total / MB / secs,
  }),
);
