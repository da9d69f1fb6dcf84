// AWS's published examples (S3 SigV4 header, presigned and streaming docs; S3 SigV2 REST auth doc), all with
// AKIAIOSFODNN7EXAMPLE. Their signatures come from the documentation, not from this code.

import { describe, expect, test } from "vitest";
import { authenticate } from "./authenticate.ts";
import { verifyBody } from "./payload.ts";
import { canonicalizedResource, signV2, stringToSignV2 } from "./sigv2.ts";
import { codeOf, collect, EXAMPLE, lookupOf, pieces } from "./test-support.ts";
import type { AuthRequest } from "./types.ts";

const lookup = lookupOf(EXAMPLE);
const NOW = new Date("2013-05-24T00:00:00Z");
const opts = { now: NOW, region: "us-east-1" };
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const cred = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

describe("SigV4 Authorization header examples", () => {
  test("GET object with Range", () => {
    const req: AuthRequest = {
      method: "GET",
      rawPath: "/test.txt",
      query: [],
      headers: {
        host: "examplebucket.s3.amazonaws.com",
        range: "bytes=0-9",
        "x-amz-content-sha256": EMPTY,
        "x-amz-date": "20130524T000000Z",
        authorization: `AWS4-HMAC-SHA256 ${cred},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41`,
      },
    };
    expect(authenticate(req, lookup, opts)).toMatchObject({
      kind: "signed",
      version: "v4",
      method: "header",
      accessKeyId: EXAMPLE.accessKeyId,
      principal: EXAMPLE.principal,
      region: "us-east-1",
      payload: { mode: "sha256", expected: EMPTY },
    });
  });

  test("PUT object with Date, storage class and a '$' in the key", () => {
    const req: AuthRequest = {
      method: "PUT",
      rawPath: "/test%24file.text",
      query: [],
      headers: {
        host: "examplebucket.s3.amazonaws.com",
        date: "Fri, 24 May 2013 00:00:00 GMT",
        "x-amz-date": "20130524T000000Z",
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "x-amz-content-sha256": "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
        authorization: `AWS4-HMAC-SHA256 ${cred},SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd`,
      },
    };
    expect(authenticate(req, lookup, opts)).toMatchObject({ kind: "signed" });
  });

  test.each([
    [[["lifecycle", ""]], "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"],
    [
      [
        ["max-keys", "2"],
        ["prefix", "J"],
      ],
      "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    ],
  ] as [[string, string][], string][])("bucket GET with query %j", (query, signature) => {
    const req: AuthRequest = {
      method: "GET",
      rawPath: "/",
      query,
      headers: {
        host: "examplebucket.s3.amazonaws.com",
        "x-amz-date": "20130524T000000Z",
        "x-amz-content-sha256": EMPTY,
        authorization: `AWS4-HMAC-SHA256 ${cred},SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
      },
    };
    expect(authenticate(req, lookup, opts).kind).toBe("signed");
  });
});

test("SigV4 presigned URL example (X-Amz-Expires=86400)", () => {
  const url = new URL(
    "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
  );
  const req = { method: "GET", rawPath: url.pathname, query: url.searchParams, headers: { host: url.host } };
  const at = (iso: string) => ({ now: new Date(iso), region: "us-east-1" });
  expect(authenticate(req, lookup, at("2013-05-24T12:00:00Z"))).toMatchObject({
    method: "presigned",
    expiresAt: new Date("2013-05-25T00:00:00Z"),
    payload: { mode: "unsigned" },
  });
  expect(() => authenticate(req, lookup, at("2013-05-25T00:00:01Z"))).toThrow("Request has expired");
});

describe("STREAMING-AWS4-HMAC-SHA256-PAYLOAD examples", () => {
  const sig = (s: string) => `;chunk-signature=${s}\r\n`;
  const a64k = Buffer.alloc(65536, "a");
  const a1k = Buffer.alloc(1024, "a");

  test("66560 bytes of 'a' in 64 KiB + 1 KiB chunks", async () => {
    const body = Buffer.concat([
      Buffer.from("10000" + sig("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")),
      a64k,
      Buffer.from("\r\n400" + sig("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")),
      a1k,
      Buffer.from("\r\n0" + sig("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9") + "\r\n"),
    ]);
    expect(body.length).toBe(66824);
    const headers = {
      host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "content-length": "66824",
      authorization: `AWS4-HMAC-SHA256 ${cred},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9`,
    };
    const ctx = authenticate(
      { method: "PUT", rawPath: "/examplebucket/chunkObject.txt", query: [], headers },
      lookup,
      opts,
    );
    expect(ctx.payload).toMatchObject({
      mode: "streaming-signed",
      trailer: false,
      timestamp: "20130524T000000Z",
    });
    const decoded = await collect(verifyBody(pieces(body, [1000, 65600, 66700]), ctx.payload, headers));
    expect(decoded.equals(Buffer.concat([a64k, a1k]))).toBe(true);

    const tampered = Buffer.from(body);
    tampered[66000] ^= 1; // inside the 1 KiB chunk
    expect(await codeOf(() => collect(verifyBody(pieces(tampered, []), ctx.payload, headers)))).toBe(
      "SignatureDoesNotMatch",
    );
  });

  test("-TRAILER variant with x-amz-checksum-crc32c and x-amz-trailer-signature", async () => {
    const body = Buffer.concat([
      Buffer.from("10000" + sig("b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2")),
      a64k,
      Buffer.from("\r\n400" + sig("1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7")),
      a1k,
      Buffer.from(
        "\r\n0" +
          sig("2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992") +
          "x-amz-checksum-crc32c:sOO8/Q==\r\n" +
          "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n",
      ),
    ]);
    const headers = {
      host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "x-amz-trailer": "x-amz-checksum-crc32c",
      "content-length": String(body.length),
      authorization: `AWS4-HMAC-SHA256 ${cred},SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e`,
    };
    const ctx = authenticate(
      { method: "PUT", rawPath: "/examplebucket/chunkObject.txt", query: [], headers },
      lookup,
      opts,
    );
    expect(ctx.payload).toMatchObject({ mode: "streaming-signed", trailer: true });
    const body1 = verifyBody(pieces(body, [5, 66000]), ctx.payload, headers);
    expect(body1.declaredTrailers).toEqual(["x-amz-checksum-crc32c"]);
    expect((await collect(body1)).length).toBe(66560);
    expect(body1.trailers).toEqual({ "x-amz-checksum-crc32c": "sOO8/Q==" });

    // A forged checksum breaks the trailer signature.
    const forged = Buffer.from(body.toString("latin1").replace("sOO8/Q==", "sOO8/R=="), "latin1");
    expect(await codeOf(() => collect(verifyBody(pieces(forged, []), ctx.payload, headers)))).toBe(
      "SignatureDoesNotMatch",
    );
  });
});

describe("SigV2 REST authentication examples", () => {
  const bucket = "awsexamplebucket1";
  const v2 = (
    method: string,
    rawPath: string,
    date: string,
    signature: string,
    extra: Partial<AuthRequest> = {},
  ): AuthRequest => ({
    method,
    rawPath,
    query: [],
    virtualHostBucket: bucket,
    ...extra,
    headers: { date, ...extra.headers, authorization: `AWS AKIAIOSFODNN7EXAMPLE:${signature}` },
  });
  const at = (date: string) => ({ now: new Date(date) });

  test.each([
    [
      "object GET",
      v2("GET", "/photos/puppy.jpg", "Tue, 27 Mar 2007 19:36:42 +0000", "qgk2+6Sv9/oM7G3qLEjTH1a1l1g="),
    ],
    [
      "object PUT",
      v2("PUT", "/photos/puppy.jpg", "Tue, 27 Mar 2007 21:15:45 +0000", "iqRzw+ileNPu1fhspnRs8nOjjIA=", {
        headers: { "content-type": "image/jpeg", "content-length": "94328" },
      }),
    ],
    [
      "list",
      v2("GET", "/", "Tue, 27 Mar 2007 19:42:41 +0000", "m0WP8eCtspQl5Ahe6L1SozdX9YA=", {
        query: [
          ["prefix", "photos"],
          ["max-keys", "50"],
          ["marker", "puppy"],
        ],
        headers: { "user-agent": "Mozilla/5.0" },
      }),
    ],
    [
      "fetch ACL",
      v2("GET", "/", "Tue, 27 Mar 2007 19:44:46 +0000", "82ZHiFIjc+WbcwFKGUVEQspPn+0=", {
        query: [["acl", ""]],
      }),
    ],
    [
      "delete with x-amz-date (path style)",
      v2(
        "DELETE",
        `/${bucket}/photos/puppy.jpg`,
        "Tue, 27 Mar 2007 21:20:27 +0000",
        "XbyTlbQdu9Xw5o8P4iMwPktxQd8=",
        {
          virtualHostBucket: undefined,
          headers: { "x-amz-date": "Tue, 27 Mar 2007 21:20:26 +0000", "user-agent": "dotnet" },
        },
      ),
    ],
    [
      "list all buckets",
      v2("GET", "/", "Wed, 28 Mar 2007 01:29:59 +0000", "qGdzdERIC03wnaRNKh6OqZehG9s=", {
        virtualHostBucket: undefined,
      }),
    ],
    [
      "unicode keys, path signed as sent",
      v2(
        "GET",
        "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
        "Wed, 28 Mar 2007 01:49:49 +0000",
        "DNEZGsoieTZ92F3bUfSPQcbGmlM=",
        { virtualHostBucket: undefined },
      ),
    ],
  ])("%s", (_name, req) => {
    const date = (req.headers.date as string).replace("21:20:27", "21:20:26");
    expect(authenticate(req, lookup, at(date))).toMatchObject({
      kind: "signed",
      version: "v2",
      method: "header",
      principal: EXAMPLE.principal,
      payload: { mode: "unsigned" },
    });
    const forged = { ...req, method: req.method === "GET" ? "HEAD" : "POST" };
    expect(() => authenticate(forged, lookup, at(date))).toThrow(
      expect.objectContaining({ code: "SignatureDoesNotMatch" }),
    );
  });

  test("upload with CNAME bucket, Content-MD5 and repeated x-amz-meta headers: documented StringToSign", () => {
    const req: AuthRequest = {
      method: "PUT",
      rawPath: "/db-backup.dat.gz",
      query: [],
      virtualHostBucket: "static.example.com",
      headers: {
        date: "Tue, 27 Mar 2007 21:06:08 +0000",
        "x-amz-acl": "public-read",
        "content-type": "application/x-download",
        "content-md5": "4gJE4saaMU4BqNR0kLY+lw==",
        "x-amz-meta-reviewedby": ["joe@example.com", "jane@example.com"],
        "x-amz-meta-filechecksum": "0x02661779",
        "x-amz-meta-checksumalgorithm": "crc32",
        "content-disposition": "attachment; filename=database.dat",
        "content-encoding": "gzip",
        "content-length": "5913339",
      },
    };
    const sts = stringToSignV2(req, "Tue, 27 Mar 2007 21:06:08 +0000");
    expect(sts).toBe(
      "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n" +
        "x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n" +
        "x-amz-meta-reviewedby:joe@example.com,jane@example.com\n/static.example.com/db-backup.dat.gz",
    );
    req.headers.authorization = `AWS ${EXAMPLE.accessKeyId}:${signV2(EXAMPLE.secretAccessKey, sts)}`;
    expect(authenticate(req, lookup, at("Tue, 27 Mar 2007 21:06:08 +0000")).kind).toBe("signed");
  });

  test("query string authentication: documented StringToSign, expiry", () => {
    const sts = "GET\n\n\n1175139620\n/awsexamplebucket1/photos/puppy.jpg";
    const base: AuthRequest = {
      method: "GET",
      rawPath: "/photos/puppy.jpg",
      query: [],
      headers: {},
      virtualHostBucket: bucket,
    };
    expect(stringToSignV2(base, "1175139620")).toBe(sts);
    const signature = signV2(EXAMPLE.secretAccessKey, sts);
    const url = new URLSearchParams({
      AWSAccessKeyId: EXAMPLE.accessKeyId,
      Expires: "1175139620",
      Signature: signature,
    });
    const req = { ...base, query: url };
    expect(authenticate(req, lookup, { now: new Date(1175139000_000) })).toMatchObject({
      version: "v2",
      method: "presigned",
      expiresAt: new Date(1175139620_000),
    });
    expect(() => authenticate(req, lookup, { now: new Date(1175139621_000) })).toThrow("Request has expired");
    // An unencoded '+' in the signature arrives as a space.
    const sloppy = new URLSearchParams(
      `AWSAccessKeyId=${EXAMPLE.accessKeyId}&Expires=1175139620&Signature=${signature}`,
    );
    expect(authenticate({ ...base, query: sloppy }, lookup, { now: new Date(1175139000_000) }).kind).toBe(
      "signed",
    );
  });

  test("canonicalized resource keeps sub-resources only, sorted, values unencoded", () => {
    const req: AuthRequest = {
      method: "GET",
      rawPath: "/k%20y",
      virtualHostBucket: "b",
      headers: {},
      query: [
        ["versionId", "v 1"],
        ["prefix", "x"],
        ["response-content-type", "text/plain"],
        ["acl", ""],
        ["X-Amz-Foo", "1"],
      ],
    };
    expect(canonicalizedResource(req)).toBe("/b/k%20y?acl&response-content-type=text/plain&versionId=v 1");
  });
});
