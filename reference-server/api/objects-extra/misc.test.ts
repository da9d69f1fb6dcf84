// GetObjectTorrent, and the directory-bucket-only commands answered as AWS does for a general-purpose
// bucket, through @aws-sdk/client-s3.

import { createHash, randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  CreateSessionCommand,
  GetObjectTorrentCommand,
  PutObjectCommand,
  RenameObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";

let t: TestServer;
let b: string;
beforeAll(async () => {
  t = await startTestServer();
  b = bucketName("misc");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
});
afterAll(() => t.stop());

test("GetObjectTorrent: bencoded metainfo with SHA-1 pieces of 256 KiB", async () => {
  const body = randomBytes(600 * 1024);
  await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "dir/file.bin", Body: body }));
  const out = await t.s3.send(new GetObjectTorrentCommand({ Bucket: b, Key: "dir/file.bin" }));
  const meta = Buffer.from(await out.Body!.transformToByteArray());
  const text = meta.toString("latin1");
  expect(text.startsWith("d4:infod")).toBe(true);
  expect(text).toContain("6:lengthi614400e");
  expect(text).toContain("4:name8:file.bin");
  expect(text).toContain("12:piece lengthi262144e");
  const pieces = [0, 1, 2].map((i) =>
    createHash("sha1")
      .update(body.subarray(i * 262144, (i + 1) * 262144))
      .digest(),
  );
  expect(meta.includes(Buffer.concat([Buffer.from("6:pieces60:"), ...pieces]))).toBe(true);
  expect(text).toContain(`/${b}/dir/file.bin`);
  expect((await errorOf(t.s3.send(new GetObjectTorrentCommand({ Bucket: b, Key: "nope" })))).name).toBe(
    "NoSuchKey",
  );
});

test("CreateSession and RenameObject on a general-purpose bucket: InvalidRequest", async () => {
  const s = await errorOf(t.s3.send(new CreateSessionCommand({ Bucket: b })));
  expect([s.name, s.$metadata.httpStatusCode]).toEqual(["InvalidRequest", 400]);
  await t.s3.send(new PutObjectCommand({ Bucket: b, Key: "a", Body: "x" }));
  const r = await errorOf(
    t.s3.send(new RenameObjectCommand({ Bucket: b, Key: "b", RenameSource: `${b}/a` })),
  );
  expect([r.name, r.$metadata.httpStatusCode]).toEqual(["InvalidRequest", 400]);
});
