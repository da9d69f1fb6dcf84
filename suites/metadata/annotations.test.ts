// Object annotations (PutObjectAnnotation, GetObjectAnnotation, ListObjectAnnotations,
// DeleteObjectAnnotation) through @aws-sdk/client-s3: named UTF-8 payloads of 1 byte to 1 MiB beside an
// object, names up to 512 bytes, listing by prefix and pages, and x-amz-object-if-match on delete. Where
// AWS documents the error code (AnnotationNameTooLong, NoSuchAnnotation, NoSuchKey, PreconditionFailed) the
// check asserts it; for payload sizes only the 400 is asserted.

import {
  CreateBucketCommand,
  DeleteObjectAnnotationCommand,
  GetObjectAnnotationCommand,
  GetObjectCommand,
  ListObjectAnnotationsCommand,
  PutObjectAnnotationCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error, md5Hex, s3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("object annotations", () => {
  const f = fx!;
  let shared: string | undefined;
  /** One bucket for the file's checks, each on its own key. */
  async function bucket(): Promise<string> {
    if (shared === undefined) {
      const Bucket = f.bucketName("annot");
      await f.s3.send(new CreateBucketCommand({ Bucket }));
      shared = Bucket;
    }
    return shared;
  }
  async function object(Key: string): Promise<{ Bucket: string; Key: string; ETag: string }> {
    const Bucket = await bucket();
    const out = await f.s3.send(new PutObjectCommand({ Bucket, Key, Body: `object ${Key}` }));
    return { Bucket, Key, ETag: out.ETag! };
  }
  const put = (Bucket: string, Key: string, AnnotationName: string, AnnotationPayload: string) =>
    f.s3.send(new PutObjectAnnotationCommand({ Bucket, Key, AnnotationName, AnnotationPayload }));
  async function read(Bucket: string, Key: string, AnnotationName: string): Promise<string> {
    const out = await f.s3.send(new GetObjectAnnotationCommand({ Bucket, Key, AnnotationName }));
    return out.AnnotationPayload!.transformToString();
  }

  check("PutObjectAnnotation", "put-object-annotation.roundtrip", async () => {
    const { Bucket, Key } = await object("rt.txt");
    const out = await put(Bucket, Key, "summary", "Résumé: a short text ✓");
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.ETag).toBe(`"${md5Hex("Résumé: a short text ✓")}"`);
    expect(await read(Bucket, Key, "summary")).toBe("Résumé: a short text ✓");
    await put(Bucket, Key, "summary", "replaced");
    expect(await read(Bucket, Key, "summary")).toBe("replaced");
    // An annotation sits beside the object: the object's own bytes are untouched.
    const obj = await f.s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await obj.Body!.transformToString()).toBe(`object ${Key}`);
  });

  check("PutObjectAnnotation", "put-object-annotation.size-limits", async () => {
    const { Bucket, Key } = await object("limits.txt");
    const mib = "a".repeat(1 << 20);
    await put(Bucket, Key, "largest", mib);
    expect((await read(Bucket, Key, "largest")).length).toBe(1 << 20);
    const over = await s3Error(put(Bucket, Key, "too-large", `${mib}a`));
    expect(over.status).toBe(400);
    const empty = await s3Error(put(Bucket, Key, "empty", ""));
    expect(empty.status).toBe(400);
    await put(Bucket, Key, "n".repeat(512), "name of 512 bytes");
    await expectS3Error(put(Bucket, Key, "n".repeat(513), "v"), 400, "AnnotationNameTooLong");
  });

  check("PutObjectAnnotation", "put-object-annotation.no-such-key", async () => {
    await expectS3Error(put(await bucket(), "never-written", "n", "v"), 404, "NoSuchKey");
  });

  check("GetObjectAnnotation", "get-object-annotation.returns-payload", async () => {
    const { Bucket, Key } = await object("get.txt");
    const payload = '{"labels":["cat","sofa"],"score":0.93}';
    const p = await put(Bucket, Key, "labels", payload);
    await put(Bucket, Key, "caption", "a cat on a sofa");
    const out = await f.s3.send(new GetObjectAnnotationCommand({ Bucket, Key, AnnotationName: "labels" }));
    expect(await out.AnnotationPayload!.transformToString()).toBe(payload);
    expect([out.ContentLength, out.ETag]).toEqual([Buffer.byteLength(payload), p.ETag]);
    // Each name has its own payload.
    expect(await read(Bucket, Key, "caption")).toBe("a cat on a sofa");
  });

  check("GetObjectAnnotation", "get-object-annotation.not-found", async () => {
    const { Bucket, Key } = await object("get-none.txt");
    await expectS3Error(
      f.s3.send(new GetObjectAnnotationCommand({ Bucket, Key, AnnotationName: "absent" })),
      404,
      "NoSuchAnnotation",
    );
  });

  check("ListObjectAnnotations", "list-object-annotations.prefix-filter", async () => {
    const { Bucket, Key } = await object("list-prefix.txt");
    for (const n of ["tag-b", "note", "tag-a", "other"]) await put(Bucket, Key, n, `v ${n}`);
    const out = await f.s3.send(new ListObjectAnnotationsCommand({ Bucket, Key, AnnotationPrefix: "tag-" }));
    expect(out.Annotations?.map((a) => a.AnnotationName)).toEqual(["tag-a", "tag-b"]);
    expect(out.Annotations?.[0]).toMatchObject({ Size: Buffer.byteLength("v tag-a") });
    expect(out.Annotations?.[0].LastModified).toBeInstanceOf(Date);
  });

  check("ListObjectAnnotations", "list-object-annotations.pagination", async () => {
    const { Bucket, Key } = await object("list-pages.txt");
    const names = ["a1", "a2", "a3", "a4", "a5"];
    for (const n of names) await put(Bucket, Key, n, n);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await f.s3.send(
        new ListObjectAnnotationsCommand({ Bucket, Key, MaxAnnotationResults: 2, ContinuationToken: token }),
      );
      pages += 1;
      expect(out.Annotations?.length ?? 0).toBeLessThanOrEqual(2);
      seen.push(...(out.Annotations ?? []).map((a) => a.AnnotationName!));
      token = out.NextContinuationToken;
    } while (token && pages < 10);
    expect([seen, pages]).toEqual([names, 3]);
  });

  check("DeleteObjectAnnotation", "delete-object-annotation.removes", async () => {
    const { Bucket, Key } = await object("del.txt");
    await put(Bucket, Key, "gone", "soon");
    await put(Bucket, Key, "kept", "stays");
    const out = await f.s3.send(new DeleteObjectAnnotationCommand({ Bucket, Key, AnnotationName: "gone" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new GetObjectAnnotationCommand({ Bucket, Key, AnnotationName: "gone" })),
      404,
      "NoSuchAnnotation",
    );
    const list = await f.s3.send(new ListObjectAnnotationsCommand({ Bucket, Key }));
    expect(list.Annotations?.map((a) => a.AnnotationName)).toEqual(["kept"]);
  });

  check("DeleteObjectAnnotation", "delete-object-annotation.if-match", async () => {
    const { Bucket, Key, ETag } = await object("del-if.txt");
    await put(Bucket, Key, "n", "v");
    const del = (ObjectIfMatch: string) =>
      f.s3.send(new DeleteObjectAnnotationCommand({ Bucket, Key, AnnotationName: "n", ObjectIfMatch }));
    await expectS3Error(del(`"${"0".repeat(32)}"`), 412, "PreconditionFailed");
    expect(await read(Bucket, Key, "n")).toBe("v");
    expect((await del(ETag)).$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new GetObjectAnnotationCommand({ Bucket, Key, AnnotationName: "n" })),
      404,
      "NoSuchAnnotation",
    );
  });
});
