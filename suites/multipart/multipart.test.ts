// Multipart uploads: create, upload parts, complete (ETag form, EntityTooSmall, InvalidPart,
// InvalidPartOrder), abort, ListParts and ListMultipartUploads with pagination, asserted against what
// AWS S3 answers.

import { createHash } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandInput,
  ListPartsCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, etagOf, expectS3Error, md5Base64 } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const MiB = 1024 * 1024;
/** The smallest size AWS accepts for every part but the last. */
const MIN_PART = 5 * MiB;

function filled(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) b.writeUInt32BE((i ^ (seed * 2654435761)) >>> 0, i);
  return b;
}

/** S3's multipart ETag: MD5 of the concatenated binary part MD5s, a dash, the part count. */
function multipartEtag(parts: readonly Uint8Array[]): string {
  const digests = parts.map((p) => createHash("md5").update(p).digest());
  return `"${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts.length}"`;
}

const NO_UPLOAD = "2~nonexistent-upload-id-for-parity-checks";

suite("multipart", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("mpu");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  const create = async (Key: string, extra: Partial<CreateMultipartUploadCommandInput> = {}) => {
    const out = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key, ...extra }));
    return out.UploadId ?? "";
  };
  const part = (Key: string, UploadId: string, PartNumber: number, Body: Uint8Array, extra = {}) =>
    f.s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body, ...extra }));
  const complete = (Key: string, UploadId: string, Parts: CompletedPart[]) =>
    f.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts } }),
    );
  /** Uploads the bodies as parts 1..n and returns what CompleteMultipartUpload needs. */
  const uploadAll = async (Key: string, UploadId: string, bodies: readonly Uint8Array[]) =>
    Promise.all(
      bodies.map(async (b, i) => ({ PartNumber: i + 1, ETag: (await part(Key, UploadId, i + 1, b)).ETag })),
    );

  check("CreateMultipartUpload", "create-multipart-upload.returns-upload-id", async () => {
    const out = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "create/a" }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect({ bucket: out.Bucket, key: out.Key }).toEqual({ bucket, key: "create/a" });
    expect(out.UploadId).toBeTruthy();
    // Each initiation is a distinct upload, even for the same key.
    const again = await create("create/a");
    expect(again).toBeTruthy();
    expect(again).not.toBe(out.UploadId);
    for (const id of [out.UploadId, again]) {
      await f.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "create/a", UploadId: id }));
    }
  });

  check("CreateMultipartUpload", "create-multipart-upload.metadata-applied-on-complete", async () => {
    const Key = "create/meta";
    const id = await create(Key, {
      ContentType: "application/x-parity",
      Metadata: { colour: "blue", "two-words": "a b" },
      CacheControl: "max-age=60",
      ContentDisposition: "inline",
    });
    const body = Buffer.from("only part");
    const parts = await uploadAll(Key, id, [body]);
    // Nothing is visible under the key before completion.
    await expectS3Error(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key })), 404);
    await complete(Key, id, parts);
    const h = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    expect({
      type: h.ContentType,
      meta: h.Metadata,
      cache: h.CacheControl,
      disposition: h.ContentDisposition,
      etag: h.ETag,
      length: h.ContentLength,
    }).toEqual({
      type: "application/x-parity",
      meta: { colour: "blue", "two-words": "a b" },
      cache: "max-age=60",
      disposition: "inline",
      etag: multipartEtag([body]),
      length: body.length,
    });
  });

  check("CreateMultipartUpload", "create-multipart-upload.no-such-bucket", async () => {
    await expectS3Error(
      f.s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucketName("nompu"), Key: "k" })),
      404,
      "NoSuchBucket",
    );
  });

  check("UploadPart", "upload-part.returns-etag", async () => {
    const id = await create("part/etag");
    const body = filled(1000, 1);
    const out = await part("part/etag", id, 1, body);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.ETag).toBe(etagOf(body));
    // An empty part is a valid (last) part.
    expect((await part("part/etag", id, 2, new Uint8Array(0))).ETag).toBe(etagOf(""));
  });

  check("UploadPart", "upload-part.content-md5-mismatch", async () => {
    const id = await create("part/md5");
    await expectS3Error(
      part("part/md5", id, 1, Buffer.from("the part"), { ContentMD5: md5Base64("another part") }),
      400,
      "BadDigest",
    );
    const listed = await f.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "part/md5", UploadId: id }));
    expect(listed.Parts ?? []).toEqual([]);
    const ok = await part("part/md5", id, 1, Buffer.from("the part"), { ContentMD5: md5Base64("the part") });
    expect(ok.ETag).toBe(etagOf("the part"));
  });

  check("UploadPart", "upload-part.no-such-upload", async () => {
    await expectS3Error(part("part/none", NO_UPLOAD, 1, Buffer.from("x")), 404, "NoSuchUpload");
    // An upload id is bound to its key.
    const id = await create("part/owner");
    await expectS3Error(part("part/other-key", id, 1, Buffer.from("x")), 404, "NoSuchUpload");
  });

  check("UploadPart", "upload-part.part-number-range", async () => {
    const id = await create("part/range");
    await expectS3Error(part("part/range", id, 0, Buffer.from("x")), 400, "InvalidArgument");
    await expectS3Error(part("part/range", id, 10001, Buffer.from("x")), 400, "InvalidArgument");
    expect((await part("part/range", id, 1, Buffer.from("x"))).$metadata.httpStatusCode).toBe(200);
    expect((await part("part/range", id, 10000, Buffer.from("y"))).$metadata.httpStatusCode).toBe(200);
    const listed = await f.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "part/range", UploadId: id }));
    expect((listed.Parts ?? []).map((p) => p.PartNumber)).toEqual([1, 10000]);
  });

  check("UploadPart", "upload-part.same-number-replaces", async () => {
    const Key = "part/replace";
    const id = await create(Key);
    await part(Key, id, 1, Buffer.from("first attempt"));
    const second = await part(Key, id, 1, Buffer.from("second"));
    const listed = await f.s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: id }));
    expect((listed.Parts ?? []).map((p) => ({ n: p.PartNumber, etag: p.ETag, size: p.Size }))).toEqual([
      { n: 1, etag: etagOf("second"), size: 6 },
    ]);
    await complete(Key, id, [{ PartNumber: 1, ETag: second.ETag }]);
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect((await bodyBytes(got.Body)).toString()).toBe("second");
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.assembles-parts", async () => {
    const Key = "complete/assembled";
    const id = await create(Key);
    const bodies = [filled(MIN_PART, 1), filled(MIN_PART, 2), Buffer.from("tail")];
    const parts = await uploadAll(Key, id, bodies);
    const out = await complete(Key, id, parts);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect({ bucket: out.Bucket, key: out.Key, etag: out.ETag }).toEqual({
      bucket,
      key: Key,
      etag: multipartEtag(bodies),
    });
    expect(out.Location).toBeTruthy();
    const whole = Buffer.concat(bodies);
    const got = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect({ etag: got.ETag, length: got.ContentLength }).toEqual({
      etag: multipartEtag(bodies),
      length: whole.length,
    });
    const bytes = await bodyBytes(got.Body);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(
      createHash("sha256").update(whole).digest("hex"),
    );
    // The upload is gone once completed.
    await expectS3Error(
      f.s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: id })),
      404,
      "NoSuchUpload",
    );
  });

  check("GetObject", "get-object.part-number", async () => {
    const Key = "complete/part-number";
    const id = await create(Key);
    const bodies = [filled(MIN_PART, 3), Buffer.from("the last part")];
    await complete(Key, id, await uploadAll(Key, id, bodies));
    const p2 = await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key, PartNumber: 2 }));
    expect({
      status: p2.$metadata.httpStatusCode,
      range: p2.ContentRange,
      length: p2.ContentLength,
      parts: p2.PartsCount,
      etag: p2.ETag,
    }).toEqual({
      status: 206,
      range: `bytes ${MIN_PART}-${MIN_PART + 12}/${MIN_PART + 13}`,
      length: 13,
      parts: 2,
      etag: multipartEtag(bodies),
    });
    expect((await bodyBytes(p2.Body)).toString()).toBe("the last part");
    const head1 = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key, PartNumber: 1 }));
    expect({
      status: head1.$metadata.httpStatusCode,
      length: head1.ContentLength,
      parts: head1.PartsCount,
    }).toEqual({ status: 206, length: MIN_PART, parts: 2 });
    await expectS3Error(
      f.s3.send(new GetObjectCommand({ Bucket: bucket, Key, PartNumber: 3 })),
      416,
      "InvalidPartNumber",
    );
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.entity-too-small", async () => {
    const Key = "complete/small";
    const id = await create(Key);
    const parts = await uploadAll(Key, id, [
      Buffer.from("too small to be a non-last part"),
      Buffer.from("end"),
    ]);
    await expectS3Error(complete(Key, id, parts), 400, "EntityTooSmall");
    // The upload survives the refusal, and a single small part (the last) completes.
    const out = await complete(Key, id, parts.slice(1));
    expect(out.ETag).toBe(multipartEtag([Buffer.from("end")]));
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.invalid-part", async () => {
    const Key = "complete/invalid-part";
    const id = await create(Key);
    const [p1] = await uploadAll(Key, id, [Buffer.from("one")]);
    await expectS3Error(
      complete(Key, id, [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]),
      400,
      "InvalidPart",
    );
    // A part never uploaded.
    await expectS3Error(complete(Key, id, [p1, { PartNumber: 2, ETag: p1.ETag }]), 400, "InvalidPart");
    // No parts at all does not validate against S3's schema.
    await expectS3Error(complete(Key, id, []), 400, "MalformedXML");
    expect((await complete(Key, id, [p1])).$metadata.httpStatusCode).toBe(200);
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.invalid-part-order", async () => {
    const Key = "complete/order";
    const id = await create(Key);
    const [p1, p2] = await uploadAll(Key, id, [filled(MIN_PART, 4), Buffer.from("two")]);
    await expectS3Error(complete(Key, id, [p2, p1]), 400, "InvalidPartOrder");
    expect((await complete(Key, id, [p1, p2])).$metadata.httpStatusCode).toBe(200);
  });

  check("CompleteMultipartUpload", "complete-multipart-upload.no-such-upload", async () => {
    await expectS3Error(
      complete("complete/none", NO_UPLOAD, [{ PartNumber: 1, ETag: etagOf("x") }]),
      404,
      "NoSuchUpload",
    );
  });

  check("AbortMultipartUpload", "abort-multipart-upload.aborts", async () => {
    const Key = "abort/me";
    const id = await create(Key);
    await part(Key, id, 1, Buffer.from("doomed"));
    const out = await f.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId: id }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: id })),
      404,
      "NoSuchUpload",
    );
    await expectS3Error(part(Key, id, 2, Buffer.from("late")), 404, "NoSuchUpload");
    await expectS3Error(f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key })), 404);
    const listed = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
    expect(listed.Uploads ?? []).toEqual([]);
  });

  check("AbortMultipartUpload", "abort-multipart-upload.no-such-upload", async () => {
    await expectS3Error(
      f.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "abort/none", UploadId: NO_UPLOAD })),
      404,
      "NoSuchUpload",
    );
  });

  check("ListParts", "list-parts.lists-parts", async () => {
    const Key = "parts/list";
    const id = await create(Key);
    const bodies = [Buffer.from("p-one"), Buffer.from("p-two-two")];
    await uploadAll(Key, id, bodies);
    const out = await f.s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: id }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect({
      bucket: out.Bucket,
      key: out.Key,
      uploadId: out.UploadId,
      maxParts: out.MaxParts,
      truncated: out.IsTruncated,
      storageClass: out.StorageClass,
    }).toEqual({
      bucket,
      key: Key,
      uploadId: id,
      maxParts: 1000,
      truncated: false,
      storageClass: "STANDARD",
    });
    expect(out.Owner?.ID).toBeTruthy();
    expect(out.Initiator?.ID).toBeTruthy();
    expect((out.Parts ?? []).map((p) => ({ n: p.PartNumber, etag: p.ETag, size: p.Size }))).toEqual([
      { n: 1, etag: etagOf(bodies[0]), size: 5 },
      { n: 2, etag: etagOf(bodies[1]), size: 9 },
    ]);
    for (const p of out.Parts ?? []) expect(p.LastModified).toBeInstanceOf(Date);
  });

  check("ListParts", "list-parts.part-number-marker-pagination", async () => {
    const Key = "parts/pages";
    const id = await create(Key);
    await Promise.all([1, 2, 3, 5].map((n) => part(Key, id, n, Buffer.from(`part ${n}`))));
    const p1 = await f.s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: id, MaxParts: 2 }));
    expect({
      parts: (p1.Parts ?? []).map((p) => p.PartNumber),
      truncated: p1.IsTruncated,
      next: p1.NextPartNumberMarker,
      maxParts: p1.MaxParts,
    }).toEqual({ parts: [1, 2], truncated: true, next: "2", maxParts: 2 });
    const p2 = await f.s3.send(
      new ListPartsCommand({
        Bucket: bucket,
        Key,
        UploadId: id,
        MaxParts: 2,
        PartNumberMarker: p1.NextPartNumberMarker,
      }),
    );
    expect({
      parts: (p2.Parts ?? []).map((p) => p.PartNumber),
      truncated: p2.IsTruncated,
      marker: p2.PartNumberMarker,
    }).toEqual({ parts: [3, 5], truncated: false, marker: "2" });
    // A marker between part numbers lists what follows it.
    const p3 = await f.s3.send(
      new ListPartsCommand({ Bucket: bucket, Key, UploadId: id, PartNumberMarker: "4" }),
    );
    expect((p3.Parts ?? []).map((p) => p.PartNumber)).toEqual([5]);
  });

  check("ListParts", "list-parts.no-such-upload", async () => {
    await expectS3Error(
      f.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "parts/none", UploadId: NO_UPLOAD })),
      404,
      "NoSuchUpload",
    );
  });
});

