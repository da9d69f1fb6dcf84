// Versioning: Put/GetBucketVersioning, version ids on writes, delete markers, reads and deletes by version
// id, ListObjectVersions (order, IsLatest, paging, prefix and delimiter, the null version), asserted
// against what AWS S3 answers.

import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error, s3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

/**
 * Awaits a request that AWS answers with success. An S3 error answer instead is a wrong answer of the
 * target, so it fails the check as an assertion (status `fail`), not as an error of the exchange; network
 * failures still propagate as errors.
 */
async function ok<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === undefined) throw error;
    return expect.fail(`expected success, got HTTP ${status} ${e.name ?? ""}`.trim());
  }
}

/**
 * Removes every version and delete marker, null ones included. The shared emptyBucket drops
 * `VersionId: "null"`, which in a Suspended bucket writes a null delete marker instead of removing the
 * version, so the bucket would never empty; this file purges its buckets itself before the fixture's
 * cleanup runs.
 */
async function purge(s3: S3Client, Bucket: string): Promise<void> {
  for (let round = 0; round < 20; round += 1) {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    const all = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])];
    if (all.length === 0) return;
    for (const v of all) {
      await s3.send(new DeleteObjectCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
    }
  }
}

suite("versioning", () => {
  const f = fx!;
  const buckets: string[] = [];
  afterAll(async () => {
    for (const b of buckets) {
      try {
        await purge(f.s3, b);
      } catch {
        // Best effort: the target may not implement versioning; the fixture still tries its own cleanup.
      }
    }
  });

  async function newBucket(status?: "Enabled" | "Suspended"): Promise<string> {
    const Bucket = f.bucketName("ver");
    buckets.push(Bucket);
    await ok(f.s3.send(new CreateBucketCommand({ Bucket })));
    if (status) await setVersioning(Bucket, status);
    return Bucket;
  }
  const setVersioning = (Bucket: string, Status: "Enabled" | "Suspended") =>
    ok(f.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } })));
  const getVersioning = (Bucket: string) => f.s3.send(new GetBucketVersioningCommand({ Bucket }));
  const put = (Bucket: string, Key: string, Body: string) =>
    ok(f.s3.send(new PutObjectCommand({ Bucket, Key, Body })));
  /** GetObject that must succeed; `get` is the bare request for expected errors. */
  const get = (Bucket: string, Key: string, VersionId?: string) =>
    f.s3.send(new GetObjectCommand({ Bucket, Key, VersionId }));
  const read = async (Bucket: string, Key: string, VersionId?: string) => {
    const out = await ok(get(Bucket, Key, VersionId));
    return { out, body: (await bodyBytes(out.Body)).toString("utf8") };
  };
  const list = (Bucket: string, extra: Record<string, unknown> = {}) =>
    ok(f.s3.send(new ListObjectVersionsCommand({ Bucket, ...extra })));
  /** [key, versionId, isLatest] of versions, then of delete markers, in listing order. */
  const shape = (out: ListObjectVersionsCommandOutput) => ({
    versions: (out.Versions ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]),
    markers: (out.DeleteMarkers ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]),
  });

  check("PutBucketVersioning", "put-bucket-versioning.enable", async () => {
    const bucket = await newBucket();
    const out = await setVersioning(bucket, "Enabled");
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await getVersioning(bucket)).Status).toBe("Enabled");
    const a = await put(bucket, "k", "A");
    const b = await put(bucket, "k", "B");
    // Every write of a versioned bucket gets its own, non-null version id.
    expect(a.VersionId).toBeTruthy();
    expect(b.VersionId).toBeTruthy();
    expect([a.VersionId === "null", b.VersionId === "null", a.VersionId === b.VersionId]).toEqual([
      false,
      false,
      false,
    ]);
    const latest = await read(bucket, "k");
    expect([latest.body, latest.out.VersionId]).toEqual(["B", b.VersionId]);
    expect((await read(bucket, "k", a.VersionId)).body).toBe("A");
  });

  check("PutBucketVersioning", "put-bucket-versioning.suspend-writes-null-version", async () => {
    const bucket = await newBucket("Enabled");
    const v1 = await put(bucket, "k", "V1");
    const suspended = await setVersioning(bucket, "Suspended");
    expect(suspended.$metadata.httpStatusCode).toBe(200);
    expect((await getVersioning(bucket)).Status).toBe("Suspended");
    expect((await put(bucket, "k", "N1")).VersionId).toBe("null");
    expect((await put(bucket, "k", "N2")).VersionId).toBe("null");
    const got = await read(bucket, "k");
    expect([got.body, got.out.VersionId]).toEqual(["N2", "null"]);
    expect((await ok(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" })))).VersionId).toBe("null");
    // The second null write replaced the first; the version written while Enabled stays.
    expect(shape(await list(bucket))).toEqual({
      versions: [
        ["k", "null", true],
        ["k", v1.VersionId, false],
      ],
      markers: [],
    });
    expect((await read(bucket, "k", v1.VersionId)).body).toBe("V1");
    expect((await read(bucket, "k", "null")).body).toBe("N2");
  });

  check("PutBucketVersioning", "put-bucket-versioning.malformed-refused", async () => {
    const bucket = await newBucket("Enabled");
    for (const Status of ["Bogus", "enabled", ""]) {
      await expectS3Error(
        f.s3.send(
          new PutBucketVersioningCommand({
            Bucket: bucket,
            VersioningConfiguration: { Status: Status as "Enabled" },
          }),
        ),
        400,
        "MalformedXML",
      );
    }
    // A refused configuration changes nothing.
    expect((await getVersioning(bucket)).Status).toBe("Enabled");
    await expectS3Error(
      f.s3.send(
        new PutBucketVersioningCommand({
          Bucket: f.bucketName("absent"),
          VersioningConfiguration: { Status: "Enabled" },
        }),
      ),
      404,
      "NoSuchBucket",
    );
  });

  check("GetBucketVersioning", "get-bucket-versioning.never-enabled-empty", async () => {
    const bucket = await newBucket();
    const out = await getVersioning(bucket);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect({ status: out.Status, mfa: out.MFADelete }).toEqual({ status: undefined, mfa: undefined });
  });

  check("GetBucketVersioning", "get-bucket-versioning.reports-status", async () => {
    const bucket = await newBucket();
    await setVersioning(bucket, "Enabled");
    expect((await getVersioning(bucket)).Status).toBe("Enabled");
    await setVersioning(bucket, "Suspended");
    expect((await getVersioning(bucket)).Status).toBe("Suspended");
    // Once versioned, a bucket never goes back to unversioned: Enabled again is reported as such.
    await setVersioning(bucket, "Enabled");
    expect((await getVersioning(bucket)).Status).toBe("Enabled");
    await expectS3Error(getVersioning(f.bucketName("absent")), 404, "NoSuchBucket");
  });

  check("ListObjectVersions", "list-object-versions.versions-and-delete-markers", async () => {
    const bucket = await newBucket("Enabled");
    const a1 = await put(bucket, "a", "A1");
    const a2 = await put(bucket, "a", "A2");
    const del = await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "a" })));
    const b1 = await put(bucket, "b", "B1");
    const out = await list(bucket);
    expect(out.$metadata.httpStatusCode).toBe(200);
    // Keys in order, each key's versions newest first.
    expect(shape(out)).toEqual({
      versions: [
        ["a", a2.VersionId, false],
        ["a", a1.VersionId, false],
        ["b", b1.VersionId, true],
      ],
      markers: [["a", del.VersionId, true]],
    });
    const v = out.Versions?.[0];
    expect({ etag: v?.ETag, size: v?.Size, storage: v?.StorageClass }).toEqual({
      etag: a2.ETag,
      size: 2,
      storage: "STANDARD",
    });
    expect(v?.LastModified).toBeInstanceOf(Date);
    expect(out.DeleteMarkers?.[0].LastModified).toBeInstanceOf(Date);
    expect(out.IsTruncated).toBe(false);
  });

  check("ListObjectVersions", "list-object-versions.is-latest", async () => {
    const bucket = await newBucket("Enabled");
    const v1 = await put(bucket, "k", "1");
    const v2 = await put(bucket, "k", "2");
    expect(shape(await list(bucket)).versions).toEqual([
      ["k", v2.VersionId, true],
      ["k", v1.VersionId, false],
    ]);
    const marker = await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" })));
    expect(shape(await list(bucket))).toEqual({
      versions: [
        ["k", v2.VersionId, false],
        ["k", v1.VersionId, false],
      ],
      markers: [["k", marker.VersionId, true]],
    });
    // Removing the marker makes the newest version current again.
    await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker.VersionId })));
    // Removing the current version promotes the one before it.
    await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: v2.VersionId })));
    expect(shape(await list(bucket))).toEqual({ versions: [["k", v1.VersionId, true]], markers: [] });
  });

  check("ListObjectVersions", "list-object-versions.marker-pagination", async () => {
    const bucket = await newBucket("Enabled");
    for (const key of ["a", "b", "c"]) for (const n of [1, 2]) await put(bucket, key, `${key}${n}`);
    await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "b" })));
    const full = shape(await list(bucket));
    const all = [...full.versions, ...full.markers].length;
    expect(all).toBe(7);
    const seen: (string | boolean | undefined)[][] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await list(bucket, { MaxKeys: 2, KeyMarker: keyMarker, VersionIdMarker: versionMarker });
      pages += 1;
      expect(page.MaxKeys).toBe(2);
      const s = shape(page);
      expect(s.versions.length + s.markers.length).toBeLessThanOrEqual(2);
      seen.push(...s.versions, ...s.markers);
      if (!page.IsTruncated) break;
      expect(page.NextKeyMarker).toBeTruthy();
      expect(page.NextVersionIdMarker).toBeTruthy();
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
      if (pages > 10) expect.fail("ListObjectVersions did not stop paging");
    }
    expect(pages).toBe(4);
    const byKeyThenVersion = (x: unknown[]) => JSON.stringify(x);
    expect(seen.map(byKeyThenVersion).sort()).toEqual(
      [...full.versions, ...full.markers].map(byKeyThenVersion).sort(),
    );
    // KeyMarker alone starts after every version of that key.
    expect(shape(await list(bucket, { KeyMarker: "b" })).versions.map((v) => v[0])).toEqual(["c", "c"]);
  });

  check("ListObjectVersions", "list-object-versions.prefix-delimiter", async () => {
    const bucket = await newBucket("Enabled");
    for (const key of ["dir/a", "dir/sub/b", "dir/sub/c", "dir/x/d", "other"]) await put(bucket, key, key);
    await put(bucket, "dir/a", "again");
    const out = await list(bucket, { Prefix: "dir/", Delimiter: "/" });
    expect(out.Prefix).toBe("dir/");
    expect(out.Delimiter).toBe("/");
    expect((out.Versions ?? []).map((v) => [v.Key, v.IsLatest])).toEqual([
      ["dir/a", true],
      ["dir/a", false],
    ]);
    expect((out.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(["dir/sub/", "dir/x/"]);
    const prefixOnly = await list(bucket, { Prefix: "dir/sub/" });
    expect((prefixOnly.Versions ?? []).map((v) => v.Key)).toEqual(["dir/sub/b", "dir/sub/c"]);
    expect(prefixOnly.CommonPrefixes ?? []).toEqual([]);
  });

  check("ListObjectVersions", "list-object-versions.unversioned-null-version", async () => {
    const bucket = await newBucket();
    const put1 = await put(bucket, "k", "one");
    // An unversioned bucket answers no version id on writes.
    expect(put1.VersionId).toBeUndefined();
    await put(bucket, "k", "two");
    const out = await list(bucket);
    expect(shape(out)).toEqual({ versions: [["k", "null", true]], markers: [] });
    expect(out.Versions?.[0].Size).toBe(3);
    // The one version of an unversioned bucket is readable as the null version.
    expect((await read(bucket, "k", "null")).body).toBe("two");
  });

  check("GetObject", "get-object.version-id", async () => {
    const bucket = await newBucket("Enabled");
    const a = await put(bucket, "k", "A");
    const b = await put(bucket, "k", "B");
    const other = await put(bucket, "other", "O");
    const old = await read(bucket, "k", a.VersionId);
    expect([old.body, old.out.VersionId, old.out.ETag]).toEqual(["A", a.VersionId, a.ETag]);
    const head = await ok(
      f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: a.VersionId })),
    );
    expect([head.VersionId, head.ContentLength]).toEqual([a.VersionId, 1]);
    expect((await read(bucket, "k")).out.VersionId).toBe(b.VersionId);
    // Malformed ids are 400 InvalidArgument; a well-formed id this key does not have is 404 NoSuchVersion.
    await expectS3Error(get(bucket, "k", "not-a-version-id"), 400, "InvalidArgument");
    await expectS3Error(get(bucket, "k", other.VersionId), 404, "NoSuchVersion");
    await expectS3Error(
      f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: other.VersionId })),
      404,
    );
    // A delete marker: 404 NoSuchKey naming the marker; by its id, 405 MethodNotAllowed.
    const del = await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" })));
    const current = await expectS3Error(get(bucket, "k"), 404, "NoSuchKey");
    expect([current.headers["x-amz-delete-marker"], current.headers["x-amz-version-id"]]).toEqual([
      "true",
      del.VersionId,
    ]);
    const headMarker = await s3Error(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" })));
    expect([headMarker.status, headMarker.headers["x-amz-delete-marker"]]).toEqual([404, "true"]);
    const byId = await expectS3Error(get(bucket, "k", del.VersionId), 405, "MethodNotAllowed");
    expect([byId.headers["x-amz-delete-marker"], byId.headers["x-amz-version-id"]]).toEqual([
      "true",
      del.VersionId,
    ]);
    expect((await read(bucket, "k", b.VersionId)).body).toBe("B");
  });

  check("DeleteObject", "delete-object.versioned-creates-delete-marker", async () => {
    const bucket = await newBucket("Enabled");
    const a = await put(bucket, "k", "A");
    const del = await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" })));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeTruthy();
    expect(del.VersionId).not.toBe(a.VersionId);
    await expectS3Error(get(bucket, "k"), 404, "NoSuchKey");
    // The data is still there under its version id.
    expect((await read(bucket, "k", a.VersionId)).body).toBe("A");
    // Deleting a key that does not exist still writes a marker.
    const ghost = await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "ghost" })));
    expect([ghost.$metadata.httpStatusCode, ghost.DeleteMarker]).toEqual([204, true]);
    const markers = (await list(bucket)).DeleteMarkers ?? [];
    expect(markers.map((m) => [m.Key, m.VersionId]).sort()).toEqual(
      [
        ["ghost", ghost.VersionId],
        ["k", del.VersionId],
      ].sort(),
    );
  });

  check("DeleteObject", "delete-object.version-id-removes-version", async () => {
    const bucket = await newBucket("Enabled");
    const a = await put(bucket, "k", "A");
    const b = await put(bucket, "k", "B");
    const gone = await ok(
      f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: b.VersionId })),
    );
    expect([gone.$metadata.httpStatusCode, gone.VersionId, gone.DeleteMarker]).toEqual([
      204,
      b.VersionId,
      undefined,
    ]);
    // Permanently removed, no marker written: the older version is current again.
    expect(shape(await list(bucket))).toEqual({ versions: [["k", a.VersionId, true]], markers: [] });
    expect((await read(bucket, "k")).body).toBe("A");
    await expectS3Error(get(bucket, "k", b.VersionId), 404, "NoSuchVersion");
    // Removing a delete marker by id answers DeleteMarker: true and restores the object.
    const marker = await ok(f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" })));
    const undo = await ok(
      f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker.VersionId })),
    );
    expect([undo.DeleteMarker, undo.VersionId]).toEqual([true, marker.VersionId]);
    expect((await read(bucket, "k")).body).toBe("A");
    await expectS3Error(
      f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: "not-a-version-id" })),
      400,
      "InvalidArgument",
    );
  });

  check("DeleteObjects", "delete-objects.versioned-delete-markers", async () => {
    const bucket = await newBucket("Enabled");
    const a = await put(bucket, "a", "A");
    const b1 = await put(bucket, "b", "B1");
    const b2 = await put(bucket, "b", "B2");
    const out = await ok(
      f.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: [{ Key: "a" }, { Key: "b", VersionId: b2.VersionId }] },
        }),
      ),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Errors ?? []).toEqual([]);
    const deleted = [...(out.Deleted ?? [])].sort((x, y) => ((x.Key ?? "") < (y.Key ?? "") ? -1 : 1));
    expect(deleted.length).toBe(2);
    // Without a version id: a marker, named by DeleteMarkerVersionId.
    expect(deleted[0].Key).toBe("a");
    expect(deleted[0].DeleteMarker).toBe(true);
    expect(deleted[0].DeleteMarkerVersionId).toBeTruthy();
    expect(deleted[0].VersionId).toBeUndefined();
    // With one: that version is gone, no marker.
    expect([deleted[1].Key, deleted[1].VersionId, deleted[1].DeleteMarker ?? false]).toEqual([
      "b",
      b2.VersionId,
      false,
    ]);
    expect(shape(await list(bucket))).toEqual({
      versions: [
        ["a", a.VersionId, false],
        ["b", b1.VersionId, true],
      ],
      markers: [["a", deleted[0].DeleteMarkerVersionId, true]],
    });
    // Deleting the marker by id through the batch reports it as a marker.
    const undo = await ok(
      f.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: [{ Key: "a", VersionId: deleted[0].DeleteMarkerVersionId }] },
        }),
      ),
    );
    expect(undo.Deleted?.map((d) => [d.Key, d.VersionId, d.DeleteMarker, d.DeleteMarkerVersionId])).toEqual([
      ["a", deleted[0].DeleteMarkerVersionId, true, deleted[0].DeleteMarkerVersionId],
    ]);
    expect((await read(bucket, "a")).body).toBe("A");
  });
});
