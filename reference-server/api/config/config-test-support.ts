// Test-only helpers of the config tests: hand-written configuration documents sent signed.

import { createHash } from "node:crypto";
import type { RawResponse, TestServer } from "../test-support.ts";
import { signedRequest } from "../test-support.ts";

/** A configuration request with a hand-written body (Content-MD5 included unless `md5` is false). */
export function putXml(
  server: TestServer["server"],
  bucket: string,
  sub: string,
  xml: string,
  opts: { md5?: boolean; method?: string; query?: Record<string, string> } = {},
): Promise<RawResponse> {
  return signedRequest(server, {
    method: opts.method ?? "PUT",
    path: `/${bucket}`,
    query: { [sub]: "", ...opts.query },
    headers: opts.md5 === false ? {} : { "content-md5": createHash("md5").update(xml).digest("base64") },
    body: xml,
  });
}

/** A signed GET of a bucket sub-resource, as raw XML. */
export function getRaw(
  server: TestServer["server"],
  bucket: string,
  sub: string,
  query: Record<string, string> = {},
): Promise<RawResponse> {
  return signedRequest(server, { method: "GET", path: `/${bucket}`, query: { [sub]: "", ...query } });
}

export const codeOf = (res: RawResponse) => /<Code>([^<]*)<\/Code>/.exec(res.body)?.[1];
