// Commands that need an AWS service beside S3, answered on a general-purpose endpoint:
// WriteGetObjectResponse (S3 Object Lambda) and ListDirectoryBuckets (S3 Express One Zone).

import {
  CreateBucketCommand,
  ListDirectoryBucketsCommand,
  type S3Client,
  WriteGetObjectResponseCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { s3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

/**
 * The SDK sends WriteGetObjectResponse to `{RequestRoute}.<endpoint host>`, which resolves nowhere for an
 * IP or a plain host name; the request goes to the endpoint itself, as an Object Lambda endpoint would get it.
 */
function withoutHostPrefix(client: S3Client, endpoint: string): S3Client {
  const { hostname } = new URL(endpoint);
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { hostname?: string; headers?: Record<string, string> };
      if (req.hostname !== undefined && req.hostname !== hostname) {
        req.hostname = hostname;
        if (req.headers) delete req.headers.host;
      }
      return next(args);
    },
    { step: "build", priority: "low", name: "parityStripHostPrefix" },
  );
  return client;
}

suite("aws-only commands on a general-purpose endpoint", () => {
  const f = fx!;

  check("WriteGetObjectResponse", "write-get-object-response.clean-error-without-object-lambda", async () => {
    const client = withoutHostPrefix(f.client(), f.target.endpoint);
    const seen = await s3Error(
      client.send(
        new WriteGetObjectResponseCommand({
          RequestRoute: "io-parity-route",
          RequestToken: "not-a-token-issued-here",
          StatusCode: 200,
          Body: "transformed",
        }),
      ),
    );
    // No Object Lambda to answer for: a clean S3 client error, never a success or a server fault.
    expect(seen.status).toBeGreaterThanOrEqual(400);
    expect(seen.status).toBeLessThan(500);
    expect(seen.code).toBeTruthy();
  });

  check("ListDirectoryBuckets", "list-directory-buckets.general-purpose-answer", async () => {
    const Bucket = f.bucketName("gp");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    let listed: string[];
    try {
      const out = await f.s3.send(new ListDirectoryBucketsCommand({}));
      listed = (out.Buckets ?? []).map((b) => b.Name ?? "");
    } catch (error) {
      // Refused (the SDK signs for s3express): a clean S3 client error.
      const seen = await s3Error(Promise.reject(error));
      expect(seen.status).toBeGreaterThanOrEqual(400);
      expect(seen.status).toBeLessThan(500);
      expect(seen.code).toBeTruthy();
      return;
    }
    // Answered: a listing of directory buckets never holds a general-purpose one (ListBuckets' answer is wrong).
    expect(listed).not.toContain(Bucket);
  });
});
