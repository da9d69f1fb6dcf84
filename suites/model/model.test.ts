// Model-based check: fast-check generates sequences of put, copy, delete, multipart upload and
// versioning changes; each runs against the target and against a small in-memory model of S3's
// semantics, and after every step the target's object and version listings must equal the model's.
// A failure prints the shortest sequence fast-check could find that breaks the target.

import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, s3Error } from "../harness/assert.ts";
import { type Fixture, suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const KEYS = ["a", "b", "dir/c"] as const;
type Key = (typeof KEYS)[number];

interface Version {
  readonly id: string; // "null" for the null version
  readonly body?: string; // undefined for a delete marker
}

/** S3's object semantics for one bucket, per AWS's versioning documentation. */
class Model {
  versioning: "Unversioned" | "Enabled" | "Suspended" = "Unversioned";
  /** Newest first. */
  readonly versions = new Map<Key, Version[]>();

  current(key: Key): Version | undefined {
    return this.versions.get(key)?.[0];
  }

  /** A new version (or delete marker) with the id the target gave it. */
  write(key: Key, id: string | undefined, body: string | undefined): void {
    const list = this.versions.get(key) ?? [];
    if (this.versioning === "Enabled") {
      this.versions.set(key, [{ id: id!, body }, ...list]);
      return;
    }
    // Unversioned and suspended buckets replace the null version; suspended keeps the others.
    const rest = this.versioning === "Unversioned" ? [] : list.filter((v) => v.id !== "null");
    const next =
      body === undefined && this.versioning === "Unversioned" ? rest : [{ id: "null", body }, ...rest];
    if (next.length === 0) this.versions.delete(key);
    else this.versions.set(key, next);
  }
}

interface Real {
  readonly s3: S3Client;
  readonly bucket: string;
}

async function observe(r: Real): Promise<{ keys: string[]; versions: string[] }> {
  const listed = await r.s3.send(new ListObjectsV2Command({ Bucket: r.bucket }));
  const versions = await r.s3.send(new ListObjectVersionsCommand({ Bucket: r.bucket }));
  return {
    keys: (listed.Contents ?? []).map((o) => o.Key!).sort(),
    versions: [
      ...(versions.Versions ?? []).map(
        (v) => `${v.Key} ${v.VersionId} ${v.IsLatest ? "latest" : "old"} object`,
      ),
      ...(versions.DeleteMarkers ?? []).map(
        (v) => `${v.Key} ${v.VersionId} ${v.IsLatest ? "latest" : "old"} marker`,
      ),
    ].sort(),
  };
}

function expected(m: Model): { keys: string[]; versions: string[] } {
  const keys: string[] = [];
  const versions: string[] = [];
  for (const [key, list] of m.versions) {
    if (list[0]?.body !== undefined) keys.push(key);
    for (const [i, v] of list.entries()) {
      const kind = v.body === undefined ? "marker" : "object";
      versions.push(`${key} ${v.id} ${i === 0 ? "latest" : "old"} ${kind}`);
    }
  }
  return { keys: keys.sort(), versions: versions.sort() };
}

async function compare(m: Model, r: Real): Promise<void> {
  expect(await observe(r)).toEqual(expected(m));
}

type Cmd = fc.AsyncCommand<Model, Real>;
const key = fc.constantFrom(...KEYS);
const body = fc.string({ maxLength: 12 });

const put = (k: Key, b: string): Cmd => ({
  check: () => true,
  async run(m, r) {
    const out = await r.s3.send(new PutObjectCommand({ Bucket: r.bucket, Key: k, Body: b }));
    m.write(k, out.VersionId, b);
    await compare(m, r);
  },
  toString: () => `put(${k}, ${JSON.stringify(b)})`,
});

const del = (k: Key): Cmd => ({
  check: () => true,
  async run(m, r) {
    const out = await r.s3.send(new DeleteObjectCommand({ Bucket: r.bucket, Key: k }));
    // Deleting an absent key in an unversioned bucket changes nothing; versioned buckets get a marker.
    if (m.versioning !== "Unversioned" || m.current(k)) m.write(k, out.VersionId, undefined);
    await compare(m, r);
  },
  toString: () => `delete(${k})`,
});

const copy = (src: Key, dst: Key): Cmd => ({
  check: () => true,
  async run(m, r) {
    const cur = m.current(src);
    const send = r.s3.send(
      new CopyObjectCommand({ Bucket: r.bucket, Key: dst, CopySource: `${r.bucket}/${src}` }),
    );
    if (cur?.body === undefined) {
      expect((await s3Error(send)).status).toBe(404);
    } else if (src === dst) {
      // Copying an object onto itself without changing anything about it is refused.
      expect(await s3Error(send)).toMatchObject({ status: 400, code: "InvalidRequest" });
    } else {
      const out = await send;
      m.write(dst, out.VersionId, cur.body);
    }
    await compare(m, r);
  },
  toString: () => `copy(${src} → ${dst})`,
});

const multipart = (k: Key, b: string): Cmd => ({
  check: () => true,
  async run(m, r) {
    const up = await r.s3.send(new CreateMultipartUploadCommand({ Bucket: r.bucket, Key: k }));
    const part = await r.s3.send(
      new UploadPartCommand({ Bucket: r.bucket, Key: k, UploadId: up.UploadId, PartNumber: 1, Body: b }),
    );
    const out = await r.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: r.bucket,
        Key: k,
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    m.write(k, out.VersionId, b);
    await compare(m, r);
  },
  toString: () => `multipart(${k}, ${JSON.stringify(b)})`,
});

const versioning = (status: "Enabled" | "Suspended"): Cmd => ({
  // A bucket is never returned to unversioned, and suspending one that never was versioned is a no-op
  // that S3 nonetheless records: the model follows.
  check: () => true,
  async run(m, r) {
    await r.s3.send(
      new PutBucketVersioningCommand({ Bucket: r.bucket, VersioningConfiguration: { Status: status } }),
    );
    m.versioning = status;
    await compare(m, r);
  },
  toString: () => `versioning(${status})`,
});

const read = (k: Key): Cmd => ({
  check: () => true,
  async run(m, r) {
    const cur = m.current(k);
    const send = r.s3.send(new GetObjectCommand({ Bucket: r.bucket, Key: k }));
    if (cur?.body === undefined) expect((await s3Error(send)).status).toBe(404);
    else expect((await bodyBytes((await send).Body)).toString("utf8")).toBe(cur.body);
  },
  toString: () => `get(${k})`,
});

const COMMANDS = [
  fc.tuple(key, body).map(([k, b]) => put(k, b)),
  key.map(del),
  fc.tuple(key, key).map(([a, b]) => copy(a, b)),
  fc.tuple(key, body).map(([k, b]) => multipart(k, b)),
  fc.constantFrom<"Enabled" | "Suspended">("Enabled", "Suspended").map(versioning),
  key.map(read),
];

async function runModel(f: Fixture, runs: number, maxCommands: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.commands(COMMANDS, { maxCommands }), async (cmds) => {
      const bucket = f.bucketName("model");
      await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await fc.asyncModelRun(() => ({ model: new Model(), real: { s3: f.s3, bucket } }), cmds);
    }),
    { numRuns: runs, endOnFailure: true },
  );
}

suite("model-based sequences", () => {
  const f = fx!;
  check(
    "ListObjectVersions",
    "list-object-versions.model-based-sequences",
    async () => {
      // Bounded: 30 sequences of up to 30 steps (a few thousand requests, seconds here).
      await runModel(f, 30, 30);
    },
    { timeout: 240_000 },
  );
});
