// Objects: PUT/GET/HEAD/DELETE round trips, metadata, ranges, conditional reads, digests and missing keys,
// asserted against what AWS S3 answers.

import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import {
  assertProperty,
  bodyBytes,
  etagOf,
  expectS3Error,
  md5Base64,
  sha256Base64,
} from "../harness/assert.ts";
import { errorCode, rawRequest } from "../harness/raw.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("objects", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("obj");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const put = (Key: string, Body: string | Uint8Array, extra: Record<string, unknown> = {}) =>
    f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
  const get = (Key: string, extra: Partial<GetObjectCommandInput> = {}) =>
    f.s3.send(new GetObjectCommand({ Bucket: bucket, Key, ...extra }));
  const head = (Key: string, extra: Record<string, unknown> = {}) =>
    f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ...extra }));

  check("PutObject", "put-object.roundtrip", async () => {
    const body = "hello, parity\n";
    const out = await put("roundtrip.txt", body, { ContentType: "text/plain" });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.ETag).toBe(etagOf(body));
    const got = await get("roundtrip.txt");
    expect((await bodyBytes(got.Body)).toString()).toBe(body);
    expect(got.ETag).toBe(etagOf(body));
    expect(got.ContentType).toBe("text/plain");
  });

  check("PutObject", "put-object.overwrite-replaces", async () => {
    await put("overwrite", "first version");
    const second = await put("overwrite", "second");
    expect(second.ETag).toBe(etagOf("second"));
    const got = await get("overwrite");
    expect((await bodyBytes(got.Body)).toString()).toBe("second");
    expect(got.ContentLength).toBe(6);
  });

  check("PutObject", "put-object.content-md5-mismatch", async () => {
    await expectS3Error(
      put("bad-digest", "actual body", { ContentMD5: md5Base64("other body") }),
      400,
      "BadDigest",
    );
    // Nothing was stored under the key.
    await expectS3Error(get("bad-digest"), 404, "NoSuchKey");
    const good = await put("good-digest", "actual body", { ContentMD5: md5Base64("actual body") });
    expect(good.ETag).toBe(etagOf("actual body"));
  });

  check(
    "PutObject",
    "put-object.large-single-upload",
    async () => {
      // 40 MB in one PUT, as the seeds' practical case; content varies so a torn write would show.
      const size = 40 * 1024 * 1024;
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) data.writeUInt32BE(i, i);
      const out = await put("large-40mb", data);
      expect(out.ETag).toBe(etagOf(data));
      const got = await bodyBytes((await get("large-40mb")).Body);
      expect(got.length).toBe(size);
      expect(createHash("sha256").update(got).digest("hex")).toBe(
        createHash("sha256").update(data).digest("hex"),
      );
    },
    { slow: true, timeout: 300_000 },
  );

  check("PutObject", "put-object.property-roundtrip", async () => {
    // Keys of any printable UTF-8 up to 1024 bytes, bodies of 0..2048 bytes, and metadata survive intact.
    const segment = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 24 })
      .filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && s !== "." && s !== "..");
    const key = fc
      .array(segment, { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join("/"))
      .filter((k) => Buffer.byteLength(k) <= 1024 && !k.startsWith("/"));
    const body = fc.uint8Array({ minLength: 0, maxLength: 2048 });
    const meta = fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
      // Non-empty, single inner spaces: what HTTP header values carry unchanged.
      fc.stringMatching(/^[A-Za-z0-9._-]{1,12}( [A-Za-z0-9._-]{1,12}){0,2}$/),
      {
        maxKeys: 3,
      },
    );
    await assertProperty(
      fc.asyncProperty(key, body, meta, async (k, b, m) => {
        await put(k, b, { Metadata: m });
        const got = await get(k);
        expect(Buffer.compare(await bodyBytes(got.Body), Buffer.from(b))).toBe(0);
        expect(got.Metadata ?? {}).toEqual(m);
        expect(got.ETag).toBe(etagOf(b));
      }),
      { numRuns: 25 },
    );
  });

  check("GetObject", "get-object.roundtrip", async () => {
    const body = Buffer.from("0123456789abcdef");
    await put("get-rt", body, { ContentType: "application/x-parity" });
    const got = await get("get-rt");
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.ContentLength).toBe(body.length);
    expect(got.ContentType).toBe("application/x-parity");
    expect(got.AcceptRanges).toBe("bytes");
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(Buffer.compare(await bodyBytes(got.Body), body)).toBe(0);
  });

  check("GetObject", "get-object.no-such-key", async () => {
    await expectS3Error(get("never-written"), 404, "NoSuchKey");
  });

  check("GetObject", "get-object.no-such-bucket", async () => {
    await expectS3Error(
      f.s3.send(new GetObjectCommand({ Bucket: f.bucketName("nobucket"), Key: "k" })),
      404,
      "NoSuchBucket",
    );
  });

  const TEN = "0123456789";

  check("GetObject", "get-object.range-forms", async () => {
    await put("ranges", TEN);
    const cases: [string, string, string][] = [
      ["bytes=0-4", "01234", "bytes 0-4/10"],
      ["bytes=5-", "56789", "bytes 5-9/10"],
      ["bytes=-3", "789", "bytes 7-9/10"], // suffix
      ["bytes=8-100", "89", "bytes 8-9/10"], // end past the size is clipped
      ["bytes=3-3", "3", "bytes 3-3/10"],
    ];
    for (const [Range, body, contentRange] of cases) {
      const got = await get("ranges", { Range });
      expect({
        range: Range,
        status: got.$metadata.httpStatusCode,
        contentRange: got.ContentRange,
        length: got.ContentLength,
        body: (await bodyBytes(got.Body)).toString(),
      }).toEqual({ range: Range, status: 206, contentRange, length: body.length, body });
    }
  });

  check("GetObject", "get-object.range-unsatisfiable", async () => {
    await put("ranges-416", TEN);
    const e = await expectS3Error(get("ranges-416", { Range: "bytes=10-20" }), 416, "InvalidRange");
    expect(e.code).toBe("InvalidRange");
  });

  check("GetObject", "get-object.range-property", async () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
    await put("ranges-prop", data);
    await assertProperty(
      fc.asyncProperty(fc.nat(299), fc.nat(400), async (start, len) => {
        const end = start + len;
        const got = await get("ranges-prop", { Range: `bytes=${start}-${end}` });
        const last = Math.min(end, 299);
        expect(got.ContentRange).toBe(`bytes ${start}-${last}/300`);
        expect(Buffer.compare(await bodyBytes(got.Body), data.subarray(start, last + 1))).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  check("GetObject", "get-object.conditional-etag", async () => {
    const { ETag } = await put("cond-etag", "conditional");
    const ok = await get("cond-etag", { IfMatch: ETag });
    expect(ok.$metadata.httpStatusCode).toBe(200);
    await expectS3Error(
      get("cond-etag", { IfMatch: '"00000000000000000000000000000000"' }),
      412,
      "PreconditionFailed",
    );
    await expectS3Error(get("cond-etag", { IfNoneMatch: ETag }), 304);
    const other = await get("cond-etag", { IfNoneMatch: '"00000000000000000000000000000000"' });
    expect(other.$metadata.httpStatusCode).toBe(200);
  });

  check("GetObject", "get-object.conditional-date", async () => {
    await put("cond-date", "dated");
    const { LastModified } = await head("cond-date");
    // Dates at or before Last-Modified only: a date in the future is invalid (RFC 9110) and ignored.
    const at = LastModified!;
    const before = new Date(at.getTime() - 3_600_000);
    expect((await get("cond-date", { IfModifiedSince: before })).$metadata.httpStatusCode).toBe(200);
    await expectS3Error(get("cond-date", { IfModifiedSince: at }), 304);
    expect((await get("cond-date", { IfUnmodifiedSince: at })).$metadata.httpStatusCode).toBe(200);
    await expectS3Error(get("cond-date", { IfUnmodifiedSince: before }), 412, "PreconditionFailed");
  });

  check("GetObject", "get-object.response-header-overrides", async () => {
    await put("overrides", "x", { ContentType: "text/plain" });
    const expires = new Date("2030-01-01T00:00:00Z");
    const got = await get("overrides", {
      ResponseContentType: "application/x-override",
      ResponseContentDisposition: 'attachment; filename="o.bin"',
      ResponseCacheControl: "no-cache",
      ResponseContentLanguage: "fr",
      ResponseContentEncoding: "identity",
      ResponseExpires: expires,
    });
    expect({
      type: got.ContentType,
      disposition: got.ContentDisposition,
      cache: got.CacheControl,
      language: got.ContentLanguage,
      encoding: got.ContentEncoding,
      expires: got.ExpiresString ?? got.Expires?.toUTCString(),
    }).toEqual({
      type: "application/x-override",
      disposition: 'attachment; filename="o.bin"',
      cache: "no-cache",
      language: "fr",
      encoding: "identity",
      expires: expires.toUTCString(),
    });
  });

  check("GetObject", "get-object.anonymous-private-refused", async () => {
    await put("private", "not for everyone");
    const res = await rawRequest(f, { method: "GET", path: `/${bucket}/private` });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status: 403, code: "AccessDenied" });
    expect(res.body).not.toContain("not for everyone");
  });

  check("PutObject", "put-object.limits", async () => {
    // Keys are at most 1024 bytes of UTF-8; user metadata at most 2 KB.
    await expectS3Error(put("k".repeat(1025), "x"), 400, "KeyTooLongError");
    const ok = await put("k".repeat(1024), "x");
    expect(ok.$metadata.httpStatusCode).toBe(200);
    await expectS3Error(
      put("big-meta", "x", { Metadata: { big: "v".repeat(2100) } }),
      400,
      "MetadataTooLarge",
    );
  });

  check("HeadObject", "head-object.matches-get-headers", async () => {
    await put("head-match", "head and get agree", { ContentType: "text/x-parity", Metadata: { a: "1" } });
    const h = await head("head-match");
    const g = await get("head-match");
    const pick = (o: typeof h | typeof g) => ({
      length: o.ContentLength,
      etag: o.ETag,
      type: o.ContentType,
      modified: o.LastModified?.toISOString(),
      meta: o.Metadata,
      ranges: o.AcceptRanges,
    });
    expect(pick(h)).toEqual(pick(g));
    expect(h.$metadata.httpStatusCode).toBe(200);
  });

  check("HeadObject", "head-object.no-such-key", async () => {
    await expectS3Error(head("never-headed"), 404);
  });

  check("HeadObject", "head-object.conditional", async () => {
    const { ETag } = await put("head-cond", "c");
    expect((await head("head-cond", { IfMatch: ETag })).$metadata.httpStatusCode).toBe(200);
    await expectS3Error(head("head-cond", { IfNoneMatch: ETag }), 304);
    await expectS3Error(head("head-cond", { IfMatch: '"00000000000000000000000000000000"' }), 412);
  });

  check("HeadObject", "head-object.user-metadata", async () => {
    const Metadata = { "Mixed-Case": "Value With Spaces", plain: "v" };
    await put("meta", "m", { Metadata });
    const h = await head("meta");
    // AWS lowercases user metadata names and keeps values as sent.
    expect(h.Metadata).toEqual({ "mixed-case": "Value With Spaces", plain: "v" });
  });

  check("HeadObject", "head-object.minio-md5-and-checksum-attribute", async () => {
    const data = Buffer.from("uploaded through the minio client");
    const sum = sha256Base64(data);
    await f.minio().putObject(bucket, "minio-attr", data, data.length, { "checksum-sha256": sum });
    const h = await head("minio-attr");
    expect(h.ETag).toBe(etagOf(data));
    expect(h.Metadata?.["checksum-sha256"]).toBe(sum);
  });

  check("DeleteObject", "delete-object.deletes", async () => {
    await put("to-delete", "bye");
    const out = await f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "to-delete" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(get("to-delete"), 404, "NoSuchKey");
  });

  check("DeleteObject", "delete-object.missing-key-succeeds", async () => {
    const out = await f.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "never-existed" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
  });
});
