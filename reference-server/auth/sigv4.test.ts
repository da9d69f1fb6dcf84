// SigV4 against the real SDK signer (@smithy/signature-v4): what it signs must verify, and any single-byte
// change to a signed part must be refused with the code AWS uses.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { S3Error } from "../http/s3-error.ts";
import { authenticate } from "./authenticate.ts";
import { hexBytes } from "./encoding.ts";
import { signingKey } from "./signing-key.ts";
import { EXAMPLE, encodeKeyPath, httpRequest, lookupOf, sdkSigner, toAuthRequest } from "./test-support.ts";
import type { AuthOptions, AuthRequest, Credentials } from "./types.ts";

const SIGNED_AT = new Date("2024-03-01T12:00:00Z");
const TEMP: Credentials = {
  accessKeyId: "ASIAEXAMPLETEMP00001",
  secretAccessKey: "temp/secret+key",
  principal: "444455556666",
  sessionToken: "FwoGZXIvYXdzEJr//////////token==",
};
const lookup = lookupOf(EXAMPLE, TEMP);
const opts: AuthOptions = { now: SIGNED_AT, region: "us-east-1" };

/** "%c3" for "%C3" names the same key (S3 compares decoded paths): such a change is not a tampering. */
function sameEscape(path: string, i: number, c: string): boolean {
  const inEscape = path[i - 1] === "%" || path[i - 2] === "%";
  return inEscape && path[i].toLowerCase() === c.toLowerCase();
}

function thrown(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof S3Error) return e;
    throw e;
  }
  throw new Error("expected an S3Error, nothing was thrown");
}

async function signHeader(
  init: Parameters<typeof httpRequest>[0],
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = EXAMPLE,
): Promise<AuthRequest> {
  const req = httpRequest({
    ...init,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...init.headers },
  });
  const signed = await sdkSigner(creds).sign(req, { signingDate: SIGNED_AT });
  return toAuthRequest(signed as typeof req);
}

async function presign(
  init: Parameters<typeof httpRequest>[0],
  expiresIn = 3600,
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = EXAMPLE,
  signOpts: { unhoistableHeaders?: Set<string> } = {},
): Promise<AuthRequest> {
  // As @aws-sdk/s3-request-presigner does: the payload is declared unsigned, and that header is hoisted.
  const req = httpRequest({
    ...init,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...init.headers },
  });
  const signed = await sdkSigner(creds).presign(req, { signingDate: SIGNED_AT, expiresIn, ...signOpts });
  return toAuthRequest(signed as ReturnType<typeof httpRequest>);
}

const KEYS = [
  "plain.txt",
  "dir/sub dir/file name.txt",
  "français/ключ/日本語/🙂.bin",
  "special !'()*~&=?#%+,;:@$[]{}^`|\\\"<>.txt",
  "a//double/./dot/../segments/",
  "trailing/",
];
const QUERIES: Record<string, string | string[]>[] = [
  {},
  { acl: "" },
  { uploads: "", prefix: "" },
  { "list-type": "2", prefix: "a b/ç+&=", delimiter: "/", "max-keys": "10" },
  { tag: ["z", "a", "m"], "response-content-disposition": 'attachment; filename="ü.txt"' },
];

