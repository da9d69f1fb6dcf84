// Server-side copy: CopyObject (metadata and tagging directives, copy-source conditions, copying onto
// itself, encoded source keys) and UploadPartCopy (whole source, ranges, conditions), asserted against
// what AWS S3 answers.

import { createHash } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  type CopyObjectCommandInput,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type UploadPartCopyCommandInput,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, etagOf, expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const MIN_PART = 5 * 1024 * 1024;
const WRONG_ETAG = '"00000000000000000000000000000000"';

function multipartEtag(parts: readonly Uint8Array[]): string {
  const digests = parts.map((p) => createHash("md5").update(p).digest());
  return `"${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts.length}"`;
}

/** `bucket/key` with each key segment percent-encoded, as x-amz-copy-source wants it. */
function source(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

suite("copy", () => {
  const f = fx!;
  let bucket = "";
  let other = "";
  beforeAll(async () => {
    bucket = f.bucketName("copy");
    other = f.bucketName("copy2");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await f.s3.send(new CreateBucketCommand({ Bucket: other }));
  });
  const put = (Key: string, Body: string | Uint8Array, extra: Record<string, unknown> = {}) =>
    f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
  const copy = (Key: string, from: string, extra: Partial<CopyObjectCommandInput> = {}) =>
    f.s3.send(new CopyObjectCommand({ Bucket: bucket, Key, CopySource: source(bucket, from), ...extra }));
  const head = (Key: string, Bucket = bucket) => f.s3.send(new HeadObjectCommand({ Bucket, Key }));
  const tags = async (Key: string, Bucket = bucket) =>
    (await f.s3.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet ?? [];
  const text = async (Key: string, Bucket = bucket) =>
    (await bodyBytes((await f.s3.send(new GetObjectCommand({ Bucket, Key }))).Body)).toString();

  check("CopyObject", "copy-object.copies-bytes-and-metadata", async () => {
    const body = "bytes to copy";
    await put("src/meta", body, {
      ContentType: "text/x-copy",
      CacheControl: "no-store",
      ContentDisposition: "inline",
      Metadata: { origin: "source", two: "a b" },
      Tagging: "team=storage&tier=gold",
    });
    const out = await copy("dst/meta", "src/meta");
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.CopyObjectResult?.ETag).toBe(etagOf(body));
    expect(out.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const h = await head("dst/meta");
    expect({
      etag: h.ETag,
      length: h.ContentLength,
      type: h.ContentType,
      cache: h.CacheControl,
      disposition: h.ContentDisposition,
      meta: h.Metadata,
    }).toEqual({
      etag: etagOf(body),
      length: body.length,
      type: "text/x-copy",
      cache: "no-store",
      disposition: "inline",
      meta: { origin: "source", two: "a b" },
    });
    expect(await text("dst/meta")).toBe(body);
    // Tags are copied too (x-amz-tagging-directive defaults to COPY).
    expect(await tags("dst/meta")).toEqual([
      { Key: "team", Value: "storage" },
      { Key: "tier", Value: "gold" },
    ]);
    // Across buckets, and the source is untouched.
    await f.s3.send(
      new CopyObjectCommand({ Bucket: other, Key: "x", CopySource: source(bucket, "src/meta") }),
    );
    expect(await text("x", other)).toBe(body);
    expect((await head("x", other)).Metadata).toEqual({ origin: "source", two: "a b" });
    expect(await text("src/meta")).toBe(body);
  });

  check("CopyObject", "copy-object.metadata-replace", async () => {
    await put("src/replace", "r", { ContentType: "text/plain", Metadata: { old: "1" }, Tagging: "a=1" });
    await copy("dst/replace", "src/replace", {
      MetadataDirective: "REPLACE",
      ContentType: "application/x-new",
      Metadata: { fresh: "2" },
    });
    const h = await head("dst/replace");
    expect({ type: h.ContentType, meta: h.Metadata, etag: h.ETag }).toEqual({
      type: "application/x-new",
      meta: { fresh: "2" },
      etag: etagOf("r"),
    });
    // Under COPY (the default) metadata given with the request is ignored.
    await copy("dst/kept", "src/replace", { MetadataDirective: "COPY", Metadata: { ignored: "yes" } });
    expect((await head("dst/kept")).Metadata).toEqual({ old: "1" });
    // The tagging directive: REPLACE takes the request's tags, even none.
    await copy("dst/retag", "src/replace", { TaggingDirective: "REPLACE", Tagging: "b=2" });
    expect(await tags("dst/retag")).toEqual([{ Key: "b", Value: "2" }]);
    await copy("dst/untag", "src/replace", { TaggingDirective: "REPLACE" });
    expect(await tags("dst/untag")).toEqual([]);
    await expectS3Error(
      copy("dst/bad", "src/replace", { MetadataDirective: "MOVE" as "COPY" }),
      400,
      "InvalidArgument",
    );
  });

  check("CopyObject", "copy-object.self-copy-without-change-refused", async () => {
    await put("self", "me", { Metadata: { v: "1" } });
    await expectS3Error(copy("self", "self"), 400, "InvalidRequest");
    await expectS3Error(copy("self", "self", { MetadataDirective: "COPY" }), 400, "InvalidRequest");
    // Replacing the metadata is a change: allowed, and the bytes stay.
    const out = await copy("self", "self", { MetadataDirective: "REPLACE", Metadata: { v: "2" } });
    expect(out.CopyObjectResult?.ETag).toBe(etagOf("me"));
    expect((await head("self")).Metadata).toEqual({ v: "2" });
    expect(await text("self")).toBe("me");
  });

  check("CopyObject", "copy-object.source-conditionals", async () => {
    const { ETag } = await put("src/cond", "conditional source");
    const { LastModified } = await head("src/cond");
    const at = LastModified!;
    const before = new Date(at.getTime() - 3_600_000);
    const ok = async (extra: Partial<CopyObjectCommandInput>) =>
      expect((await copy("dst/cond", "src/cond", extra)).$metadata.httpStatusCode).toBe(200);
    const refused = (extra: Partial<CopyObjectCommandInput>) =>
      expectS3Error(copy("dst/cond", "src/cond", extra), 412, "PreconditionFailed");
    await ok({ CopySourceIfMatch: ETag });
    await refused({ CopySourceIfMatch: WRONG_ETAG });
    await ok({ CopySourceIfNoneMatch: WRONG_ETAG });
    // Unlike GET, a failed if-none-match on copy is 412, not 304.
    await refused({ CopySourceIfNoneMatch: ETag });
    await ok({ CopySourceIfModifiedSince: before });
    await refused({ CopySourceIfModifiedSince: at });
    await ok({ CopySourceIfUnmodifiedSince: at });
    await refused({ CopySourceIfUnmodifiedSince: before });
    // S3's precedence: if-match true wins over if-unmodified-since false; if-none-match false loses even
    // when if-modified-since is true.
    await ok({ CopySourceIfMatch: ETag, CopySourceIfUnmodifiedSince: before });
    await refused({ CopySourceIfNoneMatch: ETag, CopySourceIfModifiedSince: before });
  });

  check("CopyObject", "copy-object.no-such-source", async () => {
    await expectS3Error(copy("dst/none", "never-was"), 404, "NoSuchKey");
    await expectS3Error(
      f.s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "dst/none",
          CopySource: source(f.bucketName("nosrc"), "k"),
        }),
      ),
      404,
      "NoSuchBucket",
    );
    await expectS3Error(head("dst/none"), 404);
  });

  check("CopyObject", "copy-object.source-key-encoding", async () => {
    const keys = ["sp ace/a+b", "100%/x", "café/ünï 😀", "q?uery&amp=1#frag", "tilde~*'()!"];
    for (const [i, key] of keys.entries()) {
      await put(key, `content ${i}`);
      const out = await f.s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: `${key}.copy`, CopySource: source(bucket, key) }),
      );
      expect(out.CopyObjectResult?.ETag).toBe(etagOf(`content ${i}`));
      expect(await text(`${key}.copy`)).toBe(`content ${i}`);
    }
    // A copy source must name a bucket and a key.
    await expectS3Error(
      f.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "nokey.copy", CopySource: bucket })),
      400,
      "InvalidArgument",
    );
    // A leading slash in the copy source is accepted.
    await f.s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: "slash.copy", CopySource: `/${source(bucket, keys[0])}` }),
    );
    expect(await text("slash.copy")).toBe("content 0");
  });

  const createUpload = async (Key: string) =>
    (await f.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }))).UploadId ?? "";
  const partCopy = (
    Key: string,
    UploadId: string,
    PartNumber: number,
    from: string,
    extra: Partial<UploadPartCopyCommandInput> = {},
  ) =>
    f.s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key,
        UploadId,
        PartNumber,
        CopySource: source(bucket, from),
        ...extra,
      }),
    );
  const completeUpload = (Key: string, UploadId: string, etags: (string | undefined)[]) =>
    f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }),
    );

  check("UploadPartCopy", "upload-part-copy.copies-whole-source", async () => {
    const big = Buffer.alloc(MIN_PART, 7);
    big.write("start of the big source");
    await put("upc/big", big);
    const Key = "upc/whole";
    const id = await createUpload(Key);
    const p1 = await partCopy(Key, id, 1, "upc/big");
    expect(p1.$metadata.httpStatusCode).toBe(200);
    expect(p1.CopyPartResult?.ETag).toBe(etagOf(big));
    expect(p1.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    const tail = Buffer.from("uploaded tail");
    const p2 = await f.s3.send(
      new UploadPartCommand({ Bucket: bucket, Key, UploadId: id, PartNumber: 2, Body: tail }),
    );
    const done = await completeUpload(Key, id, [p1.CopyPartResult?.ETag, p2.ETag]);
    expect(done.ETag).toBe(multipartEtag([big, tail]));
    const got = await bodyBytes((await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body);
    expect(Buffer.compare(got, Buffer.concat([big, tail]))).toBe(0);
  });

  check("UploadPartCopy", "upload-part-copy.source-range", async () => {
    const src = Buffer.alloc(MIN_PART + 10, 1);
    src.write("0123456789", MIN_PART);
    await put("upc/ranged", src);
    const Key = "upc/range";
    const id = await createUpload(Key);
    const p1 = await partCopy(Key, id, 1, "upc/ranged", { CopySourceRange: `bytes=0-${MIN_PART - 1}` });
    expect(p1.CopyPartResult?.ETag).toBe(etagOf(src.subarray(0, MIN_PART)));
    const p2 = await partCopy(Key, id, 2, "upc/ranged", {
      CopySourceRange: `bytes=${MIN_PART + 2}-${MIN_PART + 5}`,
    });
    expect(p2.CopyPartResult?.ETag).toBe(etagOf("2345"));
    await completeUpload(Key, id, [p1.CopyPartResult?.ETag, p2.CopyPartResult?.ETag]);
    const got = await bodyBytes((await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body);
    expect(got.length).toBe(MIN_PART + 4);
    expect(got.subarray(MIN_PART).toString()).toBe("2345");
    expect(Buffer.compare(got.subarray(0, MIN_PART), src.subarray(0, MIN_PART))).toBe(0);
  });

  check("UploadPartCopy", "upload-part-copy.invalid-range-refused", async () => {
    await put("upc/small", "0123456789");
    const Key = "upc/bad-range";
    const id = await createUpload(Key);
    // Past the end of the source: AWS answers 400 InvalidArgument ("Range specified is not valid for
    // source object of size: 10"), not GetObject's 416.
    await expectS3Error(
      partCopy(Key, id, 1, "upc/small", { CopySourceRange: "bytes=0-20" }),
      400,
      "InvalidArgument",
    );
    await expectS3Error(
      partCopy(Key, id, 1, "upc/small", { CopySourceRange: "bytes=10-12" }),
      400,
      "InvalidArgument",
    );
    // The last byte is within it.
    const ok = await partCopy(Key, id, 1, "upc/small", { CopySourceRange: "bytes=5-9" });
    expect(ok.CopyPartResult?.ETag).toBe(etagOf("56789"));
    // Not of the form bytes=first-last.
    for (const range of ["0-2", "bytes=0", "bytes=hello-world", "bytes=0-bar", "bytes=0-2,3-5"]) {
      const seen = await expectS3Error(
        partCopy(Key, id, 1, "upc/small", { CopySourceRange: range }),
        400,
        "InvalidArgument",
      );
      expect(seen.code).toBe("InvalidArgument");
    }
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId: id }));
  });

  check("UploadPartCopy", "upload-part-copy.source-conditionals", async () => {
    const { ETag } = await put("upc/cond", "conditional part source");
    const { LastModified } = await head("upc/cond");
    const before = new Date(LastModified!.getTime() - 3_600_000);
    const Key = "upc/cond-dst";
    const id = await createUpload(Key);
    const refused = (extra: Partial<UploadPartCopyCommandInput>) =>
      expectS3Error(partCopy(Key, id, 1, "upc/cond", extra), 412, "PreconditionFailed");
    await refused({ CopySourceIfMatch: WRONG_ETAG });
    await refused({ CopySourceIfNoneMatch: ETag });
    await refused({ CopySourceIfUnmodifiedSince: before });
    await refused({ CopySourceIfModifiedSince: LastModified });
    const ok = await partCopy(Key, id, 1, "upc/cond", {
      CopySourceIfMatch: ETag,
      CopySourceIfUnmodifiedSince: before,
    });
    expect(ok.CopyPartResult?.ETag).toBe(etagOf("conditional part source"));
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId: id }));
  });
});
