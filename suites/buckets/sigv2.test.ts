// Signature Version 2 on ListBuckets, in raw HTTP (the SDKs no longer sign V2). AWS still serves V2 on
// general-purpose buckets; a service may refuse it, but cleanly, and must never accept a forged one.

import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { errorCode, rawRequest, sigV2Authorization } from "../harness/raw.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

suite("sigv2", () => {
  const f = fx!;
  const listV2 = (secret: string) => {
    const date = new Date().toUTCString();
    const authorization = sigV2Authorization(f.target.main.accessKeyId, secret, "GET", date, "/");
    return rawRequest(f, { method: "GET", path: "/", headers: { date, authorization } });
  };

  check("ListBuckets", "list-buckets.sigv2-served-or-cleanly-refused", async () => {
    const res = await listV2(f.target.main.secretAccessKey);
    if (res.status === 200) {
      expect(res.body).toContain("<ListAllMyBucketsResult");
      return;
    }
    // Refused: an S3 XML error with a code, as a client can report it.
    expect({ status: [400, 403].includes(res.status), code: errorCode(res.body) !== undefined }).toEqual({
      status: true,
      code: true,
    });
  });

  check("ListBuckets", "list-buckets.sigv2-forged-refused", async () => {
    const served = (await listV2(f.target.main.secretAccessKey)).status === 200;
    const res = await listV2(`${f.target.main.secretAccessKey}-forged`);
    if (served) {
      expect({ status: res.status, code: errorCode(res.body) }).toEqual({
        status: 403,
        code: "SignatureDoesNotMatch",
      });
    } else {
      expect([400, 403]).toContain(res.status);
      expect(errorCode(res.body)).toBeDefined();
    }
  });
});
