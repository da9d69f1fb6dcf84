// Non-ASCII user metadata: decoded per RFC 2047 on the way in, encoded per RFC 2047 on the way out.

import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  bucketName,
  rawRequest,
  signedRequest,
  startTestServer,
  type TestServer,
} from "../api/test-support.ts";
import { httpRequest, sdkSigner } from "../auth/test-support.ts";
import { decodeHeaderValue, encodeHeaderValue } from "./rfc2047.ts";

describe("RFC 2047 codec", () => {
  test("any string survives encode then decode; ASCII is left alone", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        expect(decodeHeaderValue(encodeHeaderValue(s))).toBe(s);
      }),
    );
    expect(encodeHeaderValue("plain value")).toBe("plain value");
    expect(encodeHeaderValue("naïve")).toBe("=?UTF-8?B?bmHDr3Zl?=");
  });

  test("B and Q words, adjacent words joined, raw UTF-8 bytes recovered", () => {
    expect(decodeHeaderValue("=?utf-8?Q?caf=C3=A9_au_lait?=")).toBe("café au lait");
    expect(decodeHeaderValue("=?UTF-8?B?w7w=?= =?UTF-8?B?w7w=?=")).toBe("üü");
    expect(decodeHeaderValue("a =?ISO-8859-1?Q?=E9?= b")).toBe("a é b");
    expect(decodeHeaderValue(Buffer.from("日本", "utf8").toString("latin1"))).toBe("日本");
    // Not UTF-8: the latin1 reading stands; an unknown charset is kept as sent.
    expect(decodeHeaderValue("\u00e9t\u00e9")).toBe("été");
    expect(decodeHeaderValue("=?x-unknown?B?AA==?=")).toBe("=?x-unknown?B?AA==?=");
  });
});

describe("non-ASCII metadata through HTTP", () => {
  let t: TestServer;
  const bucket = bucketName("meta2047");
  beforeAll(async () => {
    t = await startTestServer();
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => t.stop());

  test("an encoded-word sent by the SDK is stored decoded and returned encoded", async () => {
    const sent = `=?UTF-8?B?${Buffer.from("Grüße, 世界").toString("base64")}?=`;
    await t.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "k1", Body: "x", Metadata: { greet: sent } }),
    );
    const h = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k1" }));
    expect(decodeHeaderValue(h.Metadata!.greet)).toBe("Grüße, 世界");
    expect(h.Metadata!.greet).toBe(encodeHeaderValue("Grüße, 世界"));
  });

  test("raw UTF-8 bytes in a header (as botocore sends them) are signed, stored and returned encoded", async () => {
    const path = `/${bucket}/k2`;
    const url = new URL(t.server.endpoint);
    // The client signs the text "résumé" (its UTF-8 bytes) and puts those bytes on the wire; Node writes a
    // header string as latin1, so the wire value is the latin1 view of the UTF-8 bytes.
    const req = httpRequest({
      method: "PUT",
      path,
      host: url.host,
      headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-meta-title": "résumé" },
    });
    const signed = await sdkSigner({
      accessKeyId: t.server.accessKeyId,
      secretAccessKey: t.server.secretAccessKey,
    }).sign(req);
    const headers = { ...(signed.headers as Record<string, string>) };
    headers["x-amz-meta-title"] = Buffer.from("résumé", "utf8").toString("latin1");
    // A Buffer body: a string body would make Node write the head as UTF-8 along with it.
    const put = await rawRequest(t.server.endpoint, { method: "PUT", path, headers, body: Buffer.from("x") });
    expect(put.status, put.body).toBe(200);
    const head = await signedRequest(t.server, { method: "HEAD", path });
    expect(head.headers["x-amz-meta-title"]).toBe("=?UTF-8?B?csOpc3Vtw6k=?=");
  });
});