describe("header auth signed by the SDK", () => {
  test.each(KEYS.flatMap((key) => QUERIES.map((q) => [key, q] as const)))(
    "key %j query %j",
    async (key, query) => {
      const req = await signHeader({
        method: "PUT",
        path: encodeKeyPath("bucket", key),
        query,
        headers: { "x-amz-meta-note": "  two   spaces\tand tab  ", "content-type": "text/plain" },
      });
      expect(authenticate(req, lookup, opts)).toEqual({
        kind: "signed",
        version: "v4",
        method: "header",
        accessKeyId: EXAMPLE.accessKeyId,
        principal: EXAMPLE.principal,
        region: "us-east-1",
        signedHeaders: expect.arrayContaining([
          "host",
          "x-amz-content-sha256",
          "x-amz-date",
          "x-amz-meta-note",
        ]),
        payload: { mode: "unsigned" },
      });
    },
  );

  test("temporary credentials need their session token", async () => {
    const withToken = await signHeader({ method: "GET", path: "/b/k" }, TEMP);
    expect(authenticate(withToken, lookup, opts)).toMatchObject({ principal: TEMP.principal });
    const { sessionToken: _, ...noToken } = TEMP;
    const without = await signHeader({ method: "GET", path: "/b/k" }, noToken);
    expect(thrown(() => authenticate(without, lookup, opts)).code).toBe("InvalidAccessKeyId");
    const wrong = await signHeader({ method: "GET", path: "/b/k" }, { ...TEMP, sessionToken: "other" });
    expect(thrown(() => authenticate(wrong, lookup, opts)).code).toBe("InvalidToken");
    const stray = await signHeader({ method: "GET", path: "/b/k" }, { ...EXAMPLE, sessionToken: "x" });
    expect(thrown(() => authenticate(stray, lookup, opts)).code).toBe("InvalidToken");
  });

  test("payload modes follow x-amz-content-sha256", async () => {
    const modes: [string, unknown][] = [
      ["UNSIGNED-PAYLOAD", { mode: "unsigned" }],
      ["A".repeat(64), { mode: "sha256", expected: "a".repeat(64) }],
      ["STREAMING-UNSIGNED-PAYLOAD-TRAILER", { mode: "streaming-unsigned-trailer" }],
      ["STREAMING-AWS4-HMAC-SHA256-PAYLOAD", { mode: "streaming-signed", trailer: false }],
      ["STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", { mode: "streaming-signed", trailer: true }],
    ];
    for (const [value, mode] of modes) {
      const req = await signHeader({
        method: "PUT",
        path: "/b/k",
        headers: { "x-amz-content-sha256": value },
      });
      const ctx = authenticate(req, lookup, opts);
      expect(ctx.payload).toMatchObject(mode as object);
      if (ctx.payload.mode === "streaming-signed") {
        expect(ctx.payload.seedSignature).toBe(
          /Signature=([0-9a-f]{64})/.exec(req.headers.authorization as string)![1],
        );
        expect(ctx.payload.scope).toBe("20240301/us-east-1/s3/aws4_request");
        expect(ctx.payload.timestamp).toBe("20240301T120000Z");
        expect(
          ctx.payload.signingKey.equals(signingKey(EXAMPLE.secretAccessKey, "20240301", "us-east-1", "s3")),
        ).toBe(true);
      }
    }
    const ecdsa = await signHeader({
      method: "PUT",
      path: "/b/k",
      headers: { "x-amz-content-sha256": "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" },
    });
    expect(thrown(() => authenticate(ecdsa, lookup, opts)).code).toBe("NotImplemented");
    const bogus = await signHeader({
      method: "PUT",
      path: "/b/k",
      headers: { "x-amz-content-sha256": "nope" },
    });
    const err = thrown(() => authenticate(bogus, lookup, opts));
    expect(err.code).toBe("InvalidArgument");
    expect(err.extra).toMatchObject({ ArgumentName: "x-amz-content-sha256", ArgumentValue: "nope" });
  });

  test("a client that leaves reserved characters literal in the path still verifies", async () => {
    const req = await signHeader({ method: "GET", path: "/b/a%21b%28c%29" });
    expect(authenticate({ ...req, rawPath: "/b/a!b(c)" }, lookup, opts).kind).toBe("signed");
  });
});

