// Bucket policies enforced: grants to another account, explicit Deny over Allow (the owner included),
// anonymous reads through Principal "*", conditions on aws:SourceIp, aws:SecureTransport and s3:prefix,
// removal revoking access, and the owner never locked out of its policy. Asserted against AWS S3.

import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { expect, type TestContext } from "vitest";
import { check } from "../catalog/check.ts";
import { bodyBytes, expectS3Error } from "../harness/assert.ts";
import { rawRequest } from "../harness/raw.ts";
import { suite, useFixture } from "../harness/suite.ts";
import {
  type Answer,
  allowPublicPolicies,
  answer,
  arn,
  bucketWith,
  canonicalId,
  loopbackEndpoint,
  ok,
  policyDoc,
  putPolicy,
} from "./support.ts";

const fx = useFixture();

suite("bucket policy enforcement", () => {
  const f = fx!;
  let alt: S3Client | undefined;
  const ids: { main?: string; alt?: string } = {};

  /** The alternate account's client and both accounts' canonical ids; skips without an alternate. */
  async function accounts(ctx: TestContext): Promise<{ alt: S3Client; main: string; altId: string }> {
    if (!f.target.alternate) ctx.skip("the target declares no alternate account");
    alt ??= f.client({ account: "alternate" });
    ids.main ??= await canonicalId(f.s3);
    ids.alt ??= await canonicalId(alt);
    return { alt, main: ids.main, altId: ids.alt };
  }

  const get = (s3: S3Client, Bucket: string, Key: string) =>
    answer(s3.send(new GetObjectCommand({ Bucket, Key })));
  const denied = (a: Answer) => a.status === 403 && a.code === "AccessDenied";
  const allowed = (a: Answer) => a.status === 200;
  const DENIED = { status: 403, code: "AccessDenied" };

  /** Polls until the answer is the expected one (AWS applies policies eventually), then asserts it. */
  async function expectEventually(probe: () => Promise<Answer>, want: "allowed" | "denied"): Promise<void> {
    const accept = want === "allowed" ? allowed : denied;
    let last = await probe();
    for (let i = 0; i < 20 && !accept(last); i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      last = await probe();
    }
    if (want === "allowed") expect(last).toEqual({ status: 200 });
    else expect({ status: last.status, code: last.code }).toEqual(DENIED);
  }

  check("PutBucketPolicy", "put-bucket-policy.grants-other-account", async (ctx) => {
    const { alt, altId } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["shared/a.txt", "other.txt"]);
    // Without a grant the other account is refused.
    expect(await get(alt, Bucket, "shared/a.txt")).toMatchObject(DENIED);
    await ok(
      putPolicy(
        f.s3,
        Bucket,
        policyDoc({
          Principal: { CanonicalUser: altId },
          Action: "s3:GetObject",
          Resource: arn(Bucket, "shared/*"),
        }),
      ),
    );
    await expectEventually(() => get(alt, Bucket, "shared/a.txt"), "allowed");
    const out = await ok(alt.send(new GetObjectCommand({ Bucket, Key: "shared/a.txt" })));
    expect((await bodyBytes(out.Body)).toString()).toBe("shared/a.txt");
    // The grant covers its resource and action only.
    expect(await get(alt, Bucket, "other.txt")).toMatchObject(DENIED);
    await expectS3Error(alt.send(new ListObjectsV2Command({ Bucket })), 403, "AccessDenied");
  });

  check("PutBucketPolicy", "put-bucket-policy.explicit-deny-wins", async (ctx) => {
    const { alt, main, altId } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["open.txt", "secret/s.txt", "denied/d.txt"]);
    const policy = policyDoc(
      {
        Sid: "AltReadsAll",
        Principal: { CanonicalUser: altId },
        Action: "s3:GetObject",
        Resource: arn(Bucket, "*"),
      },
      {
        Sid: "AltNotSecret",
        Effect: "Deny",
        Principal: { CanonicalUser: altId },
        Action: "s3:Get*",
        Resource: arn(Bucket, "secret/*"),
      },
      // The owner's own permissions yield to an explicit Deny too.
      {
        Sid: "OwnerNotDenied",
        Effect: "Deny",
        Principal: { CanonicalUser: main },
        Action: "s3:GetObject",
        Resource: arn(Bucket, "denied/*"),
      },
    );
    await ok(putPolicy(f.s3, Bucket, policy));
    await expectEventually(() => get(alt, Bucket, "open.txt"), "allowed");
    await expectEventually(() => get(alt, Bucket, "secret/s.txt"), "denied");
    await expectEventually(() => get(f.s3, Bucket, "denied/d.txt"), "denied");
    expect(await get(f.s3, Bucket, "open.txt")).toEqual({ status: 200 });
  });

  check("PutBucketPolicy", "put-bucket-policy.owner-keeps-policy-access", async (ctx) => {
    const { main } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["k.txt"]);
    // The bucket owner account (its root credentials on AWS) may always get, put and delete the bucket
    // policy, even when the policy denies it: a policy cannot lock the owner out.
    const lockout = policyDoc({
      Effect: "Deny",
      Principal: { CanonicalUser: main },
      Action: ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetObject"],
      Resource: [arn(Bucket), arn(Bucket, "*")],
    });
    await ok(putPolicy(f.s3, Bucket, lockout));
    await expectEventually(() => get(f.s3, Bucket, "k.txt"), "denied");
    const got = await ok(f.s3.send(new GetBucketPolicyCommand({ Bucket })));
    expect(JSON.parse(got.Policy ?? "")).toEqual(JSON.parse(lockout));
    const milder = policyDoc({
      Effect: "Deny",
      Principal: { CanonicalUser: main },
      Action: "s3:GetObject",
      Resource: arn(Bucket, "none/*"),
    });
    await ok(putPolicy(f.s3, Bucket, milder));
    const del = await ok(f.s3.send(new DeleteBucketPolicyCommand({ Bucket })));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectEventually(() => get(f.s3, Bucket, "k.txt"), "allowed");
  });

  check("PutBucketPolicy", "put-bucket-policy.anonymous-public-read", async () => {
    const Bucket = await bucketWith(f, ["public/p.txt", "private.txt"]);
    const anonymous = async (key: string): Promise<Answer> => {
      const res = await rawRequest(f, { method: "GET", path: `/${Bucket}/${key}` });
      return {
        status: res.status,
        ...(res.status === 200 ? {} : { code: /<Code>([^<]*)<\/Code>/.exec(res.body)?.[1] }),
      };
    };
    expect(await anonymous("public/p.txt")).toMatchObject(DENIED);
    await allowPublicPolicies(f, Bucket);
    await ok(
      putPolicy(
        f.s3,
        Bucket,
        policyDoc({ Principal: "*", Action: "s3:GetObject", Resource: arn(Bucket, "public/*") }),
      ),
    );
    await expectEventually(() => anonymous("public/p.txt"), "allowed");
    const res = await rawRequest(f, { method: "GET", path: `/${Bucket}/public/p.txt` });
    expect(res.body).toBe("public/p.txt");
    expect(await anonymous("private.txt")).toMatchObject(DENIED);
    // Reading is all that was granted: an anonymous listing stays refused.
    const list = await rawRequest(f, { method: "GET", path: `/${Bucket}?list-type=2` });
    expect(list.status).toBe(403);
  });

  check("PutBucketPolicy", "put-bucket-policy.condition-source-ip", async (ctx) => {
    const { alt, altId } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["k.txt"]);
    // The caller's own range: loopback when the target is on this machine, else every address.
    const mine = loopbackEndpoint(f.target.endpoint) ? ["127.0.0.1/32", "::1/128"] : ["0.0.0.0/0", "::/0"];
    // TEST-NET-1 (RFC 5737): never a real source address.
    const elsewhere = ["192.0.2.0/24"];
    const grant = (ranges: string[]) =>
      policyDoc({
        Principal: { CanonicalUser: altId },
        Action: "s3:GetObject",
        Resource: arn(Bucket, "*"),
        Condition: { IpAddress: { "aws:SourceIp": ranges } },
      });
    await ok(putPolicy(f.s3, Bucket, grant(mine)));
    await expectEventually(() => get(alt, Bucket, "k.txt"), "allowed");
    await ok(putPolicy(f.s3, Bucket, grant(elsewhere)));
    await expectEventually(() => get(alt, Bucket, "k.txt"), "denied");
    // NotIpAddress: the complement.
    const notElsewhere = policyDoc({
      Principal: { CanonicalUser: altId },
      Action: "s3:GetObject",
      Resource: arn(Bucket, "*"),
      Condition: { NotIpAddress: { "aws:SourceIp": elsewhere } },
    });
    await ok(putPolicy(f.s3, Bucket, notElsewhere));
    await expectEventually(() => get(alt, Bucket, "k.txt"), "allowed");
  });

  check("PutBucketPolicy", "put-bucket-policy.condition-secure-transport", async (ctx) => {
    const { alt, altId } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["k.txt"]);
    const tls = new URL(f.target.endpoint).protocol === "https:";
    const grant = (secure: boolean) =>
      policyDoc({
        Principal: { CanonicalUser: altId },
        Action: "s3:GetObject",
        Resource: arn(Bucket, "*"),
        Condition: { Bool: { "aws:SecureTransport": String(secure) } },
      });
    await ok(putPolicy(f.s3, Bucket, grant(tls)));
    await expectEventually(() => get(alt, Bucket, "k.txt"), "allowed");
    await ok(putPolicy(f.s3, Bucket, grant(!tls)));
    await expectEventually(() => get(alt, Bucket, "k.txt"), "denied");
  });

  check("PutBucketPolicy", "put-bucket-policy.condition-prefix", async (ctx) => {
    const { alt, altId } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["public/a.txt", "private/b.txt"]);
    await ok(
      putPolicy(
        f.s3,
        Bucket,
        policyDoc({
          Principal: { CanonicalUser: altId },
          Action: "s3:ListBucket",
          Resource: arn(Bucket),
          Condition: { StringLike: { "s3:prefix": "public/*" } },
        }),
      ),
    );
    const list = (Prefix?: string) =>
      answer(alt.send(new ListObjectsV2Command({ Bucket, ...(Prefix === undefined ? {} : { Prefix }) })));
    await expectEventually(() => list("public/"), "allowed");
    const out = await ok(alt.send(new ListObjectsV2Command({ Bucket, Prefix: "public/" })));
    expect((out.Contents ?? []).map((o) => o.Key)).toEqual(["public/a.txt"]);
    expect(await list("private/")).toMatchObject(DENIED);
    // No prefix at all: the key is absent and StringLike is false.
    expect(await list()).toMatchObject(DENIED);
  });

  check("DeleteBucketPolicy", "delete-bucket-policy.removes-and-revokes", async (ctx) => {
    const { alt, altId } = await accounts(ctx);
    const Bucket = await bucketWith(f, ["k.txt"]);
    await ok(
      putPolicy(
        f.s3,
        Bucket,
        policyDoc({
          Principal: { CanonicalUser: altId },
          Action: "s3:GetObject",
          Resource: arn(Bucket, "*"),
        }),
      ),
    );
    await expectEventually(() => get(alt, Bucket, "k.txt"), "allowed");
    const del = await ok(f.s3.send(new DeleteBucketPolicyCommand({ Bucket })));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(f.s3.send(new GetBucketPolicyCommand({ Bucket })), 404, "NoSuchBucketPolicy");
    await expectEventually(() => get(alt, Bucket, "k.txt"), "denied");
  });
});
