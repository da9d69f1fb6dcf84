import { XMLParser } from "fast-xml-parser";
import { describe, expect, test } from "vitest";
import {
  escapeXml,
  isS3Error,
  isS3ErrorCode,
  renderErrorXml,
  S3_ERROR_CODES,
  S3Error,
  s3ErrorSpec,
} from "./s3-error.ts";

describe("S3Error", () => {
  test("status and default message come from the table", () => {
    const e = new S3Error("NoSuchKey", { resource: "/b/k" });
    expect([e.code, e.status, e.message, e.resource, e.name]).toEqual([
      "NoSuchKey",
      404,
      "The specified key does not exist.",
      "/b/k",
      "S3Error",
    ]);
    expect(e).toBeInstanceOf(Error);
    expect(isS3Error(e)).toBe(true);
    expect(new S3Error("SlowDown", { message: "later" }).message).toBe("later");
  });

  test.each([
    ["AccessDenied", 403],
    ["BadDigest", 400],
    ["BadRequest", 400],
    ["BucketAlreadyExists", 409],
    ["InvalidRange", 416],
    ["MethodNotAllowed", 405],
    ["MissingContentLength", 411],
    ["PreconditionFailed", 412],
    ["NotModified", 304],
    ["InternalError", 500],
    ["NotImplemented", 501],
    ["ServiceUnavailable", 503],
    ["SlowDown", 503],
    ["RequestTimeTooSkewed", 403],
    ["SignatureDoesNotMatch", 403],
    ["InvalidAccessKeyId", 403],
    ["XAmzContentSHA256Mismatch", 400],
    ["InvalidObjectState", 403],
    ["PermanentRedirect", 301],
    ["TemporaryRedirect", 307],
  ] as const)("%s is %i", (code, status) => {
    expect(s3ErrorSpec(code).status).toBe(status);
  });

  test("the table is complete enough and consistent", () => {
    expect(S3_ERROR_CODES.length).toBeGreaterThanOrEqual(100);
    for (const code of S3_ERROR_CODES) {
      const { status, message } = s3ErrorSpec(code);
      expect(status >= 300 && status < 600, code).toBe(true);
      expect(message.length > 0, code).toBe(true);
    }
    expect(isS3ErrorCode("NoSuchBucket")).toBe(true);
    expect(isS3ErrorCode("toString")).toBe(false);
  });
});

describe("renderErrorXml", () => {
  test("AWS's shape, element order and escaping", () => {
    const e = new S3Error("SignatureDoesNotMatch", {
      resource: "/b/a&b<c>'\"",
      extra: {
        AWSAccessKeyId: "AKID",
        StringToSign: "AWS4-HMAC-SHA256\n2024",
        RequestId: "spoof",
        "bad name": "x",
      },
    });
    expect(renderErrorXml(e, "REQ1", "host/id+=")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        "<Error><Code>SignatureDoesNotMatch</Code>" +
        "<Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>" +
        "<Resource>/b/a&amp;b&lt;c&gt;&apos;&quot;</Resource>" +
        "<AWSAccessKeyId>AKID</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256&#xA;2024</StringToSign>" +
        "<RequestId>REQ1</RequestId><HostId>host/id+=</HostId></Error>",
    );
  });

  test("parses back to the same values, control characters included", () => {
    const key = "k\u0001\t\r\n&é🙂";
    const xml = renderErrorXml(new S3Error("NoSuchKey", { extra: { Key: key } }), "r", "h");
    const parsed = new XMLParser({
      processEntities: true,
      htmlEntities: true,
      parseTagValue: false,
      trimValues: false,
    }).parse(xml);
    expect(parsed.Error.Code).toBe("NoSuchKey");
    expect(xml).toContain("<Key>k&#x1;&#x9;&#xD;&#xA;&amp;é🙂</Key>");
    // XML 1.0 parsers may drop a reference to U+0001 (S3 emits it anyway); everything else round-trips.
    expect(parsed.Error.Key.replace("\u0001", "")).toBe(key.replace("\u0001", ""));
    expect(escapeXml("plain")).toBe("plain");
  });
});