suite("multipart upload listing", () => {
  const f = fx!;
  let bucket = "";
  // Each check gets its own bucket: ListMultipartUploads lists a whole bucket.
  const fresh = async (tag: string) => {
    const b = f.bucketName(tag);
    await f.s3.send(new CreateBucketCommand({ Bucket: b }));
    return b;
  };
  const create = async (Bucket: string, Key: string) =>
    (await f.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }))).UploadId ?? "";
  const list = (Bucket: string, extra: Partial<ListMultipartUploadsCommandInput> = {}) =>
    f.s3.send(new ListMultipartUploadsCommand({ Bucket, ...extra }));
  beforeAll(async () => {
    bucket = await fresh("lmu");
  });

  check("ListMultipartUploads", "list-multipart-uploads.lists-in-progress", async () => {
    const empty = await list(bucket);
    expect({ uploads: empty.Uploads ?? [], truncated: empty.IsTruncated }).toEqual({
      uploads: [],
      truncated: false,
    });
    const b = await create(bucket, "k/b");
    const a = await create(bucket, "k/a");
    const out = await list(bucket);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect({ bucket: out.Bucket, maxUploads: out.MaxUploads, truncated: out.IsTruncated }).toEqual({
      bucket,
      maxUploads: 1000,
      truncated: false,
    });
    // Ordered by key, whatever the order of initiation.
    expect((out.Uploads ?? []).map((u) => [u.Key, u.UploadId])).toEqual([
      ["k/a", a],
      ["k/b", b],
    ]);
    for (const u of out.Uploads ?? []) {
      expect(u.Initiated).toBeInstanceOf(Date);
      expect(u.StorageClass).toBe("STANDARD");
      expect(u.Owner?.ID).toBeTruthy();
      expect(u.Initiator?.ID).toBeTruthy();
    }
  });

  check("ListMultipartUploads", "list-multipart-uploads.prefix-delimiter", async () => {
    const b = await fresh("lmupd");
    await Promise.all(["x/1", "x/2", "x/y/3", "y", "z/1"].map((k) => create(b, k)));
    const out = await list(b, { Delimiter: "/" });
    expect({
      delimiter: out.Delimiter,
      keys: (out.Uploads ?? []).map((u) => u.Key),
      prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix),
    }).toEqual({ delimiter: "/", keys: ["y"], prefixes: ["x/", "z/"] });
    const inX = await list(b, { Prefix: "x/", Delimiter: "/" });
    expect({
      prefix: inX.Prefix,
      keys: (inX.Uploads ?? []).map((u) => u.Key),
      prefixes: (inX.CommonPrefixes ?? []).map((p) => p.Prefix),
    }).toEqual({ prefix: "x/", keys: ["x/1", "x/2"], prefixes: ["x/y/"] });
    expect((await list(b, { Prefix: "x/" })).Uploads?.map((u) => u.Key)).toEqual(["x/1", "x/2", "x/y/3"]);
  });

  check("ListMultipartUploads", "list-multipart-uploads.marker-pagination", async () => {
    const b = await fresh("lmupg");
    // Two uploads of one key are listed in initiation order.
    const first = await create(b, "m/a");
    const second = await create(b, "m/a");
    const third = await create(b, "m/b");
    const seen: [string | undefined, string | undefined][] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (let i = 0; i < 4; i += 1) {
      const page = await list(b, {
        MaxUploads: 1,
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
      });
      expect(page.MaxUploads).toBe(1);
      for (const u of page.Uploads ?? []) seen.push([u.Key, u.UploadId]);
      if (!page.IsTruncated) break;
      expect(page.NextKeyMarker).toBe(page.Uploads?.at(-1)?.Key);
      expect(page.NextUploadIdMarker).toBe(page.Uploads?.at(-1)?.UploadId);
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
    expect(seen).toEqual([
      ["m/a", first],
      ["m/a", second],
      ["m/b", third],
    ]);
    // A key marker alone lists the uploads of later keys only.
    const after = await list(b, { KeyMarker: "m/a" });
    expect({ marker: after.KeyMarker, uploads: (after.Uploads ?? []).map((u) => u.UploadId) }).toEqual({
      marker: "m/a",
      uploads: [third],
    });
  });

  check("ListMultipartUploads", "list-multipart-uploads.excludes-finished", async () => {
    const b = await fresh("lmufin");
    const done = await create(b, "f/done");
    const aborted = await create(b, "f/aborted");
    const open = await create(b, "f/open");
    const etag = (
      await f.s3.send(
        new UploadPartCommand({ Bucket: b, Key: "f/done", UploadId: done, PartNumber: 1, Body: "d" }),
      )
    ).ETag;
    await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: b,
        Key: "f/done",
        UploadId: done,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] },
      }),
    );
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key: "f/aborted", UploadId: aborted }));
    const out = await list(b);
    expect((out.Uploads ?? []).map((u) => [u.Key, u.UploadId])).toEqual([["f/open", open]]);
  });
});
