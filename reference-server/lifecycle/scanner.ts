// The lifecycle scanner: walks the buckets that have a lifecycle configuration and applies it on the S3
// clock — expires current versions (deleted when unversioned, hidden by a delete marker when versioned),
// expires noncurrent versions by the days since they became noncurrent (keeping NewerNoncurrentVersions),
// removes expired delete markers, aborts incomplete multipart uploads. A version that object lock
// protects is never removed: the check runs in the engine's delete guard, under the key lock. Each run
// does bounded work and resumes where the previous one stopped.

import { lockBlocksDelete } from "../lock/state.ts";
import type { StorageEngine } from "../storage/engine.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { currentExpiry, enabledRules, expiryAt, ruleMatches, uploadAbortAt } from "./rules.ts";
import { type LifecycleRule, lifecycleOf } from "./types.ts";

export interface LifecycleReport {
  /** S3-clock time of the run (ms). */
  at: number;
  buckets: number;
  versionsScanned: number;
  /** Current versions expired (deleted, or hidden by a new delete marker). */
  currentExpired: number;
  noncurrentExpired: number;
  deleteMarkersRemoved: number;
  uploadsAborted: number;
  /** Versions an action applied to that object lock kept. */
  lockedKept: number;
  errors: number;
  /** The run stopped at its bound; the next one continues from there. */
  truncated: boolean;
}

export interface LifecycleOptions {
  /** Between two periodic runs (default one hour). */
  intervalMs?: number;
  /** Before the first periodic run (default one minute). */
  initialDelayMs?: number;
  /** Actions (deletions, markers, aborts) per run (default 10 000). */
  maxActions?: number;
  /** Versions examined per run (default 200 000). */
  maxVersions?: number;
  /** Where the one-line summary of each run goes (default console.log). */
  log?: (line: string) => void;
}

const KEY_BATCH = 256;
/**
 * Keys worked on at once: a removal waits on every disk holding the version (48 here), so a few keys in
 * flight keep the disks busy; each key stays serialised by the engine's key lock.
 */
const KEY_CONCURRENCY = 8;
/** Thrown by a delete guard to leave a version in place (locked, or changed since it was examined). */
class Keep extends Error {
  readonly locked: boolean;
  constructor(locked: boolean) {
    super(locked ? "kept by object lock" : "changed since examined");
    this.locked = locked;
  }
}

interface Cursor {
  bucket: string;
  key: string;
}

export class LifecycleScanner {
  private readonly engine: StorageEngine;
  private readonly clock: () => number;
  private readonly opts: Required<LifecycleOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<LifecycleReport> | undefined;
  private cursor: Cursor | undefined;
  private stopped = false;

  constructor(engine: StorageEngine, clock: () => number, opts: LifecycleOptions = {}) {
    this.engine = engine;
    this.clock = clock;
    this.opts = {
      intervalMs: opts.intervalMs ?? 3_600_000,
      initialDelayMs: opts.initialDelayMs ?? 60_000,
      maxActions: opts.maxActions ?? 10_000,
      maxVersions: opts.maxVersions ?? 200_000,
      log: opts.log ?? ((line) => console.log(line)),
    };
  }

