import { describe, expect, it } from "vitest";
import { S3Error } from "../../http/s3-error.ts";
import { parseBucketPolicy } from "./index.ts";

const B = "my-bucket";
const ARN = `arn:aws:s3:::${B}`;
const ALT = "111122223333";

function doc(statement: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: "2012-10-17", ...extra, Statement: statement });
}
const allow = (more: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ALT}:root` },
  Action: "s3:GetObject",
  Resource: `${ARN}/*`,
  ...more,
});

function malformed(text: string): string {
  try {
    parseBucketPolicy(text, B);
  } catch (e) {
    expect(e).toBeInstanceOf(S3Error);
    const err = e as S3Error;
    expect([err.code, err.status]).toEqual(["MalformedPolicy", 400]);
    return err.message;
  }
  return expect.fail(`accepted: ${text}`);
}

describe("parseBucketPolicy", () => {
  it("parses a policy and keeps its text", () => {
    const text = doc([allow({ Sid: "a" }), { ...allow(), Effect: "Deny" }], { Id: "p1" });
    const p = parseBucketPolicy(text, B);
    expect(p.text).toBe(text);
    expect(p.version).toBe("2012-10-17");
    expect(p.id).toBe("p1");
    expect(p.statements.map((s) => s.effect)).toEqual(["Allow", "Deny"]);
    expect(p.statements[0]!.sid).toBe("a");
  });

  it("accepts a single statement object, 2008-10-17 and no Version", () => {
    expect(parseBucketPolicy(doc(allow()), B).statements).toHaveLength(1);
    expect(parseBucketPolicy(doc(allow(), { Version: "2008-10-17" }), B).version).toBe("2008-10-17");
    expect(parseBucketPolicy(JSON.stringify({ Statement: allow() }), B).version).toBe("2008-10-17");
  });

  it("refuses what is not a JSON object", () => {
    for (const t of ["", "nope", "[]", "{", '"x"', "{}}", "null"]) {
      expect(malformed(t)).toBe("Policies must be valid JSON and the first byte must be '{'");
    }
  });

  it("refuses a policy over 20 KB", () => {
    const big = doc(allow({ Sid: "x".repeat(20 * 1024) }));
    expect(malformed(big)).toBe("Policy exceeds the maximum allowed document size.");
    // Exactly at the limit is fine.
    const base = doc(allow({ Sid: "" }));
    const atLimit = doc(allow({ Sid: "y".repeat(20 * 1024 - base.length) }));
    expect(atLimit.length).toBe(20 * 1024);
    expect(parseBucketPolicy(atLimit, B).statements).toHaveLength(1);
  });

  it("refuses structural errors", () => {
    expect(malformed(JSON.stringify({ Version: "2012-10-17" }))).toBe("Missing required field Statement");
    expect(malformed(doc([]))).toBe("Could not parse the policy: Statement is empty!");
    expect(malformed(doc(allow(), { Version: "2020-01-01" }))).toBe(
      "The policy must contain a valid version string",
    );
    expect(malformed(doc(allow(), { Extra: 1 }))).toBe("Unknown field Extra");
    expect(malformed(doc(allow({ Bogus: 1 })))).toBe("Unknown field Bogus");
    const { Effect: _e, ...noEffect } = allow();
    expect(malformed(doc(noEffect))).toBe("Missing required field Effect");
    expect(malformed(doc(allow({ Effect: "Allowed" })))).toBe("Invalid effect: Allowed");
    const { Principal: _p, ...noPrincipal } = allow();
    expect(malformed(doc(noPrincipal))).toBe("Missing required field Principal");
    const { Action: _a, ...noAction } = allow();
    expect(malformed(doc(noAction))).toBe("Missing required field Action");
    const { Resource: _r, ...noResource } = allow();
    expect(malformed(doc(noResource))).toBe("Missing required field Resource");
    expect(malformed(doc(allow({ NotAction: "s3:PutObject" })))).toMatch(/both Action and NotAction/);
  });

  it("validates principals", () => {
    const ok = [
      "*",
      { AWS: "*" },
      { AWS: ALT },
      { AWS: [`arn:aws:iam::${ALT}:root`, `arn:aws:iam::${ALT}:user/path/alice`] },
      { AWS: `arn:aws:iam::${ALT}:role/reader` },
      { AWS: `arn:aws:sts::${ALT}:assumed-role/reader/session` },
      { CanonicalUser: "a".repeat(64) },
      { Service: "logging.s3.amazonaws.com" },
    ];
    for (const Principal of ok) expect(parseBucketPolicy(doc(allow({ Principal })), B)).toBeDefined();
    const bad = [
      "someone",
      {},
      { AWS: [] },
      { AWS: "12345" },
      { AWS: "arn:aws:iam::12345:root" },
      { AWS: `arn:aws:iam::${ALT}:group/g` },
      { CanonicalUser: "xyz" },
      { Robot: "r2d2" },
      { AWS: 123 },
    ];
    for (const Principal of bad)
      expect(malformed(doc(allow({ Principal })))).toBe("Invalid principal in policy");
    expect(
      parseBucketPolicy(doc(allow({ Principal: undefined, NotPrincipal: { AWS: ALT } })), B),
    ).toBeDefined();
  });

  it("validates actions", () => {
    for (const Action of [
      "*",
      "s3:*",
      "S3:getobject",
      "s3:Get*",
      "s3:GetObject?ersion",
      ["s3:GetObject", "s3:PutObject"],
    ]) {
      expect(parseBucketPolicy(doc(allow({ Action })), B)).toBeDefined();
    }
    for (const Action of ["s3:Frobnicate", "iam:CreateUser", "GetObject", "s3:Foo*", [], 5]) {
      expect(malformed(doc(allow({ Action })))).toBe("Policy has invalid action");
    }
  });

  it("requires resources of this bucket", () => {
    for (const Resource of [ARN, `${ARN}/*`, `${ARN}/a/b.txt`, "*", "arn:aws:s3:::*", `${ARN}*`]) {
      expect(parseBucketPolicy(doc(allow({ Action: "s3:*", Resource })), B)).toBeDefined();
    }
    for (const Resource of [
      "arn:aws:s3:::other-bucket/*",
      "arn:aws:s3:::other-bucket",
      `${ARN}x/*`,
      "bucket",
      [],
      "arn:aws:sqs:::x",
    ]) {
      expect(malformed(doc(allow({ Action: "s3:*", Resource })))).toBe("Policy has invalid resource");
    }
  });

  it("requires every action to apply to a resource of its statement", () => {
    const msg = "Action does not apply to any resource(s) in statement";
    expect(malformed(doc(allow({ Action: "s3:GetObject", Resource: ARN })))).toBe(msg);
    expect(malformed(doc(allow({ Action: "s3:ListBucket", Resource: `${ARN}/*` })))).toBe(msg);
    expect(malformed(doc(allow({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: `${ARN}/*` })))).toBe(
      msg,
    );
    expect(
      parseBucketPolicy(
        doc(allow({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: [ARN, `${ARN}/*`] })),
        B,
      ),
    ).toBeDefined();
    // A wildcard action covering both kinds applies to either.
    expect(parseBucketPolicy(doc(allow({ Action: "s3:Get*", Resource: ARN })), B)).toBeDefined();
    expect(parseBucketPolicy(doc(allow({ Action: "s3:ListBucket", Resource: "*" })), B)).toBeDefined();
    // NotResource / NotAction are not checked this way.
    expect(parseBucketPolicy(doc(allow({ Resource: undefined, NotResource: ARN })), B)).toBeDefined();
    expect(parseBucketPolicy(doc(allow({ Action: undefined, NotAction: "s3:ListBucket" })), B)).toBeDefined();
  });

  it("validates conditions", () => {
    const c = (Condition: unknown) => doc(allow({ Condition }));
    expect(
      parseBucketPolicy(c({ IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } }), B),
    ).toBeDefined();
    expect(
      parseBucketPolicy(c({ "ForAnyValue:StringLikeIfExists": { "s3:ExistingObjectTag/team": "a*" } }), B),
    ).toBeDefined();
    expect(parseBucketPolicy(c({ NumericLessThanEquals: { "s3:max-keys": 10 } }), B)).toBeDefined();
    expect(parseBucketPolicy(c({ Bool: { "aws:SecureTransport": false } }), B)).toBeDefined();
    expect(parseBucketPolicy(c({ Null: { "s3:x-amz-server-side-encryption": "true" } }), B)).toBeDefined();
    expect(
      parseBucketPolicy(c({ DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } }), B),
    ).toBeDefined();
    expect(parseBucketPolicy(c({}), B)).toBeDefined();
    expect(malformed(c({ StringEqualz: { "aws:SourceIp": "x" } }))).toBe("Unknown condition operator");
    expect(malformed(c({ NullIfExists: { "aws:SourceIp": "true" } }))).toBe("Unknown condition operator");
    expect(malformed(c({ StringEquals: { "s3:bogus": "x" } }))).toBe("Policy has an invalid condition key");
    expect(malformed(c({ StringEquals: { "kms:ViaService": "x" } }))).toBe(
      "Policy has an invalid condition key",
    );
    for (const bad of [
      { IpAddress: { "aws:SourceIp": "10.0.0.0/40" } },
      { NumericEquals: { "s3:max-keys": "ten" } },
      { DateLessThan: { "aws:CurrentTime": "yesterday" } },
      { Bool: { "aws:SecureTransport": "yes" } },
      { Null: { "s3:prefix": "maybe" } },
      { StringEquals: { "s3:prefix": [] } },
      { StringEquals: { "s3:prefix": { a: 1 } } },
    ]) {
      expect(malformed(c(bad))).toMatch(/^Invalid Condition value for /);
    }
    expect(malformed(c("x"))).toMatch(/Condition/);
    expect(malformed(c({ StringEquals: "x" }))).toMatch(/Condition/);
  });
});
