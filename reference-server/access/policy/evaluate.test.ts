// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable syntax, not a JS template.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BucketPolicy, evaluateBucketPolicy, type PolicyRequest, parseBucketPolicy } from "./index.ts";

const B = "bkt";
const ARN = `arn:aws:s3:::${B}`;
const OWNER = "a".repeat(64);
const ALT = "111122223333";

function policy(statements: object[], version = "2012-10-17"): BucketPolicy {
  return parseBucketPolicy(JSON.stringify({ Version: version, Statement: statements }), B);
}
function req(
  more: Partial<PolicyRequest> & { cond?: Record<string, string | string[]> } = {},
): PolicyRequest {
  const { cond, ...rest } = more;
  const conditions = new Map(
    Object.entries(cond ?? {}).map(([k, v]) => [k, typeof v === "string" ? [v] : v]),
  );
  return {
    principals: [ALT, `arn:aws:iam::${ALT}:root`],
    anonymous: false,
    action: "s3:GetObject",
    resource: `${ARN}/k`,
    conditions,
    ...rest,
  };
}
const anon = { principals: [], anonymous: true };
const stmt = (more: object = {}) => ({
  Effect: "Allow",
  Principal: "*",
  Action: "s3:GetObject",
  Resource: `${ARN}/*`,
  ...more,
});
/** Decision of a one-statement Allow policy with this Condition, for a request with these keys. */
function cond(condition: object, keys: Record<string, string | string[]> = {}): boolean {
  return evaluateBucketPolicy(policy([stmt({ Condition: condition })]), req({ cond: keys })) === "Allow";
}

