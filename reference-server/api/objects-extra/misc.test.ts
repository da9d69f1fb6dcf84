// GetObjectTorrent, the directory-bucket-only commands answered as AWS does for a general-purpose bucket,
// and WriteGetObjectResponse without Object Lambda, through @aws-sdk/client-s3 and raw signed requests.

import { createHash, randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  CreateSessionCommand,
  GetObjectTorrentCommand,
  ListDirectoryBucketsCommand,
  PutObjectCommand,
  RenameObjectCommand,
  S3Client,
  WriteGetObjectResponseCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bucketName, errorOf, signedRequest, startTestServer, type TestServer } from "../test-support.ts";

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

test("ListDirectoryBuckets: the SDK's s3express-signed call is refused by the scope check; s3-signed, an empty list", async () => {
  const sdk = await errorOf(t.s3.send(new ListDirectoryBucketsCommand({})));
  expect([sdk.name, sdk.$metadata.httpStatusCode]).toEqual(["AuthorizationHeaderMalformed", 400]);
  expect(sdk.message).toContain('incorrect service "s3express"');
  const raw = await signedRequest(t.server, {
    method: "GET",
    path: "/",
    query: { "x-id": "ListDirectoryBuckets" },
  });
  expect(raw.status).toBe(200);
  expect(raw.body).toContain("<ListAllMyDirectoryBucketsResult");
  expect(raw.body).toContain("<Buckets></Buckets>");
  expect(raw.body).not.toContain(b); // never the general-purpose buckets ListBuckets shows
  const list = await signedRequest(t.server, { method: "GET", path: "/", query: { "x-id": "ListBuckets" } });
  expect(list.body).toContain(`<Name>${b}</Name>`);
});

test("WriteGetObjectResponse without Object Lambda: a clean 400, whether signed for s3-object-lambda or s3", async () => {
  const lambda = new S3Client({
    endpoint: t.server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: t.server.accessKeyId, secretAccessKey: t.server.secretAccessKey },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
  const e = await errorOf(
    lambda.send(
      new WriteGetObjectResponseCommand({ RequestRoute: "route-1", RequestToken: "tok", Body: "hi" }),
    ),
  );
  expect([e.name, e.$metadata.httpStatusCode]).toEqual(["AuthorizationHeaderMalformed", 400]);
  lambda.destroy();
  const raw = await signedRequest(t.server, {
    method: "POST",
    path: "/WriteGetObjectResponse",
    headers: { "x-amz-request-route": "route-1", "x-amz-request-token": "tok", "x-amz-fwd-status": "200" },
    body: "transformed",
  });
  expect(raw.status).toBe(400);
  expect(raw.body).toContain("<Code>InvalidRequest</Code>");
  expect(raw.body).toContain("S3 Object Lambda");
});
