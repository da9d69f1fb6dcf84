// Shared by bench/server.ts (engine scenarios, aggregation) and bench/server-client.ts (HTTP load in a
// worker thread): the scenario driver that records every operation, and the aggregation done after.

/** One operation, times in ms from the start of the measured phase. */
export interface OpRecord {
  start: number;
  /** Response headers received (HTTP), or the engine call resolved (engine GET); = end for engine PUT. */
  firstByte: number;
  end: number;
  /** Body bytes moved (sent for PUT, received for GET). */
  bytes: number;
  /** HTTP status; engine ops report 200, or 0 when they throw. */
  status: number;
  error?: string;
}

export interface OpOutcome {
  firstByte: number;
  bytes: number;
  status: number;
  error?: string;
}

export type Op = (worker: number, seq: number) => Promise<OpOutcome>;

export interface Plan {
  concurrency: number;
  /** Warm-up (unrecorded): operations at up to `concurrency` until this much time has passed... */
  warmupMs: number;
  /** ...or this many have started (at least one in all). */
  warmupMaxOps: number;
  /** Measured phase: workers start new operations until this much time has passed (at least one each). */
  measureMs: number;
  /** Cap on measured operations over all workers. */
  maxOps: number;
}

export interface RunResult {
  records: OpRecord[];
  warmupOps: number;
  warmupErrors: number;
  /** HTTP runs: CPU cores the client thread used over the measured phase (it shares the machine). */
  clientThreadCpuCores?: number;
}

async function timed(op: Op, w: number, seq: number, t0: number): Promise<OpRecord> {
  const start = performance.now();
  try {
    const o = await op(w, seq);
    const end = performance.now();
    return {
      start: start - t0,
      firstByte: o.firstByte - t0,
      end: end - t0,
      bytes: o.bytes,
      status: o.status,
      error: o.error,
    };
  } catch (e) {
    const end = performance.now();
    return { start: start - t0, firstByte: end - t0, end: end - t0, bytes: 0, status: 0, error: String(e) };
  }
}

/**
 * Warm-up (unrecorded, only errors counted) until `warmupMs` or `warmupMaxOps`, then a barrier so no
 * warm-up operation overlaps the measured phase, then the measured phase: every operation recorded,
 * bounded by `measureMs` and `maxOps`.
 */
export async function runPlan(plan: Plan, op: Op, onMeasureStart?: () => void): Promise<RunResult> {
  const c = plan.concurrency;
  const warmEnd = performance.now() + plan.warmupMs;
  let warmupOps = 0;
  let warmupErrors = 0;
  let warmStarted = 0;
  let arrived = 0;
  let release!: () => void;
  const barrier = new Promise<void>((r) => {
    release = r;
  });
  let t0 = 0;
  let started = 0;
  const records: OpRecord[] = [];
  const seqs = new Array<number>(c).fill(0);
  await Promise.all(
    Array.from({ length: c }, async (_, w) => {
      while (warmStarted === 0 || (warmStarted < plan.warmupMaxOps && performance.now() < warmEnd)) {
        warmStarted++;
        const r = await timed(op, w, seqs[w]++, 0);
        warmupOps++;
        if (r.error || r.status < 200 || r.status >= 300) warmupErrors++;
      }
      if (++arrived === c) {
        t0 = performance.now();
        onMeasureStart?.();
        release();
      }
      await barrier;
      const measureEnd = t0 + plan.measureMs;
      do {
        if (started >= plan.maxOps) break;
        started++;
        records.push(await timed(op, w, seqs[w]++, t0));
      } while (performance.now() < measureEnd);
    }),
  );
  return { records, warmupOps, warmupErrors };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface Aggregate {
  ops: number;
  ok: number;
  errors: number;
  /** Non-2xx and thrown operations by status ("0" = no HTTP status: exception, abort, short body). */
  errorsByStatus: Record<string, number>;
  firstErrors: string[];
  availability: number;
  /** From the first measured start to the last measured end. */
  windowSec: number;
  bytes: number;
  gbitPerSec: number;
  mbPerSec: number;
  opsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  ttfbMs: { p50: number; p90: number; p99: number };
}

export function aggregate(records: OpRecord[]): Aggregate {
  const ok = records.filter((r) => r.status >= 200 && r.status < 300 && !r.error);
  const bad = records.filter((r) => !(r.status >= 200 && r.status < 300 && !r.error));
  const errorsByStatus: Record<string, number> = {};
  for (const r of bad) errorsByStatus[String(r.status)] = (errorsByStatus[String(r.status)] ?? 0) + 1;
  const first = records.reduce((m, r) => Math.min(m, r.start), records.length ? Number.POSITIVE_INFINITY : 0);
  const last = records.reduce((m, r) => Math.max(m, r.end), 0);
  const windowSec = (last - first) / 1000;
  const bytes = ok.reduce((s, r) => s + r.bytes, 0);
  const lat = ok.map((r) => r.end - r.start).sort((a, b) => a - b);
  const ttfb = ok.map((r) => r.firstByte - r.start).sort((a, b) => a - b);
  return {
    ops: records.length,
    ok: ok.length,
    errors: bad.length,
    errorsByStatus,
    firstErrors: [...new Set(bad.map((r) => r.error ?? `HTTP ${r.status}`))].slice(0, 5),
    availability: records.length ? ok.length / records.length : 0,
    windowSec,
    bytes,
    gbitPerSec: windowSec > 0 ? (bytes * 8) / 1e9 / windowSec : 0,
    mbPerSec: windowSec > 0 ? bytes / 2 ** 20 / windowSec : 0,
    opsPerSec: windowSec > 0 ? ok.length / windowSec : 0,
    latencyMs: {
      p50: percentile(lat, 50),
      p90: percentile(lat, 90),
      p99: percentile(lat, 99),
      max: lat.at(-1) ?? Number.NaN,
      mean: lat.length ? lat.reduce((s, x) => s + x, 0) / lat.length : Number.NaN,
    },
    ttfbMs: { p50: percentile(ttfb, 50), p90: percentile(ttfb, 90), p99: percentile(ttfb, 99) },
  };
}

/** What the main thread asks the client worker to run. */
export interface ClientJob {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  bucket: string;
  op: "put" | "get";
  size: number;
  /** GET reads these keys round-robin; PUT writes `${keyPrefix}${worker}-${seq % keysPerWorker}`. */
  getKeys: string[];
  keyPrefix: string;
  keysPerWorker: number;
  /** "UNSIGNED-PAYLOAD" or "sha256" (hex SHA-256 of the body, verified by the server). */
  payload: "UNSIGNED-PAYLOAD" | "sha256";
  requestTimeoutMs: number;
  plan: Plan;
}
