// SigV2 refusals and tampering; the documented vectors are in aws-vectors.test.ts.

import fc from "fast-check";
import { expect, test } from "vitest";
import { authenticate } from "./authenticate.ts";
import { signV2, stringToSignV2 } from "./sigv2.ts";
import { codeOf, EXAMPLE, lookupOf } from "./test-support.ts";
import type { AuthRequest } from "./types.ts";

const lookup = lookupOf(EXAMPLE);
const DATE = "Fri, 01 Mar 2024 12:00:00 GMT";
const opts = { now: new Date("2024-03-01T12:00:00Z") };

function signed(req: Omit<AuthRequest, "headers"> & { headers: AuthRequest["headers"] }): AuthRequest {
  const sts = stringToSignV2(req, (req.headers.date as string) ?? "");
  return {
    ...req,
    headers: {
      ...req.headers,
      authorization: `AWS ${EXAMPLE.accessKeyId}:${signV2(EXAMPLE.secretAccessKey, sts)}`,
    },
  };
}

const base = signed({
  method: "PUT",
  rawPath: "/bucket/dir/fran%C3%A7ais%20key.txt",
  query: [
    ["partNumber", "3"],
    ["uploadId", "abc"],
  ],
  headers: {
    date: DATE,
    "content-type": "text/plain",
    "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==",
    "x-amz-meta-a": "x  y",
  },
});

test("a signed request verifies; skew and dates are checked", async () => {
  expect(authenticate(base, lookup, opts)).toMatchObject({ version: "v2", method: "header" });
  const late = { now: new Date("2024-03-01T12:15:01Z") };
  expect(await codeOf(() => authenticate(base, lookup, late))).toBe("RequestTimeTooSkewed");
  const { date: _, ...undated } = base.headers;
  expect(await codeOf(() => authenticate({ ...base, headers: undated }, lookup, opts))).toBe("AccessDenied");
  expect(
    await codeOf(() =>
      authenticate({ ...base, headers: { ...base.headers, date: "yesterday" } }, lookup, opts),
    ),
  ).toBe("AccessDenied");
});

test.each([
  ["AWS AKIAIOSFODNN7EXAMPLE", "InvalidArgument"],
  ["AWS :sig", "InvalidArgument"],
  ["AWS AKIAIOSFODNN7EXAMPLF:c2ln", "InvalidAccessKeyId"],
])("Authorization %j → %s", async (authorization, code) => {
  expect(
    await codeOf(() => authenticate({ ...base, headers: { ...base.headers, authorization } }, lookup, opts)),
  ).toBe(code);
});

test("SignatureDoesNotMatch carries the V2 diagnostics", () => {
  try {
    authenticate({ ...base, method: "POST" }, lookup, opts);
    expect.unreachable();
  } catch (e) {
    expect(Object.keys((e as { extra: object }).extra)).toEqual([
      "AWSAccessKeyId",
      "StringToSign",
      "SignatureProvided",
      "StringToSignBytes",
    ]);
  }
});

test("any change to a signed element is refused (fast-check)", () => {
  type Edit = (r: AuthRequest, i: number, c: string) => void;
  const swap = (s: string, i: number, c: string) => {
    const at = i % s.length;
    fc.pre(s[at] !== c && s[at] !== "%");
    return s.slice(0, at) + c + s.slice(at + 1);
  };
  const edits: Edit[] = [
    (r, i, c) => {
      r.method = swap(r.method, i, c);
    },
    (r, i, c) => {
      r.rawPath = swap(r.rawPath, i, c);
    },
    (r, i, c) => {
      (r.query as [string, string][])[i % 2][1] = swap((r.query as [string, string][])[i % 2][1], i, c);
    },
    (r, i, c) => {
      r.headers["content-md5"] = swap(r.headers["content-md5"] as string, i, c);
    },
    (r, i, c) => {
      r.headers["content-type"] = swap(r.headers["content-type"] as string, i, c);
    },
    (r, i, c) => {
      r.headers["x-amz-meta-a"] = swap(r.headers["x-amz-meta-a"] as string, i, c);
    },
    (r, i, c) => {
      const a = r.headers.authorization as string;
      const at = a.indexOf(":") + 1 + (i % 27);
      fc.pre(a[at] !== c);
      r.headers.authorization = a.slice(0, at) + c + a.slice(at + 1);
    },
  ];
  fc.assert(
    fc.property(fc.nat(edits.length - 1), fc.nat(), fc.constantFrom(..."09AZaz+/"), (e, i, c) => {
      const req: AuthRequest = {
        ...base,
        query: (base.query as [string, string][]).map(([k, v]) => [k, v]),
        headers: { ...base.headers },
      };
      edits[e](req, i, c);
      let code = "ok";
      try {
        authenticate(req, lookup, opts);
      } catch (err) {
        code = (err as { code: string }).code;
      }
      expect(code).toBe("SignatureDoesNotMatch");
    }),
    { numRuns: 300 },
  );
});

test.each([
  [
    { AWSAccessKeyId: EXAMPLE.accessKeyId, Signature: "x" },
    "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters",
  ],
  [
    { AWSAccessKeyId: EXAMPLE.accessKeyId, Signature: "x", Expires: "tomorrow" },
    "Invalid date (should be seconds since epoch): tomorrow",
  ],
])("query auth %j", async (params, message) => {
  const req: AuthRequest = {
    method: "GET",
    rawPath: "/b/k",
    query: new URLSearchParams(params),
    headers: {},
  };
  expect(() => authenticate(req, lookup, opts)).toThrow(
    expect.objectContaining({ code: "AccessDenied", message }),
  );
});
