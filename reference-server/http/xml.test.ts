// The XML module and the error mapping table.

import { describe, expect, test } from "vitest";
import { CryptoError } from "../crypto/errors.ts";
import type { StorageErrorCode } from "../storage/errors.ts";
import { StorageError } from "../storage/errors.ts";
import { toS3Error } from "./error-map.ts";
import { S3Error } from "./s3-error.ts";
import { buildXml, parseXml, xmlList, xmlText } from "./xml.ts";

describe("xml", () => {
  test("builds with the S3 namespace, escapes markup and control characters, omits undefined", () => {
    const xml = buildXml("R", {
      Key: "a<&>\"'\u0001\r",
      List: [{ N: 1 }, { N: 2 }],
      None: undefined,
      Flag: true,
    });
    expect(xml).toContain('<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(xml).toContain("<Key>a&lt;&amp;&gt;&quot;&apos;&#x1;&#xD;</Key>");
    expect(xml).toContain("<List><N>1</N></List><List><N>2</N></List>");
    expect(xml).not.toContain("None");
    expect(xml).toContain("<Flag>true</Flag>");
  });

  test("parses documents; lists are arrays even with one element; entities decoded", () => {
    const doc = parseXml(
      '<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object></Delete>',
      "Delete",
    );
    expect(xmlText(doc, "Quiet")).toBe("true");
    expect(xmlList(doc, "Object").map((o) => xmlText(o, "Key"))).toEqual(["a&b"]);
  });

  test("malformed, wrong root, DTDs: MalformedXML", () => {
    const bad = [
      "",
      "<Delete>",
      "<Delete><Object></Delete>",
      "<Other/>",
      '<!DOCTYPE x [<!ENTITY a "b">]><Delete><Object><Key>&a;</Key></Object></Delete>',
      "not xml",
    ];
    for (const text of bad) {
      expect(() => parseXml(text, "Delete"), text).toThrow(S3Error);
      try {
        parseXml(text, "Delete");
      } catch (e) {
        expect((e as S3Error).code).toBe("MalformedXML");
      }
    }
  });
});

describe("error mapping", () => {
  test("every storage error code maps to an S3 error with S3's status", () => {
    const expected: Partial<Record<StorageErrorCode, [string, number]>> = {
      NoSuchKey: ["NoSuchKey", 404],
      NoSuchBucket: ["NoSuchBucket", 404],
      BucketNotEmpty: ["BucketNotEmpty", 409],
      InsufficientReadQuorum: ["ServiceUnavailable", 503],
      InsufficientWriteQuorum: ["ServiceUnavailable", 503],
      ChecksumMismatch: ["BadDigest", 400],
      BadDigest: ["BadDigest", 400],
      InvalidRange: ["InvalidRange", 416],
      PreconditionFailed: ["PreconditionFailed", 412],
      WrongCustomerKey: ["AccessDenied", 403],
      MissingCustomerKey: ["InvalidRequest", 400],
      MethodNotAllowed: ["MethodNotAllowed", 405],
      IncompleteBody: ["IncompleteBody", 400],
    };
    for (const [code, [s3, status]] of Object.entries(expected)) {
      const e = toS3Error(new StorageError(code as StorageErrorCode, "m"));
      expect([e.code, e.status], code).toEqual([s3, status]);
    }
  });

  test("crypto errors keep the argument name; unknown errors are InternalError", () => {
    const e = toS3Error(
      new CryptoError("InvalidArgument", "bad key", {
        argumentName: "x-amz-server-side-encryption-customer-key",
      }),
    );
    expect(e.code).toBe("InvalidArgument");
    expect(e.extra?.ArgumentName).toBe("x-amz-server-side-encryption-customer-key");
    expect(toS3Error(new Error("boom")).code).toBe("InternalError");
  });
});
