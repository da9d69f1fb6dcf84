// The usage meter: samples every bucket's stored bytes once an hour (and at start), on the server's
// clock, and keeps the samples in `<dataDir>/metering/usage-YYYY-MM.jsonl` (one line per sample, the
// month of the hour it stands for). Bills are computed from them (billing.ts).

import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type BillingReport, computeBill, HOUR_MS, type SampledBucket, type UsageSample } from "./billing.ts";

export interface MeterOptions {
  dataDir: string;
  /** The server's clock; samples are filed under its hour. */
  clock: () => number;
  /** What is stored now, per bucket. */
  source: () => SampledBucket[];
  /** Sample this often (default one hour; 0: only sampleNow()). */
  intervalMs?: number;
  /** Take a sample when started (default true), so the hour the server starts in is metered. */
  sampleOnStart?: boolean;
  onError?: (e: unknown) => void;
}

function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

export class UsageMeter {
  readonly clock: () => number;
  private readonly opts: MeterOptions;
  private readonly dir: string;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(opts: MeterOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.dir = join(opts.dataDir, "metering");
  }

  start(): void {
    const every = this.opts.intervalMs ?? HOUR_MS;
    const onError = this.opts.onError ?? ((e: unknown) => console.error("usage meter:", e));
    if (this.opts.sampleOnStart ?? true) this.sampleNow().catch(onError);
    if (every > 0 && !this.timer) {
      this.timer = setInterval(() => this.sampleNow().catch(onError), every);
      this.timer.unref();
    }
  }

  /** Sample every bucket now; samples are taken and written one at a time, in order. */
  sampleNow(): Promise<UsageSample> {
    const run = this.chain.then(() => this.take());
    this.chain = run.catch(() => {});
    return run;
  }

  /** The samples whose hour overlaps [from, to), in file order. */
  async samples(from: number, to: number): Promise<UsageSample[]> {
    await this.chain;
    const out: UsageSample[] = [];
    for (const month of monthsBetween(from, to)) {
      let text: string;
      try {
        text = await readFile(join(this.dir, `usage-${month}.jsonl`), "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      }
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        let s: UsageSample;
        try {
          s = JSON.parse(line) as UsageSample;
        } catch {
          // A line torn by a crash mid-append: that sample is lost, the others stand.
          continue;
        }
        if (s.hour + HOUR_MS > from && s.hour < to) out.push(s);
      }
    }
    return out;
  }

  /** The bill for [from, to) (ms), for one tenant or all. */
  async bill(period: { from: number; to: number; tenant?: string }): Promise<BillingReport> {
    return computeBill(await this.samples(period.from, period.to), period);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  private async take(): Promise<UsageSample> {
    const at = this.clock();
    const sample: UsageSample = { hour: at - (at % HOUR_MS), at, buckets: this.opts.source() };
    await mkdir(this.dir, { recursive: true });
    await appendFile(join(this.dir, `usage-${monthOf(sample.hour)}.jsonl`), `${JSON.stringify(sample)}\n`, {
      mode: 0o600,
    });
    return sample;
  }
}

/** "YYYY-MM" of every month that [from, to) touches. */
function monthsBetween(from: number, to: number): string[] {
  const months: string[] = [];
  const d = new Date(from - (from % HOUR_MS));
  d.setUTCDate(1);
  d.setUTCHours(0, 0, 0, 0);
  for (let i = 0; i < 1200 && d.getTime() < to; i++) {
    months.push(monthOf(d.getTime()));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return months;
}