  /** Periodic runs on an unref'd timer: the scanner never keeps the process alive. */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.runOnce()
          .catch((e) => this.opts.log(`lifecycle: run failed: ${(e as Error).message}`))
          .finally(() => {
            if (!this.stopped) tick(this.opts.intervalMs);
          });
      }, delay);
      this.timer.unref();
    };
    tick(this.opts.initialDelayMs);
  }

  /** Stop the timer and wait for a run in progress (before the engine closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }

  /** One run now; a run already in progress is finished first, so this one sees the clock as it is. */
  async runOnce(): Promise<LifecycleReport> {
    while (this.running) await this.running.catch(() => {});
    const run = this.run();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  private async run(): Promise<LifecycleReport> {
    const started = Date.now();
    const report: LifecycleReport = {
      at: this.clock(),
      buckets: 0,
      versionsScanned: 0,
      currentExpired: 0,
      noncurrentExpired: 0,
      deleteMarkersRemoved: 0,
      uploadsAborted: 0,
      lockedKept: 0,
      errors: 0,
      truncated: false,
    };
    const buckets = this.engine
      .listBuckets()
      .filter((b) => enabledRules(lifecycleOf(b)).length > 0)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const from = this.cursor;
    this.cursor = undefined;
    for (const b of buckets) {
      if (from && b.name < from.bucket) continue;
      report.buckets++;
      const startKey = from && b.name === from.bucket ? from.key : undefined;
      const stoppedAt = await this.scanBucket(b, startKey, report);
      if (stoppedAt !== undefined) {
        this.cursor = { bucket: b.name, key: stoppedAt };
        report.truncated = true;
        break;
      }
    }
    this.opts.log(summary(report, Date.now() - started));
    return report;
  }

  private actions(r: LifecycleReport): number {
    return r.currentExpired + r.noncurrentExpired + r.deleteMarkersRemoved + r.uploadsAborted;
  }

  /** Keys started but not finished count as one action each, so concurrency does not overrun the bound. */
  private inflight = 0;

  private exhausted(r: LifecycleReport): boolean {
    return (
      this.actions(r) + this.inflight >= this.opts.maxActions || r.versionsScanned >= this.opts.maxVersions
    );
  }

  /**
   * Apply the rules to keys (in order) a few at a time; returns the first key not started when the bound
   * was reached (every key before it has been done), else undefined.
   */
  private async applyToKeys(
    bucket: BucketRecord,
    keys: string[],
    rules: LifecycleRule[],
    report: LifecycleReport,
  ): Promise<string | undefined> {
    let next = 0;
    let stoppedAt: string | undefined;
    const worker = async () => {
      while (stoppedAt === undefined && next < keys.length) {
        // Checking the bound and taking a key happen in one tick: keys start in order.
        if (this.exhausted(report)) {
          // Near the bound, keys in flight may still leave room: their workers go on once they finish.
          if (this.inflight === 0) stoppedAt = keys[next];
          return;
        }
        const key = keys[next++];
        this.inflight++;
        try {
          await this.applyToKey(bucket, key, rules, report);
        } catch {
          report.errors++;
        } finally {
          this.inflight--;
        }
      }
    };
    await Promise.all(Array.from({ length: KEY_CONCURRENCY }, worker));
    return stoppedAt;
  }

  /** Returns the key to resume from when the run's bound was reached, else undefined. */
  private async scanBucket(
    bucket: BucketRecord,
    startKey: string | undefined,
    report: LifecycleReport,
  ): Promise<string | undefined> {
    const rules = enabledRules(lifecycleOf(bucket));
    if (startKey === undefined && rules.some((r) => r.abortIncompleteMultipartUploadDays !== undefined)) {
      await this.abortUploads(bucket, rules, report);
    }
    for (const prefix of scanPrefixes(rules)) {
      let from = Buffer.from(startKey !== undefined && startKey > prefix ? startKey : prefix, "utf8");
      let inclusive = true;
      for (;;) {
        const keys = this.engine.ctx.index.scanVersionKeys(bucket.name, from, inclusive, KEY_BATCH);
        const inPrefix = keys.filter((k) => k.startsWith(prefix));
        const stoppedAt = await this.applyToKeys(bucket, inPrefix, rules, report);
        if (stoppedAt !== undefined) return stoppedAt;
        if (keys.length < KEY_BATCH || inPrefix.length < keys.length) break;
        from = Buffer.from(keys[keys.length - 1], "utf8");
        inclusive = false;
      }
    }
    return undefined;
  }

  private async applyToKey(
    bucket: BucketRecord,
    key: string,
    rules: LifecycleRule[],
    report: LifecycleReport,
  ): Promise<void> {
    const now = this.clock();
    let versions = this.engine.versionsOf(bucket.name, key);
    report.versionsScanned += versions.length;
    if (versions.length === 0) return;
    if (await this.expireCurrent(bucket, versions, rules, now, report)) {
      versions = this.engine.versionsOf(bucket.name, key);
    }
    if (bucket.versioning === "Unversioned") return;
    const doomed = noncurrentToExpire(versions, rules, now);
    for (const v of doomed) {
      if (await this.remove(v, report)) report.noncurrentExpired++;
    }
    if (doomed.length > 0) versions = this.engine.versionsOf(bucket.name, key);
    // An expired object delete marker: the only version left of its key.
    if (versions.length === 1 && versions[0].deleteMarker && markerExpires(versions[0], rules, now)) {
      if (await this.remove(versions[0], report)) report.deleteMarkersRemoved++;
    }
  }

  /** Expiration of the current version; true when something changed. */
  private async expireCurrent(
    bucket: BucketRecord,
    versions: ObjectVersionRecord[],
    rules: LifecycleRule[],
    now: number,
    report: LifecycleReport,
  ): Promise<boolean> {
    const cur = versions[0];
    const exp = currentExpiry(rules, cur);
    if (!exp || now < exp.at) return false;
    if (bucket.versioning === "Unversioned") {
      if (await this.remove(cur, report)) report.currentExpired++;
      return true;
    }
    // Versioned: a delete marker hides the version and removes nothing, so lock does not prevent it. A
    // suspended bucket's marker is the null version, replacing any null version: lock is asked then.
    // The engine's marker write takes no condition: a PUT landing between this check and the marker is
    // hidden too (a window of one index read).
    const latest = this.engine.versionsOf(bucket.name, cur.key)[0];
    if (latest?.writeId !== cur.writeId) return false;
    const current = this.engine.getBucket(bucket.name);
    if (current?.versioning === "Suspended") {
      const nullVersion = versions.find((v) => v.versionId === "null");
      if (nullVersion && lockBlocksDelete(nullVersion, now, false) !== undefined) {
        report.lockedKept++;
        return false;
      }
    }
    await this.engine.deleteObject({ bucket: bucket.name, key: cur.key });
    report.currentExpired++;
    return true;
  }

  /** Remove one version unless lock protects it or it changed; true when removed. */
  private async remove(v: ObjectVersionRecord, report: LifecycleReport): Promise<boolean> {
    try {
      await this.engine.deleteObject({
        bucket: v.bucket,
        key: v.key,
        versionId: v.versionId,
        guard: (rec) => {
          if (rec.writeId !== v.writeId) throw new Keep(false);
          if (lockBlocksDelete(rec, this.clock(), false) !== undefined) throw new Keep(true);
        },
      });
      return true;
    } catch (e) {
      if (!(e instanceof Keep)) throw e;
      if (e.locked) report.lockedKept++;
      return false;
    }
  }

  private async abortUploads(bucket: BucketRecord, rules: LifecycleRule[], report: LifecycleReport) {
    const now = this.clock();
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const listed = this.engine.listMultipartUploads({
        bucket: bucket.name,
        keyMarker,
        uploadIdMarker,
        maxUploads: 1000,
      });
      for (const u of listed.uploads) {
        if (this.exhausted(report)) return;
        const abort = uploadAbortAt(rules, u.key, u.initiated);
        if (!abort || now < abort.at) continue;
        try {
          await this.engine.abortMultipartUpload(bucket.name, u.key, u.uploadId);
          report.uploadsAborted++;
        } catch (e) {
          // Completed or aborted meanwhile.
          if ((e as { code?: string }).code !== "NoSuchUpload") report.errors++;
        }
      }
      if (!listed.isTruncated) return;
      keyMarker = listed.nextKeyMarker;
      uploadIdMarker = listed.nextUploadIdMarker;
    }
  }
}

