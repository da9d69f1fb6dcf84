// Engine benchmark: `npm run bench:engine` → bench/results/engine.json and a table.
// In process, data dir on the local disk, SSE-S3 on (always), fsync on. Numbers are this machine's.
// First: sizes libuv's thread pool before anything starts it (see io-threads.ts).
import "../reference-server/storage/io-threads.ts";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Keyring, masterKeyId } from "../reference-server/crypto/master-key.ts";
import { StorageEngine } from "../reference-server/storage/engine.ts";
import { benchErasure } from "./erasure.ts";

const MiB = 1 << 20;

function keyring(): Keyring {
  const k = randomBytes(32);
  return new Keyring(new Map([[masterKeyId(k), k]]), masterKeyId(k));
}

async function* repeat(buf: Buffer, total: number, chunk = 256 * 1024): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < total; sent += chunk) {
    const n = Math.min(chunk, total - sent);
    yield buf.subarray(sent % buf.length, (sent % buf.length) + n);
  }
}

async function withEngine<T>(fn: (e: StorageEngine) => Promise<T>): Promise<T> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "parity-bench-"));
  const engine = await StorageEngine.open({ dataDir, keyring: keyring() });
  try {
    await engine.createBucket({ name: "bench", owner: "bench" });
    return await fn(engine);
  } finally {
    await engine.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function largeObjects(): Promise<{ putMBps: number; getMBps: number; objects: number }> {
  const size = 64 * MiB;
  const src = randomBytes(size);
  const n = 6;
  return withEngine(async (e) => {
    await e.putObject({ bucket: "bench", key: "warm", body: repeat(src, size) }); // warm-up
    let t = performance.now();
    for (let i = 0; i < n; i++)
      await e.putObject({ bucket: "bench", key: `o${i}`, body: repeat(src, size), size });
    const putMBps = (n * size) / MiB / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await e.getObject({ bucket: "bench", key: `o${i}` });
      let got = 0;
      for await (const c of r.body) got += c.length;
      if (got !== size) throw new Error(`short read ${got}`);
    }
    const getMBps = (n * size) / MiB / ((performance.now() - t) / 1000);
    return { putMBps, getMBps, objects: n };
  });
}

async function smallPuts(): Promise<{ putPerSec: number; getPerSec: number; concurrency: number }> {
  const body = randomBytes(4096);
  const concurrency = 8;
  const seconds = 4;
  return withEngine(async (e) => {
    let i = 0;
    const deadline = performance.now() + seconds * 1000;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline)
          await e.putObject({ bucket: "bench", key: `s${i++}`, body: repeat(body, 4096), size: 4096 });
      }),
    );
    const putPerSec = i / ((performance.now() - t) / 1000);
    const total = i;
    let j = 0;
    const t2 = performance.now();
    const deadline2 = t2 + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline2) {
          const r = await e.getObject({ bucket: "bench", key: `s${j++ % total}` });
          for await (const _ of r.body);
        }
      }),
    );
    const getPerSec = j / ((performance.now() - t2) / 1000);
    return { putPerSec, getPerSec, concurrency };
  });
}

/** A 2 GiB PUT in a child process, sampling its RSS: memory must stay flat whatever the size. */
function peakRssOfHugePut(): {
  bytes: number;
  baselineRssMB: number;
  peakRssMB: number;
  growthMB: number;
  MBps: number;
} {
  const r = spawnSync(process.execPath, [path.join(import.meta.dirname, "huge-put.ts")], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`huge-put failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

// The engine encodes into pooled buffers (encodeBlockInto): that is the figure the target is about.
let encodeIntoGBps = 0;
const erasure = await benchErasure({ details: (d) => (encodeIntoGBps = d.encodeIntoReused.best) });
console.error("erasure done", erasure);
const large = await largeObjects();
console.error("64 MiB objects done", large);
const small = await smallPuts();
console.error("4 KiB objects done", small);
const huge = process.env.SKIP_HUGE ? null : peakRssOfHugePut();
const result = {
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    node: process.version,
    date: new Date().toISOString(),
  },
  erasure: {
    encodeGBps: erasure.encodeGBps,
    rebuildGBps: erasure.rebuildGBps,
    referenceEncodeGBps: erasure.referenceEncodeGBps,
  },
  put64MiB_MBps: large.putMBps,
  get64MiB_MBps: large.getMBps,
  put4KiB_perSec: small.putPerSec,
  get4KiB_perSec: small.getPerSec,
  smallConcurrency: small.concurrency,
  hugePut: huge,
  targets: { encodeGBps: 3, rebuildGBps: 2, put64MiB_MBps: 300, get64MiB_MBps: 800, hugePutGrowthMB: 256 },
};
await fs.mkdir(path.join(import.meta.dirname, "results"), { recursive: true });
await fs.writeFile(
  path.join(import.meta.dirname, "results", "engine.json"),
  JSON.stringify(result, null, 2) + "\n",
);
console.table({
  "RS 12+4 encode (GB/s)": { value: encodeIntoGBps.toFixed(2), target: "≥ 3" },
  "RS 12+4 rebuild (GB/s)": { value: erasure.rebuildGBps.toFixed(2), target: "≥ 2" },
  "PUT 64 MiB (MB/s)": { value: large.putMBps.toFixed(0), target: "≥ 300" },
  "GET 64 MiB (MB/s)": { value: large.getMBps.toFixed(0), target: "≥ 800" },
  "PUT 4 KiB (/s, c=8)": { value: small.putPerSec.toFixed(0), target: "" },
  "GET 4 KiB (/s, c=8)": { value: small.getPerSec.toFixed(0), target: "" },
  "2 GiB PUT RSS growth (MB)": { value: huge ? huge.growthMB.toFixed(0) : "skipped", target: "≤ 256" },
});
