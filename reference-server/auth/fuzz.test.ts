// Arbitrary input never escapes as anything but an S3Error (the HTTP layer maps only those to responses).

import fc from "fast-check";
import { expect, test } from "vitest";
import { S3Error } from "../http/s3-error.ts";
import { authenticate } from "./authenticate.ts";
import { verifyBody } from "./payload.ts";
import { signingKey } from "./signing-key.ts";
import { collect, EXAMPLE, lookupOf, pieces } from "./test-support.ts";
import type { PayloadMode } from "./types.ts";

const lookup = lookupOf(EXAMPLE);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240301/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
    "AWS AKIAIOSFODNN7EXAMPLE:abc=",
    "UNSIGNED-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "20240301T120000Z",
    "%",
    "%zz%C3",
  ),
);
const names = fc.constantFrom(
  "authorization",
  "x-amz-date",
  "date",
  "x-amz-content-sha256",
  "x-amz-security-token",
  "host",
  "x-amz-meta-a",
  "content-md5",
);
const qnames = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "AWSAccessKeyId",
    "Signature",
    "Expires",
    "acl",
  ),
);

test("authenticate: success or S3Error, never anything else", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("GET", "PUT", "", "ÿ"),
      text,
      fc.array(fc.tuple(qnames, text), { maxLength: 8 }),
      fc.dictionary(names, fc.oneof(text, fc.array(text, { maxLength: 3 }))),
      (method, rawPath, query, headers) => {
        try {
          authenticate({ method, rawPath, query, headers }, lookup, {
            now: new Date("2024-03-01T12:00:00Z"),
          });
        } catch (e) {
          expect(e).toBeInstanceOf(S3Error);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

test("verifyBody: random bytes end in data or an S3Error", async () => {
  const key = signingKey(EXAMPLE.secretAccessKey, "20240301", "us-east-1", "s3");
  const modes: PayloadMode[] = [
    { mode: "streaming-unsigned-trailer" },
    {
      mode: "streaming-signed",
      seedSignature: "0".repeat(64),
      signingKey: key,
      scope: "s",
      timestamp: "t",
      trailer: true,
    },
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...modes),
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.stringMatching(/^[0-9a-f;=\r\nchunk-signatur:x]{0,200}$/).map((s) => Buffer.from(s)),
      ),
      fc.array(fc.nat(300)),
      async (mode, bytes, cuts) => {
        try {
          await collect(
            verifyBody(pieces(Buffer.from(bytes), cuts), mode, {
              "x-amz-decoded-content-length": "3",
              "x-amz-trailer": "x",
            }),
          );
        } catch (e) {
          expect(e).toBeInstanceOf(S3Error);
        }
      },
    ),
    { numRuns: 1000 },
  );
});