/** The key ranges worth walking: every key, or only the rules' prefixes (nested ones folded). */
export function scanPrefixes(rules: readonly LifecycleRule[]): string[] {
  const keyRules = rules.filter((r) => r.expiration !== undefined || r.noncurrentExpiration !== undefined);
  const prefixes = keyRules.map((r) => r.filter.prefix ?? "").sort();
  const out: string[] = [];
  for (const p of prefixes) if (!out.some((q) => p.startsWith(q))) out.push(p);
  return out;
}

/**
 * Noncurrent versions due under NoncurrentVersionExpiration: each became noncurrent when the next newer
 * version was written; a rule expires it NoncurrentDays after that (day rounding), once at least
 * NewerNoncurrentVersions newer noncurrent versions (matching the rule) exist.
 */
export function noncurrentToExpire(
  versions: readonly ObjectVersionRecord[],
  rules: readonly LifecycleRule[],
  now: number,
): ObjectVersionRecord[] {
  const doomed = new Set<ObjectVersionRecord>();
  for (const r of rules) {
    const nve = r.noncurrentExpiration;
    if (!nve) continue;
    let newer = 0;
    for (let i = 1; i < versions.length; i++) {
      const v = versions[i];
      if (!ruleMatches(r, v)) continue;
      const since = versions[i - 1].modTime;
      if (newer >= (nve.newerNoncurrentVersions ?? 0) && now >= expiryAt(since, nve.noncurrentDays)) {
        doomed.add(v);
      }
      newer++;
    }
  }
  return versions.filter((v) => doomed.has(v));
}

/**
 * An expired object delete marker goes under ExpiredObjectDeleteMarker, or under Expiration Days once
 * it is as old as the rule asks (AWS cleans such markers up for Days rules too).
 */
export function markerExpires(marker: ObjectVersionRecord, rules: readonly LifecycleRule[], now: number) {
  return rules.some((r) => {
    const e = r.expiration;
    if (!e || !ruleMatches(r, marker)) return false;
    if (e.expiredObjectDeleteMarker === true) return true;
    return e.days !== undefined && now >= expiryAt(marker.modTime, e.days);
  });
}

function summary(r: LifecycleReport, ms: number): string {
  return (
    `lifecycle: ${r.buckets} bucket(s), ${r.versionsScanned} version(s) scanned; expired ${r.currentExpired} ` +
    `current, ${r.noncurrentExpired} noncurrent, ${r.deleteMarkersRemoved} delete marker(s); aborted ` +
    `${r.uploadsAborted} upload(s); ${r.lockedKept} kept by object lock; ${r.errors} error(s)` +
    `${r.truncated ? "; more next run" : ""} (${ms} ms)`
  );
}
