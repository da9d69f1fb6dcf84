// Bucket policy documents: Put/Get/DeleteBucketPolicy round-trips, MalformedPolicy refusals, and
// GetBucketPolicyStatus, asserted against what AWS S3 answers.

import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";
import { allowPublicPolicies, answer, arn, bucketWith, ok, policyDoc, putPolicy } from "./support.ts";

const fx = useFixture();

suite("bucket policy documents", () => {
  const f = fx!;

  check("GetBucketPolicy", "get-bucket-policy.returns-policy", async () => {
    const Bucket = await bucketWith(f);
    // A Deny for everyone is not public, so Block Public Access does not stand in the way.
    const doc = {
      Version: "2012-10-17",
      Id: "parity-returns-policy",
      Statement: [
        {
          Sid: "NoWritesUnderReadOnly",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:PutObject", "s3:DeleteObject"],
          Resource: `arn:aws:s3:::${Bucket}/readonly/*`,
          Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" } },
        },
      ],
    };
    const put = await ok(putPolicy(f.s3, Bucket, JSON.stringify(doc, null, 2)));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const got = await ok(f.s3.send(new GetBucketPolicyCommand({ Bucket })));
    // AWS may re-serialise the document (whitespace); its content is what it was given.
    expect(JSON.parse(got.Policy ?? "")).toEqual(doc);
  });

  check("GetBucketPolicy", "get-bucket-policy.not-configured", async () => {
    const Bucket = await bucketWith(f);
    await expectS3Error(f.s3.send(new GetBucketPolicyCommand({ Bucket })), 404, "NoSuchBucketPolicy");
  });

  check("DeleteBucketPolicy", "delete-bucket-policy.idempotent", async () => {
    const Bucket = await bucketWith(f);
    for (let i = 0; i < 2; i += 1) {
      const del = await ok(f.s3.send(new DeleteBucketPolicyCommand({ Bucket })));
      expect(del.$metadata.httpStatusCode).toBe(204);
    }
    await expectS3Error(f.s3.send(new GetBucketPolicyCommand({ Bucket })), 404, "NoSuchBucketPolicy");
  });

  check("PutBucketPolicy", "put-bucket-policy.malformed-refused", async () => {
    const Bucket = await bucketWith(f);
    const read = {
      Principal: "*",
      Effect: "Deny" as const,
      Action: "s3:GetObject",
      Resource: arn(Bucket, "*"),
    };
    const cases: Array<[string, string, string | undefined]> = [
      ["not json", "{ this is not json", "Policies must be valid JSON and the first byte must be '{'"],
      ["array", "[]", "Policies must be valid JSON and the first byte must be '{'"],
      [
        "other bucket",
        policyDoc({ ...read, Resource: "arn:aws:s3:::parity-not-this-bucket/*" }),
        "Policy has invalid resource",
      ],
      [
        "bad principal",
        policyDoc({ ...read, Principal: { AWS: "not-an-account" } }),
        "Invalid principal in policy",
      ],
      [
        "action on wrong resource",
        policyDoc({ ...read, Resource: arn(Bucket) }),
        "Action does not apply to any resource(s) in statement",
      ],
      ["unknown action", policyDoc({ ...read, Action: "s3:TeleportObject" }), undefined],
      [
        "unknown operator",
        policyDoc({ ...read, Condition: { StringEqualsSometimes: { "s3:prefix": "a" } } }),
        undefined,
      ],
      ["no statement", JSON.stringify({ Version: "2012-10-17" }), undefined],
      ["bad effect", policyDoc({ ...read, Effect: "Perhaps" as "Allow" }), undefined],
    ];
    for (const [what, Policy, message] of cases) {
      const seen = await answer(putPolicy(f.s3, Bucket, Policy));
      expect({ what, status: seen.status, code: seen.code }).toEqual({
        what,
        status: 400,
        code: "MalformedPolicy",
      });
      if (message !== undefined) expect({ what, message: seen.message }).toEqual({ what, message });
    }
    await expectS3Error(f.s3.send(new GetBucketPolicyCommand({ Bucket })), 404, "NoSuchBucketPolicy");
  });

  check("GetBucketPolicyStatus", "get-bucket-policy-status.public-policy", async () => {
    const Bucket = await bucketWith(f);
    await allowPublicPolicies(f, Bucket);
    await ok(
      putPolicy(
        f.s3,
        Bucket,
        policyDoc({ Principal: "*", Action: "s3:GetObject", Resource: arn(Bucket, "*") }),
      ),
    );
    const out = await ok(f.s3.send(new GetBucketPolicyStatusCommand({ Bucket })));
    expect(out.PolicyStatus).toEqual({ IsPublic: true });
  });

  check("GetBucketPolicyStatus", "get-bucket-policy-status.private-policy", async () => {
    const Bucket = await bucketWith(f);
    const statements = [
      // A wildcard principal pinned by a fixed source range is not public (AWS's definition).
      {
        Principal: "*",
        Action: "s3:GetObject",
        Resource: arn(Bucket, "*"),
        Condition: { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } },
      },
      // Deny statements never make a policy public.
      { Principal: "*", Effect: "Deny" as const, Action: "s3:DeleteObject", Resource: arn(Bucket, "*") },
    ];
    await ok(putPolicy(f.s3, Bucket, policyDoc(...statements)));
    const out = await ok(f.s3.send(new GetBucketPolicyStatusCommand({ Bucket })));
    expect(out.PolicyStatus).toEqual({ IsPublic: false });
  });

  check("GetBucketPolicyStatus", "get-bucket-policy-status.not-configured", async () => {
    const Bucket = await bucketWith(f);
    await expectS3Error(f.s3.send(new GetBucketPolicyStatusCommand({ Bucket })), 404, "NoSuchBucketPolicy");
  });
});