describe("evaluateBucketPolicy: principal, action, resource", () => {
  it("matches principals", () => {
    const p = (Principal: unknown) => policy([stmt({ Principal })]);
    expect(evaluateBucketPolicy(p("*"), req(anon))).toBe("Allow");
    expect(evaluateBucketPolicy(p({ AWS: "*" }), req(anon))).toBe("Allow");
    expect(evaluateBucketPolicy(p({ AWS: ALT }), req())).toBe("Allow");
    expect(evaluateBucketPolicy(p({ AWS: ALT }), req(anon))).toBe("NoMatch");
    expect(evaluateBucketPolicy(p({ AWS: "999988887777" }), req())).toBe("NoMatch");
    // Account id and root ARN are one principal, whichever form the caller lists.
    expect(evaluateBucketPolicy(p({ AWS: `arn:aws:iam::${ALT}:root` }), req({ principals: [ALT] }))).toBe(
      "Allow",
    );
    expect(evaluateBucketPolicy(p({ AWS: ALT }), req({ principals: [`arn:aws:iam::${ALT}:root`] }))).toBe(
      "Allow",
    );
    expect(evaluateBucketPolicy(p({ CanonicalUser: OWNER }), req({ principals: [OWNER] }))).toBe("Allow");
    expect(evaluateBucketPolicy(p({ CanonicalUser: OWNER }), req())).toBe("NoMatch");
  });

  it("NotPrincipal covers everyone else, anonymous included", () => {
    const p = policy([{ ...stmt({ Effect: "Deny" }), Principal: undefined, NotPrincipal: { AWS: ALT } }]);
    expect(evaluateBucketPolicy(p, req())).toBe("NoMatch");
    expect(evaluateBucketPolicy(p, req({ principals: [OWNER] }))).toBe("Deny");
    expect(evaluateBucketPolicy(p, req(anon))).toBe("Deny");
  });

  it("matches actions case-insensitively with wildcards, and NotAction", () => {
    const p = (Action: unknown) => policy([stmt({ Action, Resource: [ARN, `${ARN}/*`] })]);
    expect(evaluateBucketPolicy(p("s3:get*"), req({ action: "s3:GetObject" }))).toBe("Allow");
    expect(evaluateBucketPolicy(p("S3:GETOBJECT"), req({ action: "s3:GetObject" }))).toBe("Allow");
    expect(evaluateBucketPolicy(p("s3:Get*"), req({ action: "s3:PutObject" }))).toBe("NoMatch");
    expect(evaluateBucketPolicy(p("*"), req({ action: "s3:PutObject" }))).toBe("Allow");
    expect(evaluateBucketPolicy(p("s3:GetObject?ersion"), req({ action: "s3:GetObjectVersion" }))).toBe(
      "Allow",
    );
    const not = policy([{ ...stmt(), Action: undefined, NotAction: "s3:Delete*" }]);
    expect(evaluateBucketPolicy(not, req({ action: "s3:PutObject" }))).toBe("Allow");
    expect(evaluateBucketPolicy(not, req({ action: "s3:DeleteObject" }))).toBe("NoMatch");
  });

  it("matches resources case-sensitively with wildcards, and NotResource", () => {
    const p = (Resource: unknown) => policy([stmt({ Resource })]);
    expect(evaluateBucketPolicy(p(`${ARN}/public/*`), req({ resource: `${ARN}/public/a/b` }))).toBe("Allow");
    expect(evaluateBucketPolicy(p(`${ARN}/public/*`), req({ resource: `${ARN}/Public/a` }))).toBe("NoMatch");
    expect(evaluateBucketPolicy(p(`${ARN}/a?c`), req({ resource: `${ARN}/abc` }))).toBe("Allow");
    const not = policy([{ ...stmt(), Resource: undefined, NotResource: `${ARN}/secret/*` }]);
    expect(evaluateBucketPolicy(not, req({ resource: `${ARN}/open` }))).toBe("Allow");
    expect(evaluateBucketPolicy(not, req({ resource: `${ARN}/secret/x` }))).toBe("NoMatch");
  });

  it("explicit Deny wins over Allow, whatever the order", () => {
    const deny = stmt({ Effect: "Deny", Principal: { AWS: ALT } });
    expect(evaluateBucketPolicy(policy([stmt(), deny]), req())).toBe("Deny");
    expect(evaluateBucketPolicy(policy([deny, stmt()]), req())).toBe("Deny");
    expect(evaluateBucketPolicy(policy([deny, stmt()]), req(anon))).toBe("Allow");
  });

  it("resolves policy variables in 2012-10-17 only", () => {
    const s = stmt({ Resource: `${ARN}/home/\${aws:username}/*` });
    const v12 = policy([s]);
    const v08 = policy([s], "2008-10-17");
    const r = req({ resource: `${ARN}/home/alice/x`, cond: { "aws:username": "alice" } });
    expect(evaluateBucketPolicy(v12, r)).toBe("Allow");
    expect(evaluateBucketPolicy(v12, { ...r, resource: `${ARN}/home/bob/x` })).toBe("NoMatch");
    expect(evaluateBucketPolicy(v12, req({ resource: `${ARN}/home/alice/x` }))).toBe("NoMatch");
    expect(evaluateBucketPolicy(v08, r)).toBe("NoMatch");
    expect(
      cond(
        { StringEquals: { "s3:prefix": "home/${aws:username}/" } },
        { "s3:prefix": "home/al/", "aws:username": "al" },
      ),
    ).toBe(true);
    // Equality stays literal with variables on: a star is a star, and so is `${*}`.
    expect(cond({ StringEquals: { "s3:prefix": "a*" } }, { "s3:prefix": "a*" })).toBe(true);
    expect(cond({ StringEquals: { "s3:prefix": "a*" } }, { "s3:prefix": "ab" })).toBe(false);
    expect(cond({ StringEquals: { "s3:prefix": "a${*}" } }, { "s3:prefix": "a*" })).toBe(true);
    expect(cond({ StringEqualsIgnoreCase: { "s3:prefix": "A${*}?" } }, { "s3:prefix": "a*?" })).toBe(true);
  });
});

