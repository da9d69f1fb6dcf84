// Conditional requests: If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since on GET and HEAD
// with S3's precedence between them, and conditional writes (If-None-Match: * and If-Match) on PutObject
// and CompleteMultipartUpload, asserted against what AWS S3 answers.

import {
  CompleteMultipartUploadCommand,
  type CompleteMultipartUploadCommandInput,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  type HeadObjectCommandInput,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, etagOf, expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const WRONG_ETAG = '"00000000000000000000000000000000"';

suite("conditional requests", () => {
  const f = fx!;
  let bucket = "";
  // One object read by the GET/HEAD checks, with its ETag and Last-Modified.
  const KEY = "conditional-target";
  const BODY = "conditional body";
  let etag = "";
  let at = new Date(0);
  let before = new Date(0);
  beforeAll(async () => {
    bucket = f.bucketName("cond");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    etag = (await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: BODY }))).ETag ?? "";
    at = (await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: KEY }))).LastModified ?? new Date(0);
    before = new Date(at.getTime() - 3_600_000);
  });
  const get = (extra: Partial<GetObjectCommandInput>) =>
    f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: KEY, ...extra }));
  const head = (extra: Partial<HeadObjectCommandInput>) =>
    f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: KEY, ...extra }));
  const getOk = async (extra: Partial<GetObjectCommandInput>) => {
    const out = await get(extra);
    expect({ status: out.$metadata.httpStatusCode, body: (await bodyBytes(out.Body)).toString() }).toEqual({
      status: 200,
      body: BODY,
    });
  };

  check("GetObject", "get-object.conditional-etag", async () => {
    await getOk({ IfMatch: etag });
    await getOk({ IfNoneMatch: WRONG_ETAG });
    const failed = await expectS3Error(get({ IfMatch: WRONG_ETAG }), 412, "PreconditionFailed");
    expect(failed.code).toBe("PreconditionFailed");
    // 304 carries the ETag (RFC 9110) and no body.
    const notModified = await expectS3Error(get({ IfNoneMatch: etag }), 304);
    expect(notModified.headers.etag).toBe(etag);
    // S3's precedence: If-Match true and If-Unmodified-Since false → 200.
    await getOk({ IfMatch: etag, IfUnmodifiedSince: before });
    // If-Match false beats a true If-Unmodified-Since → 412.
    await expectS3Error(get({ IfMatch: WRONG_ETAG, IfUnmodifiedSince: at }), 412, "PreconditionFailed");
    // If-None-Match false and If-Modified-Since true → 304.
    await expectS3Error(get({ IfNoneMatch: etag, IfModifiedSince: before }), 304);
    // If-Match is evaluated before If-None-Match.
    await expectS3Error(get({ IfMatch: WRONG_ETAG, IfNoneMatch: etag }), 412, "PreconditionFailed");
    // On a missing key the key's absence is the answer, not the condition.
    await expectS3Error(
      f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond-missing", IfMatch: etag })),
      404,
      "NoSuchKey",
    );
  });

  check("GetObject", "get-object.conditional-date", async () => {
    await getOk({ IfModifiedSince: before });
    await getOk({ IfUnmodifiedSince: at });
    const notModified = await expectS3Error(get({ IfModifiedSince: at }), 304);
    expect(notModified.headers.etag).toBe(etag);
    await expectS3Error(get({ IfUnmodifiedSince: before }), 412, "PreconditionFailed");
    // Both dates true → 200; a false If-Unmodified-Since wins over a true If-Modified-Since → 412.
    await getOk({ IfModifiedSince: before, IfUnmodifiedSince: at });
    await expectS3Error(
      get({ IfModifiedSince: before, IfUnmodifiedSince: before }),
      412,
      "PreconditionFailed",
    );
    // With a range the conditions still decide first.
    await expectS3Error(get({ IfModifiedSince: at, Range: "bytes=0-3" }), 304);
    const ranged = await get({ IfModifiedSince: before, Range: "bytes=0-3" });
    expect({
      status: ranged.$metadata.httpStatusCode,
      body: (await bodyBytes(ranged.Body)).toString(),
    }).toEqual({
      status: 206,
      body: BODY.slice(0, 4),
    });
  });

  check("HeadObject", "head-object.conditional", async () => {
    const ok = async (extra: Partial<HeadObjectCommandInput>) =>
      expect((await head(extra)).$metadata.httpStatusCode).toBe(200);
    await ok({ IfMatch: etag });
    await ok({ IfNoneMatch: WRONG_ETAG });
    await ok({ IfModifiedSince: before });
    await ok({ IfUnmodifiedSince: at });
    // HEAD answers have no body: status only.
    await expectS3Error(head({ IfMatch: WRONG_ETAG }), 412);
    await expectS3Error(head({ IfUnmodifiedSince: before }), 412);
    await expectS3Error(head({ IfNoneMatch: etag }), 304);
    await expectS3Error(head({ IfModifiedSince: at }), 304);
    // The same precedence as GET.
    await ok({ IfMatch: etag, IfUnmodifiedSince: before });
    await expectS3Error(head({ IfNoneMatch: etag, IfModifiedSince: before }), 304);
    await expectS3Error(head({ IfMatch: WRONG_ETAG, IfNoneMatch: etag }), 412);
  });

  check("PutObject", "put-object.conditional-write", async () => {
    const put = (Key: string, Body: string, extra: Record<string, string> = {}) =>
      f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
    const read = async (Key: string) =>
      (await bodyBytes((await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body)).toString();
    // If-None-Match: * creates only when the key is free.
    const created = await put("cw/once", "first", { IfNoneMatch: "*" });
    expect({ status: created.$metadata.httpStatusCode, etag: created.ETag }).toEqual({
      status: 200,
      etag: etagOf("first"),
    });
    await expectS3Error(put("cw/once", "second", { IfNoneMatch: "*" }), 412, "PreconditionFailed");
    expect(await read("cw/once")).toBe("first");
    // If-Match writes only over the version the client has seen.
    await expectS3Error(put("cw/once", "third", { IfMatch: WRONG_ETAG }), 412, "PreconditionFailed");
    expect(await read("cw/once")).toBe("first");
    const replaced = await put("cw/once", "fourth", { IfMatch: etagOf("first") });
    expect(replaced.ETag).toBe(etagOf("fourth"));
    expect(await read("cw/once")).toBe("fourth");
    // If-Match on a key that does not exist: there is nothing to match.
    await expectS3Error(put("cw/absent", "x", { IfMatch: etagOf("x") }), 404, "NoSuchKey");
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.conditional-write", async () => {
    const upload = async (Key: string) => {
      const id = (await f.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }))).UploadId;
      const part = await f.s3.send(
        new UploadPartCommand({ Bucket: bucket, Key, UploadId: id, PartNumber: 1, Body: `mpu ${Key}` }),
      );
      return {
        Bucket: bucket,
        Key,
        UploadId: id,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      };
    };
    const complete = (input: CompleteMultipartUploadCommandInput) =>
      f.s3.send(new CompleteMultipartUploadCommand(input));
    // The key is free: If-None-Match: * completes.
    const free = await upload("cmw/free");
    expect((await complete({ ...free, IfNoneMatch: "*" })).$metadata.httpStatusCode).toBe(200);
    // The key was written while the upload was open: refused, and the upload can still complete without it.
    const raced = await upload("cmw/raced");
    await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cmw/raced", Body: "won the race" }));
    await expectS3Error(complete({ ...raced, IfNoneMatch: "*" }), 412, "PreconditionFailed");
    const kept = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cmw/raced" }));
    expect((await bodyBytes(kept.Body)).toString()).toBe("won the race");
    // If-Match: only over the expected current object.
    await expectS3Error(complete({ ...raced, IfMatch: WRONG_ETAG }), 412, "PreconditionFailed");
    expect((await complete({ ...raced, IfMatch: etagOf("won the race") })).$metadata.httpStatusCode).toBe(
      200,
    );
    const after = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cmw/raced" }));
    expect((await bodyBytes(after.Body)).toString()).toBe("mpu cmw/raced");
  });
});
