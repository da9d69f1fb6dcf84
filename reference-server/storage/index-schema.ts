// The index database's schema, applied (idempotently) each time IndexDb opens it.

export const INDEX_SCHEMA = `
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS versions (
        bucket TEXT NOT NULL, key BLOB NOT NULL, version_id TEXT NOT NULL, write_id TEXT NOT NULL,
        mod_time INTEGER NOT NULL, seq INTEGER NOT NULL, delete_marker INTEGER NOT NULL, size INTEGER NOT NULL,
        record TEXT NOT NULL, PRIMARY KEY (bucket, key, version_id));
      CREATE INDEX IF NOT EXISTS versions_by_time ON versions (bucket, key, mod_time DESC, seq DESC);
      CREATE INDEX IF NOT EXISTS versions_by_write ON versions (write_id);
      CREATE TABLE IF NOT EXISTS latest (
        bucket TEXT NOT NULL, key BLOB NOT NULL, version_id TEXT NOT NULL, delete_marker INTEGER NOT NULL,
        PRIMARY KEY (bucket, key));
      CREATE TABLE IF NOT EXISTS uploads (
        upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key BLOB NOT NULL, initiated INTEGER NOT NULL, record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads (bucket, key, initiated, upload_id);
      CREATE TABLE IF NOT EXISTS parts (
        upload_id TEXT NOT NULL, number INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (upload_id, number));
      CREATE TABLE IF NOT EXISTS intents (
        id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL,
        write_id TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS heal_queue (
        bucket TEXT NOT NULL, key TEXT NOT NULL, write_id TEXT NOT NULL, reason TEXT NOT NULL,
        PRIMARY KEY (bucket, key, write_id));
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `;
