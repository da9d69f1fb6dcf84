// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable syntax, not a JS template.
import { describe, expect, it } from "vitest";
import { isPublicPolicy, parseBucketPolicy } from "./index.ts";

const B = "bkt";
const ARN = `arn:aws:s3:::${B}`;
const pub = (statements: object[]) =>
  isPublicPolicy(parseBucketPolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements }), B));
const allow = (more: object = {}) => ({
  Effect: "Allow",
  Principal: "*",
  Action: "s3:GetObject",
  Resource: `${ARN}/*`,
  ...more,
});

describe("isPublicPolicy", () => {
  it("a wildcard principal without restricting condition is public", () => {
    expect(pub([allow()])).toBe(true);
    expect(pub([allow({ Principal: { AWS: "*" } })])).toBe(true);
    expect(pub([allow({ Principal: { AWS: ["111122223333", "*"] } })])).toBe(true);
  });

  it("fixed principals are not public", () => {
    expect(pub([allow({ Principal: { AWS: "111122223333" } })])).toBe(false);
    expect(pub([allow({ Principal: { CanonicalUser: "a".repeat(64) } })])).toBe(false);
    expect(pub([allow({ Principal: { Service: "logging.s3.amazonaws.com" } })])).toBe(false);
  });

  it("Deny statements never make a policy public", () => {
    expect(pub([{ ...allow(), Effect: "Deny" }])).toBe(false);
  });

  it("NotPrincipal with Allow is public", () => {
    expect(pub([{ ...allow(), Principal: undefined, NotPrincipal: { AWS: "111122223333" } }])).toBe(true);
  });

  it("conditions pinning a listed key to fixed values make it non-public", () => {
    expect(pub([allow({ Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })])).toBe(false);
    expect(pub([allow({ Condition: { StringEquals: { "aws:SourceVpc": "vpc-91237329" } } })])).toBe(false);
    expect(pub([allow({ Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } })])).toBe(
      false,
    );
    expect(pub([allow({ Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:s3:::logs" } } })])).toBe(false);
    expect(pub([allow({ Condition: { StringLike: { "aws:userid": "AROAEXAMPLEID:*" } } })])).toBe(false);
  });

  it("wildcards, variables, negations, IfExists and unrelated keys do not restrict", () => {
    const c = (Condition: object) => pub([allow({ Condition })]);
    expect(c({ StringLike: { "aws:SourceVpc": "vpc-*" } })).toBe(true);
    expect(c({ StringEquals: { "aws:SourceAccount": "${aws:username}" } })).toBe(true);
    expect(c({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } })).toBe(true);
    expect(c({ IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "::/0"] } })).toBe(true);
    expect(c({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } })).toBe(true);
    expect(c({ IpAddressIfExists: { "aws:SourceIp": "10.0.0.0/8" } })).toBe(true);
    expect(c({ "ForAllValues:StringEquals": { "aws:SourceVpc": "vpc-1" } })).toBe(true);
    expect(c({ Bool: { "aws:SecureTransport": "true" } })).toBe(true);
    expect(c({ StringEquals: { "s3:prefix": "public/" } })).toBe(true);
  });

  it("one public Allow among private ones makes the policy public", () => {
    expect(pub([allow({ Principal: { AWS: "111122223333" } }), allow()])).toBe(true);
  });
});
