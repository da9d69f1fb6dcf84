// Delivery of server access logs: records are buffered per source bucket and target, and written as
// log objects into the target bucket every `flushIntervalMs` or as soon as `maxRecords` are waiting.
// The service writes them through the engine directly, so the target's policies do not apply (as with
// AWS's logging service principal) and these writes are not themselves logged. A failed write keeps its
// records for the next flush, up to `maxPending` records in all; beyond that new records are dropped
// and counted.

import { randomBytes } from "node:crypto";
import type { StorageEngine } from "../storage/engine.ts";
import { isStorageError } from "../storage/errors.ts";
import type { LoggingConfig } from "./config.ts";

export interface DeliveryOptions {
  engine: StorageEngine;
  /** The server's S3 clock: log object names and partitions use it. */
  clock: () => number;
  /** Deliver what is waiting this often (default 60 s; 0 disables the timer: flush() only). */
  flushIntervalMs?: number;
  /** Records in one log object; a buffer this full is delivered at once (default 1000). */
  maxRecords?: number;
  /** Records kept in all while waiting or retrying (default 100 000). */
  maxPending?: number;
  /** A failed delivery (its records are kept for the next flush). */
  onError?: (e: unknown, targetBucket: string) => void;
}

export interface DeliveryStats {
  /** Records written into target buckets. */
  delivered: number;
  /** Log objects written. */
  objects: number;
  /** Records waiting (including ones whose delivery failed and will be retried). */
  pending: number;
  /** Records lost: over `maxPending`, or their target bucket no longer exists. */
  dropped: number;
  /** Log object writes that failed and will be retried. */
  failures: number;
}

export interface SourceInfo {
  bucket: string;
  owner: string;
  region: string;
}

interface Line {
  text: string;
  at: number;
}

interface Buffered {
  source: SourceInfo;
  config: LoggingConfig;
  lines: Line[];
}

const pad = (n: number) => String(n).padStart(2, "0");

function stamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-` +
    `${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`
  );
}

/**
 * The log object's key. SimplePrefix: `<prefix>YYYY-MM-DD-hh-mm-ss-<16 hex>`. PartitionedPrefix:
 * `<prefix><owner>/<region>/<bucket>/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-<16 hex>`, the date path being the
 * records' event day (EventTime) or the delivery day (DeliveryTime, the default).
 */
export function logObjectKey(
  config: LoggingConfig,
  source: SourceInfo,
  deliveredAt: number,
  eventAt: number,
  unique = randomBytes(8).toString("hex").toUpperCase(),
): string {
  const name = `${stamp(deliveredAt)}-${unique}`;
  const fmt = config.keyFormat;
  if (fmt?.kind !== "PartitionedPrefix") return `${config.targetPrefix}${name}`;
  const d = new Date(fmt.dateSource === "EventTime" ? eventAt : deliveredAt);
  const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `${config.targetPrefix}${source.owner}/${source.region}/${source.bucket}/${day}/${name}`;
}

const DAY_MS = 86_400_000;

export class LogDelivery {
  private readonly opts: Required<Omit<DeliveryOptions, "onError">> & Pick<DeliveryOptions, "onError">;
  private readonly buffers = new Map<string, Buffered>();
  private pendingCount = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly counts = { delivered: 0, objects: 0, dropped: 0, failures: 0 };

  constructor(opts: DeliveryOptions) {
    this.opts = {
      flushIntervalMs: 60_000,
      maxRecords: 1000,
      maxPending: 100_000,
      ...opts,
    };
  }

  start(): void {
    if (this.opts.flushIntervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  stats(): DeliveryStats {
    return { ...this.counts, pending: this.pendingCount };
  }

  /** Queue one formatted record for `source`'s log under `config`. */
  add(source: SourceInfo, config: LoggingConfig, text: string, at: number): void {
    if (this.pendingCount >= this.opts.maxPending) {
      this.counts.dropped++;
      return;
    }
    const id = `${source.bucket}\n${config.targetBucket}\n${config.targetPrefix}\n${JSON.stringify(config.keyFormat ?? null)}`;
    let buf = this.buffers.get(id);
    if (!buf) {
      buf = { source, config, lines: [] };
      this.buffers.set(id, buf);
    }
    buf.lines.push({ text, at });
    this.pendingCount++;
    if (buf.lines.length >= this.opts.maxRecords) void this.flush();
  }

  /** Deliver everything waiting now; flushes run one at a time. */
  flush(): Promise<DeliveryStats> {
    const run = this.chain.then(() => this.deliverAll());
    this.chain = run.catch(() => {});
    return run;
  }

  /** Stop the timer and deliver what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async deliverAll(): Promise<DeliveryStats> {
    for (const [id, buf] of [...this.buffers]) {
      const lines = buf.lines.splice(0);
      if (lines.length === 0) {
        this.buffers.delete(id);
        continue;
      }
      const left = await this.deliver(buf, lines);
      // Records not delivered go back in front of any that arrived meanwhile, keeping their order.
      buf.lines.unshift(...left);
    }
    return this.stats();
  }

  /** Writes `lines` as log objects; returns the ones still to deliver. */
  private async deliver(buf: Buffered, lines: Line[]): Promise<Line[]> {
    const { config, source } = buf;
    // A target deleted (and perhaps re-created by another account) since logging was configured: the
    // records are not the new owner's to read. AWS drops such logs too.
    const target = this.opts.engine.getBucket(config.targetBucket);
    if (!target || target.owner !== source.owner) {
      this.counts.dropped += lines.length;
      this.pendingCount -= lines.length;
      return [];
    }
    const partitionByEvent =
      config.keyFormat?.kind === "PartitionedPrefix" && config.keyFormat.dateSource === "EventTime";
    const batches: Line[][] = [];
    for (const line of lines) {
      const last = batches[batches.length - 1];
      const sameDay = last && Math.floor(last[0].at / DAY_MS) === Math.floor(line.at / DAY_MS);
      if (last && last.length < this.opts.maxRecords && (!partitionByEvent || sameDay)) last.push(line);
      else batches.push([line]);
    }
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i];
      const body = Buffer.from(batch.map((l) => `${l.text}\n`).join(""), "utf8");
      const key = logObjectKey(config, source, this.opts.clock(), batch[0].at);
      try {
        await this.opts.engine.putObject({
          bucket: config.targetBucket,
          key,
          body: (async function* () {
            yield body;
          })(),
          size: body.length,
          headers: { "content-type": "text/plain" },
        });
        this.counts.delivered += batch.length;
        this.counts.objects++;
        this.pendingCount -= batch.length;
      } catch (e) {
        const rest = batches.slice(i).flat();
        if (isStorageError(e) && e.code === "NoSuchBucket") {
          // The target is gone: AWS drops such logs too.
          this.counts.dropped += rest.length;
          this.pendingCount -= rest.length;
          return [];
        }
        this.counts.failures++;
        this.opts.onError?.(e, config.targetBucket);
        return rest;
      }
    }
    return [];
  }
}
