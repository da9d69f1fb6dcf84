// Bucket websites through HTTP: Put/Get/DeleteBucketWebsite with the SDK (AWS's validation), and the
// website endpoint (Host `<bucket>.s3-website...`, sent explicitly: `*.localhost` does not resolve in
// this environment's resolver) serving index and error documents, redirects and HTML error pages.

import {
  CreateBucketCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketWebsiteCommand,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  type WebsiteConfiguration,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";
import { hostRequest } from "./test-support.ts";

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function newBucket(tag: string): Promise<string> {
  const b = bucketName(tag);
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  return b;
}

/** Anyone may read objects (and list the bucket when `list`), granted by a bucket policy as on AWS. */
async function makePublic(bucket: string, list: boolean): Promise<void> {
  // New buckets block public policies (as on AWS since 2023).
  await t.s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  const statements: unknown[] = [
    { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` },
  ];
  if (list)
    statements.push({
      Effect: "Allow",
      Principal: "*",
      Action: "s3:ListBucket",
      Resource: `arn:aws:s3:::${bucket}`,
    });
  await t.s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    }),
  );
}

const put = (Bucket: string, Key: string, Body: string, extra: Record<string, string> = {}) =>
  t.s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: "text/html", ...extra }));

const web = (bucket: string, path: string, method = "GET", style = "s3-website.localhost") =>
  hostRequest(t.server.endpoint, { method, path, host: `${bucket}.${style}` });

describe("configuration", () => {
  const full: WebsiteConfiguration = {
    IndexDocument: { Suffix: "index.html" },
    ErrorDocument: { Key: "error.html" },
    RoutingRules: [
      {
        Condition: { KeyPrefixEquals: "old/" },
        Redirect: { ReplaceKeyPrefixWith: "new/", HttpRedirectCode: "301" },
      },
      {
        Condition: { HttpErrorCodeReturnedEquals: "404", KeyPrefixEquals: "gone/" },
        Redirect: { HostName: "archive.example", Protocol: "https", ReplaceKeyWith: "missing.html" },
      },
    ],
  };

  test("round-trips, then deleted; not configured is NoSuchWebsiteConfiguration", async () => {
    const b = await newBucket("webcfg");
    const none = await errorOf(t.s3.send(new GetBucketWebsiteCommand({ Bucket: b })));
    expect([none.$metadata.httpStatusCode, none.name]).toEqual([404, "NoSuchWebsiteConfiguration"]);
    await t.s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: full }));
    const got = await t.s3.send(new GetBucketWebsiteCommand({ Bucket: b }));
    expect({
      IndexDocument: got.IndexDocument,
      ErrorDocument: got.ErrorDocument,
      RoutingRules: got.RoutingRules,
    }).toEqual(full);
    const redirectAll = { RedirectAllRequestsTo: { HostName: "www.example", Protocol: "https" as const } };
    await t.s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: redirectAll }));
    expect((await t.s3.send(new GetBucketWebsiteCommand({ Bucket: b }))).RedirectAllRequestsTo).toEqual(
      redirectAll.RedirectAllRequestsTo,
    );
    const del = await t.s3.send(new DeleteBucketWebsiteCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const after = await errorOf(t.s3.send(new GetBucketWebsiteCommand({ Bucket: b })));
    expect(after.name).toBe("NoSuchWebsiteConfiguration");
  });

  test("invalid configurations are refused as AWS refuses them", async () => {
    const b = await newBucket("webbad");
    const cases: [WebsiteConfiguration, string, string][] = [
      [
        {},
        "InvalidArgument",
        "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
      ],
      [
        { IndexDocument: { Suffix: "a/index.html" } },
        "InvalidArgument",
        "The IndexDocument Suffix is not well formed",
      ],
      [{ IndexDocument: { Suffix: "" } }, "InvalidArgument", "The IndexDocument Suffix is not well formed"],
      [
        { RedirectAllRequestsTo: { HostName: "x.example" }, IndexDocument: { Suffix: "i.html" } },
        "InvalidArgument",
        "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
      ],
      [
        { IndexDocument: { Suffix: "i.html" }, RoutingRules: [{ Redirect: { HttpRedirectCode: "200" } }] },
        "InvalidArgument",
        "The provided HTTP redirect code (200) is not valid. Valid codes are 3XX except 300.",
      ],
      [
        {
          IndexDocument: { Suffix: "i.html" },
          RoutingRules: [{ Condition: { HttpErrorCodeReturnedEquals: "200" }, Redirect: { HostName: "h" } }],
        },
        "InvalidArgument",
        "The provided HTTP error code (200) is not valid. Valid codes are 4XX or 5XX.",
      ],
      [
        {
          IndexDocument: { Suffix: "i.html" },
          RoutingRules: [{ Redirect: { ReplaceKeyWith: "a", ReplaceKeyPrefixWith: "b" } }],
        },
        "InvalidArgument",
        "You can only define ReplaceKeyPrefix or ReplaceKey but not both.",
      ],
      [
        {
          IndexDocument: { Suffix: "i.html" },
          RoutingRules: [{ Condition: {}, Redirect: { HostName: "h" } }],
        },
        "InvalidArgument",
        "Condition cannot be empty.",
      ],
      [
        { RedirectAllRequestsTo: { HostName: "x.example", Protocol: "ftp" as never } },
        "InvalidArgument",
        "Invalid protocol",
      ],
    ];
    for (const [config, code, message] of cases) {
      const e = await errorOf(
        t.s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: config })),
      );
      expect([e.$metadata.httpStatusCode, e.name], JSON.stringify(config)).toEqual([400, code]);
      expect(e.message).toContain(message);
    }
    const none = await errorOf(t.s3.send(new GetBucketWebsiteCommand({ Bucket: b })));
    expect(none.name).toBe("NoSuchWebsiteConfiguration");
  });
});

describe("the website endpoint", () => {
  let site: string;
  beforeAll(async () => {
    site = await newBucket("site");
    await t.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: site,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: "index.html" },
          ErrorDocument: { Key: "error.html" },
          RoutingRules: [
            { Condition: { KeyPrefixEquals: "old/" }, Redirect: { ReplaceKeyPrefixWith: "new/" } },
            {
              Condition: { HttpErrorCodeReturnedEquals: "404", KeyPrefixEquals: "gone/" },
              Redirect: { HostName: "archive.example", Protocol: "https", HttpRedirectCode: "302" },
            },
          ],
        },
      }),
    );
    await put(site, "index.html", "<h1>home</h1>");
    await put(site, "docs/index.html", "<h1>docs</h1>");
    await put(site, "error.html", "<h1>oops</h1>");
    await put(site, "moved", "", { WebsiteRedirectLocation: "/docs/" });
    await makePublic(site, true);
  });

  test("index documents for / and dir/, in every endpoint style; HEAD without a body", async () => {
    for (const style of [
      "s3-website.localhost",
      "s3-website-us-east-1.localhost",
      "s3-website.us-east-1.localhost",
    ]) {
      const home = await web(site, "/", "GET", style);
      expect([home.status, home.body, home.headers["content-type"]], style).toEqual([
        200,
        "<h1>home</h1>",
        "text/html",
      ]);
    }
    const docs = await web(site, "/docs/");
    expect([docs.status, docs.body]).toEqual([200, "<h1>docs</h1>"]);
    const head = await web(site, "/docs/index.html", "HEAD");
    expect([head.status, head.body, head.headers["content-length"]]).toEqual([200, "", "13"]);
    // "docs" has no object of its own but an index below it: AWS adds the slash with a 302.
    const bare = await web(site, "/docs");
    expect([bare.status, bare.headers.location]).toEqual([302, "/docs/"]);
  });

  test("the error document with the original status; routing rules and object redirects", async () => {
    const missing = await web(site, "/nope.html");
    expect([missing.status, missing.body]).toEqual([404, "<h1>oops</h1>"]);
    const old = await web(site, "/old/page.html");
    expect([old.status, old.headers.location]).toEqual([
      301,
      `http://${site}.s3-website.localhost/new/page.html`,
    ]);
    const gone = await web(site, "/gone/x.html");
    expect([gone.status, gone.headers.location]).toEqual([302, "https://archive.example/gone/x.html"]);
    const moved = await web(site, "/moved");
    expect([moved.status, moved.headers.location]).toEqual([301, "/docs/"]);
  });

  test("HTML error pages: other methods, unknown bucket, no website, error document missing", async () => {
    const post = await web(site, "/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(post.body).toContain("<li>Code: MethodNotAllowed</li>");
    const nobucket = await web("no-such-site-bucket", "/");
    expect(nobucket.status).toBe(404);
    expect(nobucket.body).toContain("<h1>404 Not Found</h1>");
    expect(nobucket.body).toContain("<li>Code: NoSuchBucket</li>");
    expect(nobucket.body).toContain("<li>BucketName: no-such-site-bucket</li>");
    const plain = await newBucket("plain");
    const noweb = await web(plain, "/");
    expect(noweb.status).toBe(404);
    expect(noweb.body).toContain("<li>Code: NoSuchWebsiteConfiguration</li>");
    const bare = await newBucket("bare");
    await t.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bare,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "404.html" } },
      }),
    );
    await makePublic(bare, true);
    const noDoc = await web(bare, "/x");
    expect(noDoc.status).toBe(404);
    expect(noDoc.body).toContain("<li>Code: NoSuchKey</li>");
    expect(noDoc.body).toContain("An Error Occurred While Attempting to Retrieve a Custom Error Document");
    expect(noDoc.body).toContain("<li>Key: 404.html</li>");
  });

  test("objects that are not public are 403; a missing key without public listing is 403 too", async () => {
    const priv = await newBucket("priv");
    await t.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: priv,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    await put(priv, "index.html", "secret");
    const res = await web(priv, "/");
    expect(res.status).toBe(403);
    expect(res.body).toContain("<li>Code: AccessDenied</li>");
    expect(res.body).not.toContain("secret");
    const readOnly = await newBucket("ro");
    await t.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: readOnly,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    await makePublic(readOnly, false);
    const missing = await web(readOnly, "/missing");
    expect(missing.status).toBe(403);
    expect(missing.body).toContain("<li>Code: AccessDenied</li>");
  });

  test("an object made public by its ACL is served without any bucket policy", async () => {
    const b = bucketName("aclsite");
    await t.s3.send(new CreateBucketCommand({ Bucket: b, ObjectOwnership: "ObjectWriter" }));
    await t.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    await t.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: b,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    await put(b, "index.html", "open", { ACL: "public-read" });
    await put(b, "closed.html", "closed");
    expect(await web(b, "/").then((r) => [r.status, r.body])).toEqual([200, "open"]);
    expect((await web(b, "/closed.html")).status).toBe(403);
  });

  test("RedirectAllRequestsTo sends every path to the other host", async () => {
    const b = await newBucket("redir");
    await t.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: b,
        WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: "www.example", Protocol: "https" } },
      }),
    );
    const res = await web(b, "/a/b.html?q=1");
    expect([res.status, res.headers.location]).toEqual([301, "https://www.example/a/b.html"]);
  });
});
