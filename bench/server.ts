// Server benchmark: `npm run bench:server` → bench/results/server.json and a table.
// The reference server runs in this process (default engine settings: fsync on, SSE-S3 on, 3 zones of
// 12+4); the HTTP client runs in a worker thread (undici keep-alive pool, SigV4 per request) over
// loopback. The same engine instance is also driven directly, so the HTTP overhead shows as a ratio, and
// the same client drives a bare node:http server (bare-server.ts), the machine's ceiling for it.
// Every operation is recorded (start, first byte, end, bytes, status) and aggregated afterwards.
//
// Env: BENCH_SECONDS (measured seconds per scenario, default 4), BENCH_ONLY (regex on scenario names;
// results are then printed, not written), BENCH_PROFILE (regex: CPU-profile the server's main thread
// during matching scenarios; .cpuprofile files go to BENCH_PROFILE_DIR, default the OS temp dir).

// First: sizes libuv's thread pool before anything starts it (see io-threads.ts).
import "../reference-server/storage/io-threads.ts";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { startReferenceServer } from "../reference-server/server.ts";
import { startBareServer } from "./bare-server.ts";
import { type CpuProfile, topSelf } from "./cpu-profile.ts";
import { diskCeiling } from "./disk-ceiling.ts";
import { startFloorServer } from "./floor-server.ts";
import { putCpuBudget } from "./put-cpu-budget.ts";
import { sign } from "./server-client.ts";
import {
  type Aggregate,
  aggregate,
  type ClientJob,
  type Plan,
  type RunResult,
  runPlan,
} from "./server-lib.ts";

const MiB = 1 << 20;
const LARGE = 64 * MiB;
const SMALL = 4096;
const BUCKET = "bench";
const REGION = "us-east-1";
const measureMs = Number(process.env.BENCH_SECONDS ?? 4) * 1000;
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const profileRe = process.env.BENCH_PROFILE ? new RegExp(process.env.BENCH_PROFILE) : undefined;
const profileDir = process.env.BENCH_PROFILE_DIR ?? os.tmpdir();

const TARGETS = {
  put64MiB_Gbps: 2,
  get64MiB_Gbps: 4,
  put4KiB_perSec: 1000,
  get4KiB_perSec: 3000,
};

/**
 * engine: the engine alone; http: the reference server; bare: bare-server.ts, the machine's ceiling;
 * floor: floor-server.ts, the least work the design allows (4 KiB only).
 */
type Via = "http" | "engine" | "bare" | "floor";
type Kind = "put" | "get";
interface Scenario {
  name: string;
  via: Via;
  op: Kind;
  size: number;
  concurrency: number;
  plan: Plan;
}

const sizeName = (size: number) => (size === LARGE ? "64MiB" : "4KiB");

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const size of [LARGE, SMALL])
    for (const op of ["put", "get"] as const)
      for (const concurrency of [1, 8])
        for (const via of ["engine", "http", "bare", "floor"] as const) {
          if (via === "floor" && size === LARGE) continue;
          out.push({
            name: `${via}-${op}-${sizeName(size)}-c${concurrency}`,
            via,
            op,
            size,
            concurrency,
            plan: {
              concurrency,
              warmupMs: 1000,
              // JIT and first-touch warm-up; loopback connect costs nothing next to a 64 MiB body.
              warmupMaxOps: size === LARGE ? 2 : 100_000,
              measureMs,
              maxOps: size === LARGE ? 64 : 50_000,
            },
          });
        }
  return out.filter((s) => !only || only.test(s.name));
}

async function* chunks(buf: Buffer, chunk = 256 * 1024): AsyncGenerator<Buffer> {
  for (let at = 0; at < buf.length; at += chunk) yield buf.subarray(at, Math.min(buf.length, at + chunk));
}

// ---- the client worker

const worker = new Worker(new URL("./server-client.ts", import.meta.url));
worker.unref();
type FromClient = { phase: "measure" } | { ok: true; result: RunResult } | { ok: false; error: string };

