// Website endpoint hosts (http/addressing.ts websiteBucket): every AWS style, over the configured base
// domains and localhost; other hosts are not website requests.

import { expect, test } from "vitest";
import { websiteBucket } from "../http/addressing.ts";

test("website endpoint styles name the bucket", () => {
  const bases = ["s3.example.test"];
  expect(websiteBucket("site.s3-website.localhost:9000", bases)).toBe("site");
  expect(websiteBucket("my.site.s3-website-eu-west-1.localhost", bases)).toBe("my.site");
  expect(websiteBucket("site.s3-website.eu-west-1.s3.example.test", bases)).toBe("site");
  expect(websiteBucket("SITE.S3-WEBSITE.S3.EXAMPLE.TEST", bases)).toBe("site");
  expect(websiteBucket("a.s3-website.b.s3-website.localhost", bases)).toBe("a.s3-website.b");
});

test("other hosts are not website requests", () => {
  const bases = ["s3.example.test"];
  for (const host of [
    undefined,
    "localhost:9000",
    "127.0.0.1:9000",
    "site.s3.example.test",
    "s3-website.localhost",
    "site.s3-website.example.org",
    "site.s3-websites.localhost",
    "[::1]:9000",
  ]) {
    expect(websiteBucket(host, bases), String(host)).toBeUndefined();
  }
});
