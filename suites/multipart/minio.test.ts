// Multipart through the minio client: its own multipart upload path (putObject above the part size), its
// low-level calls, and listing and aborting incomplete uploads.

import { createHash } from "node:crypto";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import type { BucketStream, IncompleteUploadedBucketItem } from "minio";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { etagOf } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";
const MIN_PART = 5 * 1024 * 1024;

function multipartEtag(parts: readonly Uint8Array[]): string {
  const digests = parts.map((p) => createHash("md5").update(p).digest());
  return `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts.length}`;
}

async function collect<T>(stream: BucketStream<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item as T);
  return items;
}

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

suite("multipart through minio", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("mmpu");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  check(
    "CompleteMultipartUpload",
    "complete-multipart-upload.assembles-parts",
    async () => {
      const mc = f.minio();
      // minio's streaming putObject (8.0.7) numbers its parts from 2 and is not what is under test; its
      // low-level calls are: 5 MiB parts, two full and one short.
      const data = Buffer.alloc(2 * MIN_PART + 1234, 9);
      data.write("minio multipart upload");
      const parts = [
        data.subarray(0, MIN_PART),
        data.subarray(MIN_PART, 2 * MIN_PART),
        data.subarray(2 * MIN_PART),
      ];
      const id = await mc.initiateNewMultipartUpload(bucket, "m-big", {
        "Content-Type": "application/x-minio",
      });
      const etags = await Promise.all(
        parts.map(async (p, i) => {
          const up = await mc.uploadPart(
            { bucketName: bucket, objectName: "m-big", uploadID: id, partNumber: i + 1, headers: {} },
            p,
          );
          return { part: i + 1, etag: up.etag };
        }),
      );
      const put = await mc.completeMultipartUpload(bucket, "m-big", id, etags);
      expect(put.etag).toBe(multipartEtag(parts));
      const stat = await mc.statObject(bucket, "m-big");
      expect({ size: stat.size, etag: stat.etag, type: stat.metaData["content-type"] }).toEqual({
        size: data.length,
        etag: multipartEtag(parts),
        type: "application/x-minio",
      });
      const back = await drain(await mc.getObject(bucket, "m-big"));
      expect(Buffer.compare(back, data)).toBe(0);
    },
    { variant, timeout: 60_000 },
  );

  check(
    "UploadPart",
    "upload-part.returns-etag",
    async () => {
      const mc = f.minio();
      const id = await mc.initiateNewMultipartUpload(bucket, "m-parts", {});
      expect(id).toBeTruthy();
      const body = Buffer.from("a part through minio");
      const part = await mc.uploadPart(
        { bucketName: bucket, objectName: "m-parts", uploadID: id, partNumber: 1, headers: {} },
        body,
      );
      expect(`"${part.etag.replace(/"/g, "")}"`).toBe(etagOf(body));
      const done = await mc.completeMultipartUpload(bucket, "m-parts", id, [{ part: 1, etag: part.etag }]);
      expect(done.etag).toBe(multipartEtag([body]));
    },
    { variant },
  );

  check(
    "ListMultipartUploads",
    "list-multipart-uploads.lists-in-progress",
    async () => {
      const mc = f.minio();
      const id = await mc.initiateNewMultipartUpload(bucket, "pending/one", {});
      const listed = await collect<IncompleteUploadedBucketItem>(
        mc.listIncompleteUploads(bucket, "pending/", true),
      );
      expect(listed.map((u) => [u.key, u.uploadId])).toEqual([["pending/one", id]]);
      expect(await mc.findUploadId(bucket, "pending/one")).toBe(id);
    },
    { variant },
  );

  check(
    "AbortMultipartUpload",
    "abort-multipart-upload.aborts",
    async () => {
      const mc = f.minio();
      const id = await mc.initiateNewMultipartUpload(bucket, "pending/abort", {});
      await mc.abortMultipartUpload(bucket, "pending/abort", id);
      expect(await mc.findUploadId(bucket, "pending/abort")).toBeUndefined();
      // removeIncompleteUpload finds and aborts by key.
      await mc.initiateNewMultipartUpload(bucket, "pending/remove", {});
      await mc.removeIncompleteUpload(bucket, "pending/remove");
      expect(await mc.findUploadId(bucket, "pending/remove")).toBeUndefined();
    },
    { variant },
  );
});
