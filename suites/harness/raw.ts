// Raw HTTP for requests SDKs will not send (legacy signatures, malformed or hostile requests), with the
// exchange recorded as evidence like the SDK's.

import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Fixture } from "./suite.ts";

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawRequest {
  readonly method: string;
  /** Path and query, e.g. `/bucket/key?acl`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export function rawRequest(f: Fixture, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, f.target.endpoint);
  const secure = url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  const exchange = { request: { method: req.method, url: url.href, headers: { ...req.headers } } };
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method,
        headers: req.headers,
        ...(secure ? { ca: f.target.tls.ca, rejectUnauthorized: !f.target.tls.insecure } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
          const body = Buffer.concat(chunks).toString("utf8");
          f.recorder.recordRaw(exchange.request, { status: res.statusCode ?? 0, headers, body });
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
      },
    );
    r.on("error", (error) => {
      f.recorder.recordRaw(exchange.request, undefined, String(error));
      reject(error);
    });
    r.end(req.body);
  });
}

/** The S3 error code of an XML error body, if it is one. */
export function errorCode(body: string): string | undefined {
  return /<Error>[\s\S]*?<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

/** Signature Version 2 `Authorization` for a request without body, Content-MD5 or x-amz headers. */
export function sigV2Authorization(
  accessKeyId: string,
  secret: string,
  method: string,
  date: string,
  resource: string,
): string {
  const stringToSign = `${method}\n\n\n${date}\n${resource}`;
  const signature = createHmac("sha1", secret).update(stringToSign).digest("base64");
  return `AWS ${accessKeyId}:${signature}`;
}
