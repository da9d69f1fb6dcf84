// The design's floor for small objects: a node:http server that does only the work DESIGN.md makes
// unavoidable for a durable, encrypted 12+4 × 3-zone object, and nothing else. bench/server.ts drives it
// with the same client as the reference server, so a 4 KiB scenario reads three ways: the bare node:http
// ceiling (bare-server.ts), this floor, and the reference server. Not an S3 server: one bucket, no
// errors, no listing, no conditions, no access rules, no heal; it exists to bound what any
// implementation of the design can reach on this machine.
//
// Per PUT: SigV4 (header, payload SHA-256 checked), MD5 ETag, a random object key sealed with AES-GCM
// under a derived key, the body encrypted (AES-256-GCM), erasure-coded 12+4, and 48 records (the
// metadata JSON plus the disk's inline shard, CRC-framed) appended to 48 logs with group commit (one
// O_DSYNC write a log per event-loop turn, through the same I/O worker as the reference server),
// acknowledged once 2 zones hold 12 durable records each, after one SQLite transaction (WAL,
// synchronous NORMAL) for the version row.
// Per GET: SigV4, the version looked up in memory, 12 records read with pread (one a data disk of the
// first zone), the object key unsealed (once per version, then cached), the body decrypted (the GCM tag
// is the integrity check: the record CRCs are needed only to find a bad shard once it fails), then 200
// with the headers S3 sends. Keys are KeyObjects: node's ciphers and HMACs given raw key bytes cost
// ~20 µs more a call (measured: GCM decipher of 4 KiB 37 µs raw, 10 µs with a KeyObject).
// Loopback only.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { crc32 } from "node:zlib";
import { createCodec } from "../reference-server/storage/erasure/index.ts";
import { append } from "../reference-server/storage/log-io.ts";
import { signingKey } from "./server-client.ts";

const DISKS = 48;
const K = 12;

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

interface Version {
  etag: string;
  size: number;
  modTime: number;
  sealed: Buffer; // iv(12) | tag(16) | wrapped key(32)
  iv: Buffer;
  tag: Buffer;
  cipherLength: number;
  /** Per disk: where its record is, and where the inline shard starts in it. */
  locs: { offset: number; length: number; shardAt: number }[];
}

/** One disk's log: an open file, its size, and what waits for the next group commit. */
class Log {
  readonly fd: number;
  size = 0;
  private queue: { buf: Buffer; done: (e?: unknown) => void }[] = [];
  private flushing = false;
  constructor(file: string) {
    // O_DSYNC: each write returns once durable (one thread-pool operation, not a write and an fdatasync).
    this.fd = fs.openSync(
      file,
      fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_DSYNC,
    );
  }
  /** Offset the record lands at once committed (the promise); appended in one write with the others. */
  add(buf: Buffer): { offset: number; committed: Promise<void> } {
    const offset = this.size;
    this.size += buf.length;
    const committed = new Promise<void>((resolve, reject) =>
      this.queue.push({ buf, done: (e) => (e ? reject(e) : resolve()) }),
    );
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush(offset));
    }
    return { offset, committed };
  }
  private async flush(at: number): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      const out = Buffer.allocUnsafeSlow(batch.reduce((n, b) => n + b.buf.length, 0));
      let o = 0;
      for (const b of batch) o += b.buf.copy(out, o);
      try {
        await append(this.fd, [out], at);
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.done(e);
      }
      at += out.length;
    }
    this.flushing = false;
  }
}

/** SigV4 of the bench client's requests (header form, signed headers host;x-amz-content-sha256;x-amz-date). */
function verifySigV4(req: http.IncomingMessage, creds: Creds): boolean {
  const auth = req.headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m || m[1] !== creds.accessKeyId) return false;
  const signed = m[4].split(";");
  const headerLines = signed.map((h) => `${h}:${String(req.headers[h] ?? "").trim()}`);
  const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
  const canonical = [req.method, req.url, "", ...headerLines, "", m[4], payloadHash].join("\n");
  const toSign = [
    "AWS4-HMAC-SHA256",
    String(req.headers["x-amz-date"]),
    `${m[2]}/${m[3]}/s3/aws4_request`,
    createHash("sha256").update(canonical).digest("hex"),
  ].join("\n");
  const sig = createHmac("sha256", signingKey(creds.secretAccessKey, m[2], m[3]))
    .update(toSign)
    .digest();
  return timingSafeEqual(sig, Buffer.from(m[5], "hex"));
}