describe("condition operators", () => {
  it("String operators", () => {
    const k = { "s3:prefix": "Home/A" };
    expect(cond({ StringEquals: { "s3:prefix": "Home/A" } }, k)).toBe(true);
    expect(cond({ StringEquals: { "s3:prefix": "home/a" } }, k)).toBe(false);
    expect(cond({ StringEquals: { "s3:prefix": "Home/*" } }, k)).toBe(false);
    expect(cond({ StringNotEquals: { "s3:prefix": "Home/A" } }, k)).toBe(false);
    expect(cond({ StringNotEquals: { "s3:prefix": ["x", "y"] } }, k)).toBe(true);
    expect(cond({ StringEqualsIgnoreCase: { "s3:prefix": "home/a" } }, k)).toBe(true);
    expect(cond({ StringNotEqualsIgnoreCase: { "s3:prefix": "HOME/A" } }, k)).toBe(false);
    expect(cond({ StringLike: { "s3:prefix": "Home/*" } }, k)).toBe(true);
    expect(cond({ StringLike: { "s3:prefix": "home/*" } }, k)).toBe(false);
    expect(cond({ StringLike: { "s3:prefix": "Home/?" } }, k)).toBe(true);
    expect(cond({ StringNotLike: { "s3:prefix": "Home/*" } }, k)).toBe(false);
    expect(cond({ StringNotLike: { "s3:prefix": "Other/*" } }, k)).toBe(true);
  });

  it("Numeric operators", () => {
    const k = { "s3:max-keys": "10" };
    const n = (op: string, v: string | number) => cond({ [op]: { "s3:max-keys": v } }, k);
    expect([n("NumericEquals", 10), n("NumericEquals", "10.0"), n("NumericEquals", 11)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([n("NumericNotEquals", 10), n("NumericNotEquals", 11)]).toEqual([false, true]);
    expect([n("NumericLessThan", 11), n("NumericLessThan", 10)]).toEqual([true, false]);
    expect([n("NumericLessThanEquals", 10), n("NumericLessThanEquals", 9)]).toEqual([true, false]);
    expect([n("NumericGreaterThan", 9), n("NumericGreaterThan", 10)]).toEqual([true, false]);
    expect([n("NumericGreaterThanEquals", 10), n("NumericGreaterThanEquals", 11)]).toEqual([true, false]);
    // A request value that is no number matches no numeric comparison.
    expect(cond({ NumericLessThan: { "s3:max-keys": 100 } }, { "s3:max-keys": "lots" })).toBe(false);
  });

  it("Date operators (ISO 8601 and epoch seconds)", () => {
    const k = { "aws:currenttime": "2024-06-01T12:00:00Z" };
    const d = (op: string, v: string) => cond({ [op]: { "aws:CurrentTime": v } }, k);
    expect(d("DateEquals", "2024-06-01T12:00:00Z")).toBe(true);
    expect(d("DateEquals", "1717243200")).toBe(true);
    expect(d("DateNotEquals", "2024-06-01T12:00:00Z")).toBe(false);
    expect(d("DateLessThan", "2024-06-02")).toBe(true);
    expect(d("DateLessThan", "2024-06-01T12:00:00Z")).toBe(false);
    expect(d("DateLessThanEquals", "2024-06-01T12:00:00Z")).toBe(true);
    expect(d("DateGreaterThan", "2024-01-01T00:00:00Z")).toBe(true);
    expect(d("DateGreaterThan", "2025-01-01T00:00:00Z")).toBe(false);
    expect(d("DateGreaterThanEquals", "2024-06-01T12:00:00Z")).toBe(true);
  });

  it("Bool, BinaryEquals, Arn operators", () => {
    expect(cond({ Bool: { "aws:SecureTransport": "false" } }, { "aws:securetransport": "false" })).toBe(true);
    expect(cond({ Bool: { "aws:SecureTransport": false } }, { "aws:securetransport": "true" })).toBe(false);
    expect(cond({ Bool: { "aws:SecureTransport": "TRUE" } }, { "aws:securetransport": "true" })).toBe(true);
    expect(cond({ BinaryEquals: { "aws:bin": "QUJD" } }, { "aws:bin": "QUJD" })).toBe(true);
    expect(cond({ BinaryEquals: { "aws:bin": "QUJD" } }, { "aws:bin": "QUJE" })).toBe(false);
    const arn = { "aws:sourcearn": "arn:aws:s3:::logs-bucket" };
    expect(cond({ ArnEquals: { "aws:SourceArn": "arn:aws:s3:::logs-bucket" } }, arn)).toBe(true);
    expect(cond({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::logs-*" } }, arn)).toBe(true);
    expect(cond({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::other*" } }, arn)).toBe(false);
    expect(cond({ ArnNotEquals: { "aws:SourceArn": "arn:aws:s3:::logs-bucket" } }, arn)).toBe(false);
    expect(cond({ ArnNotLike: { "aws:SourceArn": "arn:aws:s3:::x*" } }, arn)).toBe(true);
    // Components are matched separately: a star does not cross a colon.
    expect(cond({ ArnLike: { "aws:SourceArn": "arn:aws:*:::logs-bucket" } }, arn)).toBe(true);
    expect(
      cond(
        { ArnLike: { "aws:SourceArn": "arn:aws:iam::*:role/x" } },
        { "aws:sourcearn": "arn:aws:iam::1:2:role/x" },
      ),
    ).toBe(false);
    expect(
      cond(
        { ArnLike: { "aws:SourceArn": "arn:aws:iam::*:role/x" } },
        { "aws:sourcearn": "arn:aws:iam::1:role/x" },
      ),
    ).toBe(true);
  });

  it("IpAddress / NotIpAddress, IPv4 and IPv6", () => {
    const ip = (op: string, v: unknown, source: string) =>
      cond({ [op]: { "aws:SourceIp": v } }, { "aws:sourceip": source });
    expect(ip("IpAddress", "127.0.0.1/32", "127.0.0.1")).toBe(true);
    expect(ip("IpAddress", "203.0.113.0/24", "127.0.0.1")).toBe(false);
    expect(ip("IpAddress", ["203.0.113.0/24", "127.0.0.0/8"], "127.0.0.1")).toBe(true);
    expect(ip("IpAddress", "2001:db8::/32", "2001:db8::7")).toBe(true);
    expect(ip("IpAddress", "::1/128", "::1")).toBe(true);
    expect(ip("NotIpAddress", "203.0.113.0/24", "127.0.0.1")).toBe(true);
    expect(ip("NotIpAddress", ["203.0.113.0/24", "127.0.0.0/8"], "127.0.0.1")).toBe(false);
  });

  it("Null", () => {
    expect(cond({ Null: { "s3:x-amz-server-side-encryption": "true" } }, {})).toBe(true);
    expect(
      cond(
        { Null: { "s3:x-amz-server-side-encryption": "true" } },
        { "s3:x-amz-server-side-encryption": "AES256" },
      ),
    ).toBe(false);
    expect(
      cond(
        { Null: { "s3:x-amz-server-side-encryption": "false" } },
        { "s3:x-amz-server-side-encryption": "AES256" },
      ),
    ).toBe(true);
    expect(cond({ Null: { "s3:x-amz-server-side-encryption": false } }, {})).toBe(false);
  });

  it("absent keys: positive false, negated true, IfExists true", () => {
    expect(cond({ StringEquals: { "s3:prefix": "a" } })).toBe(false);
    expect(cond({ StringNotEquals: { "s3:prefix": "a" } })).toBe(true);
    expect(cond({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } })).toBe(true);
    for (const op of [
      "StringEqualsIfExists",
      "NumericLessThanIfExists",
      "DateLessThanIfExists",
      "BoolIfExists",
      "IpAddressIfExists",
      "ArnLikeIfExists",
      "BinaryEqualsIfExists",
    ]) {
      const value = op.startsWith("Numeric")
        ? 1
        : op.startsWith("Date")
          ? "2020-01-01"
          : op.startsWith("Bool")
            ? "true"
            : op.startsWith("Ip")
              ? "10.0.0.0/8"
              : op.startsWith("Arn")
                ? "arn:aws:s3:::x"
                : "QQ==";
      expect(cond({ [op]: { "aws:k": value } }), op).toBe(true);
      // IfExists applies the operator when the key is present.
      const present = op.startsWith("Numeric")
        ? "5"
        : op.startsWith("Date")
          ? "2030-01-01T00:00:00Z"
          : op.startsWith("Bool")
            ? "false"
            : op.startsWith("Ip")
              ? "11.0.0.1"
              : op.startsWith("Arn")
                ? "arn:aws:s3:::y"
                : "Qg==";
      expect(cond({ [op]: { "aws:k": value } }, { "aws:k": present }), `${op} present`).toBe(false);
    }
    expect(cond({ StringEqualsIfExists: { "s3:prefix": "a" } }, { "s3:prefix": "a" })).toBe(true);
  });

  it("several keys AND, several operators AND", () => {
    const c = {
      StringEquals: { "s3:prefix": "a", "s3:delimiter": "/" },
      NumericLessThanEquals: { "s3:max-keys": 100 },
    };
    expect(cond(c, { "s3:prefix": "a", "s3:delimiter": "/", "s3:max-keys": "50" })).toBe(true);
    expect(cond(c, { "s3:prefix": "a", "s3:delimiter": "/", "s3:max-keys": "500" })).toBe(false);
    expect(cond(c, { "s3:prefix": "a", "s3:max-keys": "50" })).toBe(false);
  });

  it("condition keys are case-insensitive", () => {
    expect(cond({ StringEquals: { "S3:Prefix": "a" } }, { "s3:prefix": "a" })).toBe(true);
  });

  it("ForAnyValue / ForAllValues over multi-valued keys", () => {
    const tags = { "aws:tagkeys": ["team", "cost"] };
    expect(cond({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } }, tags)).toBe(true);
    expect(cond({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["owner"] } }, tags)).toBe(false);
    expect(cond({ "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "cost", "x"] } }, tags)).toBe(true);
    expect(cond({ "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } }, tags)).toBe(false);
    // Absent key: ForAllValues vacuously true, ForAnyValue false.
    expect(cond({ "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } })).toBe(true);
    expect(cond({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } })).toBe(false);
    expect(cond({ "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } }, { "aws:tagkeys": [] })).toBe(
      true,
    );
    // Negated inside a qualifier: per request value.
    expect(cond({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["team"] } }, tags)).toBe(true);
    expect(cond({ "ForAllValues:StringNotEquals": { "aws:TagKeys": ["team"] } }, tags)).toBe(false);
    expect(cond({ "ForAllValues:StringNotEquals": { "aws:TagKeys": ["owner"] } }, tags)).toBe(true);
    expect(cond({ "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": ["t*"] } }, tags)).toBe(true);
  });
});

describe("properties", () => {
  const action = fc.constantFrom(
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:GetBucketPolicy",
  );
  const resourceOf = (a: string) => (a === "s3:ListBucket" || a === "s3:GetBucketPolicy" ? ARN : `${ARN}/k`);
  const principal = fc.constantFrom<unknown>(
    "*",
    { AWS: ALT },
    { AWS: "999988887777" },
    { CanonicalUser: OWNER },
  );
  const condition = fc.constantFrom<unknown>(
    undefined,
    { IpAddress: { "aws:SourceIp": "127.0.0.0/8" } },
    { NotIpAddress: { "aws:SourceIp": "127.0.0.0/8" } },
    { Bool: { "aws:SecureTransport": "false" } },
    { StringLike: { "s3:prefix": "a*" } },
  );
  const statement = (effect: string) =>
    fc
      .record({
        Principal: principal,
        Action: fc.constantFrom("*", "s3:*", "s3:Get*", "s3:PutObject"),
        Condition: condition,
      })
      .map((s) => ({
        Effect: effect,
        Resource: [ARN, `${ARN}/*`],
        ...s,
      }));
  const request = fc.record({
    action,
    who: fc.constantFrom("alt", "owner", "anon"),
    ip: fc.constantFrom("127.0.0.1", "203.0.113.9", "::1"),
    tls: fc.boolean(),
  });
  const toReq = (r: { action: string; who: string; ip: string; tls: boolean }): PolicyRequest =>
    req({
      action: r.action,
      resource: resourceOf(r.action),
      ...(r.who === "anon" ? anon : { principals: r.who === "alt" ? [ALT] : [OWNER] }),
      cond: { "aws:sourceip": r.ip, "aws:securetransport": String(r.tls) },
    });

  it("an applying Deny wins whatever the Allow statements", () => {
    fc.assert(
      fc.property(
        fc.array(statement("Allow"), { maxLength: 5 }),
        statement("Deny"),
        fc.nat(5),
        request,
        (allows, deny, at, r) => {
          const request = toReq(r);
          const alone = evaluateBucketPolicy(policy([deny]), request);
          const mixed = [...allows];
          mixed.splice(Math.min(at, mixed.length), 0, deny);
          const decision = evaluateBucketPolicy(policy(mixed), request);
          if (alone === "Deny") expect(decision).toBe("Deny");
          else
            expect(decision).toBe(
              allows.some((a) => evaluateBucketPolicy(policy([a]), request) === "Allow")
                ? "Allow"
                : "NoMatch",
            );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("statement order never changes the decision", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(statement("Allow"), statement("Deny")), { minLength: 1, maxLength: 6 }),
        request,
        (stmts, r) => {
          const request = toReq(r);
          expect(evaluateBucketPolicy(policy([...stmts].reverse()), request)).toBe(
            evaluateBucketPolicy(policy(stmts), request),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a negated operator is the complement of its positive form when the key is present", () => {
    const pairs = [
      ["StringEquals", "StringNotEquals"],
      ["StringLike", "StringNotLike"],
      ["StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        fc.array(fc.stringMatching(/^[ab*?]{0,4}$/), { minLength: 1, maxLength: 3 }),
        fc.stringMatching(/^[abAB]{0,4}$/),
        ([pos, neg], values, v) => {
          const keys = { "s3:prefix": v };
          expect(cond({ [neg]: { "s3:prefix": values } }, keys)).toBe(
            !cond({ [pos]: { "s3:prefix": values } }, keys),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