/** One job at a time: the worker reports the start of the measured phase, then the result. */
function postHttp(job: ClientJob, onMeasureStart: () => void): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const done = () => {
      worker.off("error", onError);
      worker.off("message", onMessage);
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onMessage = (m: FromClient) => {
      if ("phase" in m) return onMeasureStart();
      done();
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
    };
    worker.on("error", onError);
    worker.on("message", onMessage);
    worker.postMessage(job);
  });
}

// ---- CPU profile of the server's main thread (optional)

// ---- the machine's CPU over the run

/**
 * The machine's CPU ticks by kind (Linux /proc/stat), to tell how much the hypervisor took: on a shared
 * host the same code measured 2–4× apart from one hour to the next, with steal time the visible cause.
 */
function cpuTicks(): number[] | undefined {
  try {
    return readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  } catch {
    return undefined;
  }
}

/** Steal time over the run so far, in per cent of all CPU time (undefined off Linux). */
function stealPercent(): number | undefined {
  const end = cpuTicks();
  if (!cpuStart || !end) return undefined;
  const d = end.map((x, i) => x - cpuStart[i]);
  const total = d.reduce((a, b) => a + b, 0);
  return total > 0 ? (100 * d[7]) / total : undefined;
}

// ---- main

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "parity-bench-server-"));
const server = await startReferenceServer({ dataDir, port: 0, region: REGION });
const bare = await startBareServer((p) => (p.includes("/large/") ? LARGE : SMALL));
const floor = await startFloorServer(path.join(dataDir, "floor"), {
  accessKeyId: server.accessKeyId,
  secretAccessKey: server.secretAccessKey,
  region: REGION,
});
const engine = server.engine;
const loadStart = os.loadavg();
const cpuStart = cpuTicks();
const results: Record<string, unknown>[] = [];
const aggs = new Map<string, Aggregate>();
const profiles: Record<string, unknown> = {};
try {
  // Bucket over HTTP (checks the signer too); GET objects written once through the engine.
  const url = new URL(server.endpoint);
  const res = await fetch(`${server.endpoint}/${BUCKET}`, {
    method: "PUT",
    headers: sign(
      { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, region: REGION },
      "PUT",
      url.host,
      `/${BUCKET}`,
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ),
  });
  if (res.status !== 200) throw new Error(`CreateBucket: HTTP ${res.status} ${await res.text()}`);
  const getKeys = { [LARGE]: [0, 1, 2, 3].map((i) => `get/large/${i}`), [SMALL]: [] as string[] };
  for (let i = 0; i < 64; i++) getKeys[SMALL].push(`get/small/${i}`);
  for (const size of [LARGE, SMALL]) {
    const src = randomBytes(size);
    for (const key of getKeys[size]) await engine.putObject({ bucket: BUCKET, key, body: chunks(src), size });
    if (size === SMALL) for (const key of getKeys[size]) await floor.put(key, src);
  }
  const srcs = { [LARGE]: randomBytes(LARGE), [SMALL]: randomBytes(SMALL) };
  console.error(`server ${server.endpoint}, data ${dataDir}, load ${loadStart.map((x) => x.toFixed(2))}`);

  for (const s of scenarios()) {
    const profiling = profileRe?.test(s.name) ?? false;
    const session = profiling ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
    }
    const t = performance.now();
    // CPU and event-loop use over the measured phase only (snapshots when warm-up ends).
    let cpu0 = process.cpuUsage();
    let mainCpu0 = process.threadCpuUsage();
    let elu0 = performance.eventLoopUtilization();
    let tm = t;
    const onMeasureStart = () => {
      cpu0 = process.cpuUsage();
      mainCpu0 = process.threadCpuUsage();
      elu0 = performance.eventLoopUtilization();
      tm = performance.now();
    };
    let run: RunResult;
    if (s.via !== "engine") {
      run = await postHttp(
        {
          endpoint: { http: server.endpoint, bare: bare.endpoint, floor: floor.endpoint }[s.via],
          accessKeyId: server.accessKeyId,
          secretAccessKey: server.secretAccessKey,
          region: REGION,
          bucket: BUCKET,
          op: s.op,
          size: s.size,
          getKeys: getKeys[s.size],
          keyPrefix: `put/${s.name}/`,
          keysPerWorker: 2,
          payload: s.size === LARGE ? "UNSIGNED-PAYLOAD" : "sha256",
          requestTimeoutMs: 120_000,
          plan: s.plan,
        },
        onMeasureStart,
      );
    } else {
      const src = srcs[s.size];
      run = await runPlan(
        s.plan,
        async (w, seq) => {
          if (s.op === "put") {
            const key = `put/${s.name}/${w}-${seq % 2}`;
            await engine.putObject({ bucket: BUCKET, key, body: chunks(src), size: s.size });
            return { firstByte: performance.now(), bytes: s.size, status: 200 };
          }
          const keys = getKeys[s.size];
          const got = await engine.getObject({ bucket: BUCKET, key: keys[(w * 7919 + seq) % keys.length] });
          const firstByte = performance.now();
          let bytes = 0;
          for await (const c of got.body) bytes += c.length;
          if (bytes !== s.size) return { firstByte, bytes, status: 200, error: `short read ${bytes}` };
          return { firstByte, bytes, status: 200 };
        },
        onMeasureStart,
      );
    }
    const elapsed = (performance.now() - t) / 1000;
    const measured = (performance.now() - tm) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const mainCpu = process.threadCpuUsage(mainCpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const agg = aggregate(run.records);
    aggs.set(s.name, agg);
    if (session) {
      const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
      session.disconnect();
      await fs.mkdir(profileDir, { recursive: true });
      const file = path.join(profileDir, `server-${s.name}.cpuprofile`);
      await fs.writeFile(file, JSON.stringify(profile));
      profiles[s.name] = { file, topSelf: topSelf(profile) };
    }
    results.push({
      name: s.name,
      via: s.via,
      op: s.op,
      sizeBytes: s.size,
      concurrency: s.concurrency,
      plan: s.plan,
      warmupOps: run.warmupOps,
      warmupErrors: run.warmupErrors,
      elapsedSec: elapsed,
      measuredSec: measured,
      // CPU over the measured phase, in cores (CPU seconds per wall second): the whole process (server
      // main thread, client worker, MD5 worker, libuv pool) and the main thread alone (the server's event
      // loop, or the engine loop in engine scenarios).
      processCpuCores: (cpu.user + cpu.system) / 1e6 / measured,
      // The same per successful operation, in ms: steadier than throughput on a host that steals CPU,
      // and for 64 MiB PUTs comparable with the CPU budget (which also counts the client's socket).
      processCpuMsPerOp: agg.ok > 0 ? (cpu.user + cpu.system) / 1e3 / agg.ok : null,
      // HTTP: the client worker's share of that (its SigV4, sockets and parsing run on the same 2 cores).
      clientThreadCpuCores: run.clientThreadCpuCores,
      mainThreadCpuCores: (mainCpu.user + mainCpu.system) / 1e6 / measured,
      // Busy fraction of the main thread's event loop; near 1 while its CPU cores are well under 1 means
      // it was runnable but not running (the machine's other load had the CPU).
      mainThreadEventLoopUtilization: elu.utilization,
      // Throughput per CPU second of the main thread: what one whole core for it would carry if it stays
      // the bottleneck (Gbit for 64 MiB, operations for 4 KiB).
      perMainThreadCpuSec:
        s.size === LARGE
          ? (agg.bytes * 8) / 1e9 / ((mainCpu.user + mainCpu.system) / 1e6)
          : agg.ok / ((mainCpu.user + mainCpu.system) / 1e6),
      ...agg,
    });
    console.error(
      `${s.name.padEnd(22)} ${agg.ok}/${agg.ops} ok  ${agg.gbitPerSec.toFixed(2)} Gbit/s  ${agg.opsPerSec.toFixed(0)} ops/s  p50 ${agg.latencyMs.p50.toFixed(1)} ms  p99 ${agg.latencyMs.p99.toFixed(1)} ms  ELU ${elu.utilization.toFixed(2)}${agg.errors ? `  ERRORS ${JSON.stringify(agg.errorsByStatus)} ${agg.firstErrors[0]}` : ""}`,
    );
  }
} finally {
  await server.close();
  await bare.close();
  await floor.close();
  await worker.terminate();
  await fs.rm(dataDir, { recursive: true, force: true });
}

