// ACLs, object ownership and the public access block through HTTP: the SDK for both accounts, raw
// unsigned requests for anonymous callers.

import {
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, signedRequest } from "../api/test-support.ts";
import { type AccessTestServer, anonymous, codeIn, startAccessServer } from "./test-support.ts";

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const OPEN = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(() => t.stop());

/** A bucket with ACLs enabled (ObjectWriter) and no public access block. */
async function aclBucket(
  prefix: string,
  ownership: "ObjectWriter" | "BucketOwnerPreferred" = "ObjectWriter",
) {
  const b = bucketName(prefix);
  await t.owner.s3.send(new CreateBucketCommand({ Bucket: b, ObjectOwnership: ownership }));
  await t.owner.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
  return b;
}

describe("defaults of a new bucket (AWS since April 2023)", () => {
  test("BucketOwnerEnforced, every public access blocked, owner full control", async () => {
    const b = bucketName("defaults");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    const own = await t.owner.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b }));
    expect(own.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    const pab = await t.owner.s3.send(new GetPublicAccessBlockCommand({ Bucket: b }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const acl = await t.owner.s3.send(new GetBucketAclCommand({ Bucket: b }));
    expect(acl.Owner?.ID).toBe(t.owner.accountId);
    expect(acl.Grants).toEqual([
      {
        Grantee: { Type: "CanonicalUser", ID: t.owner.accountId, DisplayName: t.owner.accountId },
        Permission: "FULL_CONTROL",
      },
    ]);
  });

  test("ACLs disabled: public ACLs refused (AccessControlListNotSupported), owner-only ones accepted", async () => {
    const b = bucketName("enforced");
    await t.owner.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.owner.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    const e = await errorOf(t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: "public-read" })));
    expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual([
      "AccessControlListNotSupported",
      400,
      "The bucket does not allow ACLs",
    ]);
    await t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: "private" }));
    const put = await errorOf(
      t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x", ACL: "public-read" })),
    );
    expect(put.name).toBe("AccessControlListNotSupported");
    await t.owner.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "k", Body: "x", ACL: "bucket-owner-full-control" }),
    );
    const oe = await errorOf(
      t.owner.s3.send(new PutObjectAclCommand({ Bucket: b, Key: "k", ACL: "public-read" })),
    );
    expect(oe.name).toBe("AccessControlListNotSupported");
    // Creating a bucket with a public ACL while ACLs are disabled by default.
    const c = await errorOf(
      t.owner.s3.send(new CreateBucketCommand({ Bucket: bucketName("c"), ACL: "public-read" })),
    );
    expect(c.name).toBe("InvalidBucketAclWithObjectOwnership");
    const c2 = await errorOf(
      t.owner.s3.send(
        new CreateBucketCommand({
          Bucket: bucketName("c"),
          ACL: "public-read",
          ObjectOwnership: "ObjectWriter",
        }),
      ),
    );
    expect(c2.name).toBe("InvalidBucketAclWithBlockPublicAccessError");
  });
});