function frameRecord(
  name: string,
  json: Buffer,
  index: number,
  shard: Uint8Array,
): { buf: Buffer; shardAt: number } {
  const nameBytes = Buffer.from(name);
  const buf = Buffer.allocUnsafe(12 + 2 + nameBytes.length + 1 + 4 + json.length + shard.length);
  let o = 12;
  o = buf.writeUInt16LE(nameBytes.length, o);
  o += nameBytes.copy(buf, o);
  o = buf.writeUInt8(index, o);
  o = buf.writeUInt32LE(json.length, o);
  o += json.copy(buf, o);
  const shardAt = o;
  buf.set(shard, o);
  buf.writeUInt32LE(0x464c4f52, 0);
  buf.writeUInt32LE(buf.length - 12, 8);
  buf.writeUInt32LE(crc32(buf.subarray(12)), 4);
  return { buf, shardAt };
}

export async function startFloorServer(
  dataDir: string,
  creds: Creds,
): Promise<{
  endpoint: string;
  put: (key: string, body: Buffer) => Promise<void>;
  close: () => Promise<void>;
}> {
  fs.mkdirSync(dataDir, { recursive: true });
  const logs = Array.from({ length: DISKS }, (_, i) => new Log(path.join(dataDir, `disk${i}.log`)));
  const db = new DatabaseSync(path.join(dataDir, "index.db"));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    CREATE TABLE versions (key TEXT PRIMARY KEY, mod_time INTEGER, record TEXT);`);
  const upsert = db.prepare("INSERT OR REPLACE INTO versions (key, mod_time, record) VALUES (?, ?, ?)");
  const codec = createCodec(K, 4);
  // The key-encryption key, derived once (the reference server caches its derived keys too); each
  // object's own random key is what makes every seal unique.
  const kek = createSecretKey(
    Buffer.from(hkdfSync("sha256", randomBytes(32), Buffer.from("bench"), "object-key", 32)),
  );
  const versions = new Map<string, Version>();
  const topology = Array.from({ length: 3 }, (_, z) =>
    Array.from({ length: 16 }, (_, d) => `az${z + 1}-r${(d >> 2) + 1}-n${(d & 1) + 1}-d${(d & 2) / 2 + 1}`),
  );

  async function put(key: string, body: Buffer): Promise<{ v: Version; all: Promise<void> }> {
    const etag = createHash("md5").update(body).digest("hex");
    const objectKey = randomBytes(32);
    const sealIv = randomBytes(12);
    const wrap = createCipheriv("aes-256-gcm", kek, sealIv);
    const wrapped = Buffer.concat([wrap.update(objectKey), wrap.final()]);
    const sealed = Buffer.concat([sealIv, wrap.getAuthTag(), wrapped]);
    const iv = randomBytes(12);
    const enc = createCipheriv("aes-256-gcm", createSecretKey(objectKey), iv);
    const cipher = Buffer.concat([enc.update(body), enc.final()]);
    const tag = enc.getAuthTag();
    const shards = codec.encodeBlock(cipher);
    const modTime = Date.now();
    const json = Buffer.from(
      JSON.stringify({
        key,
        etag,
        size: body.length,
        modTime,
        sealed: sealed.toString("base64"),
        iv: iv.toString("base64"),
        tag: tag.toString("base64"),
        erasure: { k: K, m: 4, distribution: topology },
      }),
    );
    const locs: Version["locs"] = [];
    const commits: Promise<void>[] = [];
    for (let d = 0; d < DISKS; d++) {
      const { buf, shardAt } = frameRecord(key, json, d % 16, shards[d % 16]);
      const { offset, committed } = logs[d].add(buf);
      locs.push({ offset, length: buf.length, shardAt });
      commits.push(committed);
    }
    // Acknowledged once 2 zones have 12 records each durable (the design's rule); the rest completes in
    // the background.
    await new Promise<void>((resolve, reject) => {
      const per = [0, 0, 0];
      let zones = 0;
      for (const [d, c] of commits.entries())
        c.then(() => {
          if (++per[Math.floor(d / 16)] === K && ++zones === 2) resolve();
        }, reject);
    });
    const v: Version = {
      etag,
      size: body.length,
      modTime,
      sealed,
      iv,
      tag,
      cipherLength: cipher.length,
      locs,
    };
    db.exec("BEGIN");
    upsert.run(key, modTime, json.toString());
    db.exec("COMMIT");
    // Readable (by GETs of the first zone) once every record is durable.
    const all = Promise.all(commits).then(() => void versions.set(key, v));
    return { v, all };
  }

  // Opened object keys, cached per version (the reference server caches opened SSE-S3 keys too).
  const opened = new WeakMap<Version, KeyObject>();
  function openKey(v: Version): KeyObject {
    let k = opened.get(v);
    if (!k) {
      const unwrap = createDecipheriv("aes-256-gcm", kek, v.sealed.subarray(0, 12));
      unwrap.setAuthTag(v.sealed.subarray(12, 28));
      k = createSecretKey(Buffer.concat([unwrap.update(v.sealed.subarray(28)), unwrap.final()]));
      opened.set(v, k);
    }
    return k;
  }

  function get(v: Version): Buffer {
    const shardLen = codec.shardLength(v.cipherLength);
    const joined = Buffer.allocUnsafe(shardLen * K);
    for (let d = 0; d < K; d++) {
      const loc = v.locs[d];
      const rec = Buffer.allocUnsafe(loc.length);
      fs.readSync(logs[d].fd, rec, 0, loc.length, loc.offset);
      if (rec.readUInt32LE(0) !== 0x464c4f52) throw new Error("bad record");
      rec.copy(joined, d * shardLen, loc.shardAt, loc.shardAt + shardLen);
    }
    const dec = createDecipheriv("aes-256-gcm", openKey(v), v.iv);
    dec.setAuthTag(v.tag);
    return Buffer.concat([dec.update(joined.subarray(0, v.cipherLength)), dec.final()]);
  }

  let requestSeq = 0;
  const server = http.createServer({ highWaterMark: 256 * 1024 }, (req, res) => {
    const ok = verifySigV4(req, creds);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const id = (++requestSeq).toString(16).padStart(16, "0");
      const common = { "x-amz-request-id": id, "x-amz-id-2": id, "x-amz-server-side-encryption": "AES256" };
      if (!ok) {
        res.writeHead(403, common).end();
        return;
      }
      const key = decodeURIComponent((req.url ?? "/").split("/").slice(2).join("/"));
      if (req.method === "PUT") {
        const body = Buffer.concat(chunks);
        if (createHash("sha256").update(body).digest("hex") !== req.headers["x-amz-content-sha256"]) {
          res.writeHead(400, common).end();
          return;
        }
        const { v } = await put(key, body);
        res.writeHead(200, { ...common, etag: `"${v.etag}"`, "content-length": "0" }).end();
        return;
      }
      const v = versions.get(key);
      if (!v) {
        res.writeHead(404, { ...common, "content-length": "0" }).end();
        return;
      }
      const body = get(v);
      res
        .writeHead(200, {
          ...common,
          etag: `"${v.etag}"`,
          "last-modified": new Date(v.modTime).toUTCString(),
          "content-length": String(body.length),
          "content-type": "binary/octet-stream",
          "accept-ranges": "bytes",
        })
        .end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    put: async (key, body) => {
      await (await put(key, body)).all;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          for (const l of logs) fs.closeSync(l.fd);
          r();
        });
      }),
  };
}