// ---- verdicts, ratios, output

// Measured after the scenarios, so its writes do not disturb them (BENCH_ONLY runs skip them).
const disk = only ? undefined : await diskCeiling();
const putBudget = only ? undefined : await putCpuBudget();

const target = (op: Kind, size: number) =>
  size === LARGE
    ? { metric: "gbitPerSec", min: op === "put" ? TARGETS.put64MiB_Gbps : TARGETS.get64MiB_Gbps }
    : { metric: "opsPerSec", min: op === "put" ? TARGETS.put4KiB_perSec : TARGETS.get4KiB_perSec };

for (const r of results) {
  const t = target(r.op as Kind, r.sizeBytes as number);
  const value = r[t.metric] as number;
  const twin = (via: Via) => aggs.get(`${via}-${(r.name as string).slice((r.via as string).length + 1)}`);
  const over = (a: Aggregate | undefined) =>
    a ? value / (a[t.metric as "gbitPerSec" | "opsPerSec"] || Number.NaN) : undefined;
  if (r.via === "http") {
    r.target = { [t.metric]: t.min, met: value >= t.min && r.errors === 0 };
    r.httpOverEngine = over(twin("engine"));
    // The share of the machine's ceiling (same client, a server doing no S3 work) the server reaches.
    r.httpOverBare = over(twin("bare"));
    // The share of the design's floor (the same client, only the work the design makes unavoidable).
    r.httpOverFloor = over(twin("floor"));
  }
}

