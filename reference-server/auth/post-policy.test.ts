// Browser POST policy signatures, produced by the minio client's presignedPostPolicy (SigV4) and by hand
// for SigV2.

import { createHmac } from "node:crypto";
import { Client as MinioClient } from "minio";
import { expect, test } from "vitest";
import { authenticatePostPolicy } from "./post-policy.ts";
import { codeOf, EXAMPLE, lookupOf } from "./test-support.ts";

const lookup = lookupOf(EXAMPLE);

async function minioForm(expires: Date): Promise<Record<string, string>> {
  const client = new MinioClient({
    endPoint: "127.0.0.1",
    port: 9,
    useSSL: false,
    accessKey: EXAMPLE.accessKeyId,
    secretKey: EXAMPLE.secretAccessKey,
    region: "us-east-1",
  });
  const policy = client.newPostPolicy();
  policy.setBucket("bucket");
  policy.setKey("uploads/photo.jpg");
  policy.setExpires(expires);
  policy.setContentLengthRange(1, 1024);
  return (await client.presignedPostPolicy(policy)).formData;
}

test("SigV4 POST policy from the minio client", async () => {
  // minio signs with the current time; the policy expiry is what the test controls.
  const now = new Date();
  const form = await minioForm(new Date(now.getTime() + 600_000));
  const ctx = authenticatePostPolicy(form, lookup, { now, region: "us-east-1" });
  expect(ctx).toMatchObject({ kind: "signed", version: "v4", principal: EXAMPLE.principal });
  expect(ctx.policy?.conditions).toContainEqual(["content-length-range", 1, 1024]);

  const after = new Date(now.getTime() + 600_001);
  expect(() => authenticatePostPolicy(form, lookup, { now: after })).toThrow(
    "Invalid according to Policy: Policy expired.",
  );
  const forged = {
    ...form,
    policy: Buffer.from(Buffer.from(form.policy, "base64").toString().replace("1024", "9999")).toString(
      "base64",
    ),
  };
  expect(await codeOf(() => authenticatePostPolicy(forged, lookup, { now }))).toBe("SignatureDoesNotMatch");
  const { "x-amz-signature": _, ...unsigned } = form;
  expect(await codeOf(() => authenticatePostPolicy(unsigned, lookup, { now }))).toBe("InvalidArgument");
  expect(await codeOf(() => authenticatePostPolicy(form, lookup, { now, region: "eu-west-1" }))).toBe(
    "InvalidArgument",
  );
});

test("SigV2 POST policy, anonymous form, bad policy documents", async () => {
  const now = new Date("2024-03-01T12:00:00Z");
  const policy = Buffer.from(
    JSON.stringify({ expiration: "2024-03-02T00:00:00Z", conditions: [{ bucket: "b" }] }),
  ).toString("base64");
  const signature = createHmac("sha1", EXAMPLE.secretAccessKey).update(policy).digest("base64");
  expect(
    authenticatePostPolicy(
      { AWSAccessKeyId: EXAMPLE.accessKeyId, Policy: policy, Signature: signature },
      lookup,
      { now },
    ),
  ).toMatchObject({ version: "v2", policy: { conditions: [{ bucket: "b" }] } });
  expect(authenticatePostPolicy({ key: "k", "Content-Type": "x/y" }, lookup, { now })).toEqual({
    kind: "anonymous",
    payload: { mode: "unsigned" },
  });
  const junk = Buffer.from("not json").toString("base64");
  const junkSig = createHmac("sha1", EXAMPLE.secretAccessKey).update(junk).digest("base64");
  expect(
    await codeOf(() =>
      authenticatePostPolicy(
        { AWSAccessKeyId: EXAMPLE.accessKeyId, policy: junk, signature: junkSig },
        lookup,
        { now },
      ),
    ),
  ).toBe("InvalidPolicyDocument");
  expect(
    await codeOf(() =>
      authenticatePostPolicy({ AWSAccessKeyId: "nobody", policy, signature }, lookup, { now }),
    ),
  ).toBe("InvalidAccessKeyId");
});
