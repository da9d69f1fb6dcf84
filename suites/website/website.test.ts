// Bucket website configuration through the SDK: round-trips (index and error documents, routing rules,
// redirect-all), AWS's validation, absence and deletion. Serving on the website endpoint needs that
// endpoint's host name, which a target does not declare; the reference server's own tests cover it.

import {
  CreateBucketCommand,
  DeleteBucketWebsiteCommand,
  GetBucketWebsiteCommand,
  PutBucketWebsiteCommand,
  type WebsiteConfiguration,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

const SITE: WebsiteConfiguration = {
  IndexDocument: { Suffix: "index.html" },
  ErrorDocument: { Key: "error.html" },
};

const RULES: WebsiteConfiguration = {
  IndexDocument: { Suffix: "index.html" },
  RoutingRules: [
    { Condition: { KeyPrefixEquals: "docs/" }, Redirect: { ReplaceKeyPrefixWith: "documents/" } },
    {
      Condition: { HttpErrorCodeReturnedEquals: "404" },
      Redirect: { HostName: "fallback.example", Protocol: "https", HttpRedirectCode: "302" },
    },
    { Redirect: { ReplaceKeyWith: "moved.html" } },
  ],
};

suite("website", () => {
  const f = fx!;
  const newBucket = async (config?: WebsiteConfiguration) => {
    const Bucket = f.bucketName("web");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    if (config) await f.s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: config }));
    return Bucket;
  };
  const get = async (Bucket: string) => {
    const out = await f.s3.send(new GetBucketWebsiteCommand({ Bucket }));
    return {
      RedirectAllRequestsTo: out.RedirectAllRequestsTo,
      IndexDocument: out.IndexDocument,
      ErrorDocument: out.ErrorDocument,
      RoutingRules: out.RoutingRules,
    };
  };
  const without = (c: WebsiteConfiguration) => ({
    RedirectAllRequestsTo: undefined,
    IndexDocument: undefined,
    ErrorDocument: undefined,
    RoutingRules: undefined,
    ...c,
  });

  check("PutBucketWebsite", "put-bucket-website.roundtrip", async () => {
    const bucket = await newBucket();
    const out = await f.s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: SITE }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await get(bucket)).toEqual(without(SITE));
    const redirect = { RedirectAllRequestsTo: { HostName: "www.example", Protocol: "https" as const } };
    await f.s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: redirect }));
    expect(await get(bucket)).toEqual(without(redirect));
  });

  check("PutBucketWebsite", "put-bucket-website.routing-rules-roundtrip", async () => {
    const bucket = await newBucket(RULES);
    expect(await get(bucket)).toEqual(without(RULES));
  });

  check("PutBucketWebsite", "put-bucket-website.invalid-refused", async () => {
    const bucket = await newBucket(SITE);
    const put = (WebsiteConfiguration: WebsiteConfiguration) =>
      f.s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration }));
    await expectS3Error(put({}), 400, "InvalidArgument");
    await expectS3Error(put({ IndexDocument: { Suffix: "dir/index.html" } }), 400, "InvalidArgument");
    await expectS3Error(
      put({ RedirectAllRequestsTo: { HostName: "h.example" }, IndexDocument: { Suffix: "index.html" } }),
      400,
      "InvalidArgument",
    );
    await expectS3Error(
      put({
        IndexDocument: { Suffix: "index.html" },
        RoutingRules: [{ Redirect: { HttpRedirectCode: "200" } }],
      }),
      400,
      "InvalidArgument",
    );
    await expectS3Error(
      put({
        IndexDocument: { Suffix: "index.html" },
        RoutingRules: [{ Redirect: { ReplaceKeyWith: "a", ReplaceKeyPrefixWith: "b" } }],
      }),
      400,
      "InvalidArgument",
    );
    // Refused configurations leave the stored one as it was.
    expect(await get(bucket)).toEqual(without(SITE));
  });

  check("GetBucketWebsite", "get-bucket-website.returns-config", async () => {
    const bucket = await newBucket(SITE);
    const out = await f.s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect({
      status: out.$metadata.httpStatusCode,
      index: out.IndexDocument,
      error: out.ErrorDocument,
    }).toEqual({
      status: 200,
      index: { Suffix: "index.html" },
      error: { Key: "error.html" },
    });
  });

  check("GetBucketWebsite", "get-bucket-website.not-configured", async () => {
    const bucket = await newBucket();
    await expectS3Error(
      f.s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })),
      404,
      "NoSuchWebsiteConfiguration",
    );
  });

  check("DeleteBucketWebsite", "delete-bucket-website.removes", async () => {
    const bucket = await newBucket(SITE);
    const out = await f.s3.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(
      f.s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })),
      404,
      "NoSuchWebsiteConfiguration",
    );
  });
});