const result = {
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? "default (4)",
    loadAvgStart: loadStart,
    loadAvgEnd: os.loadavg(),
    stealPercent: stealPercent(),
    date: new Date().toISOString(),
  },
  setup: {
    server: "startReferenceServer in process, default engine options (fsync on, SSE-S3, 3 zones x 12+4)",
    client:
      "worker thread, undici Pool keep-alive (connections = concurrency), SigV4 Authorization header signed per request; 64 MiB bodies UNSIGNED-PAYLOAD, 4 KiB bodies hex SHA-256 (verified by the server)",
    transport: "loopback HTTP/1.1, 127.0.0.1",
    floor:
      "floor-* scenarios (4 KiB): the same client against bench/floor-server.ts, only the work DESIGN.md makes unavoidable for a durable object (SigV4 and payload hash, MD5, seal and AES-256-GCM, 12+4 coding, 48 CRC-framed records group-committed with O_DSYNC writes, one SQLite transaction; GET: 12 record preads, unseal, decrypt): what any implementation of the design can reach here",
    bare: "bare-* scenarios: the same client against bench/bare-server.ts, a node:http server doing no S3 work (no auth, storage or encryption), bodies from memory in 64 KiB writes: the machine's ceiling for this client",
    phases: `warm-up 1 s (64 MiB: at most 2 ops; unrecorded), barrier, measured ${measureMs / 1000} s or max ops (>= 1 op per connection)`,
    errors: "any non-2xx, exception, timeout or short body counts as an error",
  },
  targets: TARGETS,
  // What the disk takes when a PUT's writes are all there is to do: the durable-PUT ceiling here.
  diskCeiling: disk,
  // The CPU a 64 MiB PUT cannot do without, and the PUT rate it allows on this machine's cores.
  putCpuBudget: putBudget,
  scenarios: results,
  profiles: Object.keys(profiles).length ? profiles : undefined,
};

