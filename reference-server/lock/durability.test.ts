// The lock outlives the process and the disks: after a restart on the same data dir (with and without the
// listing index, which is then rebuilt from the disks), after a heal that rewrites stale or wiped metadata
// records, and at the engine level, where the guard refuses the delete under the key lock.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterEach, describe, expect, test } from "vitest";
import { bucketName, clientFor, errorOf } from "../api/test-support.ts";
import { S3Error } from "../http/s3-error.ts";
import { type ReferenceServer, startReferenceServer } from "../server.ts";
import { decodeMetaRecord, type ObjectVersionRecord } from "../storage/meta-record.ts";
import { metaFile } from "../storage/paths.ts";
import { lockGuard } from "./guard.ts";
import { retentionOf } from "./state.ts";

const DAY = 86_400_000;
const now = Date.UTC(2030, 5, 1);
const dirs: string[] = [];
const running: { server: ReferenceServer; s3: S3Client }[] = [];

async function start(dataDir: string) {
  const server = await startReferenceServer({
    dataDir,
    port: 0,
    env: {},
    clock: () => now,
    engine: { blockSize: 64 * 1024, inlineThreshold: 16 * 1024, durable: false },
  });
  const s3 = clientFor(server);
  const handle = { server, s3 };
  running.push(handle);
  return handle;
}

async function stop(h: { server: ReferenceServer; s3: S3Client }) {
  h.s3.destroy();
  await h.server.close();
  running.splice(running.indexOf(h), 1);
}

afterEach(async () => {
  for (const h of [...running]) await stop(h);
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "parity-lockdur-"));
  dirs.push(d);
  return d;
}

/** A lock bucket with a default rule, a COMPLIANCE version, a held version and a default-retained one. */
async function seed(s3: S3Client) {
  const Bucket = bucketName("dur");
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 30 } },
      },
    }),
  );
  const comp = await s3.send(
    new PutObjectCommand({
      Bucket,
      Key: "comp",
      Body: "c",
      ObjectLockMode: "COMPLIANCE",
      ObjectLockRetainUntilDate: new Date(now + 100 * DAY),
    }),
  );
  const held = await s3.send(
    new PutObjectCommand({ Bucket, Key: "held", Body: "h", ObjectLockLegalHoldStatus: "ON" }),
  );
  const gov = await s3.send(new PutObjectCommand({ Bucket, Key: "gov", Body: "g" }));
  return { Bucket, comp: comp.VersionId!, held: held.VersionId!, gov: gov.VersionId!, at: now };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** Everything seed() locked is still reported and still refused on every delete path. */
async function expectLocked(s3: S3Client, d: Seeded) {
  const cfg = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: d.Bucket }));
  expect(cfg.ObjectLockConfiguration).toEqual({
    ObjectLockEnabled: "Enabled",
    Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 30 } },
  });
  const comp = await s3.send(new HeadObjectCommand({ Bucket: d.Bucket, Key: "comp", VersionId: d.comp }));
  expect([comp.ObjectLockMode, comp.ObjectLockRetainUntilDate?.getTime()]).toEqual([
    "COMPLIANCE",
    d.at + 100 * DAY,
  ]);
  const held = await s3.send(new HeadObjectCommand({ Bucket: d.Bucket, Key: "held", VersionId: d.held }));
  expect(held.ObjectLockLegalHoldStatus).toBe("ON");
  const gov = await s3.send(
    new GetObjectRetentionCommand({ Bucket: d.Bucket, Key: "gov", VersionId: d.gov }),
  );
  expect(gov.Retention).toEqual({ Mode: "GOVERNANCE", RetainUntilDate: new Date(d.at + 30 * DAY) });
  for (const [Key, VersionId] of [
    ["comp", d.comp],
    ["held", d.held],
    ["gov", d.gov],
  ]) {
    const e = await errorOf(s3.send(new DeleteObjectCommand({ Bucket: d.Bucket, Key, VersionId })));
    expect([Key, e.$metadata.httpStatusCode, e.name]).toEqual([Key, 403, "AccessDenied"]);
  }
  const batch = await s3.send(
    new DeleteObjectsCommand({
      Bucket: d.Bucket,
      Delete: {
        Objects: [
          { Key: "comp", VersionId: d.comp },
          { Key: "held", VersionId: d.held },
          { Key: "gov", VersionId: d.gov },
        ],
      },
    }),
  );
  expect([batch.Deleted ?? [], batch.Errors?.map((e) => e.Code)]).toEqual([
    [],
    ["AccessDenied", "AccessDenied", "AccessDenied"],
  ]);
}

/** The metadata records of a version on every disk that holds one, decoded from the disk files. */
async function diskRecords(server: ReferenceServer, rec: ObjectVersionRecord) {
  const out: { disk: string; record?: ObjectVersionRecord }[] = [];
  for (const ids of Object.values(rec.erasure!.distribution)) {
    for (const id of ids) {
      const disk = server.engine.ctx.disks.get(id)!;
      try {
        const buf = await disk.readFile(metaFile(rec.bucket, rec.key, rec.writeId));
        out.push({ disk: id, record: decodeMetaRecord(buf, id).record });
      } catch {
        out.push({ disk: id });
      }
    }
  }
  return out;
}

function versionOf(server: ReferenceServer, bucket: string, key: string, versionId: string) {
  return server.engine.versionsOf(bucket, key).find((v) => v.versionId === versionId)!;
}

