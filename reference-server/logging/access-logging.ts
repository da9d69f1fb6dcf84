// Access logging of the S3 endpoint: every finished request goes to the platform's own log, and to the
// server access log of its bucket when that bucket has logging enabled (a server-side copy also to the
// source bucket's log, as REST.COPY.OBJECT_GET / REST.COPY.PART_GET, as AWS does).

import type { StorageEngine } from "../storage/engine.ts";
import { formatAwsRecord } from "./aws-format.ts";
import { loggingOf } from "./config.ts";
import { type DeliveryOptions, type DeliveryStats, LogDelivery } from "./delivery.ts";
import type { RequestObserver, RequestTrace } from "./observe.ts";
import { watchExchange } from "./observe.ts";
import { PlatformLog } from "./platform-log.ts";
import { type AccessRecord, buildRecord } from "./record.ts";

export interface AccessLoggingOptions {
  dataDir: string;
  engine: StorageEngine;
  /** The server's S3 clock: record times, log object names and platform log days follow it. */
  clock: () => number;
  baseDomains?: readonly string[];
  delivery?: Pick<DeliveryOptions, "flushIntervalMs" | "maxRecords" | "maxPending">;
  onError?: (e: unknown, what: string) => void;
}

export class AccessLogging {
  readonly platform: PlatformLog;
  readonly delivery: LogDelivery;
  private readonly opts: AccessLoggingOptions;

  constructor(opts: AccessLoggingOptions) {
    this.opts = opts;
    const onError =
      opts.onError ?? ((e: unknown, what: string) => console.error(`access logs (${what}):`, e));
    this.platform = new PlatformLog({ dataDir: opts.dataDir, onError: (e) => onError(e, "platform log") });
    this.delivery = new LogDelivery({
      ...opts.delivery,
      engine: opts.engine,
      clock: opts.clock,
      onError: (e, target) => onError(e, `delivery to ${target}`),
    });
  }

  /** The front end's hook (http/server.ts): called as each request starts. */
  readonly observe: RequestObserver = (req, res, requestId, hostId) => {
    const time = this.opts.clock();
    const trace: RequestTrace = { requestId, hostId };
    watchExchange(req, res, (x) => {
      try {
        const rec = buildRecord(req, res, trace, x, time, this.opts.baseDomains ?? []);
        this.platform.add(rec);
        this.toBucketLog(rec, rec.bucket, rec.key);
        const src = rec.copySource;
        if (src) {
          const op = rec.action === "UploadPartCopy" ? "REST.COPY.PART_GET" : "REST.COPY.OBJECT_GET";
          this.toBucketLog(rec, src.bucket, src.key, op);
        }
      } catch (e) {
        // A log record must never break serving.
        (this.opts.onError ?? console.error)(e, "record");
      }
    });
    return trace;
  };

  start(): void {
    this.delivery.start();
  }

  /** Append the platform log and deliver waiting server access logs now (tests, shutdown). */
  async flush(): Promise<DeliveryStats> {
    await this.platform.flush();
    return this.delivery.flush();
  }

  async close(): Promise<void> {
    await this.delivery.close();
    await this.platform.flush();
  }

  private toBucketLog(rec: AccessRecord, bucket: string | undefined, key: string | undefined, op?: string) {
    if (bucket === undefined) return;
    const b = this.opts.engine.getBucket(bucket);
    const config = b && loggingOf(b);
    if (!b || !config) return;
    const line = formatAwsRecord(rec, { bucket, owner: b.owner, key, operation: op });
    this.delivery.add({ bucket, owner: b.owner, region: b.region }, config, line, rec.time);
  }
}