if (!only) {
  await fs.mkdir(path.join(import.meta.dirname, "results"), { recursive: true });
  await fs.writeFile(
    path.join(import.meta.dirname, "results", "server.json"),
    JSON.stringify(result, null, 2) + "\n",
  );
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "-");
const table: Record<string, Record<string, string>> = {};
for (const r of results) {
  const a = r as unknown as Aggregate & { name: string; via: Via; op: Kind; sizeBytes: number };
  const t = target(a.op, a.sizeBytes);
  const tr = r.target as { met: boolean } | undefined;
  table[a.name] = {
    "Gbit/s": fmt(a.gbitPerSec, 2),
    "ops/s": fmt(a.opsPerSec, 0),
    "p50 ms": fmt(a.latencyMs.p50),
    "p90 ms": fmt(a.latencyMs.p90),
    "p99 ms": fmt(a.latencyMs.p99),
    "ttfb p50": fmt(a.ttfbMs.p50),
    ok: `${a.ok}/${a.ops}`,
    "main ELU": fmt(r.mainThreadEventLoopUtilization as number, 2),
    "main cores": fmt(r.mainThreadCpuCores as number, 2),
    "all cores": fmt(r.processCpuCores as number, 2),
    "CPU ms/op":
      r.processCpuMsPerOp === null ? "" : fmt(r.processCpuMsPerOp as number, a.sizeBytes === LARGE ? 0 : 2),
    "client cores": r.clientThreadCpuCores === undefined ? "" : fmt(r.clientThreadCpuCores as number, 2),
    "per main core-s": fmt(r.perMainThreadCpuSec as number, a.sizeBytes === LARGE ? 2 : 0),
    target: a.via === "http" ? `≥ ${t.min}${t.metric === "gbitPerSec" ? " Gbit/s" : "/s"}` : "",
    met: tr ? (tr.met ? "yes" : "NO") : "",
    "http/engine": r.httpOverEngine === undefined ? "" : fmt(r.httpOverEngine as number, 2),
    "http/bare": r.httpOverBare === undefined ? "" : fmt(r.httpOverBare as number, 2),
    "http/floor": r.httpOverFloor === undefined ? "" : fmt(r.httpOverFloor as number, 2),
  };
}
console.table(table);
for (const [name, p] of Object.entries(profiles)) {
  console.log(`\nTop self time, server main thread, ${name}:`);
  console.table((p as { topSelf: unknown[] }).topSelf);
}
if (disk) {
  console.log(
    `disk ceiling: ${disk.writeMBps.toFixed(0)} MB/s written with fdatasync (buffered ${disk.bufferedMBps.toFixed(0)}, O_DIRECT ${disk.directMBps?.toFixed(0) ?? "refused"}), so at most ${disk.objectMBps.toFixed(0)} MB/s (${disk.objectGbps.toFixed(2)} Gbit/s) of object data for a durable PUT (each byte is written 4 times)`,
  );
}
if (putBudget) {
  const steps = Object.entries(putBudget.steps).map(([k, v]) => `${k} ${v.toFixed(0)}`);
  console.log(
    `64 MiB PUT CPU budget: ${putBudget.totalMs.toFixed(0)} CPU ms at least (${steps.join(", ")}), so at most ${putBudget.maxGbps.toFixed(2)} Gbit/s on ${putBudget.cores} cores doing nothing else`,
  );
  const spent = results
    .filter((x) => x.via === "http" && x.op === "put" && x.sizeBytes === LARGE)
    .map((x) => `c=${x.concurrency} ${(x.processCpuMsPerOp as number).toFixed(0)}`);
  console.log(`the reference server's 64 MiB PUTs took (CPU ms each, client included): ${spent.join(", ")}`);
}
const steal = stealPercent();
console.log(
  `load average start ${loadStart.map((x) => x.toFixed(2))}, end ${os.loadavg().map((x) => x.toFixed(2))}${steal === undefined ? "" : `; CPU time stolen by the hypervisor during the run: ${steal.toFixed(1)} %`}`,
);
// Exit explicitly: the server's MD5 offload worker (reference-server/storage/md5-offload.ts) calls
// unref() before adding its "message" listener, which re-refs it, so the process would not end alone.
process.exit(0);
