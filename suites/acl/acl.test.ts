// Bucket and object ACLs: canned ACLs, grant headers, AccessControlPolicy bodies, the defaults, and the
// refusal while ACLs are disabled (BucketOwnerEnforced, the default of new buckets). Asserted against AWS.

import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  type Grant,
  ListObjectsV2Command,
  type Permission,
  PutBucketAclCommand,
  PutObjectAclCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";
import {
  ALL_USERS,
  AUTHENTICATED_USERS,
  aclBucket,
  alternate,
  anonymousStatus,
  canonicalId,
  eventually,
  statusOf,
} from "./support.ts";

const fx = useFixture();

/** Grants as comparable tuples: [type, id or uri, permission], sorted. */
const grants = (list: Grant[] | undefined) =>
  (list ?? [])
    .map((g) => [g.Grantee?.Type, g.Grantee?.ID ?? g.Grantee?.URI, g.Permission])
    .sort((a, b) => String(a).localeCompare(String(b)));

suite("ACLs", () => {
  const f = fx!;
  let mainId = "";
  const main = async () => {
    mainId ||= await canonicalId(f.s3);
    return mainId;
  };

  check("GetBucketAcl", "get-bucket-acl.default-owner-full-control", async () => {
    const Bucket = f.bucketName("acl-def");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    const out = await f.s3.send(new GetBucketAclCommand({ Bucket }));
    expect(out.Owner?.ID).toBe(await main());
    expect(grants(out.Grants)).toEqual([["CanonicalUser", await main(), "FULL_CONTROL"]]);
  });

  check("GetBucketAcl", "get-bucket-acl.reflects-canned-acl", async () => {
    const Bucket = await aclBucket(f);
    await f.s3.send(new PutBucketAclCommand({ Bucket, ACL: "authenticated-read" }));
    const out = await f.s3.send(new GetBucketAclCommand({ Bucket }));
    expect(grants(out.Grants)).toEqual(
      [
        ["CanonicalUser", await main(), "FULL_CONTROL"],
        ["Group", AUTHENTICATED_USERS, "READ"],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
  });

  check("PutBucketAcl", "put-bucket-acl.canned-public-read", async () => {
    const Bucket = await aclBucket(f);
    expect(await anonymousStatus(f, "GET", `/${Bucket}?list-type=2`)).toBe(403);
    await f.s3.send(new PutBucketAclCommand({ Bucket, ACL: "public-read" }));
    const out = await f.s3.send(new GetBucketAclCommand({ Bucket }));
    expect(grants(out.Grants)).toContainEqual(["Group", ALL_USERS, "READ"]);
    await eventually(() => anonymousStatus(f, "GET", `/${Bucket}?list-type=2`), 200);
    // READ on a bucket lists it; it does not let anyone write.
    expect(await anonymousStatus(f, "PUT", `/${Bucket}/anonymous-write`)).toBe(403);
  });

  check("PutBucketAcl", "put-bucket-acl.grant-other-account", async (ctx) => {
    const alt = await alternate(f, ctx);
    const Bucket = await aclBucket(f);
    expect(await statusOf(alt.s3.send(new ListObjectsV2Command({ Bucket })))).toBe(403);
    await f.s3.send(
      new PutBucketAclCommand({
        Bucket,
        GrantRead: `id="${alt.id}"`,
        GrantFullControl: `id="${await main()}"`,
      }),
    );
    const out = await f.s3.send(new GetBucketAclCommand({ Bucket }));
    expect(grants(out.Grants)).toContainEqual(["CanonicalUser", alt.id, "READ"]);
    await eventually(() => statusOf(alt.s3.send(new ListObjectsV2Command({ Bucket }))), 200);
    expect(await statusOf(alt.s3.send(new PutObjectCommand({ Bucket, Key: "alt", Body: "x" })))).toBe(403);
  });

  check("PutBucketAcl", "put-bucket-acl.malformed-refused", async () => {
    const Bucket = await aclBucket(f);
    await expectS3Error(
      f.s3.send(
        new PutBucketAclCommand({
          Bucket,
          AccessControlPolicy: {
            Owner: { ID: await main() },
            Grants: [
              {
                Grantee: { Type: "CanonicalUser", ID: await main() },
                Permission: "EVERYTHING" as Permission,
              },
            ],
          },
        }),
      ),
      400,
      "MalformedACLError",
    );
  });

  check("PutBucketAcl", "put-bucket-acl.refused-when-owner-enforced", async () => {
    const Bucket = f.bucketName("acl-enf");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await expectS3Error(
      f.s3.send(new PutBucketAclCommand({ Bucket, ACL: "public-read" })),
      400,
      "AccessControlListNotSupported",
    );
  });

  check("GetObjectAcl", "get-object-acl.default-owner-full-control", async () => {
    const Bucket = f.bucketName("acl-odef");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
    const out = await f.s3.send(new GetObjectAclCommand({ Bucket, Key: "k" }));
    expect(out.Owner?.ID).toBe(await main());
    expect(grants(out.Grants)).toEqual([["CanonicalUser", await main(), "FULL_CONTROL"]]);
  });

  check("GetObjectAcl", "get-object-acl.reflects-acl-header-on-put", async () => {
    const Bucket = await aclBucket(f);
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ACL: "authenticated-read" }));
    const out = await f.s3.send(new GetObjectAclCommand({ Bucket, Key: "k" }));
    expect(grants(out.Grants)).toContainEqual(["Group", AUTHENTICATED_USERS, "READ"]);
    expect(grants(out.Grants)).toContainEqual(["CanonicalUser", await main(), "FULL_CONTROL"]);
  });

  check("PutObjectAcl", "put-object-acl.canned-public-read", async () => {
    const Bucket = await aclBucket(f);
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "public body" }));
    expect(await anonymousStatus(f, "GET", `/${Bucket}/k`)).toBe(403);
    await f.s3.send(new PutObjectAclCommand({ Bucket, Key: "k", ACL: "public-read" }));
    await eventually(() => anonymousStatus(f, "GET", `/${Bucket}/k`), 200);
    const acl = await f.s3.send(new GetObjectAclCommand({ Bucket, Key: "k" }));
    expect(grants(acl.Grants)).toContainEqual(["Group", ALL_USERS, "READ"]);
  });

  check("PutObjectAcl", "put-object-acl.grant-headers", async (ctx) => {
    const alt = await alternate(f, ctx);
    const Bucket = await aclBucket(f);
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "for alt" }));
    expect(await statusOf(alt.s3.send(new GetObjectCommand({ Bucket, Key: "k" })))).toBe(403);
    await f.s3.send(
      new PutObjectAclCommand({
        Bucket,
        Key: "k",
        GrantRead: `id="${alt.id}"`,
        GrantFullControl: `id="${await main()}"`,
      }),
    );
    const acl = await f.s3.send(new GetObjectAclCommand({ Bucket, Key: "k" }));
    expect(grants(acl.Grants)).toEqual(
      [
        ["CanonicalUser", alt.id, "READ"],
        ["CanonicalUser", await main(), "FULL_CONTROL"],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    await eventually(() => statusOf(alt.s3.send(new GetObjectCommand({ Bucket, Key: "k" }))), 200);
    // READ is the object's data, not its ACL.
    expect(await statusOf(alt.s3.send(new GetObjectAclCommand({ Bucket, Key: "k" })))).toBe(403);
  });

  check("PutObjectAcl", "put-object-acl.no-such-key", async () => {
    const Bucket = await aclBucket(f);
    await expectS3Error(
      f.s3.send(new PutObjectAclCommand({ Bucket, Key: "missing", ACL: "private" })),
      404,
      "NoSuchKey",
    );
  });

  check("PutObjectAcl", "put-object-acl.refused-when-owner-enforced", async () => {
    const Bucket = f.bucketName("acl-oenf");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    await f.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
    await expectS3Error(
      f.s3.send(new PutObjectAclCommand({ Bucket, Key: "k", ACL: "public-read" })),
      400,
      "AccessControlListNotSupported",
    );
  });
});
