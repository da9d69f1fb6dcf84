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

/** Every field of a record, in line order (the type makes a new field a compile error here). */
const FIELDS: { readonly [K in keyof AccessRecord]-?: true } = {
  time: true,
  requestId: true,
  hostId: true,
  remoteIp: true,
  method: true,
  uri: true,
  httpVersion: true,
  bucket: true,
  key: true,
  action: true,
  operation: true,
  requester: true,
  accessKeyId: true,
  status: true,
  errorCode: true,
  bytesSent: true,
  bytesReceived: true,
  objectSize: true,
  totalMs: true,
  turnaroundMs: true,
  referer: true,
  userAgent: true,
  versionId: true,
  authType: true,
  signatureVersion: true,
  tlsVersion: true,
  cipher: true,
  host: true,
  copySource: true,
};
const PREFIXED = (Object.keys(FIELDS) as (keyof AccessRecord)[]).map(
  (f, i) => [f, `${i === 0 ? "{" : ","}"${f}":`] as const,
);

// What JSON.stringify would escape in a string: quote, backslash, control characters and surrogates
// (a lone one is escaped; a pair is not, and goes the slow way, which gives the same text).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The JSON line of a record: field names spelled out, absent values left out, time as ISO 8601; exactly
 * JSON.stringify's text. Built by hand because most values need no escaping, which a test finds faster
 * than the stringifier walks an object (one line per request).
 */
export function platformLine(rec: AccessRecord): string {
  let out = "";
  for (const [f, prefix] of PREFIXED) {
    const v = rec[f];
    if (v === undefined) continue;
    out += prefix;
    if (f === "time") out += `"${new Date(v as number).toISOString()}"`;
    else if (typeof v === "string") out += NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
    else out += JSON.stringify(v);
  }
  return `${out}}`;
}

const DAY_MS = 86_400_000;

export function platformLogFile(dataDir: string, ms: number): string {
  return join(dataDir, "logs", `access-${new Date(ms).toISOString().slice(0, 10)}.jsonl`);
}

export class PlatformLog {
  private readonly opts: Required<Omit<PlatformLogOptions, "onError">> & Pick<PlatformLogOptions, "onError">;
  /** File → lines waiting for it. */
  private pending = new Map<string, string[]>();
  /** Lines not yet on disk: buffered, being appended, or kept after a failed append (maxPending). */
  private pendingCount = 0;
  /** Lines buffered and not yet handed to an append (batchLines). */
  private buffered = 0;
  /** Appends made (one per file per flush). */
  appends = 0;
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
    // Counted apart from pendingCount: while an append is in flight its lines are still pending, and
    // every request then started an append of its own line (open, write, close each, queued behind).
    if (++this.buffered >= this.opts.batchLines) void this.flush();
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
    this.buffered = 0;
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
        this.appends++;
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
