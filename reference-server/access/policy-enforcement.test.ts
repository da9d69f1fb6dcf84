// Bucket policies as enforced by authorize: explicit deny over everything, allows for other accounts and
// anonymous callers, RestrictPublicBuckets, condition keys of the request, presigned URLs.

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf } from "../api/test-support.ts";
import { type AccessTestServer, anonymous, presigned, startAccessServer } from "./test-support.ts";

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(() => t.stop());

type Stmt = Record<string, unknown>;
async function withPolicy(
  prefix: string,
  statements: Stmt[],
  opts: { open?: boolean } = {},
): Promise<string> {
  const b = bucketName(prefix);
  await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
  if (opts.open !== false) await t.owner.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
  await t.owner.s3.send(
    new PutObjectCommand({ Bucket: b, Key: "doc.txt", Body: "doc", Tagging: "class=public" }),
  );
  await t.owner.s3.send(
    new PutObjectCommand({ Bucket: b, Key: "hidden.txt", Body: "h", Tagging: "class=secret" }),
  );
  const Policy = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  if (statements.length > 0) await t.owner.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy }));
  return b;
}

const arn = (id: string) => `arn:aws:iam::${id}:root`;

describe("bucket policy enforcement", () => {
  test("an Allow for another account's principal: only the actions and resources it names", async () => {
    const b = await withPolicy("allow", []);
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: arn(t.other.accountId) },
              Action: "s3:GetObject",
              Resource: `arn:aws:s3:::${b}/doc*`,
            },
          ],
        }),
      }),
    );
    const got = await t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "doc.txt" }));
    expect(await got.Body!.transformToString()).toBe("doc");
    for (const p of [
      () => t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "hidden.txt" })),
      () => t.other.s3.send(new ListObjectsV2Command({ Bucket: b })),
      () => t.other.s3.send(new PutObjectCommand({ Bucket: b, Key: "doc2", Body: "x" })),
      () => t.third.s3.send(new GetObjectCommand({ Bucket: b, Key: "doc.txt" })),
    ]) {
      expect((await errorOf(p())).name).toBe("AccessDenied");
    }
    // Copying out of the bucket needs only s3:GetObject on the source (and a bucket of one's own).
    const mine = bucketName("mine");
    await t.other.s3.send(new CreateBucketCommand({ Bucket: mine }));
    await t.other.s3.send(new CopyObjectCommand({ Bucket: mine, Key: "c", CopySource: `${b}/doc.txt` }));
    const denied = await errorOf(
      t.other.s3.send(new CopyObjectCommand({ Bucket: mine, Key: "c", CopySource: `${b}/hidden.txt` })),
    );
    expect(denied.name).toBe("AccessDenied");
  });

  test("a public policy opens reads to anonymous callers; RestrictPublicBuckets closes it again", async () => {
    const b = await withPolicy("public", []);
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` },
          ],
        }),
      }),
    );
    const got = await anonymous(t.server, "GET", `/${b}/doc.txt`);
    expect([got.status, got.body]).toEqual([200, "doc"]);
    expect((await anonymous(t.server, "GET", `/${b}?list-type=2`)).status).toBe(403);
    expect((await anonymous(t.server, "PUT", `/${b}/x`, { body: "x" })).status).toBe(403);
    await t.owner.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: b,
        PublicAccessBlockConfiguration: { RestrictPublicBuckets: true },
      }),
    );
    expect((await anonymous(t.server, "GET", `/${b}/doc.txt`)).status).toBe(403);
    await expect(t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "doc.txt" }))).rejects.toMatchObject({
      name: "AccessDenied",
    });
    // The owner is not affected.
    await t.owner.s3.send(new GetObjectCommand({ Bucket: b, Key: "doc.txt" }));
  });

  test("condition keys: aws:SourceIp, aws:SecureTransport, s3:prefix, s3:ExistingObjectTag", async () => {
    const b = await withPolicy("cond", []);
    const put = (Statement: Stmt[]) =>
      t.owner.s3.send(
        new PutBucketPolicyCommand({
          Bucket: b,
          Policy: JSON.stringify({ Version: "2012-10-17", Statement }),
        }),
      );
    const who = { AWS: arn(t.other.accountId) };
    const allowGetIf = (Condition: Stmt["Condition"]) =>
      put([
        {
          Effect: "Allow",
          Principal: who,
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${b}/*`,
          Condition,
        },
      ]);
    await allowGetIf({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } });
    const get = (Key: string) => t.other.s3.send(new GetObjectCommand({ Bucket: b, Key }));
    expect((await errorOf(get("doc.txt"))).name).toBe("AccessDenied");
    await allowGetIf({ IpAddress: { "aws:SourceIp": "127.0.0.0/8" } });
    await get("doc.txt");
    await allowGetIf({ Bool: { "aws:SecureTransport": "true" } });
    expect((await errorOf(get("doc.txt"))).name).toBe("AccessDenied"); // plain HTTP here
    await allowGetIf({ StringEquals: { "s3:ExistingObjectTag/class": "public" } });
    await get("doc.txt");
    expect((await errorOf(get("hidden.txt"))).name).toBe("AccessDenied");
    await put([
      {
        Effect: "Allow",
        Principal: who,
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${b}`,
        Condition: { StringLike: { "s3:prefix": "doc*" } },
      },
    ]);
    await t.other.s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: "doc" }));
    expect((await errorOf(t.other.s3.send(new ListObjectsV2Command({ Bucket: b })))).name).toBe(
      "AccessDenied",
    );
  });

  test("condition keys: s3:delimiter, s3:max-keys, s3:x-amz-server-side-encryption", async () => {
    const b = await withPolicy("cond2", []);
    const who = { AWS: arn(t.other.accountId) };
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: who,
              Action: "s3:ListBucket",
              Resource: `arn:aws:s3:::${b}`,
              Condition: {
                StringEquals: { "s3:delimiter": "/" },
                NumericLessThanEquals: { "s3:max-keys": "10" },
              },
            },
            { Effect: "Allow", Principal: who, Action: "s3:PutObject", Resource: `arn:aws:s3:::${b}/*` },
            {
              Effect: "Deny",
              Principal: "*",
              Action: "s3:PutObject",
              Resource: `arn:aws:s3:::${b}/*`,
              Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" } },
            },
          ],
        }),
      }),
    );
    const list = (extra: { Delimiter?: string; MaxKeys?: number }) =>
      t.other.s3.send(new ListObjectsV2Command({ Bucket: b, ...extra }));
    expect((await list({ Delimiter: "/", MaxKeys: 10 })).$metadata.httpStatusCode).toBe(200);
    for (const bad of [{ MaxKeys: 10 }, { Delimiter: "/", MaxKeys: 11 }, { Delimiter: "-", MaxKeys: 5 }]) {
      expect((await errorOf(list(bad))).name, JSON.stringify(bad)).toBe("AccessDenied");
    }
    // The header absent (key missing) or another value: the Deny applies, to the owner as well.
    for (const s3 of [t.other.s3, t.owner.s3]) {
      expect(
        (await errorOf(s3.send(new PutObjectCommand({ Bucket: b, Key: "plain", Body: "x" })))).name,
      ).toBe("AccessDenied");
    }
    const sse = await t.other.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "sealed", Body: "x", ServerSideEncryption: "AES256" }),
    );
    expect(sse.$metadata.httpStatusCode).toBe(200);
  });

  test("presigned URLs carry the signer's rights, nothing more", async () => {
    const b = await withPolicy("presign", []);
    const byOwner = await presigned(t.server, t.owner, "GET", `/${b}/doc.txt`);
    expect([byOwner.status, byOwner.body]).toEqual([200, "doc"]);
    const byOther = await presigned(t.server, t.other, "GET", `/${b}/doc.txt`);
    expect(byOther.status).toBe(403);
    await t.server.accounts.bindRole(b, t.other.accountId, "Reader");
    expect((await presigned(t.server, t.other, "GET", `/${b}/doc.txt`)).status).toBe(200);
    expect((await presigned(t.server, t.other, "PUT", `/${b}/up`, {}, "x")).status).toBe(403);
  });
});

// The deny test needs the bucket name inside its own policy: built here.
let denyBucket = "";
function b0(): string {
  denyBucket ||= bucketName("deny");
  return denyBucket;
}

describe("explicit deny", () => {
  test("denies the owner every action but Get/Put/DeleteBucketPolicy, then lifts with the policy", async () => {
    const b = b0();
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x" }));
    await t.server.accounts.bindRole(b, t.other.accountId, "Maintainer");
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` },
          ],
        }),
      }),
    );
    for (const s3 of [t.owner.s3, t.other.s3]) {
      expect((await errorOf(s3.send(new GetObjectCommand({ Bucket: b, Key: "k" })))).name).toBe(
        "AccessDenied",
      );
    }
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
            },
          ],
        }),
      }),
    );
    expect((await errorOf(t.owner.s3.send(new ListObjectsV2Command({ Bucket: b })))).name).toBe(
      "AccessDenied",
    );
    // The owner is never locked out of its policy; a Maintainer is.
    await t.owner.s3.send(new GetBucketPolicyCommand({ Bucket: b }));
    expect((await errorOf(t.other.s3.send(new GetBucketPolicyCommand({ Bucket: b })))).name).toBe(
      "AccessDenied",
    );
    await t.owner.s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    await t.owner.s3.send(new GetObjectCommand({ Bucket: b, Key: "k" }));
  });
});

describe("a missing key", () => {
  test("is 404 NoSuchKey for callers who may list the bucket, 403 AccessDenied for others (as AWS)", async () => {
    const b = bucketName("missing");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.owner.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    const policy = (actions: string[]) =>
      t.owner.s3.send(
        new PutBucketPolicyCommand({
          Bucket: b,
          Policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` },
              ...actions.map((a) => ({
                Effect: "Allow",
                Principal: "*",
                Action: a,
                Resource: `arn:aws:s3:::${b}`,
              })),
            ],
          }),
        }),
      );
    await policy([]);
    expect((await anonymous(t.server, "GET", `/${b}/nope`)).status).toBe(403);
    expect((await errorOf(t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "nope" })))).name).toBe(
      "AccessDenied",
    );
    expect((await errorOf(t.owner.s3.send(new GetObjectCommand({ Bucket: b, Key: "nope" })))).name).toBe(
      "NoSuchKey",
    );
    await policy(["s3:ListBucket"]);
    expect((await anonymous(t.server, "GET", `/${b}/nope`)).status).toBe(404);
    expect((await errorOf(t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "nope" })))).name).toBe(
      "NoSuchKey",
    );
  });
});

describe("DeleteObjects", () => {
  test("authorizes key by key: allowed keys are deleted, the others fail alone with AccessDenied", async () => {
    const b = bucketName("multidel");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    for (const Key of ["tmp/a", "keep/b"])
      await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key, Body: "x" }));
    await t.owner.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: arn(t.other.accountId) },
              Action: "s3:DeleteObject",
              Resource: `arn:aws:s3:::${b}/tmp/*`,
            },
          ],
        }),
      }),
    );
    const out = await t.other.s3.send(
      new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: "tmp/a" }, { Key: "keep/b" }] } }),
    );
    expect(out.Deleted?.map((d) => d.Key)).toEqual(["tmp/a"]);
    expect(out.Errors?.map((e) => [e.Key, e.Code])).toEqual([["keep/b", "AccessDenied"]]);
    const left = await t.owner.s3.send(new ListObjectsV2Command({ Bucket: b }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(["keep/b"]);
  });
});
