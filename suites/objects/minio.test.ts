// Object checks through the minio client, the other client users run: round trip, ranges, metadata, delete.

import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { etagOf } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const variant = "minio";

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

suite("objects through minio", () => {
  const f = fx!;
  let bucket = "";
  beforeAll(async () => {
    bucket = f.bucketName("mobj");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  check(
    "PutObject",
    "put-object.roundtrip",
    async () => {
      const mc = f.minio();
      const body = Buffer.from("through minio\n");
      const put = await mc.putObject(bucket, "m-roundtrip", body, body.length, {
        "Content-Type": "text/plain",
      });
      expect(`"${put.etag}"`).toBe(etagOf(body));
      expect(Buffer.compare(await drain(await mc.getObject(bucket, "m-roundtrip")), body)).toBe(0);
    },
    { variant },
  );

  check(
    "GetObject",
    "get-object.range-forms",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-ranges", Buffer.from("0123456789"), 10);
      expect((await drain(await mc.getPartialObject(bucket, "m-ranges", 2, 3))).toString()).toBe("234");
      expect((await drain(await mc.getPartialObject(bucket, "m-ranges", 7))).toString()).toBe("789");
    },
    { variant },
  );

  check(
    "GetObject",
    "get-object.no-such-key",
    async () => {
      const error = await f
        .minio()
        .getObject(bucket, "m-never")
        .then(
          () => undefined,
          (e: { code?: string }) => e,
        );
      expect(error?.code).toBe("NoSuchKey");
    },
    { variant },
  );

  check(
    "HeadObject",
    "head-object.user-metadata",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-meta", Buffer.from("m"), 1, { "X-Amz-Meta-Colour": "Blue Green" });
      const stat = await mc.statObject(bucket, "m-meta");
      expect(stat.size).toBe(1);
      expect(stat.metaData.colour).toBe("Blue Green");
    },
    { variant },
  );

  check(
    "DeleteObject",
    "delete-object.deletes",
    async () => {
      const mc = f.minio();
      await mc.putObject(bucket, "m-delete", Buffer.from("x"), 1);
      await mc.removeObject(bucket, "m-delete");
      const error = await mc.statObject(bucket, "m-delete").then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      expect(error?.code).toBe("NotFound");
    },
    { variant },
  );
});
