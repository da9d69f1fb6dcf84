// Errors and limits: requests no SDK sends — a body shorter than its Content-Length, a size past S3's
// single-PUT limit, no length at all, keys that look like path traversal, a malformed document. The
// target must answer S3's error (or drop the connection) and never make a partial object visible.

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error } from "../harness/assert.ts";
import { errorCode, rawRequest, socketRequest } from "../harness/raw.ts";
import { signRequest } from "../harness/sigv4.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const GIB = 1024 ** 3;

suite("errors and limits", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("errors");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const signed = (method: string, path: string, headers: Record<string, string>, payloadHash: string) =>
    signRequest({
      method,
      endpoint: f.target.endpoint,
      path,
      region: f.target.region,
      credentials: f.target.main,
      payloadHash,
      headers,
    }).headers;
  const absent = (Key: string) =>
    expectS3Error(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key })), 404);

  check("PutObject", "put-object.errors-over-5gib-refused", async () => {
    // S3 refuses a single PUT over 5 GiB from its headers, before reading a byte of the body.
    const path = `/${bucket}/too-large`;
    const headers = signed("PUT", path, { "content-length": String(5 * GIB + 1) }, "UNSIGNED-PAYLOAD");
    const res = await socketRequest(f, { method: "PUT", path, headers, body: Buffer.alloc(1024) });
    expect({ status: res?.status, code: errorCode(res?.body ?? "") }).toEqual({
      status: 400,
      code: "EntityTooLarge",
    });
    await absent("too-large");
  });

  check("PutObject", "put-object.errors-truncated-body-not-visible", async () => {
    // The client promises 1 MiB, sends 64 KiB and goes away: nothing may appear, not even a prefix.
    const path = `/${bucket}/truncated`;
    const headers = signed("PUT", path, { "content-length": String(1 << 20) }, "UNSIGNED-PAYLOAD");
    await socketRequest(
      f,
      { method: "PUT", path, headers, body: Buffer.alloc(64 * 1024, 7) },
      { end: "close" },
    );
    // The target may take a moment to notice the connection is gone; it must never publish the object.
    for (let i = 0; i < 5; i += 1) {
      await absent("truncated");
      await new Promise((r) => setTimeout(r, 100));
    }
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "truncated" }));
    expect(listed.Contents ?? []).toEqual([]);
  });

  check("PutObject", "put-object.errors-missing-content-length", async () => {
    const path = `/${bucket}/no-length`;
    const headers = signed("PUT", path, {}, "UNSIGNED-PAYLOAD");
    const res = await socketRequest(f, { method: "PUT", path, headers });
    expect({ status: res?.status, code: errorCode(res?.body ?? "") }).toEqual({
      status: 411,
      code: "MissingContentLength",
    });
    await absent("no-length");
  });

  check("PutObject", "put-object.errors-dot-segment-keys-literal", async () => {
    // "." and ".." are ordinary key characters in S3: nothing is resolved, nothing escapes the bucket.
    const keys = ["../escape", "a/../b", "./here", "..", "dir/./x"];
    for (const Key of keys) {
      await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}` }));
    }
    for (const Key of keys) {
      const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      expect((await bodyBytes(got.Body)).toString("utf8")).toBe(`body of ${Key}`);
    }
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const names = (listed.Contents ?? []).map((o) => o.Key);
    for (const Key of keys) expect(names).toContain(Key);
    // "a/../b" did not become "b".
    await absent("b");
  });

  check("DeleteObjects", "delete-objects.errors-malformed-xml", async () => {
    const body = "<Delete><Object><Key>unterminated</Object></Delete";
    const path = `/${bucket}?delete=`;
    const headers = signed(
      "POST",
      path,
      { "content-md5": createHash("md5").update(body).digest("base64") },
      createHash("sha256").update(body).digest("hex"),
    );
    const res = await rawRequest(f, { method: "POST", path, headers, body });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status: 400, code: "MalformedXML" });
  });
});
