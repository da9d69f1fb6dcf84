// Attribute-based access control switch of a bucket: Put/GetBucketAbac, asserted against AWS S3.

import { createHash } from "node:crypto";
import { GetBucketAbacCommand, PutBucketAbacCommand } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { md5Base64 } from "../harness/assert.ts";
import { rawRequest } from "../harness/raw.ts";
import { signRequest } from "../harness/sigv4.ts";
import { suite, useFixture } from "../harness/suite.ts";
import { bucketWith, ok } from "./support.ts";

const fx = useFixture();
const sha256Hex = (s: string) => createHash("sha256").update(s).digest("hex");

suite("bucket ABAC", () => {
  const f = fx!;

  check("GetBucketAbac", "get-bucket-abac.default-disabled", async () => {
    const Bucket = await bucketWith(f);
    const out = await ok(f.s3.send(new GetBucketAbacCommand({ Bucket })));
    expect(out.AbacStatus).toEqual({ Status: "Disabled" });
  });

  check("PutBucketAbac", "put-bucket-abac.roundtrip", async () => {
    const Bucket = await bucketWith(f);
    for (const Status of ["Enabled", "Disabled"] as const) {
      const put = await ok(f.s3.send(new PutBucketAbacCommand({ Bucket, AbacStatus: { Status } })));
      expect(put.$metadata.httpStatusCode).toBe(200);
      const got = await ok(f.s3.send(new GetBucketAbacCommand({ Bucket })));
      expect(got.AbacStatus).toEqual({ Status });
    }
  });

  check("PutBucketAbac", "put-bucket-abac.invalid-status-refused", async () => {
    const Bucket = await bucketWith(f);
    // A status outside the enumeration, a truncated document, a wrong root element.
    for (const body of [
      "<AbacStatus><Status>Sometimes</Status></AbacStatus>",
      "<AbacStatus><Status>",
      "<NotAbac/>",
    ]) {
      const path = `/${Bucket}?abac=`;
      // Content-MD5: the operation requires an integrity header, so the refusal is about the document.
      const s = signRequest({
        method: "PUT",
        endpoint: f.target.endpoint,
        region: f.target.region,
        path,
        headers: { "content-md5": md5Base64(body), "content-type": "application/xml" },
        payloadHash: sha256Hex(body),
        credentials: f.target.main,
      });
      const res = await rawRequest(f, { method: "PUT", path, headers: s.headers, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body).toContain("<Code>MalformedXML</Code>");
    }
    const got = await ok(f.s3.send(new GetBucketAbacCommand({ Bucket })));
    expect(got.AbacStatus).toEqual({ Status: "Disabled" });
  });
});