describe("restart", () => {
  test("configuration, retention and legal hold survive a restart on the same data dir", async () => {
    const dir = await newDir();
    const first = await start(dir);
    const d = await seed(first.s3);
    await expectLocked(first.s3, d);
    await stop(first);
    const second = await start(dir);
    await expectLocked(second.s3, d);
  });

  test("they survive a restart whose listing index is gone (rebuilt from the disks' records)", async () => {
    const dir = await newDir();
    const first = await start(dir);
    const d = await seed(first.s3);
    await stop(first);
    await rm(join(dir, "index"), { recursive: true, force: true });
    const second = await start(dir);
    await expectLocked(second.s3, d);
  });
});

describe("heal", () => {
  test("a retention change made while a disk was offline reaches that disk through heal", async () => {
    const dir = await newDir();
    const h = await start(dir);
    const d = await seed(h.s3);
    const rec = versionOf(h.server, d.Bucket, "comp", d.comp);
    const diskId = rec.erasure!.distribution.az1[0];
    const fault = await h.server.engine.faults.inject(diskId, "offline");
    const extended = d.at + 200 * DAY;
    await h.s3.send(
      new PutObjectRetentionCommand({
        Bucket: d.Bucket,
        Key: "comp",
        VersionId: d.comp,
        Retention: { Mode: "COMPLIANCE", RetainUntilDate: new Date(extended) },
      }),
    );
    await h.server.engine.faults.restore(fault.id);
    const stale = (await diskRecords(h.server, rec)).find((x) => x.disk === diskId)!;
    expect(retentionOf(stale.record!)?.retainUntil).toBe(d.at + 100 * DAY);
    const report = await h.server.engine.heal();
    expect(report.unrecoverable).toEqual([]);
    const all = await diskRecords(h.server, rec);
    expect(all.map((x) => [x.disk, x.record && retentionOf(x.record)])).toEqual(
      all.map((x) => [x.disk, { mode: "COMPLIANCE", retainUntil: extended }]),
    );
    const e = await errorOf(
      h.s3.send(new DeleteObjectCommand({ Bucket: d.Bucket, Key: "comp", VersionId: d.comp })),
    );
    expect(e.name).toBe("AccessDenied");
  });

  test("a wiped zone is rebuilt with the lock in every record; the lock holds after a restart from the disks", async () => {
    const dir = await newDir();
    const h = await start(dir);
    const d = await seed(h.s3);
    await h.server.engine.faults.inject("az1", "wipe");
    const report = await h.server.engine.heal();
    expect(report.unrecoverable).toEqual([]);
    for (const [key, id, check] of [
      ["comp", d.comp, (r: ObjectVersionRecord) => retentionOf(r)?.mode === "COMPLIANCE"],
      ["held", d.held, (r: ObjectVersionRecord) => r.attrs.legalHold === true],
      ["gov", d.gov, (r: ObjectVersionRecord) => retentionOf(r)?.mode === "GOVERNANCE"],
    ] as const) {
      const records = await diskRecords(h.server, versionOf(h.server, d.Bucket, key, id));
      expect(records.filter((x) => x.record && check(x.record)).length).toBe(records.length);
    }
    await stop(h);
    await rm(join(dir, "index"), { recursive: true, force: true });
    const again = await start(dir);
    await expectLocked(again.s3, d);
  });
});

describe("engine level", () => {
  test("the guard refuses deleteObject atomically; only the GOVERNANCE bypass passes it", async () => {
    const dir = await newDir();
    const h = await start(dir);
    const d = await seed(h.s3);
    const engine = h.server.engine;
    const clock = () => now;
    for (const [key, id] of [
      ["comp", d.comp],
      ["held", d.held],
      ["gov", d.gov],
    ]) {
      const refused = engine.deleteObject({
        bucket: d.Bucket,
        key,
        versionId: id,
        guard: lockGuard(clock, false),
      });
      await expect(refused).rejects.toBeInstanceOf(S3Error);
      await expect(refused).rejects.toMatchObject({ code: "AccessDenied" });
      expect(versionOf(h.server, d.Bucket, key, id)).toBeDefined();
    }
    for (const [key, id] of [
      ["comp", d.comp],
      ["held", d.held],
    ]) {
      await expect(
        engine.deleteObject({ bucket: d.Bucket, key, versionId: id, guard: lockGuard(clock, true) }),
      ).rejects.toMatchObject({ code: "AccessDenied" });
    }
    await engine.deleteObject({
      bucket: d.Bucket,
      key: "gov",
      versionId: d.gov,
      guard: lockGuard(clock, true),
    });
    expect(versionOf(h.server, d.Bucket, "gov", d.gov)).toBeUndefined();
  });

  test("an overwrite through the engine adds a version; the locked one keeps its record and its bytes", async () => {
    const dir = await newDir();
    const h = await start(dir);
    const d = await seed(h.s3);
    const next = await h.server.engine.putObject({
      bucket: d.Bucket,
      key: "comp",
      body: (async function* () {
        yield Buffer.from("overwrite");
      })(),
    });
    expect(next.versionId).not.toBe(d.comp);
    const versions = h.server.engine.versionsOf(d.Bucket, "comp").map((v) => v.versionId);
    expect(versions).toEqual([next.versionId, d.comp]);
    const got = await h.server.engine.getObject({ bucket: d.Bucket, key: "comp", versionId: d.comp });
    const chunks: Buffer[] = [];
    for await (const c of got.body) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe("c");
    expect(retentionOf(got.record)?.mode).toBe("COMPLIANCE");
  });
});