describe("refusals", () => {
  test("clock skew: 15 minutes either way, configurable", async () => {
    const req = await signHeader({ method: "GET", path: "/b/k" });
    const at = (ms: number, maxSkewMs?: number) => ({
      ...opts,
      now: new Date(SIGNED_AT.getTime() + ms),
      maxSkewMs,
    });
    expect(authenticate(req, lookup, at(15 * 60_000)).kind).toBe("signed");
    expect(authenticate(req, lookup, at(-15 * 60_000)).kind).toBe("signed");
    const err = thrown(() => authenticate(req, lookup, at(15 * 60_000 + 1000)));
    expect(err.code).toBe("RequestTimeTooSkewed");
    expect(err.status).toBe(403);
    expect(err.extra).toEqual({
      RequestTime: "20240301T120000Z",
      ServerTime: "2024-03-01T12:15:01Z",
      MaxAllowedSkewMilliseconds: "900000",
    });
    expect(thrown(() => authenticate(req, lookup, at(-61_000, 60_000))).code).toBe("RequestTimeTooSkewed");
  });

  test("SignatureDoesNotMatch carries what AWS shows", async () => {
    const req = await signHeader({ method: "GET", path: "/b/k", query: { a: "1" } });
    const err = thrown(() => authenticate({ ...req, method: "DELETE" }, lookup, opts));
    expect(err.code).toBe("SignatureDoesNotMatch");
    const x = err.extra!;
    expect(Object.keys(x)).toEqual([
      "AWSAccessKeyId",
      "StringToSign",
      "SignatureProvided",
      "StringToSignBytes",
      "CanonicalRequest",
      "CanonicalRequestBytes",
    ]);
    expect(x.CanonicalRequest.startsWith("DELETE\n/b/k\na=1\nhost:s3.example.test\n")).toBe(true);
    expect(
      x.StringToSign.startsWith("AWS4-HMAC-SHA256\n20240301T120000Z\n20240301/us-east-1/s3/aws4_request\n"),
    ).toBe(true);
    expect(x.StringToSignBytes).toBe(hexBytes(x.StringToSign));
    expect(x.CanonicalRequestBytes.startsWith("44 45 4c 45 54 45 0a")).toBe(true);
  });

  test.each([
    ["no Signature", (a: string) => a.replace(/, Signature=.*/, ""), "AuthorizationHeaderMalformed"],
    [
      "garbage component",
      (a: string) => a.replace("SignedHeaders", "Signedheaders"),
      "AuthorizationHeaderMalformed",
    ],
    ["short credential", (a: string) => a.replace("/us-east-1", ""), "AuthorizationHeaderMalformed"],
    ["other service", (a: string) => a.replace("/s3/", "/s4/"), "AuthorizationHeaderMalformed"],
    [
      "other terminal",
      (a: string) => a.replace("aws4_request", "aws5_request"),
      "AuthorizationHeaderMalformed",
    ],
    [
      "other credential date",
      (a: string) => a.replace("/20240301/", "/20240302/"),
      "AuthorizationHeaderMalformed",
    ],
    [
      "unknown key",
      (a: string) => a.replace("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLF"),
      "InvalidAccessKeyId",
    ],
    ["unsupported scheme", () => "Bearer abc", "InvalidArgument"],
    ["SigV4a", (a: string) => a.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"), "InvalidArgument"],
  ])("malformed Authorization: %s", async (_n, edit, code) => {
    const req = await signHeader({ method: "GET", path: "/b/k" });
    req.headers.authorization = edit(req.headers.authorization as string);
    expect(thrown(() => authenticate(req, lookup, opts)).code).toBe(code);
  });

  test("region mismatch names the expected region", async () => {
    const req = await signHeader({ method: "GET", path: "/b/k" });
    const err = thrown(() => authenticate(req, lookup, { ...opts, region: "eu-west-1" }));
    expect(err.code).toBe("AuthorizationHeaderMalformed");
    expect(err.message).toBe(
      "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
    );
    expect(err.extra).toEqual({ Region: "eu-west-1" });
    expect(authenticate(req, lookup, { now: SIGNED_AT }).kind).toBe("signed");
  });

  test("header rules: x-amz-content-sha256 required, x-amz-* and host signed, a date present", async () => {
    const req = await signHeader({ method: "GET", path: "/b/k" });
    const { "x-amz-content-sha256": _, ...noSha } = req.headers;
    const missing = thrown(() => authenticate({ ...req, headers: noSha }, lookup, opts));
    expect([missing.code, missing.message]).toEqual([
      "InvalidRequest",
      "Missing required header for this request: x-amz-content-sha256",
    ]);
    const extra = thrown(() =>
      authenticate({ ...req, headers: { ...req.headers, "x-amz-acl": "public-read" } }, lookup, opts),
    );
    expect([extra.code, extra.extra]).toEqual(["AccessDenied", { HeadersNotSigned: "x-amz-acl" }]);
    const hostless = await signHeader({ method: "GET", path: "/b/k" });
    hostless.headers.authorization = (hostless.headers.authorization as string).replace("host;", "");
    expect(thrown(() => authenticate(hostless, lookup, opts)).extra).toEqual({ HeadersNotSigned: "host" });
    const { "x-amz-date": __, ...noDate } = req.headers;
    expect(thrown(() => authenticate({ ...req, headers: noDate }, lookup, opts)).message).toBe(
      "AWS authentication requires a valid Date or x-amz-date header",
    );
  });

  test("one auth mechanism only", async () => {
    const req = await signHeader({ method: "GET", path: "/b/k" });
    const both = { ...req, query: [["X-Amz-Algorithm", "AWS4-HMAC-SHA256"]] as [string, string][] };
    expect(thrown(() => authenticate(both, lookup, opts)).code).toBe("InvalidArgument");
  });

  test("anonymous requests", () => {
    const anon = (headers: AuthRequest["headers"]) =>
      authenticate({ method: "PUT", rawPath: "/b/k", query: [], headers }, lookup, opts);
    expect(anon({ host: "h" })).toEqual({ kind: "anonymous", payload: { mode: "unsigned" } });
    expect(anon({ "x-amz-content-sha256": "b".repeat(64) }).payload).toEqual({
      mode: "sha256",
      expected: "b".repeat(64),
    });
    expect(anon({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" }).payload.mode).toBe(
      "streaming-unsigned-trailer",
    );
    expect(() => anon({ "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" })).toThrow(S3Error);
  });
});

// Single-character substitutions in each signed part, with the codes AWS can answer for that part.
describe("random single-byte tampering (fast-check)", () => {
  type Part = "method" | "path" | "query" | "header" | "date" | "signature" | "akid";
  const EXPECTED: Record<Part, string[]> = {
    method: ["SignatureDoesNotMatch"],
    path: ["SignatureDoesNotMatch"],
    query: ["SignatureDoesNotMatch"],
    header: ["SignatureDoesNotMatch"],
    date: ["SignatureDoesNotMatch", "AuthorizationHeaderMalformed", "RequestTimeTooSkewed", "AccessDenied"],
    signature: ["SignatureDoesNotMatch"],
    akid: ["InvalidAccessKeyId"],
  };
  const swap = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);

  test("header auth", async () => {
    const base = await signHeader({
      method: "PUT",
      path: encodeKeyPath("bucket", "dir/français 🙂/key(1).txt"),
      query: { versionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nrjfkd", tagging: "" },
      headers: { "x-amz-meta-color": "blue green", "content-type": "text/plain" },
    });
    const auth = base.headers.authorization as string;
    const sigAt = auth.indexOf("Signature=") + "Signature=".length;
    const pairs = base.query as [string, string][];
    await fc.assert(
      fc.property(
        fc.constantFrom<Part>("method", "path", "query", "header", "date", "signature", "akid"),
        fc.nat(),
        fc.constantFrom(..."0123456789abcdefXYZ"),
        (part, n, c) => {
          const req: AuthRequest = {
            ...base,
            headers: { ...base.headers },
            query: pairs.map(([k, v]) => [k, v]),
          };
          const edit = (s: string, from = 0, len = s.length - from) => {
            const i = from + (n % len);
            fc.pre(s[i] !== c && s[i] !== "%" && !/[ \t]/.test(s[i]));
            return swap(s, i, c);
          };
          if (part === "method") req.method = edit(req.method);
          if (part === "path") {
            fc.pre(!sameEscape(req.rawPath, 1 + (n % (req.rawPath.length - 1)), c));
            req.rawPath = edit(req.rawPath, 1);
          }
          if (part === "query") (req.query as [string, string][])[0][1] = edit(pairs[0][1]);
          if (part === "header") req.headers["x-amz-meta-color"] = edit("blue green");
          if (part === "date") req.headers["x-amz-date"] = edit(base.headers["x-amz-date"] as string);
          if (part === "signature") req.headers.authorization = edit(auth, sigAt, 64);
          if (part === "akid") req.headers.authorization = edit(auth, auth.indexOf("AKIA") + 4, 16);
          let code = "ok";
          try {
            authenticate(req, lookup, opts);
          } catch (e) {
            code = (e as S3Error).code;
          }
          expect(EXPECTED[part]).toContain(code);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("presigned URLs signed by the SDK", () => {
  test.each(KEYS)("key %j", async (key) => {
    const req = await presign(
      { method: "GET", path: encodeKeyPath("bucket", key), query: { "response-content-type": "a/b" } },
      900,
    );
    expect(authenticate(req, lookup, opts)).toMatchObject({
      method: "presigned",
      signedHeaders: ["host"],
      expiresAt: new Date(SIGNED_AT.getTime() + 900_000),
    });
    const at = (ms: number) => ({ ...opts, now: new Date(SIGNED_AT.getTime() + ms) });
    expect(authenticate(req, lookup, at(900_000)).kind).toBe("signed");
    const expired = thrown(() => authenticate(req, lookup, at(901_000)));
    expect([expired.code, expired.message, expired.extra]).toEqual([
      "AccessDenied",
      "Request has expired",
      { "X-Amz-Expires": "900", Expires: "2024-03-01T12:15:00Z", ServerTime: "2024-03-01T12:15:01Z" },
    ]);
    expect(thrown(() => authenticate(req, lookup, at(-16 * 60_000))).message).toBe(
      "Request is not valid yet",
    );
  });

  test("hoisted x-amz headers, session token, unhoistable signed headers", async () => {
    const req = await presign(
      {
        method: "PUT",
        path: "/b/k",
        headers: { "x-amz-acl": "private", "x-amz-meta-a": "1", "content-type": "x/y" },
      },
      604800,
      TEMP,
      { unhoistableHeaders: new Set(["x-amz-meta-a"]) },
    );
    const names = (req.query as [string, string][]).map(([k]) => k);
    expect(names).toEqual(expect.arrayContaining(["x-amz-acl", "X-Amz-Security-Token"]));
    expect(authenticate(req, lookup, opts)).toMatchObject({
      principal: TEMP.principal,
      signedHeaders: ["content-type", "host", "x-amz-meta-a"],
    });
    const tampered = (req.query as [string, string][]).map(([k, v]): [string, string] => [
      k,
      k === "x-amz-acl" ? "public" : v,
    ]);
    expect(thrown(() => authenticate({ ...req, query: tampered }, lookup, opts)).code).toBe(
      "SignatureDoesNotMatch",
    );
  });

  test.each([
    ["X-Amz-Expires", "604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"],
    ["X-Amz-Expires", "-1", "X-Amz-Expires must be non-negative"],
    ["X-Amz-Expires", "soon", "X-Amz-Expires should be a number"],
    ["X-Amz-Algorithm", "AWS4-HMAC-SHA512", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'],
    [
      "X-Amz-Date",
      "2024-03-01T12:00:00Z",
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`,
    ],
    [
      "X-Amz-Credential",
      "AKIAIOSFODNN7EXAMPLE/20240301/us-east-1/s3",
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    ],
    [
      "X-Amz-Credential",
      "AKIAIOSFODNN7EXAMPLE/20240301/eu-west-1/s3/aws4_request",
      "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
    ],
    [
      "X-Amz-SignedHeaders",
      undefined,
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    ],
  ])("%s=%s", async (name, value, message) => {
    const req = await presign({ method: "GET", path: "/b/k" });
    const q = (req.query as [string, string][]).filter(([k]) => k !== name);
    if (value !== undefined) q.push([name, value]);
    const err = thrown(() => authenticate({ ...req, query: q }, lookup, opts));
    expect([err.code, err.message]).toEqual(["AuthorizationQueryParametersError", message]);
  });

  test("x-amz-content-sha256 in the query decides the payload mode", async () => {
    const req = await presign({
      method: "PUT",
      path: "/b/k",
      headers: { "x-amz-content-sha256": "c".repeat(64) },
    });
    expect(authenticate(req, lookup, opts).payload).toEqual({ mode: "sha256", expected: "c".repeat(64) });
  });
});

test("presigned: any single-character change to the URL is refused (fast-check)", async () => {
  const base = await presign({
    method: "GET",
    path: encodeKeyPath("bucket", "ключ/a b.txt"),
    query: { versionId: "v1", "response-content-type": "text/plain" },
  });
  const pairs = base.query as [string, string][];
  await fc.assert(
    fc.property(fc.nat(pairs.length), fc.nat(), fc.constantFrom(..."0123456789abcdefXYZ"), (which, n, c) => {
      const query = pairs.map(([k, v]): [string, string] => [k, v]);
      let rawPath = base.rawPath;
      const swap = (s: string) => {
        const i = n % s.length;
        fc.pre(s.length > 0 && s[i] !== c && s[i] !== "%");
        return s.slice(0, i) + c + s.slice(i + 1);
      };
      if (which === pairs.length) {
        fc.pre(!sameEscape(rawPath, n % rawPath.length, c));
        rawPath = swap(rawPath);
      } else query[which][1] = swap(query[which][1]);
      let code = "ok";
      try {
        authenticate({ ...base, rawPath, query }, lookup, opts);
      } catch (e) {
        code = (e as S3Error).code;
      }
      expect(code).not.toBe("ok");
      expect([
        "SignatureDoesNotMatch",
        "AuthorizationQueryParametersError",
        "AccessDenied",
        "InvalidAccessKeyId",
        "NotImplemented",
        "InvalidArgument",
      ]).toContain(code);
    }),
    { numRuns: 400 },
  );
});
