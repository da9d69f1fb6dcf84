// DeleteObjects: many keys in one request, quiet mode, a result per key, the integrity header S3 demands,
// and the 1000-key ceiling.

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { errorCode, rawRequest } from "../harness/raw.ts";
import { signRequest } from "../harness/sigv4.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("DeleteObjects", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("delmany");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const put = (Key: string) => f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
  const keysWith = async (Prefix: string) =>
    ((await f.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix }))).Contents ?? []).map(
      (o) => o.Key,
    );

  check("DeleteObjects", "delete-objects.deletes-many", async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `many/${i}`);
    await Promise.all(keys.map(put));
    const out = await f.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((out.Deleted ?? []).map((d) => d.Key).sort()).toEqual([...keys].sort());
    expect(out.Errors ?? []).toEqual([]);
    expect(await keysWith("many/")).toEqual([]);
  });

  check("DeleteObjects", "delete-objects.quiet-mode", async () => {
    await put("quiet/a");
    const out = await f.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "quiet/a" }, { Key: "quiet/never-existed" }], Quiet: true },
      }),
    );
    // Quiet: only errors are reported; successes are silent.
    expect({ deleted: out.Deleted ?? [], errors: out.Errors ?? [] }).toEqual({ deleted: [], errors: [] });
    expect(await keysWith("quiet/")).toEqual([]);
  });

  check("DeleteObjects", "delete-objects.per-key-results", async () => {
    await put("per-key/exists");
    const out = await f.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Objects: [
            { Key: "per-key/exists" },
            // Deleting what does not exist succeeds, as a single DeleteObject does.
            { Key: "per-key/missing" },
            // A version id the service never issued is that key's error, not the request's.
            { Key: "per-key/bad-version", VersionId: "not-a-version-id" },
          ],
        },
      }),
    );
    expect((out.Deleted ?? []).map((d) => d.Key).sort()).toEqual(["per-key/exists", "per-key/missing"]);
    expect((out.Errors ?? []).map((e) => ({ Key: e.Key, Code: e.Code }))).toEqual([
      { Key: "per-key/bad-version", Code: "NoSuchVersion" },
    ]);
  });

  check("DeleteObjects", "delete-objects.integrity-header-required", async () => {
    await put("integrity/keep");
    const body = `<Delete><Object><Key>integrity/keep</Key></Object></Delete>`;
    const path = `/${bucket}?delete=`;
    const s = signRequest({
      method: "POST",
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: f.target.main,
      payloadHash: createHash("sha256").update(body).digest("hex"),
      headers: { "content-type": "application/xml" },
    });
    // Neither Content-MD5 nor an x-amz-checksum-* header: S3 refuses to act on an unverifiable list.
    const res = await rawRequest(f, { method: "POST", path, headers: s.headers, body });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({
      status: 400,
      code: "InvalidRequest",
    });
    expect(await keysWith("integrity/")).toEqual(["integrity/keep"]);
  });

  check("DeleteObjects", "delete-objects.over-1000-keys-refused", async () => {
    await put("ceiling/keep");
    const objects = Array.from({ length: 1001 }, (_, i) => ({
      Key: i === 0 ? "ceiling/keep" : `ceiling/${i}`,
    }));
    await expectS3Error(
      f.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } })),
      400,
      "MalformedXML",
    );
    expect(await keysWith("ceiling/")).toEqual(["ceiling/keep"]);
  });
});
