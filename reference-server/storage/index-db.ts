import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { BucketRecord, Intent, UploadPartRecord, UploadRecord } from "./index-records.ts";
import { INDEX_SCHEMA } from "./index-schema.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";

export type { BucketRecord, Intent, UploadPartRecord, UploadRecord } from "./index-records.ts";

const LATEST_CACHED = 10_000;

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

const utf8 = (s: string) => Buffer.from(s, "utf8");
const str = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");

/**
 * The ordered index used for listing and lookups: node:sqlite (built into Node, no native build, ordered
 * B-trees, transactions). It is derived data: every row can be rebuilt from the metadata records on the
 * disks (see rebuild-index.ts). Keys are stored as UTF-8 BLOBs so ORDER BY is S3's byte order.
 *
 * Besides the object index it holds two small durable logs: write intents (so a crash in the middle of a
 * commit is rolled forward or back at the next start) and the heal queue.
 */
export class IndexDb {
  readonly db: DatabaseSync;
  private readonly st: Record<string, StatementSync> = {};
  private readonly bucketCache = new Map<string, BucketRecord>();
  private seq: number | undefined;
  /** bucket NUL key → its newest version (getLatest); oldest entries go first past LATEST_CACHED. */
  private readonly latestCache = new Map<string, ObjectVersionRecord>();

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(INDEX_SCHEMA);
  }

  private s(sql: string): StatementSync {
    let st = this.st[sql];
    if (!st) {
      st = this.db.prepare(sql);
      this.st[sql] = st;
    }
    return st;
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    this.db.exec("BEGIN");
    try {
      const r = fn();
      this.db.exec("COMMIT");
      return r;
    } catch (e) {
      this.db.exec("ROLLBACK");
      this.bucketCache.clear();
      this.latestCache.clear();
      throw e;
    }
  }

  /** Empty every table that is derived from the disks (index rebuild). */
  clearDerived(): void {
    this.db.exec(
      "DELETE FROM buckets; DELETE FROM versions; DELETE FROM latest; DELETE FROM uploads; DELETE FROM parts;",
    );
    this.bucketCache.clear();
    this.latestCache.clear();
  }

  /** Orders versions committed in the same millisecond; only needs to exceed every stored one. */
  private nextSeq(): number {
    this.seq ??= (this.s("SELECT MAX(seq) AS seq FROM versions").get() as { seq: number | null }).seq ?? 0;
    return ++this.seq;
  }

  // ---- buckets
  putBucket(b: BucketRecord): void {
    this.bucketCache.delete(b.name);
    this.s("INSERT OR REPLACE INTO buckets (name, record) VALUES (?, ?)").run(b.name, JSON.stringify(b));
  }
  /**
   * Served from memory after the first read: every request reads its bucket's record (policy, ACL,
   * versioning) several times. Frozen, so a caller that would change it in place fails loudly; changes
   * go through putBucket.
   */
  getBucket(name: string): BucketRecord | undefined {
    const cached = this.bucketCache.get(name);
    if (cached) return cached;
    const row = this.s("SELECT record FROM buckets WHERE name = ?").get(name) as
      | { record: string }
      | undefined;
    if (!row) return undefined;
    const b = deepFreeze(JSON.parse(row.record) as BucketRecord);
    this.bucketCache.set(name, b);
    return b;
  }
  listBuckets(): BucketRecord[] {
    return (this.s("SELECT record FROM buckets ORDER BY name").all() as { record: string }[]).map(
      (r) => JSON.parse(r.record) as BucketRecord,
    );
  }
  deleteBucket(name: string): void {
    this.bucketCache.delete(name);
    this.s("DELETE FROM buckets WHERE name = ?").run(name);
  }
  bucketIsEmpty(name: string): boolean {
    return (
      this.s("SELECT 1 FROM versions WHERE bucket = ? LIMIT 1").get(name) === undefined &&
      this.s("SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1").get(name) === undefined
    );
  }

  // ---- versions
  putVersion(r: ObjectVersionRecord): void {
    this.latestCache.delete(`${r.bucket}\0${r.key}`);
    const k = utf8(r.key);
    this.s(
      `INSERT OR REPLACE INTO versions (bucket, key, version_id, write_id, mod_time, seq, delete_marker, size, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.bucket,
      k,
      r.versionId,
      r.writeId,
      r.modTime,
      this.nextSeq(),
      r.deleteMarker ? 1 : 0,
      r.size,
      JSON.stringify(r),
    );
    this.refreshLatest(r.bucket, k);
  }

  /** Replace a version's record in place (metadata-only update), keeping its order. */
  updateVersionRecord(r: ObjectVersionRecord): void {
    this.latestCache.delete(`${r.bucket}\0${r.key}`);
    this.s("UPDATE versions SET record = ? WHERE bucket = ? AND key = ? AND version_id = ?").run(
      JSON.stringify(r),
      r.bucket,
      utf8(r.key),
      r.versionId,
    );
  }

  deleteVersion(bucket: string, key: string, versionId: string): void {
    this.latestCache.delete(`${bucket}\0${key}`);
    const k = utf8(key);
    this.s("DELETE FROM versions WHERE bucket = ? AND key = ? AND version_id = ?").run(bucket, k, versionId);
    this.refreshLatest(bucket, k);
  }

  private refreshLatest(bucket: string, k: Buffer): void {
    const top = this.s(
      "SELECT version_id, delete_marker FROM versions WHERE bucket = ? AND key = ? ORDER BY mod_time DESC, seq DESC LIMIT 1",
    ).get(bucket, k) as { version_id: string; delete_marker: number } | undefined;
    if (!top) this.s("DELETE FROM latest WHERE bucket = ? AND key = ?").run(bucket, k);
    else
      this.s(
        "INSERT OR REPLACE INTO latest (bucket, key, version_id, delete_marker) VALUES (?, ?, ?, ?)",
      ).run(bucket, k, top.version_id, top.delete_marker);
  }

  getVersion(bucket: string, key: string, versionId: string): ObjectVersionRecord | undefined {
    const latest = this.latestCache.get(`${bucket}\0${key}`);
    if (latest?.versionId === versionId) return latest;
    const row = this.s("SELECT record FROM versions WHERE bucket = ? AND key = ? AND version_id = ?").get(
      bucket,
      utf8(key),
      versionId,
    ) as { record: string } | undefined;
    return row ? deepFreeze(JSON.parse(row.record) as ObjectVersionRecord) : undefined;
  }

  /**
   * The newest version of a key (a delete marker included). Served from memory after the first read,
   * until the key's versions change: a GET and a PUT both ask for it. Frozen, as bucket records are.
   */
  getLatest(bucket: string, key: string): ObjectVersionRecord | undefined {
    const id = `${bucket}\0${key}`;
    const cached = this.latestCache.get(id);
    if (cached) return cached;
    const row = this.s(
      "SELECT record FROM versions WHERE bucket = ? AND key = ? ORDER BY mod_time DESC, seq DESC LIMIT 1",
    ).get(bucket, utf8(key)) as { record: string } | undefined;
    if (!row) return undefined;
    const rec = deepFreeze(JSON.parse(row.record) as ObjectVersionRecord);
    if (this.latestCache.size >= LATEST_CACHED)
      this.latestCache.delete(this.latestCache.keys().next().value!);
    this.latestCache.set(id, rec);
    return rec;
  }

  /** All versions of one key, newest first. */
  versionsOf(bucket: string, key: string): ObjectVersionRecord[] {
    return (
      this.s("SELECT record FROM versions WHERE bucket = ? AND key = ? ORDER BY mod_time DESC, seq DESC").all(
        bucket,
        utf8(key),
      ) as { record: string }[]
    ).map((r) => JSON.parse(r.record) as ObjectVersionRecord);
  }

  /** Does any indexed version own this write id (its record and data directory)? */
  writeIsLive(writeId: string): boolean {
    return this.s("SELECT 1 FROM versions WHERE write_id = ? LIMIT 1").get(writeId) !== undefined;
  }

  /** Current (non-delete-marker) objects with key >= from (or > from), in key order. */
  scanLatest(bucket: string, from: Buffer, inclusive: boolean, limit: number): ObjectVersionRecord[] {
    const op = inclusive ? ">=" : ">";
    return (
      this.s(
        `SELECT v.record FROM latest l JOIN versions v
           ON v.bucket = l.bucket AND v.key = l.key AND v.version_id = l.version_id
         WHERE l.bucket = ? AND l.key ${op} ? AND l.delete_marker = 0 ORDER BY l.key LIMIT ?`,
      ).all(bucket, from, limit) as { record: string }[]
    ).map((r) => JSON.parse(r.record) as ObjectVersionRecord);
  }

  /** Keys (with any version) >= / > from, in key order. */
  scanVersionKeys(bucket: string, from: Buffer, inclusive: boolean, limit: number): string[] {
    const op = inclusive ? ">=" : ">";
    return (
      this.s(`SELECT DISTINCT key FROM versions WHERE bucket = ? AND key ${op} ? ORDER BY key LIMIT ?`).all(
        bucket,
        from,
        limit,
      ) as { key: Uint8Array }[]
    ).map((r) => str(r.key));
  }

  /** Every version record (for heal and usage), in key order, paged. */
  *allVersions(bucket?: string): Generator<ObjectVersionRecord> {
    const it = bucket
      ? this.db.prepare("SELECT record FROM versions WHERE bucket = ? ORDER BY key").iterate(bucket)
      : this.db.prepare("SELECT record FROM versions ORDER BY bucket, key").iterate();
    for (const row of it) yield JSON.parse((row as { record: string }).record) as ObjectVersionRecord;
  }

  usage(bucket: string): { objects: number; bytes: number; versions: number } {
    const cur = this.s(
      `SELECT COUNT(*) AS n, COALESCE(SUM(v.size), 0) AS bytes FROM latest l JOIN versions v
         ON v.bucket = l.bucket AND v.key = l.key AND v.version_id = l.version_id
       WHERE l.bucket = ? AND l.delete_marker = 0`,
    ).get(bucket) as { n: number; bytes: number };
    const all = this.s("SELECT COUNT(*) AS n FROM versions WHERE bucket = ?").get(bucket) as { n: number };
    return { objects: cur.n, bytes: cur.bytes, versions: all.n };
  }

  // ---- multipart uploads
  putUpload(u: UploadRecord): void {
    this.s(
      "INSERT OR REPLACE INTO uploads (upload_id, bucket, key, initiated, record) VALUES (?, ?, ?, ?, ?)",
    ).run(u.uploadId, u.bucket, utf8(u.key), u.initiated, JSON.stringify(u));
  }
  getUpload(uploadId: string): UploadRecord | undefined {
    const row = this.s("SELECT record FROM uploads WHERE upload_id = ?").get(uploadId) as
      | { record: string }
      | undefined;
    return row ? (JSON.parse(row.record) as UploadRecord) : undefined;
  }
  deleteUpload(uploadId: string): void {
    this.s("DELETE FROM parts WHERE upload_id = ?").run(uploadId);
    this.s("DELETE FROM uploads WHERE upload_id = ?").run(uploadId);
  }
  /** Uploads ordered by key, then initiation time, then id (S3's ListMultipartUploads order). */
  listUploads(bucket: string, from: Buffer, inclusive: boolean, limit: number): UploadRecord[] {
    const op = inclusive ? ">=" : ">";
    return (
      this.s(
        `SELECT record FROM uploads WHERE bucket = ? AND key ${op} ? ORDER BY key, initiated, upload_id LIMIT ?`,
      ).all(bucket, from, limit) as { record: string }[]
    ).map((r) => JSON.parse(r.record) as UploadRecord);
  }
  allUploads(): UploadRecord[] {
    return (this.s("SELECT record FROM uploads").all() as { record: string }[]).map(
      (r) => JSON.parse(r.record) as UploadRecord,
    );
  }
  putPart(p: UploadPartRecord): UploadPartRecord | undefined {
    const prev = this.getPart(p.uploadId, p.number);
    this.s("INSERT OR REPLACE INTO parts (upload_id, number, record) VALUES (?, ?, ?)").run(
      p.uploadId,
      p.number,
      JSON.stringify(p),
    );
    return prev;
  }
  getPart(uploadId: string, n: number): UploadPartRecord | undefined {
    const row = this.s("SELECT record FROM parts WHERE upload_id = ? AND number = ?").get(uploadId, n) as
      | { record: string }
      | undefined;
    return row ? (JSON.parse(row.record) as UploadPartRecord) : undefined;
  }
  listParts(uploadId: string, afterPart = 0, limit = 10_000): UploadPartRecord[] {
    return (
      this.s("SELECT record FROM parts WHERE upload_id = ? AND number > ? ORDER BY number LIMIT ?").all(
        uploadId,
        afterPart,
        limit,
      ) as { record: string }[]
    ).map((r) => JSON.parse(r.record) as UploadPartRecord);
  }

  // ---- intents (crash recovery)
  addIntent(i: Omit<Intent, "id">): number {
    const r = this.s("INSERT INTO intents (kind, bucket, key, write_id, payload) VALUES (?, ?, ?, ?, ?)").run(
      i.kind,
      i.bucket,
      i.key,
      i.writeId,
      JSON.stringify(i.payload),
    );
    return Number(r.lastInsertRowid);
  }
  removeIntent(id: number): void {
    this.s("DELETE FROM intents WHERE id = ?").run(id);
  }
  intents(): Intent[] {
    return (this.s("SELECT * FROM intents ORDER BY id").all() as Record<string, unknown>[]).map((r) => ({
      id: Number(r.id),
      kind: r.kind as Intent["kind"],
      bucket: String(r.bucket),
      key: String(r.key),
      writeId: String(r.write_id),
      payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    }));
  }

  // ---- heal queue
  queueHeal(bucket: string, key: string, writeId: string, reason: string): void {
    this.s("INSERT OR REPLACE INTO heal_queue (bucket, key, write_id, reason) VALUES (?, ?, ?, ?)").run(
      bucket,
      key,
      writeId,
      reason,
    );
  }
  healQueue(): { bucket: string; key: string; writeId: string; reason: string }[] {
    return (this.s("SELECT * FROM heal_queue").all() as Record<string, string>[]).map((r) => ({
      bucket: r.bucket,
      key: r.key,
      writeId: r.write_id,
      reason: r.reason,
    }));
  }
  dequeueHeal(bucket: string, key: string, writeId: string): void {
    this.s("DELETE FROM heal_queue WHERE bucket = ? AND key = ? AND write_id = ?").run(bucket, key, writeId);
  }
}
