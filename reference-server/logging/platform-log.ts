// The provider's own access log: every request to the S3 endpoint, one JSON object a line, in
// `<dataDir>/logs/access-YYYY-MM-DD.jsonl` (a new file each UTC day of the server's clock). It never holds
// a secret: no header values beyond host, referer and user agent, and signatures and session tokens in
// query strings are redacted (record.ts). Lines are buffered briefly and appended in batches.

import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { AccessRecord } from "./record.ts";

export interface PlatformLogOptions {
  dataDir: string;
  /** Append what is buffered this often (default 1 s). */
  flushDelayMs?: number;
  /** Lines buffered before they are appended at once (default 500). */
  batchLines?: number;
  /** Lines kept while the disk refuses writes; beyond that they are dropped and counted (default 50 000). */
  maxPending?: number;
  onError?: (e: unknown) => void;
}

/** The JSON line of a record: field names spelled out, absent values left out. */
export function platformLine(rec: AccessRecord): string {
  // Every field named (the type makes a new one a compile error here): rest and spread copies of the
  // record cost more than stringifying it. JSON.stringify leaves undefined fields out.
  const line: { [K in keyof AccessRecord]-?: unknown } = {
    time: new Date(rec.time).toISOString(),
    requestId: rec.requestId,
    hostId: rec.hostId,
    remoteIp: rec.remoteIp,
    method: rec.method,
    uri: rec.uri,
    httpVersion: rec.httpVersion,
    bucket: rec.bucket,
    key: rec.key,
    action: rec.action,
    operation: rec.operation,
    requester: rec.requester,
    accessKeyId: rec.accessKeyId,
    status: rec.status,
    errorCode: rec.errorCode,
    bytesSent: rec.bytesSent,
    bytesReceived: rec.bytesReceived,
    objectSize: rec.objectSize,
    totalMs: rec.totalMs,
    turnaroundMs: rec.turnaroundMs,
    referer: rec.referer,
    userAgent: rec.userAgent,
    versionId: rec.versionId,
    authType: rec.authType,
    signatureVersion: rec.signatureVersion,
    tlsVersion: rec.tlsVersion,
    cipher: rec.cipher,
    host: rec.host,
    copySource: rec.copySource,
  };
  return JSON.stringify(line);
}

const DAY_MS = 86_400_000;

export function platformLogFile(dataDir: string, ms: number): string {
  return join(dataDir, "logs", `access-${new Date(ms).toISOString().slice(0, 10)}.jsonl`);
}

export class PlatformLog {
  private readonly opts: Required<Omit<PlatformLogOptions, "onError">> & Pick<PlatformLogOptions, "onError">;
  /** File → lines waiting for it. */
  private pending = new Map<string, string[]>();
  private pendingCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private madeDir = false;
  dropped = 0;

  constructor(opts: PlatformLogOptions) {
    this.opts = { flushDelayMs: 1000, batchLines: 500, maxPending: 50_000, ...opts };
  }

  add(rec: AccessRecord): void {
    if (this.pendingCount >= this.opts.maxPending) {
      this.dropped++;
      return;
    }
    const file = this.fileFor(rec.time);
    let lines = this.pending.get(file);
    if (!lines) {
      lines = [];
      this.pending.set(file, lines);
    }
    lines.push(platformLine(rec));
    this.pendingCount++;
    if (this.pendingCount >= this.opts.batchLines) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushDelayMs);
      this.timer.unref();
    }
  }

  /** The day's file, named once a day rather than once a request. */
  private day = { start: 0, end: -1, file: "" };
  private fileFor(ms: number): string {
    if (ms < this.day.start || ms >= this.day.end) {
      const start = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
      this.day = { start, end: start + DAY_MS, file: platformLogFile(this.opts.dataDir, ms) };
    }
    return this.day.file;
  }

  /** Append everything buffered; appends run one at a time, in order. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    const run = this.chain.then(() => this.write(batch));
    this.chain = run.catch(() => {});
    return run;
  }

  private async write(batch: Map<string, string[]>): Promise<void> {
    for (const [file, lines] of batch) {
      try {
        if (!this.madeDir) {
          await mkdir(join(this.opts.dataDir, "logs"), { recursive: true });
          this.madeDir = true;
        }
        await appendFile(file, `${lines.join("\n")}\n`, { mode: 0o600 });
        this.pendingCount -= lines.length;
      } catch (e) {
        this.opts.onError?.(e);
        // Kept for the next flush, ahead of newer lines for the same file.
        const newer = this.pending.get(file) ?? [];
        this.pending.set(file, [...lines, ...newer]);
        if (!this.timer) {
          this.timer = setTimeout(() => void this.flush(), this.opts.flushDelayMs);
          this.timer.unref();
        }
      }
    }
  }
}
