// Test-only: browser POST forms (policy signing V4 and V2, multipart bodies) and raw requests with a
// chosen Host header (website endpoint hosts do not resolve here: `*.localhost` is not in the resolver).

import { createHmac } from "node:crypto";
import { request } from "node:http";
import type { RawResponse } from "../test-support.ts";

export interface FormFile {
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body: the fields in order, then the file part named `file`. */
export function multipartBody(
  fields: ReadonlyArray<readonly [string, string]>,
  file: FormFile | undefined,
  boundary = "----parityFormBoundary7MA4YWxkTrZu0gW",
): { body: Buffer; contentType: string } {
  const out: Buffer[] = [];
  for (const [name, value] of fields) {
    out.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="file"`;
    if (file.filename !== undefined) head += `; filename="${file.filename}"`;
    head += `\r\nContent-Type: ${file.contentType ?? "application/octet-stream"}\r\n\r\n`;
    out.push(Buffer.from(head), Buffer.from(file.data), Buffer.from("\r\n"));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(out), contentType: `multipart/form-data; boundary=${boundary}` };
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

export interface PolicyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The SigV4 fields of a form (written from AWS's documentation, independent of the server's code):
 * the policy gets x-amz-algorithm / -credential / -date conditions, as AWS's own example does.
 */
export function signedV4Fields(
  creds: PolicyCredentials,
  policy: { expiration: string; conditions: unknown[] },
  opts: { region?: string; now?: Date } = {},
): [string, string][] {
  const now = opts.now ?? new Date();
  const region = opts.region ?? "us-east-1";
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const credential = `${creds.accessKeyId}/${day}/${region}/s3/aws4_request`;
  const full = {
    ...policy,
    conditions: [
      ...policy.conditions,
      { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
      { "x-amz-credential": credential },
      { "x-amz-date": amzDate },
    ],
  };
  const encoded = Buffer.from(JSON.stringify(full)).toString("base64");
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), region), "s3"), "aws4_request");
  return [
    ["x-amz-algorithm", "AWS4-HMAC-SHA256"],
    ["x-amz-credential", credential],
    ["x-amz-date", amzDate],
    ["policy", encoded],
    ["x-amz-signature", hmac(key, encoded).toString("hex")],
  ];
}

/** The SigV2 fields of a form: AWSAccessKeyId, policy, signature = base64(HMAC-SHA1(secret, policy)). */
export function signedV2Fields(
  creds: PolicyCredentials,
  policy: { expiration: string; conditions: unknown[] },
): [string, string][] {
  const encoded = Buffer.from(JSON.stringify(policy)).toString("base64");
  const signature = createHmac("sha1", creds.secretAccessKey).update(encoded).digest("base64");
  return [
    ["AWSAccessKeyId", creds.accessKeyId],
    ["policy", encoded],
    ["signature", signature],
  ];
}

/** An ISO expiration `ms` from now. */
export function expiresIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

/** A raw request to the server's port, with any Host header and body. */
export function hostRequest(
  endpoint: string,
  init: {
    method: string;
    path: string;
    host?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: init.path,
        method: init.method,
        headers: { ...(init.host ? { host: init.host } : {}), ...init.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** POST a form to a bucket (path style). */
export function postForm(
  endpoint: string,
  bucket: string,
  fields: ReadonlyArray<readonly [string, string]>,
  file: FormFile | undefined,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const { body, contentType } = multipartBody(fields, file);
  return hostRequest(endpoint, {
    method: "POST",
    path: `/${bucket}`,
    headers: { "content-type": contentType, ...headers },
    body,
  });
}
