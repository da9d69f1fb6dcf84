// Server-side copy through the minio client, with its copy conditions.

import {
  CreateBucketCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { CopyConditions } from "minio";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { etagOf } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

/** The ETag of minio's copy result, whichever of its two result shapes it returned. */
const copiedEtag = (r: unknown) => {
  const o = r as { etag?: string; Etag?: string };
  return `"${String(o.etag ?? o.Etag).replace(/"/g, "")}"`;
};

suite("copy through minio", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("mcopy");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  check(
    "CopyObject",
    "copy-object.copies-bytes-and-metadata",
    async () => {
      const body = "copied by minio";
      await f.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "m-src",
          Body: body,
          ContentType: "text/x-minio",
          Metadata: { origin: "minio" },
          Tagging: "k=v",
        }),
      );
      const out = await f.minio().copyObject(bucket, "m-dst", `/${bucket}/m-src`);
      expect(copiedEtag(out)).toBe(etagOf(body));
      const h = await f.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "m-dst" }));
      expect({ type: h.ContentType, meta: h.Metadata, etag: h.ETag }).toEqual({
        type: "text/x-minio",
        meta: { origin: "minio" },
        etag: etagOf(body),
      });
      const tags = await f.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "m-dst" }));
      expect(tags.TagSet).toEqual([{ Key: "k", Value: "v" }]);
    },
    { variant },
  );

  check(
    "CopyObject",
    "copy-object.source-conditionals",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-cond", Buffer.from("cond"), 4);
      const match = new CopyConditions();
      match.setMatchETag(etagOf("cond"));
      expect(copiedEtag(await mc.copyObject(bucket, "m-cond-ok", `/${bucket}/m-cond`, match))).toBe(
        etagOf("cond"),
      );
      const mismatch = new CopyConditions();
      mismatch.setMatchETag(etagOf("other"));
      const refused = await mc.copyObject(bucket, "m-cond-no", `/${bucket}/m-cond`, mismatch).then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      expect(refused?.code).toBe("PreconditionFailed");
      const except = new CopyConditions();
      except.setMatchETagExcept(etagOf("cond"));
      const refusedToo = await mc.copyObject(bucket, "m-cond-no", `/${bucket}/m-cond`, except).then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      expect(refusedToo?.code).toBe("PreconditionFailed");
    },
    { variant },
  );

  check(
    "CopyObject",
    "copy-object.no-such-source",
    async () => {
      const error = await f
        .minio()
        .copyObject(bucket, "m-none", `/${bucket}/never-there`)
        .then(
          () => undefined,
          (e: { code?: string }) => e,
        );
      expect(error?.code).toBe("NoSuchKey");
    },
    { variant },
  );
});