describe("bucket and object ACLs", () => {
  test("public-read bucket ACL lets anyone list; IgnorePublicAcls takes it back", async () => {
    const b = await aclBucket("pubread");
    expect((await anonymous(t.server, "GET", `/${b}?list-type=2`)).status).toBe(403);
    await t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: "public-read" }));
    const acl = await t.owner.s3.send(new GetBucketAclCommand({ Bucket: b }));
    expect(acl.Grants).toContainEqual({ Grantee: { Type: "Group", URI: ALL_USERS }, Permission: "READ" });
    const list = await anonymous(t.server, "GET", `/${b}?list-type=2`);
    expect(list.status).toBe(200);
    expect(list.body).toContain("<ListBucketResult");
    // READ on the bucket is listing, not reading objects or writing.
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x" }));
    expect((await anonymous(t.server, "GET", `/${b}/k`)).status).toBe(403);
    expect((await anonymous(t.server, "PUT", `/${b}/new`, { body: "x" })).status).toBe(403);
    await t.owner.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: b,
        PublicAccessBlockConfiguration: { ...OPEN, IgnorePublicAcls: true },
      }),
    );
    expect((await anonymous(t.server, "GET", `/${b}?list-type=2`)).status).toBe(403);
  });

  test("BlockPublicAcls refuses public ACLs on the bucket, objects and uploads (AccessDenied)", async () => {
    const b = await aclBucket("blockacl");
    await t.owner.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: b,
        PublicAccessBlockConfiguration: { ...OPEN, BlockPublicAcls: true },
      }),
    );
    for (const p of [
      () => t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: "public-read" })),
      () => t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x", ACL: "public-read" })),
      () => t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, GrantRead: `uri="${AUTH_USERS}"` })),
    ]) {
      const e = await errorOf(p());
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(["AccessDenied", 403]);
    }
    // Non-public grants still pass.
    await t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, GrantRead: `id="${t.other.accountId}"` }));
  });

  test("object ACL: public-read object readable anonymously, grant headers to another account", async () => {
    const b = await aclBucket("objacl");
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "pub", Body: "hello", ACL: "public-read" }));
    const got = await anonymous(t.server, "GET", `/${b}/pub`);
    expect([got.status, got.body]).toEqual([200, "hello"]);
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "priv", Body: "secret" }));
    expect((await anonymous(t.server, "GET", `/${b}/priv`)).status).toBe(403);
    await expect(t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "priv" }))).rejects.toMatchObject({
      name: "AccessDenied",
    });
    await t.owner.s3.send(
      new PutObjectAclCommand({ Bucket: b, Key: "priv", GrantRead: `id="${t.other.accountId}"` }),
    );
    const r = await t.other.s3.send(new GetObjectCommand({ Bucket: b, Key: "priv" }));
    expect(await r.Body!.transformToString()).toBe("secret");
    const acl = await t.owner.s3.send(new GetObjectAclCommand({ Bucket: b, Key: "priv" }));
    expect(acl.Grants).toEqual([
      {
        Grantee: { Type: "CanonicalUser", ID: t.other.accountId, DisplayName: t.other.accountId },
        Permission: "READ",
      },
    ]);
    // The grantee may read, not read the ACL.
    await expect(t.other.s3.send(new GetObjectAclCommand({ Bucket: b, Key: "priv" }))).rejects.toMatchObject({
      name: "AccessDenied",
    });
  });

  test("AccessControlPolicy body: CanonicalUser and Group grantees; malformed, unknown ids and emails refused", async () => {
    const b = await aclBucket("aclbody");
    await t.owner.s3.send(
      new PutBucketAclCommand({
        Bucket: b,
        AccessControlPolicy: {
          Owner: { ID: t.owner.accountId },
          Grants: [
            { Grantee: { Type: "CanonicalUser", ID: t.owner.accountId }, Permission: "FULL_CONTROL" },
            { Grantee: { Type: "Group", URI: AUTH_USERS }, Permission: "READ" },
            { Grantee: { Type: "CanonicalUser", ID: t.other.accountId }, Permission: "WRITE" },
          ],
        },
      }),
    );
    const acl = await t.owner.s3.send(new GetBucketAclCommand({ Bucket: b }));
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID ?? g.Grantee?.URI, g.Permission])).toEqual([
      ["CanonicalUser", t.owner.accountId, "FULL_CONTROL"],
      ["Group", AUTH_USERS, "READ"],
      ["CanonicalUser", t.other.accountId, "WRITE"],
    ]);
    // AuthenticatedUsers READ: any signed account lists, anonymous does not; WRITE lets `other` upload.
    expect((await anonymous(t.server, "GET", `/${b}?list-type=2`)).status).toBe(403);
    const listed = await signedRequest(t.server, {
      method: "GET",
      path: `/${b}`,
      query: { "list-type": "2" },
      accessKeyId: t.third.accessKeyId,
      secret: t.third.secretAccessKey,
    });
    expect(listed.status).toBe(200);
    await t.other.s3.send(new PutObjectCommand({ Bucket: b, Key: "by-other", Body: "o" }));
    const malformed = await signedRequest(t.server, {
      method: "PUT",
      path: `/${b}`,
      query: { acl: "" },
      body: "<AccessControlPolicy><AccessControlList><Grant><Permission>BOGUS</Permission></Grant></AccessControlList></AccessControlPolicy>",
    });
    expect([malformed.status, codeIn(malformed.body)]).toEqual([400, "MalformedACLError"]);
    const unknown = await errorOf(
      t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, GrantRead: `id="${"0".repeat(32)}"` })),
    );
    expect([unknown.name, unknown.message]).toEqual(["InvalidArgument", "Invalid id"]);
    const email = await errorOf(
      t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, GrantRead: 'emailAddress="nobody@example.com"' })),
    );
    expect(email.name).toBe("UnresolvableGrantByEmailAddress");
    const both = await signedRequest(t.server, {
      method: "PUT",
      path: `/${b}`,
      query: { acl: "" },
      headers: { "x-amz-acl": "private", "x-amz-grant-read": `id="${t.other.accountId}"` },
    });
    expect([both.status, codeIn(both.body)]).toEqual([400, "InvalidRequest"]);
  });

  test("ObjectWriter: the bucket owner reads another account's object only through a grant; it may delete it", async () => {
    const b = await aclBucket("notmine");
    await t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, GrantWrite: `id="${t.other.accountId}"` }));
    await t.other.s3.send(new PutObjectCommand({ Bucket: b, Key: "private", Body: "theirs" }));
    await t.other.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "shared", Body: "shared", ACL: "bucket-owner-read" }),
    );
    for (const cmd of [
      new GetObjectCommand({ Bucket: b, Key: "private" }),
      new GetObjectAclCommand({ Bucket: b, Key: "private" }),
    ]) {
      const e = await errorOf(t.owner.s3.send(cmd as never));
      expect([e.name, e.$metadata.httpStatusCode], cmd.constructor.name).toEqual(["AccessDenied", 403]);
    }
    const shared = await t.owner.s3.send(new GetObjectCommand({ Bucket: b, Key: "shared" }));
    expect(await shared.Body!.transformToString()).toBe("shared");
    // The bucket owner's own objects are unaffected, and it may delete what others wrote.
    await t.owner.s3.send(new PutObjectCommand({ Bucket: b, Key: "own", Body: "own" }));
    expect(
      (await t.owner.s3.send(new GetObjectCommand({ Bucket: b, Key: "own" }))).$metadata.httpStatusCode,
    ).toBe(200);
    await t.owner.s3.send(new DeleteObjectCommand({ Bucket: b, Key: "private" }));
    // Gone: the owner (who may list) is told 404; the writer, without s3:ListBucket, 403 as on AWS.
    const gone = await errorOf(t.owner.s3.send(new GetObjectCommand({ Bucket: b, Key: "private" })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(["NoSuchKey", 404]);
  });

  test("ObjectWriter: the writer owns its object; BucketOwnerPreferred: bucket-owner-full-control hands it over", async () => {
    const b = await aclBucket("writer");
    await t.owner.s3.send(new PutBucketAclCommand({ Bucket: b, GrantWrite: `id="${t.other.accountId}"` }));
    await t.other.s3.send(new PutObjectCommand({ Bucket: b, Key: "mine", Body: "o" }));
    const acl = await t.other.s3.send(new GetObjectAclCommand({ Bucket: b, Key: "mine" }));
    expect(acl.Owner?.ID).toBe(t.other.accountId);
    await t.owner.s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: b,
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] },
      }),
    );
    await t.other.s3.send(
      new PutObjectCommand({ Bucket: b, Key: "handed", Body: "o", ACL: "bucket-owner-full-control" }),
    );
    const handed = await t.owner.s3.send(new GetObjectAclCommand({ Bucket: b, Key: "handed" }));
    expect(handed.Owner?.ID).toBe(t.owner.accountId);
    // Ownership controls: roundtrip, delete, invalid value.
    await t.owner.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: b }));
    const gone = await errorOf(t.owner.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(["OwnershipControlsNotFoundError", 404]);
    const bad = await signedRequest(t.server, {
      method: "PUT",
      path: `/${b}`,
      query: { ownershipControls: "" },
      body: "<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule></OwnershipControls>",
    });
    expect([bad.status, codeIn(bad.body)]).toEqual([400, "MalformedXML"]);
    // ACLs cannot be disabled while the bucket ACL grants someone else.
    const e = await errorOf(
      t.owner.s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: b,
          OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
        }),
      ),
    );
    expect(e.name).toBe("InvalidBucketAclWithObjectOwnership");
  });

  test("PublicAccessBlock: delete, then NoSuchPublicAccessBlockConfiguration", async () => {
    const b = await aclBucket("pab");
    const e = await errorOf(t.owner.s3.send(new GetPublicAccessBlockCommand({ Bucket: b })));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(["NoSuchPublicAccessBlockConfiguration", 404]);
    await t.owner.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: b,
        PublicAccessBlockConfiguration: { BlockPublicPolicy: true },
      }),
    );
    const got = await t.owner.s3.send(new GetPublicAccessBlockCommand({ Bucket: b }));
    expect(got.PublicAccessBlockConfiguration).toEqual({ ...OPEN, BlockPublicPolicy: true });
  });
});
